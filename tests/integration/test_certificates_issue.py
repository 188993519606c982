"""Certificates: claimed by the learner or issued in bulk, their text read back from the PDF,
the public verification page, the session ZIP, transcripts, and revocation after a correction."""

import io
import re
import zipfile
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app.models import AuditEvent, Certificate
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report
from tests.integration.test_credit_rules import SETTINGS

ANSWERS = {"relevance": 5, "intent_to_change": 4, "free_of_bias": 5}


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def unspaced(text: str) -> str:
    """Text extraction splits some kerned pairs ("W est"): compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def hub(client, db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    nia = make_user(db, email="nia@clinic.example.org", full_name="Nia Okafor", degree="RN")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, jenna, "clinician")
    add_member(db, program, nia, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER), topic="DAA interactions")
    response = client.put(f"/api/v1/programs/{program.id}/credit-settings",
                          json={**SETTINGS, "max_credits": "1"}, headers=api_token(client, cme.email, PASSWORD))
    assert response.status_code == 200
    client.post(f"/api/v1/sessions/{session.id}/attendance/import",
                files={"file": ("z.csv", zoom_report(session, [("Jenna Whitfield", jenna.email, 0, 60),
                                                               ("Nia Okafor", nia.email, 0, 50)]), "text/csv")},
                headers=api_token(client, coordinator.email, PASSWORD))
    return program, session, coordinator, cme, jenna, nia


def evaluate_and_claim(client, session, user):
    headers = api_token(client, user.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201
    response = client.post(f"/api/v1/sessions/{session.id}/certificate", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_claim_needs_the_evaluation_first(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    response = client.post(f"/api/v1/sessions/{session.id}/certificate", headers=api_token(client, jenna.email, PASSWORD))
    assert (response.status_code, response.json()["detail"]) == (409, "Complete the session's evaluation first.")
    assert db.exec(select(Certificate)).all() == []


def test_certificate_pdf_states_name_activity_date_credits_statements_and_code(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    certificate = evaluate_and_claim(client, session, jenna)
    assert (certificate["credits"], certificate["credit_type"], len(certificate["code"])) == ("1.00", "ama_pra_1", 16)
    response = client.get(f"/certificates/{certificate['code']}.pdf", headers=api_token(client, jenna.email, PASSWORD))
    assert (response.status_code, response.headers["content-type"]) == (200, "application/pdf")
    text = pdf_text(response.content)
    for expected in ("Jenna Whitfield, MD", "Hepatitis C ECHO", "March 4, 2026", "DAA interactions", certificate["code"],
                     "Mountain West CME designates this live activity for a maximum of 1 AMA PRA Category 1 Credit(s)™",
                     "Mountain West CME is accredited by the Accreditation Council for Continuing Medical Education",
                     "Live activity, regularly scheduled series"):
        assert unspaced(expected) in unspaced(text), expected
    assert re.search(r"\b1 AMA PRA Category 1 Credit", text)


def test_nursing_certificate_uses_contact_hours_wording(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    certificate = evaluate_and_claim(client, session, nia)
    assert (certificate["credits"], certificate["credit_type"]) == ("0.75", "nursing")
    text = pdf_text(client.get(f"/certificates/{certificate['code']}.pdf", headers=api_token(client, nia.email, PASSWORD)).content)
    assert "Nia Okafor, RN" in text
    assert "0.75" in text
    assert unspaced("American Nurses Credentialing Center") in unspaced(text)


def test_verification_page_shows_only_name_activity_date_credits_and_validity(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    code = evaluate_and_claim(client, session, jenna)["code"]
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "Valid certificate" in page.text
    for expected in ("Jenna Whitfield", "Hepatitis C ECHO", "2026-03-04", "1 AMA PRA Category 1 Credit™"):
        assert expected in page.text
    assert jenna.email not in page.text
    assert client.get(f"/api/v1/verify/{code}").json() == {
        "code": code, "learner_name": "Jenna Whitfield", "activity": "Hepatitis C ECHO", "date": "2026-03-04",
        "credits": "1", "credit_type": "AMA PRA Category 1 Credit™", "status": "valid"}
    assert client.get("/verify/not-a-real-code").status_code == 404


def test_correction_revokes_the_certificate_and_a_new_one_can_be_claimed(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    old_code = evaluate_and_claim(client, session, jenna)["code"]
    response = client.put(f"/api/v1/sessions/{session.id}/attendance/{jenna.id}",
                          json={"minutes": 40, "reason": "Left at 12:40 per the host"},
                          headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 200
    db.expire_all()
    old = db.exec(select(Certificate).where(Certificate.code == old_code)).one()
    # The coordinator's reason (PHI-checked) is the why the learner is told by e-mail.
    assert (old.revoked_at is not None, old.revoke_reason) == (True, "Left at 12:40 per the host")
    assert client.get(f"/api/v1/verify/{old_code}").json()["status"] == "revoked"
    assert "Revoked: this certificate is no longer valid" in client.get(f"/verify/{old_code}").text
    refused = client.post(f"/api/v1/sessions/{session.id}/certificate", headers=api_token(client, jenna.email, PASSWORD))
    assert refused.json()["detail"] == "You attended 40 of 60 minutes; credit needs at least 75% of the session."
    client.put(f"/api/v1/sessions/{session.id}/attendance/{jenna.id}", json={"minutes": 50, "reason": "Host log"},
               headers=api_token(client, coordinator.email, PASSWORD))
    renewed = client.post(f"/api/v1/sessions/{session.id}/certificate", headers=api_token(client, jenna.email, PASSWORD))
    assert (renewed.status_code, renewed.json()["credits"]) == (201, "0.75")
    assert renewed.json()["code"] != old_code
    revoked = db.exec(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")).all()
    assert [e.details["user_id"] for e in revoked] == [jenna.id]


def test_same_certificate_is_returned_on_a_second_claim(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    first = evaluate_and_claim(client, session, jenna)
    again = client.post(f"/api/v1/sessions/{session.id}/certificate", headers=api_token(client, jenna.email, PASSWORD))
    assert again.json()["code"] == first["code"]
    assert len(db.exec(select(Certificate)).all()) == 1


def test_only_the_learner_and_the_cme_office_download_a_certificate(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    code = evaluate_and_claim(client, session, jenna)["code"]
    statuses = [client.get(f"/certificates/{code}.pdf", headers=api_token(client, user.email, PASSWORD)).status_code
                for user in (nia, coordinator, cme)]
    assert statuses == [403, 403, 200]
    assert client.get("/certificates/unknown.pdf", headers=api_token(client, nia.email, PASSWORD)).status_code == 404


def test_cme_office_issues_in_bulk_and_downloads_the_session_zip(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    for user in (jenna, nia):
        client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=api_token(client, user.email, PASSWORD))
    headers = api_token(client, cme.email, PASSWORD)
    issued = client.post(f"/api/v1/sessions/{session.id}/certificates", headers=headers)
    assert sorted((c["learner_name"], c["credits"]) for c in issued.json()) == [("Jenna Whitfield", "1.00"), ("Nia Okafor", "0.75")]
    assert client.post(f"/api/v1/sessions/{session.id}/certificates", headers=headers).json() == []
    response = client.get(f"/api/v1/sessions/{session.id}/certificates.zip", headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (200, "application/zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["Jenna-Whitfield.pdf", "Nia-Okafor.pdf"]
    assert "Nia Okafor, RN" in pdf_text(archive.read("Nia-Okafor.pdf"))
    assert client.get(f"/api/v1/sessions/{session.id}/certificates.zip",
                      headers=api_token(client, coordinator.email, PASSWORD)).status_code == 403


def test_learner_claims_on_the_pages_and_downloads_a_transcript(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    sign_in(client, jenna.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/my-credit")
    assert "Please complete this short evaluation" in page.text
    evaluated = client.post(f"/sessions/{session.id}/evaluation", data={**{k: str(v) for k, v in ANSWERS.items()},
                                                                      "csrf_token": csrf_of(client)})
    claimed = client.post(f"/sessions/{session.id}/certificate", data={"csrf_token": csrf_of(client)})
    assert (evaluated.status_code, claimed.status_code) == (303, 303)
    code = db.exec(select(Certificate.code)).one()
    assert f"/certificates/{code}.pdf" in client.get("/certificates").text
    transcript = client.get("/api/v1/users/me/transcript.pdf?year=2026")
    text = unspaced(pdf_text(transcript.content))  # a long code may wrap in its table cell
    assert "JennaWhitfield" in text and "HepatitisCECHO" in text and code in text
    bad = client.get("/api/v1/users/me/transcript.pdf?start=2026-05-01&end=2026-01-01")
    assert (bad.status_code, bad.json()["fields"]) == (422, {"end": "The end date comes before the start date."})


def test_session_credit_list_takes_a_fixed_number_of_queries(client, db, hub):
    from sqlalchemy import event

    program, session, coordinator, cme, jenna, nia = hub
    for user in (jenna, nia):
        evaluate_and_claim(client, session, user)
    headers = api_token(client, cme.email, PASSWORD)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(client.app.state.engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/api/v1/sessions/{session.id}/credit", headers=headers)
    finally:
        event.remove(client.app.state.engine, "before_cursor_execute", count)
    assert [(a["name"], a["credits"], a["evaluated"], a["certificate_code"] is not None) for a in response.json()] == [
        ("Jenna Whitfield", "1.00", True, True), ("Nia Okafor", "0.75", True, True)]
    assert len(statements) <= 8
