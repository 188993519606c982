"""The hub side: review, return and resubmit, agendas, versioned recommendations, letters, audit."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app.models import AuditEvent, CasePresentation, EchoSession, OutboxMessage
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user

CASE = {"age_bracket": "40–64", "sex_gender": "Female", "attested": True, "submit": True,
        "question": "Treat now with sofosbuvir/velpatasvir, or repeat the viral load first?",
        "presenting_problem": "HCV genotype 3a found on screening 2 months ago. Fatigue only."}


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C", timezone="America/Denver")
    people = {role: make_user(db, email=f"{role}@example.org", full_name=name) for role, name in [
        ("presenter", "Jenna Whitfield"), ("colleague", "Marcus Tsosie"), ("specialist", "Samuel Okafor"),
        ("coordinator", "Rosa Delgado"), ("outsider", "Carla Washington")]}
    people["cme"] = make_user(db, email="cme@example.org", full_name="Priya Raman", is_cme_office=True)
    people["admin"] = make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    for role, member_role in [("presenter", "clinician"), ("colleague", "clinician"), ("specialist", "specialist"),
                              ("coordinator", "coordinator")]:
        add_member(db, program, people[role], member_role)
    add_member(db, make_program(db, name="Pediatric Asthma"), people["outsider"], "clinician")
    make_series(db, program, people["coordinator"], count=3)
    return program, people


def headers(client, people, who):
    return api_token(client, people[who].email, PASSWORD)


def submitted_case(client, program, people) -> int:
    response = client.post("/api/v1/cases", json={**CASE, "program_id": program.id}, headers=headers(client, people, "presenter"))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def first_session(db, program) -> EchoSession:
    return db.exec(select(EchoSession).where(EchoSession.program_id == program.id).order_by(EchoSession.starts_at)).first()


def scheduled_case(client, db, program, people) -> int:
    case_id = submitted_case(client, program, people)
    client.post(f"/api/v1/cases/{case_id}/approve", headers=headers(client, people, "specialist"))
    assigned = client.post(f"/api/v1/cases/{case_id}/assign", json={"session_id": first_session(db, program).id},
                           headers=headers(client, people, "coordinator"))
    assert assigned.json()["status"] == "scheduled"
    return case_id


def test_starting_the_review_moves_the_case_into_review_and_records_who(client, db, hub):
    program, people = hub
    case_id = submitted_case(client, program, people)
    response = client.post(f"/api/v1/cases/{case_id}/start-review", headers=headers(client, people, "specialist"))
    assert response.json() == {"id": case_id, "status": "in_review"}
    db.expire_all()
    case = db.get(CasePresentation, case_id)
    assert (case.status, case.reviewer_id) == ("in_review", people["specialist"].id)


def test_return_with_reason_then_presenter_resubmits(client, db, hub):
    program, people = hub
    case_id = submitted_case(client, program, people)
    refused = client.post(f"/api/v1/cases/{case_id}/return", json={"reason": " "}, headers=headers(client, people, "specialist"))
    assert refused.status_code == 422
    returned = client.post(f"/api/v1/cases/{case_id}/return", json={"reason": "Please add the platelet count."},
                           headers=headers(client, people, "specialist"))
    assert returned.json()["status"] == "returned"
    mine = client.get(f"/api/v1/cases/{case_id}", headers=headers(client, people, "presenter")).json()
    assert mine["status_reason"] == "Please add the platelet count."
    again = client.put(f"/api/v1/cases/{case_id}", headers=headers(client, people, "presenter"),
                       json={**CASE, "program_id": program.id, "labs_imaging": "Platelets 142."})
    assert again.json()["status"] == "submitted"


def test_return_reason_passes_the_phi_check(client, db, hub):
    program, people = hub
    case_id = submitted_case(client, program, people)
    response = client.post(f"/api/v1/cases/{case_id}/return", json={"reason": "Is this Mrs. Gonzales from 3/14/25?"},
                           headers=headers(client, people, "specialist"))
    assert response.status_code == 422 and "findings" in response.json()
    db.expire_all()
    assert db.get(CasePresentation, case_id).status_reason == ""


def test_assign_respects_slots_and_program(client, db, hub):
    program, people = hub
    session = first_session(db, program)
    session.case_slots = 1
    db.add(session)
    db.commit()
    first, second = scheduled_case(client, db, program, people), submitted_case(client, program, people)
    client.post(f"/api/v1/cases/{second}/approve", headers=headers(client, people, "specialist"))
    full = client.post(f"/api/v1/cases/{second}/assign", json={"session_id": session.id}, headers=headers(client, people, "coordinator"))
    assert full.status_code == 409 and "case slot" in full.json()["detail"]
    specialist_try = client.post(f"/api/v1/cases/{second}/assign", json={"session_id": session.id},
                                 headers=headers(client, people, "specialist"))
    assert specialist_try.status_code == 403
    assert first


def test_recommendations_versioned_finalised_and_immutable(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    url = f"/api/v1/cases/{case_id}/recommendation"
    body = {"version": 0, "summary": "Discussed fibrosis staging.", "items": ["Start sofosbuvir/velpatasvir for 12 weeks.",
                                                                           "Check HCV RNA 12 weeks after treatment."]}
    first = client.put(url, json=body, headers=headers(client, people, "specialist"))
    assert (first.status_code, first.json()["version"]) == (200, 1)
    stale = client.put(url, json={**body, "summary": "Other words"}, headers=headers(client, people, "coordinator"))
    assert stale.status_code == 409
    assert stale.json()["current"]["summary"] == "Discussed fibrosis staging."
    second = client.put(url, json={**body, "version": 1, "follow_up": "Present again after treatment."},
                        headers=headers(client, people, "coordinator"))
    assert (second.json()["version"], second.json()["contributors"]) == (2, ["Samuel Okafor", "Rosa Delgado"])
    assert client.get(url, headers=headers(client, people, "presenter")).status_code == 403  # not final yet
    final = client.post(f"{url}/finalise", json={"version": 2}, headers=headers(client, people, "specialist"))
    assert final.json()["status"] == "final"
    assert client.put(url, json={**body, "version": 2}, headers=headers(client, people, "specialist")).status_code == 409
    read = client.get(url, headers=headers(client, people, "presenter")).json()
    assert read["items"] == body["items"]
    assert db.exec(select(OutboxMessage.kind, OutboxMessage.payload)).all() == [
        ("recommendations_final", {"case_id": case_id})]
    db.expire_all()
    assert db.get(CasePresentation, case_id).status == "presented"
    addendum = client.post(f"{url}/addenda", json={"text": "Also vaccinate against hepatitis B."},
                           headers=headers(client, people, "specialist"))
    assert addendum.json()["addenda"] == ["Also vaccinate against hepatitis B."]


def test_recommendation_text_passes_the_phi_check(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    response = client.put(f"/api/v1/cases/{case_id}/recommendation", headers=headers(client, people, "specialist"),
                          json={"version": 0, "items": ["Call Dr. Patel at 505-555-0142 on 3/20."]})
    assert response.status_code == 422
    assert [f["label"] for f in response.json()["findings"]["item_1"]] == ["NAME", "PHONE", "DATE"]


def test_letter_pdf_for_presenter_after_final(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    url = f"/api/v1/cases/{case_id}/recommendation"
    client.put(url, json={"version": 0, "items": ["Start treatment."]}, headers=headers(client, people, "specialist"))
    assert client.get(f"/cases/{case_id}/letter.pdf", headers=headers(client, people, "presenter")).status_code == 404
    client.post(f"{url}/finalise", json={"version": 1}, headers=headers(client, people, "specialist"))
    pdf = client.get(f"/cases/{case_id}/letter.pdf", headers=headers(client, people, "presenter"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    number = db.get(CasePresentation, case_id).number
    assert number in text and "Start treatment." in text and "responsible" in text


def test_follow_up_shows_in_queue(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    soon = (date.today() + timedelta(days=7)).isoformat()
    client.put(f"/api/v1/cases/{case_id}/follow-up", json={"follow_up_on": soon}, headers=headers(client, people, "specialist"))
    sign_in(client, people["specialist"].email, PASSWORD)
    page = client.get("/review").text
    assert "Follow-ups due" in page and db.get(CasePresentation, case_id).number in page


def test_audit_trail_lists_views_and_changes(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    trail = client.get(f"/api/v1/cases/{case_id}/audit", headers=headers(client, people, "coordinator")).json()
    assert [e["action"] for e in trail][:3] == ["case.saved", "case.status_changed", "case.status_changed"]
    assert client.get(f"/api/v1/cases/{case_id}/audit", headers=headers(client, people, "specialist")).status_code == 403
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all() == []


def test_agenda_shows_case_number_and_one_line_to_members(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    number = db.get(CasePresentation, case_id).number
    sign_in(client, people["colleague"].email, PASSWORD)
    page = client.get(f"/sessions/{first_session(db, program).id}").text
    assert number in page and "Treat now with sofosbuvir/velpatasvir" in page
    assert "Fatigue only." not in page  # case text stays with the hub and the presenter
    assert f'href="/cases/{case_id}"' not in page


def test_session_form_page_approve_and_return(client, db, hub):
    program, people = hub
    case_id = submitted_case(client, program, people)
    sign_in(client, people["specialist"].email, PASSWORD)
    assert "Approve" in client.get(f"/cases/{case_id}").text
    bad = client.post(f"/cases/{case_id}/return", data={"reason": "", "csrf_token": csrf_of(client)})
    assert bad.status_code == 422 and "Tell the presenter what to change." in bad.text
    ok = client.post(f"/cases/{case_id}/approve", data={"csrf_token": csrf_of(client)})
    assert ok.status_code == 303
    db.expire_all()
    assert db.get(CasePresentation, case_id).status == "approved"


def test_stale_page_save_shows_both_versions_and_keeps_the_other(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    client.put(f"/api/v1/cases/{case_id}/recommendation", headers=headers(client, people, "coordinator"),
               json={"version": 0, "items": ["Coordinator's wording."]})
    sign_in(client, people["specialist"].email, PASSWORD)
    response = client.post(f"/cases/{case_id}/recommendation", data={
        "version": "0", "item_1": "Specialist's wording.", "csrf_token": csrf_of(client)})
    assert response.status_code == 409
    assert "Coordinator&#39;s wording." in response.text and "Specialist&#39;s wording." in response.text
    saved = client.get(f"/api/v1/cases/{case_id}/recommendation", headers=headers(client, people, "specialist")).json()
    assert (saved["items"], saved["version"]) == (["Coordinator's wording."], 1)


def test_queue_filters_by_session_and_coordinator_closes_presented_case(client, db, hub):
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    other = submitted_case(client, program, people)
    sign_in(client, people["coordinator"].email, PASSWORD)
    session_id = first_session(db, program).id
    page = client.get(f"/review?status=scheduled&session_id={session_id}").text
    number, other_number = db.get(CasePresentation, case_id).number, db.get(CasePresentation, other).number
    assert number in page and f">{other_number}<" not in page
    token = api_token(client, people["specialist"].email, PASSWORD)
    url = f"/api/v1/cases/{case_id}/recommendation"
    client.put(url, json={"version": 0, "items": ["Start treatment."]}, headers=token)
    client.post(f"{url}/finalise", json={"version": 1}, headers=token)
    assert client.post(f"/cases/{case_id}/close", data={"csrf_token": csrf_of(client)}).status_code == 303
    db.expire_all()
    assert db.get(CasePresentation, case_id).status == "closed"
