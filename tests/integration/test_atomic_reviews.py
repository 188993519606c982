"""Hub review writes under parallel requests (a live server, one database session per request):
recommendation saves from one version, finalising twice, and reading a case, which changes nothing."""

from __future__ import annotations

from sqlmodel import select

from app.models import CasePresentation, OutboxMessage, Recommendation
from tests.factories import PASSWORD
from tests.integration.live_server import at_once, browser_session, server  # noqa: F401 (fixture)
from tests.integration.test_reviews import headers, hub, scheduled_case, submitted_case  # noqa: F401 (fixture)

PARALLEL = 8


def status_of(db, case_id: int) -> str:
    db.expire_all()
    return db.get(CasePresentation, case_id).status


def test_reading_a_case_leaves_it_submitted_until_review_is_started(client, db, hub, server):  # noqa: F811
    program, people = hub
    case_id = submitted_case(client, program, people)
    cookies, token = browser_session(server, people["specialist"].email, PASSWORD)
    page = at_once(1, lambda c: c.get(f"/cases/{case_id}"), base_url=server, cookies=cookies)[0]
    api = client.get(f"/api/v1/cases/{case_id}", headers=headers(client, people, "specialist"))
    assert (page.status_code, api.status_code, status_of(db, case_id)) == (200, 200, "submitted")
    assert f'action="/cases/{case_id}/start-review"' in page.text
    started = at_once(2, lambda c: c.post(f"/cases/{case_id}/start-review", data={"csrf_token": token}),
                      base_url=server, cookies=cookies)
    assert [r.status_code for r in started] == [303, 303]
    assert status_of(db, case_id) == "in_review"


def test_parallel_saves_from_one_version_let_exactly_one_win(client, db, hub, server):  # noqa: F811
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    auth = headers(client, people, "specialist")
    url = f"/api/v1/cases/{case_id}/recommendation"

    def save_from(version: int):
        return lambda c: c.put(url, headers=auth, json={
            "version": version, "summary": f"From {version}", "items": ["Start sofosbuvir/velpatasvir."]})

    for version in (0, 1):  # the first version is an insert, later ones an update
        responses = at_once(PARALLEL, save_from(version), base_url=server)
        assert sorted(r.status_code for r in responses) == [200] + [409] * (PARALLEL - 1)
        assert {r.json()["current"]["version"] for r in responses if r.status_code == 409} == {version + 1}
    db.expire_all()
    saved = db.exec(select(Recommendation).where(Recommendation.case_id == case_id)).one()
    assert (saved.version, saved.summary) == (2, "From 1")


def test_finalising_twice_at_once_sends_one_email(client, db, hub, server):  # noqa: F811
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    auth = headers(client, people, "specialist")
    url = f"/api/v1/cases/{case_id}/recommendation"
    assert client.put(url, headers=auth, json={"version": 0, "items": ["Treat now."]}).status_code == 200
    responses = at_once(PARALLEL, lambda c: c.post(f"{url}/finalise", json={"version": 1}, headers=auth),
                        base_url=server)
    assert sorted(r.status_code for r in responses) == [200] + [409] * (PARALLEL - 1)
    db.expire_all()
    mails = db.exec(select(OutboxMessage).where(OutboxMessage.kind == "recommendations_final")).all()
    assert [m.payload["case_id"] for m in mails] == [case_id]
    assert status_of(db, case_id) == "presented"

