"""Credit: the CME office's settings, credit per learner from attended minutes, the evaluation
gate, faculty credit, reporting identifiers and the CSV."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from app.models import CreditAward
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report

SETTINGS = {"credit_types": ["ama_pra_1", "nursing", "participation"], "max_credits": "1", "step": "0.25",
            "min_share_percent": "75", "evaluation_required": True, "faculty_credit": False,
            "provider_name": "Mountain West CME", "provider_address": "1 University Way, Denver, CO",
            "accreditation_statement": "", "designation_statement": "", "activity_type": "", "evaluation_questions": []}


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado", degree="MD")
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    nurse = make_user(db, email="nia@clinic.example.org", full_name="Nia Okafor", degree="RN")
    chw = make_user(db, email="ray@clinic.example.org", full_name="Ray Lopez", degree="CHW")
    add_member(db, program, coordinator, "coordinator")
    for user in (jenna, nurse, chw):
        add_member(db, program, user, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    return program, session, coordinator, cme, jenna, nurse, chw


def configure(client, program, cme, **changes):
    response = client.put(f"/api/v1/programs/{program.id}/credit-settings", json={**SETTINGS, **changes},
                          headers=api_token(client, cme.email, PASSWORD))
    assert response.status_code == 200, response.text
    return response.json()


def import_minutes(client, session, coordinator, rows):
    response = client.post(f"/api/v1/sessions/{session.id}/attendance/import",
                           files={"file": ("z.csv", zoom_report(session, rows), "text/csv")},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code in (200, 201), response.text


def awards(db, session):
    db.expire_all()
    rows = db.exec(select(CreditAward).where(CreditAward.session_id == session.id)).all()
    return sorted((a.user_id, a.credit_type, a.credits, a.attended_seconds // 60) for a in rows)


def test_settings_are_prefilled_with_standard_wording_and_defaults(client, db, hub):
    program, session, coordinator, cme, *_ = hub
    defaults = client.get(f"/api/v1/programs/{program.id}/credit-settings", headers=api_token(client, cme.email, PASSWORD))
    assert {k: defaults.json()[k] for k in ("credit_types", "max_credits", "min_share_percent", "evaluation_required",
                                            "activity_type")} == {
        "credit_types": ["ama_pra_1"], "max_credits": "1", "min_share_percent": "75", "evaluation_required": True,
        "activity_type": "Live activity, regularly scheduled series"}
    sign_in(client, cme.email, PASSWORD)
    page = client.get(f"/programs/{program.id}/credit")
    assert "designates this live activity for a maximum of 1 AMA PRA Category 1 Credit(s)™" in page.text
    assert "The session was free of commercial bias." in page.text


def test_only_the_cme_office_configures_credit(client, db, hub):
    program, session, coordinator, cme, *_ = hub
    response = client.put(f"/api/v1/programs/{program.id}/credit-settings", json=SETTINGS,
                          headers=api_token(client, coordinator.email, PASSWORD))
    missing = client.put("/api/v1/programs/99999/credit-settings", json=SETTINGS,
                         headers=api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, missing.status_code) == (403, 404)


def test_bad_settings_are_refused_per_field(client, db, hub):
    program, session, coordinator, cme, *_ = hub
    bad = {**SETTINGS, "credit_types": ["gold_stars"], "max_credits": "1.1", "min_share_percent": "120", "provider_name": " "}
    response = client.put(f"/api/v1/programs/{program.id}/credit-settings", json=bad,
                          headers=api_token(client, cme.email, PASSWORD))
    assert response.status_code == 422
    assert sorted(response.json()["fields"]) == ["credit_types", "max_credits", "min_share_percent", "provider_name"]


def test_settings_page_rerenders_errors(client, db, hub):
    program, session, coordinator, cme, *_ = hub
    sign_in(client, cme.email, PASSWORD)
    response = client.post(f"/programs/{program.id}/credit", data={
        "csrf_token": csrf_of(client), "credit_types": "ama_pra_1", "max_credits": "2", "step": "0.25",
        "min_share_percent": "75", "provider_name": ""})
    assert response.status_code == 422
    assert 'id="e-provider_name" class="field-error">Name the accredited provider' in response.text


def test_credit_follows_attended_minutes_threshold_rounding_and_degree(client, db, hub):
    program, session, coordinator, cme, jenna, nurse, chw = hub
    configure(client, program, cme)
    import_minutes(client, session, coordinator, [
        ("Jenna Whitfield", jenna.email, 0, 52),   # 52 min: 0.87 h -> 0.75 (nearest quarter)
        ("Nia Okafor", nurse.email, 0, 44),        # 44 of 60 < 75 %: nothing
        ("Ray Lopez", chw.email, 0, 45),           # exactly 75 %: 0.75, participation
        ("Rosa Delgado", coordinator.email, 0, 60),  # faculty: no credit unless the program grants it
    ])
    assert awards(db, session) == sorted([(jenna.id, "ama_pra_1", Decimal("0.75"), 52),
                                          (nurse.id, "nursing", Decimal("0.00"), 44),
                                          (chw.id, "participation", Decimal("0.75"), 45)])
    configure(client, program, cme, faculty_credit=True, max_credits="0.75")
    assert (coordinator.id, "ama_pra_1", Decimal("0.75"), 60) in awards(db, session)


def test_learner_sees_what_blocks_the_claim(client, db, hub):
    program, session, coordinator, cme, jenna, nurse, chw = hub
    configure(client, program, cme)
    import_minutes(client, session, coordinator, [("Jenna Whitfield", jenna.email, 0, 60), ("Nia Okafor", nurse.email, 0, 30)])
    mine = client.get(f"/api/v1/sessions/{session.id}/my-credit", headers=api_token(client, jenna.email, PASSWORD)).json()
    assert (mine["credits"], mine["evaluation_required"], mine["evaluated"], mine["blocked_by"]) == (
        "1.00", True, False, "Complete the session's evaluation first.")
    nia = client.get(f"/api/v1/sessions/{session.id}/my-credit", headers=api_token(client, nurse.email, PASSWORD)).json()
    assert nia["blocked_by"] == "You attended 30 of 60 minutes; credit needs at least 75% of the session."


def test_evaluation_is_validated_and_taken_once(client, db, hub):
    program, session, coordinator, cme, jenna, *_ = hub
    headers = api_token(client, jenna.email, PASSWORD)
    partial = client.post(f"/api/v1/sessions/{session.id}/evaluation", json={"relevance": 5}, headers=headers)
    assert partial.status_code == 422
    assert sorted(partial.json()["fields"]) == ["free_of_bias", "intent_to_change"]
    answers = {"relevance": 5, "intent_to_change": 4, "free_of_bias": 5}
    first = client.post(f"/api/v1/sessions/{session.id}/evaluation", json=answers, headers=headers)
    again = client.post(f"/api/v1/sessions/{session.id}/evaluation", json=answers, headers=headers)
    assert (first.status_code, first.json()["answers"], again.status_code) == (201, answers, 409)


def test_reporting_identifiers_need_consent_and_a_valid_npi(client, db, hub):
    program, session, coordinator, cme, jenna, *_ = hub
    headers = api_token(client, jenna.email, PASSWORD)
    no_consent = client.put("/api/v1/users/me/reporting", json={"npi": "1234567893"}, headers=headers)
    bad = client.put("/api/v1/users/me/reporting", json={"npi": "1234567890", "birth_month": 2, "birth_day": 30,
                                                          "consent": True}, headers=headers)
    good = client.put("/api/v1/users/me/reporting", json={"npi": "1234567893", "board_id": "ABIM-123456",
                                                           "birth_month": 7, "birth_day": 4, "consent": True},
                      headers=headers)
    assert no_consent.json()["fields"] == {"consent": "Tick the consent box to let the CME office report your credit, or clear the fields."}
    assert sorted(bad.json()["fields"]) == ["birth_day", "npi"]
    assert (good.status_code, good.json()["npi"], good.json()["consent"]) == (200, "1234567893", True)


def test_credit_csv_carries_identifiers_only_with_consent_and_only_for_the_cme_office(client, db, hub):
    program, session, coordinator, cme, jenna, nurse, chw = hub
    configure(client, program, cme)
    client.put("/api/v1/users/me/reporting", json={"npi": "1234567893", "board_id": "ABIM-123456", "birth_month": 7,
                                                    "birth_day": 4, "consent": True},
               headers=api_token(client, jenna.email, PASSWORD))
    import_minutes(client, session, coordinator, [("Jenna Whitfield", jenna.email, 0, 60), ("Nia Okafor", nurse.email, 0, 50)])
    response = client.get(f"/api/v1/programs/{program.id}/credit.csv", headers=api_token(client, cme.email, PASSWORD))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte order mark Excel needs
    assert response.content.decode("utf-8-sig").splitlines() == [
        "session_date,program,session_topic,learner_name,email,degree,profession,credit_type,credits,attended_minutes,"
        "faculty,certificate_code,certificate_status,npi,board_id,nabp_eprofile_id,birth_mmdd",
        "2026-03-04,Hepatitis C ECHO,Treating HCV in primary care,Jenna Whitfield,jenna@clinic.example.org,MD,,"
        "AMA PRA Category 1 Credit™,1.00,60,no,,,1234567893,ABIM-123456,,0704",
        "2026-03-04,Hepatitis C ECHO,Treating HCV in primary care,Nia Okafor,nia@clinic.example.org,RN,,"
        "Nursing contact hours,0.75,50,no,,,,,,",
    ]
    for user in (coordinator, jenna):
        assert client.get(f"/api/v1/programs/{program.id}/credit.csv",
                          headers=api_token(client, user.email, PASSWORD)).status_code == 403


def test_reporting_page_saves_with_consent_and_explains_errors(client, db, hub):
    program, session, coordinator, cme, jenna, *_ = hub
    sign_in(client, jenna.email, PASSWORD)
    refused = client.post("/profile/reporting", data={"npi": "1234567893", "csrf_token": csrf_of(client)})
    assert refused.status_code == 422
    assert 'id="e-consent" class="field-error">Tick the consent box' in refused.text
    saved = client.post("/profile/reporting", data={"npi": "1234567893", "nabp_eprofile_id": "1234567", "birth_month": "7",
                                                   "birth_day": "4", "consent": "1", "csrf_token": csrf_of(client)})
    assert saved.status_code == 303
    db.refresh(jenna)
    assert (jenna.npi, jenna.nabp_eprofile_id, jenna.birth_month, jenna.birth_day,
            jenna.reporting_consent_at is not None) == ("1234567893", "1234567", 7, 4, True)
    assert client.get("/profile").text.count('href="/profile/reporting"') == 1


def test_prefilled_standard_wording_stays_standard_for_each_credit_type(client, db, hub):
    program, session, coordinator, cme, *_ = hub
    sign_in(client, cme.email, PASSWORD)
    form = {"csrf_token": csrf_of(client), "credit_types": ["ama_pra_1", "nursing"], "max_credits": "1", "step": "0.25",
            "min_share_percent": "75", "provider_name": "Mountain West CME",
            "accreditation_statement": "Mountain West CME is accredited by the Accreditation Council for Continuing "
                                       "Medical Education (ACCME) to provide continuing medical education for physicians.",
            "designation_statement": "Mountain West CME designates this live activity for a maximum of 1 AMA PRA "
                                     "Category 1 Credit(s)™. Physicians should claim only the credit commensurate with "
                                     "the extent of their participation in the activity."}
    assert client.post(f"/programs/{program.id}/credit", data=form).status_code == 303
    settings = client.get(f"/api/v1/programs/{program.id}/credit-settings").json()
    assert (settings["accreditation_statement"], settings["designation_statement"]) == ("", "")
    custom = {**form, "csrf_token": csrf_of(client), "designation_statement": "Jointly designated for 1 credit."}
    client.post(f"/programs/{program.id}/credit", data=custom)
    assert client.get(f"/api/v1/programs/{program.id}/credit-settings").json()["designation_statement"] == (
        "Jointly designated for 1 credit.")


def test_credit_is_never_more_than_the_hours_attended(client, db, hub):
    program, session, coordinator, cme, jenna, *_ = hub
    configure(client, program, cme, max_credits="2", step="1", min_share_percent="0")
    import_minutes(client, session, coordinator, [("Jenna Whitfield", jenna.email, 0, 59)])
    assert awards(db, session) == [(jenna.id, "ama_pra_1", Decimal("0.00"), 59)]


def test_series_designation_is_a_setting_apart_from_the_per_session_maximum(client, db, hub):
    program, session, coordinator, cme, *_ = hub
    saved = configure(client, program, cme, max_credits="1.5", designation_max_credits="52")
    assert (saved["max_credits"], saved["designation_max_credits"]) == ("1.5", "52")
    sign_in(client, cme.email, PASSWORD)
    page = client.get(f"/programs/{program.id}/credit")
    assert "designates this live activity for a maximum of 52 AMA PRA Category 1 Credit(s)™" in page.text
    assert 'name="designation_max_credits"' in page.text
    too_small = client.put(f"/api/v1/programs/{program.id}/credit-settings",
                           json={**SETTINGS, "max_credits": "2", "designation_max_credits": "1.5"},
                           headers=api_token(client, cme.email, PASSWORD))
    assert too_small.status_code == 422
    assert too_small.json()["fields"] == {
        "designation_max_credits": "Designate at least the per-session maximum and at most 1000, in steps of 0.25."}
    unset = configure(client, program, cme, max_credits="1.5", designation_max_credits=None)
    assert unset["designation_max_credits"] is None
