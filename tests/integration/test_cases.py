"""Case presentations behind the PHI gate: drafts, submission, waivers and who sees what."""

import pytest
from sqlmodel import select

from app.models import AuditEvent, CasePresentation, PhiWaiver
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

CLEAN = {
    "question": "Would you start glecaprevir/pibrentasvir now or wait for the elastography?",
    "presenting_problem": "Woman in her 50s with chronic HCV genotype 1a found on screening 3 months ago.",
    "medications": "Buprenorphine/naloxone 8/2 mg daily; lisinopril 10 mg daily.",
    "labs_imaging": "ALT 88, AST 71, platelets 142, FIB-4 2.1. HCV RNA 2.3 million IU/mL.",
}


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C")
    presenter = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    colleague = make_user(db, email="marcus@example.org", full_name="Marcus Tsosie")
    specialist = make_user(db, email="sam@example.org", full_name="Samuel Okafor")
    outsider = make_user(db, email="carla@example.org", full_name="Carla Washington")
    cme = make_user(db, email="cme@example.org", full_name="Priya Raman", is_cme_office=True)
    add_member(db, program, presenter, "clinician")
    add_member(db, program, colleague, "clinician")
    add_member(db, program, specialist, "specialist")
    other = make_program(db, name="Pediatric Asthma")
    add_member(db, other, outsider, "clinician")
    return program, presenter, colleague, specialist, outsider, cme


def body(program, **changes):
    return {"program_id": program.id, "age_bracket": "40–64", "sex_gender": "Female", "attested": True,
            **CLEAN, **changes}


def test_clean_case_is_saved_and_submitted_with_a_number(client, db, hub):
    program, presenter, *_ = hub
    response = client.post("/api/v1/cases", json=body(program, submit=True), headers=api_token(client, presenter.email, PASSWORD))
    assert response.status_code == 201, response.text
    case = response.json()
    assert (case["status"], case["number"][-2:], case["medications"]) == ("submitted", "-1", CLEAN["medications"])


def test_case_with_phi_is_refused_and_nothing_is_written(client, db, hub):
    program, presenter, *_ = hub
    text = "Pt John Smith, DOB 01/02/1961, MRN 4432187, call 505-555-0142."
    response = client.post("/api/v1/cases", json=body(program, presenting_problem=text),
                           headers=api_token(client, presenter.email, PASSWORD))
    assert response.status_code == 422
    labels = [f["label"] for f in response.json()["findings"]["presenting_problem"]]
    assert labels == ["NAME", "DATE", "MRN", "PHONE"]
    assert "Smith" not in response.json()["detail"]
    assert db.exec(select(CasePresentation)).all() == []
    assert db.exec(select(AuditEvent)).all() == []


def test_likely_finding_can_be_waived_and_is_recorded(client, db, hub):
    program, presenter, *_ = hub
    text = "Referred by Dr. Hope for follow up."
    headers = api_token(client, presenter.email, PASSWORD)
    refused = client.post("/api/v1/cases", json=body(program, social_history=text), headers=headers)
    [finding] = refused.json()["findings"]["social_history"]
    assert (finding["label"], finding["certainty"]) == ("NAME", "likely")
    waiver = {"field": "social_history", "start": finding["start"], "end": finding["end"], "label": "NAME",
              "text": "Hope"}
    accepted = client.post("/api/v1/cases", json=body(program, social_history=text, waivers=[waiver]), headers=headers)
    assert accepted.status_code == 201
    assert accepted.json()["waivers"] == [waiver]
    assert [(w.field_name, w.label) for w in db.exec(select(PhiWaiver)).all()] == [("social_history", "NAME")]


def test_certain_finding_cannot_be_waived(client, db, hub):
    program, presenter, *_ = hub
    text = "Reach her at 505-555-0142."
    start = text.index("505")
    waiver = {"field": "social_history", "start": start, "end": start + 12, "label": "PHONE", "text": "505-555-0142"}
    response = client.post("/api/v1/cases", json=body(program, social_history=text, waivers=[waiver]),
                           headers=api_token(client, presenter.email, PASSWORD))
    assert response.status_code == 422
    assert db.exec(select(CasePresentation)).all() == []


def test_submit_requires_question_and_attestation(client, db, hub):
    program, presenter, *_ = hub
    response = client.post("/api/v1/cases", json=body(program, question="", attested=False, submit=True),
                           headers=api_token(client, presenter.email, PASSWORD))
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"question", "attested"}


def test_draft_may_be_partial(client, db, hub):
    program, presenter, *_ = hub
    response = client.post("/api/v1/cases", json={"program_id": program.id, "medications": "Metformin 500 mg bid"},
                           headers=api_token(client, presenter.email, PASSWORD))
    assert (response.status_code, response.json()["status"]) == (201, "draft")


