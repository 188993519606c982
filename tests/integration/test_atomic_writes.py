"""Writes that must be atomic: parallel requests (real threads against a live server, each with
its own database session) give the same result as one request, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, select

from app.db import make_engine
from app.migrate import upgrade
from app.models import Certificate, EchoSession, Membership, OutboxMessage, User
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.live_server import at_once, browser_session, server  # noqa: F401 (fixture)
from tests.integration.test_certificates_issue import ANSWERS, hub  # noqa: F401 (fixture)

PARALLEL = 8


def valid_certificates(db, session) -> list[Certificate]:
    db.expire_all()
    return list(db.exec(select(Certificate).where(Certificate.session_id == session.id,
                                                  Certificate.revoked_at.is_(None))).all())


def test_parallel_api_claims_issue_one_certificate(client, db, hub, server):  # noqa: F811
    program, session, coordinator, cme, jenna, nia = hub
    headers = api_token(client, jenna.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/sessions/{session.id}/certificate", headers=headers),
                        base_url=server)
    certificates = valid_certificates(db, session)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert len(certificates) == 1
    assert {r.json()["code"] for r in responses} == {certificates[0].code}


def test_double_click_on_claim_page_issues_one_certificate(client, db, hub, server):  # noqa: F811
    program, session, coordinator, cme, jenna, nia = hub
    headers = api_token(client, jenna.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201
    cookies, token = browser_session(server, jenna.email, PASSWORD)
    responses = at_once(PARALLEL, lambda c: c.post(f"/sessions/{session.id}/certificate", data={"csrf_token": token}),
                        base_url=server, cookies=cookies)
    assert [r.status_code for r in responses] == [303] * PARALLEL
    assert len(valid_certificates(db, session)) == 1


def test_parallel_bulk_issue_gives_each_learner_one_certificate(client, db, hub, server):  # noqa: F811
    program, session, coordinator, cme, jenna, nia = hub
    for learner in (jenna, nia):
        headers = api_token(client, learner.email, PASSWORD)
        assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201
    headers = api_token(client, cme.email, PASSWORD)
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/sessions/{session.id}/certificates", headers=headers),
                        base_url=server)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert sorted(c.user_id for c in valid_certificates(db, session)) == sorted([jenna.id, nia.id])
    assert sum(len(r.json()) for r in responses) == 2


def test_atomic_writes_migration_revokes_duplicate_certificates_keeping_the_earliest(empty_database_url):
    upgrade(empty_database_url, "0007_waiver_text")
    engine = make_engine(empty_database_url)
    with Session(engine) as db:
        learner, other = make_user(db), make_user(db)
        program = make_program(db)
        start = datetime(2026, 3, 4, 19, tzinfo=UTC)
        session = EchoSession(program_id=program.id, starts_at=start, ends_at=start.replace(hour=20))
        db.add(session)
        db.commit()
        for code, user in (("first", learner), ("second", learner), ("third", learner), ("other", other)):
            db.add(Certificate(code=code, session_id=session.id, user_id=user.id, credit_type="ama_pra_1",
                               credits=Decimal("1.00"), learner_name=user.full_name))
            db.commit()
    upgrade(empty_database_url)
    with Session(engine) as db:
        rows = db.exec(select(Certificate.code, Certificate.revoked_at.is_(None)).order_by(Certificate.id)).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("first", True), ("second", False), ("third", False), ("other", True)]


def test_parallel_joins_make_one_membership(client, db, server):
    program = make_program(db, name="Chronic Pain", visibility="public")
    clinician = make_user(db, email="marcus@example.org")
    headers = api_token(client, clinician.email, PASSWORD)
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/programs/{program.id}/join", headers=headers),
                        base_url=server)
    # A request that starts after another one committed is refused as from a member (403).
    joined = [r for r in responses if r.status_code == 200]
    assert {r.status_code for r in responses} <= {200, 403} and joined
    assert len({r.json()["membership_id"] for r in joined}) == 1
    db.expire_all()
    assert len(db.exec(select(Membership).where(Membership.program_id == program.id)).all()) == 1


def test_parallel_invites_of_one_new_person_add_one_member_and_send_one_invitation(client, db, server):
    program = make_program(db, name="Chronic Pain")
    coordinator = make_user(db, email="rosa@example.org")
    add_member(db, program, coordinator, "coordinator")
    headers = api_token(client, coordinator.email, PASSWORD)
    body = {"email": "new.clinician@example.org", "full_name": "Ana Reyes", "role": "clinician"}
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/programs/{program.id}/members", json=body,
                                                   headers=headers), base_url=server)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (PARALLEL - 1)
    db.expire_all()
    assert len(db.exec(select(User).where(User.email == body["email"])).all()) == 1
    assert len(db.exec(select(Membership).where(Membership.program_id == program.id)).all()) == 2
    assert len(db.exec(select(OutboxMessage).where(OutboxMessage.kind == "account_invitation")).all()) == 1


def test_parallel_new_cases_get_distinct_numbers(client, db, server):
    program = make_program(db, name="Hepatitis C")
    presenter = make_user(db, email="jenna@example.org")
    add_member(db, program, presenter, "clinician")
    headers = api_token(client, presenter.email, PASSWORD)
    body = {"program_id": program.id, "question": "Treat now, or repeat the viral load first?"}
    responses = at_once(PARALLEL, lambda c: c.post("/api/v1/cases", json=body, headers=headers), base_url=server)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert len({r.json()["number"] for r in responses}) == PARALLEL
