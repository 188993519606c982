"""Coordinators of a program issue and download its certificates when the program allows it (#12);
the CME office decides, and a coordinator of another program never may."""

from __future__ import annotations

from sqlmodel import select

from app.models import AuditEvent, Program
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.test_certificates_issue import ANSWERS, hub  # noqa: F401


def coordinator_statuses(client, session, code, headers) -> list[int]:
    return [client.get(f"/api/v1/sessions/{session.id}/certificates", headers=headers).status_code,
            client.get(f"/api/v1/sessions/{session.id}/certificates.zip", headers=headers).status_code,
            client.get(f"/certificates/{code}.pdf", headers=headers).status_code]


def test_coordinators_manage_certificates_only_when_the_cme_office_allows_it(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    other = make_program(db, name="Chronic Pain ECHO")
    stranger = make_user(db, email="coord@pain.example.org", full_name="Other Coordinator")
    add_member(db, other, stranger, "coordinator")
    for learner in (jenna, nia):
        client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS,
                    headers=api_token(client, learner.email, PASSWORD))
    coordinator_headers = api_token(client, coordinator.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/certificates", headers=coordinator_headers).status_code == 403
    code = client.post(f"/api/v1/sessions/{session.id}/certificate",
                       headers=api_token(client, jenna.email, PASSWORD)).json()["code"]
    assert coordinator_statuses(client, session, code, coordinator_headers) == [403, 403, 403]

    allowed = client.put(f"/api/v1/programs/{program.id}/certificate-access", json={"coordinators_manage_credit": True},
                         headers=api_token(client, cme.email, PASSWORD))

    assert (allowed.status_code, allowed.json()) == (200, {"coordinators_manage_credit": True})
    issued = client.post(f"/api/v1/sessions/{session.id}/certificates", headers=coordinator_headers)
    assert (issued.status_code, [c["learner_name"] for c in issued.json()]) == (201, ["Nia Okafor"])
    assert coordinator_statuses(client, session, code, coordinator_headers) == [200, 200, 200]
    assert coordinator_statuses(client, session, code, api_token(client, stranger.email, PASSWORD)) == [403, 403, 403]
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "program.certificate_access")).all()
    assert (event.actor_id, event.details["coordinators_manage_credit"]) == (cme.id, True)


def test_only_the_cme_office_sets_certificate_access_and_bad_input_changes_nothing(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    url = f"/api/v1/programs/{program.id}/certificate-access"
    body = {"coordinators_manage_credit": True}
    assert client.put(url, json=body).status_code == 401
    assert client.put(url, json=body, headers=api_token(client, coordinator.email, PASSWORD)).status_code == 403
    assert client.put(url, json=body, headers=api_token(client, jenna.email, PASSWORD)).status_code == 403
    cme_headers = api_token(client, cme.email, PASSWORD)
    assert client.put(url, json={"coordinators_manage_credit": "yes"}, headers=cme_headers).status_code == 422
    assert client.put(url, json={**body, "extra": 1}, headers=cme_headers).status_code == 422
    assert client.put("/api/v1/programs/999999/certificate-access", json=body, headers=cme_headers).status_code == 404
    db.expire_all()
    assert db.get(Program, program.id).coordinators_manage_credit is False