def test_who_sees_a_case(client, db, hub):
    program, presenter, colleague, specialist, outsider, cme = hub
    created = client.post("/api/v1/cases", json=body(program), headers=api_token(client, presenter.email, PASSWORD)).json()
    url = f"/api/v1/cases/{created['id']}"
    statuses = {email: client.get(url, headers=api_token(client, email, PASSWORD)).status_code
                for email in (presenter.email, colleague.email, specialist.email, outsider.email, cme.email)}
    assert statuses == {presenter.email: 200, colleague.email: 403, specialist.email: 403,
                        outsider.email: 403, cme.email: 403}  # a draft is the presenter's alone
    client.post(f"{url}/submit", headers=api_token(client, presenter.email, PASSWORD))
    assert client.get(url, headers=api_token(client, specialist.email, PASSWORD)).status_code == 200
    assert client.get(url, headers=api_token(client, colleague.email, PASSWORD)).status_code == 403
    assert client.get(url, headers=api_token(client, cme.email, PASSWORD)).status_code == 403
    assert client.get("/api/v1/cases/999999", headers=api_token(client, outsider.email, PASSWORD)).status_code == 404


def test_only_presenter_edits_and_only_while_editable(client, db, hub):
    program, presenter, colleague, specialist, *_ = hub
    created = client.post("/api/v1/cases", json=body(program, submit=True),
                          headers=api_token(client, presenter.email, PASSWORD)).json()
    url = f"/api/v1/cases/{created['id']}"
    assert client.put(url, json=body(program), headers=api_token(client, specialist.email, PASSWORD)).status_code == 403
    assert client.put(url, json=body(program), headers=api_token(client, presenter.email, PASSWORD)).status_code == 403


def test_case_reads_are_audited(client, db, hub):
    program, presenter, _, specialist, *_ = hub
    created = client.post("/api/v1/cases", json=body(program, submit=True),
                          headers=api_token(client, presenter.email, PASSWORD)).json()
    client.get(f"/api/v1/cases/{created['id']}", headers=api_token(client, specialist.email, PASSWORD))
    views = db.exec(select(AuditEvent.actor_id).where(AuditEvent.action == "case.viewed")).all()
    assert views == [specialist.id]


def test_queue_lists_summaries_without_text(client, db, hub):
    program, presenter, _, specialist, *_ = hub
    client.post("/api/v1/cases", json=body(program, submit=True), headers=api_token(client, presenter.email, PASSWORD))
    client.post("/api/v1/cases", json=body(program), headers=api_token(client, presenter.email, PASSWORD))
    queue = client.get("/api/v1/cases?status=submitted", headers=api_token(client, specialist.email, PASSWORD)).json()
    assert [c["status"] for c in queue] == ["submitted"]
    assert "question" not in queue[0]
    mine = client.get("/api/v1/cases", headers=api_token(client, presenter.email, PASSWORD)).json()
    assert sorted(c["status"] for c in mine) == ["draft", "submitted"]


def test_redaction_check_endpoint(client, db, hub):
    _, presenter, *_ = hub
    response = client.post("/api/v1/redaction/check", json={"fields": {"a": "seen 3/14/25", "b": "BP 148/92"}},
                           headers=api_token(client, presenter.email, PASSWORD))
    assert response.json() == {"fields": {"a": [{"start": 5, "end": 12, "label": "DATE", "certainty": "certain"}], "b": []}}


def test_form_page_without_javascript_redacts_on_the_server(client, db, hub):
    program, presenter, *_ = hub
    sign_in(client, presenter.email, PASSWORD)
    form = {"csrf_token": csrf_of(client), "age_bracket": "40–64", "sex_gender": "Female", "attested": "1",
            **CLEAN, "social_history": "Lives with her daughter Keisha in Gallup.", "action": "submit"}
    refused = client.post(f"/cases/new?program_id={program.id}", data=form)
    assert refused.status_code == 422
    assert "Nothing was saved" in refused.text and "Keisha" in refused.text  # shown back to the typist only
    redacted = client.post(f"/cases/new?program_id={program.id}", data={**form, "action": "redact_all"})
    assert "Lives with her daughter [NAME] in [LOCATION]." in redacted.text
    done = client.post(f"/cases/new?program_id={program.id}",
                       data={**form, "social_history": "Lives with her daughter [NAME] in [LOCATION].", "action": "submit"})
    assert done.status_code == 303
    assert db.exec(select(CasePresentation.social_history)).one() == "Lives with her daughter [NAME] in [LOCATION]."
