"""The server-side PHI gate, tried as a new user would: disguised identifiers, invisible characters,
identifiers split across fields, over-long fields, waivers that name their text, "Redact all", the
other free texts that reach people, and no caching of pages that carry case text."""

import hashlib
import json
import re

import pytest
from sqlmodel import select

from app.models import AuditEvent, CasePresentation, EchoSession, OutboxMessage, PhiWaiver, Program
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user

CLEAN = {"question": "Treat now with sofosbuvir/velpatasvir, or repeat the viral load first?",
         "presenting_problem": "HCV genotype 3a found on screening 2 months ago. Fatigue only."}


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C", timezone="America/Denver")
    presenter = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    add_member(db, program, presenter, "clinician")
    add_member(db, program, coordinator, "coordinator")
    return program, presenter, coordinator


def body(program, **changes):
    return {"program_id": program.id, "age_bracket": "40–64", "sex_gender": "Female", "attested": True,
            **CLEAN, **changes}


MRN_FOUND = {"start": 0, "end": 8, "label": "MRN", "certainty": "certain"}


def post_case(client, program, presenter, **changes):
    return client.post("/api/v1/cases", json=body(program, **changes),
                       headers=api_token(client, presenter.email, PASSWORD))


def test_full_width_ssn_is_refused(client, db, hub):
    program, presenter, _ = hub
    text = "SSN \uff11\uff12\uff13-\uff14\uff15-\uff16\uff17\uff18\uff19 on file."
    response = post_case(client, program, presenter, labs_imaging=text)
    assert response.status_code == 422
    assert response.json()["findings"]["labs_imaging"] == [
        {"start": 4, "end": 15, "label": "SSN", "certainty": "certain"}]
    assert db.exec(select(CasePresentation)).all() == []


def test_look_alike_letters_and_dashes_are_refused(client, db, hub):
    program, presenter, _ = hub
    text = "Pt Zebul\u043en Qu\u0430ckenbush, cell 555\u2013867\u20135309."
    response = post_case(client, program, presenter, social_history=text)
    assert response.status_code == 422
    assert [f["label"] for f in response.json()["findings"]["social_history"]] == ["NAME", "PHONE"]


def test_zero_width_character_is_refused_naming_field_and_position(client, db, hub):
    program, presenter, _ = hub
    response = post_case(client, program, presenter, medications="Metformin 500\u200b mg bid")
    assert response.status_code == 422
    assert response.json()["fields"] == {"medications": (
        "Remove the invisible character U+200B ZERO WIDTH SPACE at character 14: zero-width and "
        "text-direction characters are not accepted.")}
    assert "medications" in response.json()["detail"]
    assert db.exec(select(CasePresentation)).all() == []


def test_bidi_override_is_refused(client, db, hub):
    program, presenter, _ = hub
    response = post_case(client, program, presenter, allergies="None known \u202e6789-45-123\u202c")
    assert response.status_code == 422
    assert "U+202E RIGHT-TO-LEFT OVERRIDE at character 12 and 1 more" in response.json()["fields"]["allergies"]


def test_unpaired_surrogate_is_refused_not_a_server_error(client, db, hub):
    program, presenter, _ = hub
    raw = json.dumps(body(program, allergies="Penicillin \ud800 rash"))  # sent as the escape "\\ud800"
    response = client.post("/api/v1/cases", content=raw, headers={
        **api_token(client, presenter.email, PASSWORD), "content-type": "application/json"})
    assert (response.status_code, response.json()["fields"]) == (422, {"allergies": (
        "Remove the invisible character U+D800 UNPAIRED SURROGATE at character 12: zero-width and "
        "text-direction characters are not accepted.")})


def test_identifier_split_across_two_fields_is_found_in_both(client, db, hub):
    program, presenter, _ = hub
    texts = {"past_history": "Old chart lists Lives at 1 Canary", "medications": "Row with wife. Metformin."}
    response = post_case(client, program, presenter, **texts)
    assert response.status_code == 422
    findings = response.json()["findings"]
    assert texts["past_history"][findings["past_history"][-1]["start"]:] == "1 Canary"
    assert (findings["medications"][0]["start"], findings["medications"][0]["label"]) == (0, "LOCATION")


def test_lead_in_in_one_field_and_number_in_the_next_is_found(client, db, hub):
    program, presenter, _ = hub
    response = post_case(client, program, presenter, past_history="Referred with his MRN",
                         medications="99887766 per chart.")
    assert response.status_code == 422
    assert response.json()["findings"] == {"medications": [MRN_FOUND]}


def test_200000_character_field_is_refused_by_length_before_any_check(client, db, hub):
    program, presenter, _ = hub
    flood = ("SSN 123-45-6789 and Pt Zebulon Quackenbush. " * 5000)[:200_000]  # seconds of work to scan
    response = post_case(client, program, presenter, presenting_problem=flood)
    assert response.status_code == 422
    assert response.json()["fields"] == {"presenting_problem": "Use at most 20,000 characters (this has 200,000)."}
    assert "findings" not in response.json()  # refused before the detector read it
    assert db.exec(select(CasePresentation)).all() == []
    assert db.exec(select(AuditEvent)).all() == []


def test_check_endpoint_refuses_over_long_text_naming_the_field(client, db, hub):
    _, presenter, _ = hub
    headers = api_token(client, presenter.email, PASSWORD)
    flood = "Pt Zebulon Quackenbush " * 9000
    many = client.post("/api/v1/redaction/check", json={"fields": {"question": "ok", "labs": flood}}, headers=headers)
    one = client.post("/api/v1/redaction/check", json={"text": flood}, headers=headers)
    too_long = "Use at most 20,000 characters (this has 207,000)."
    assert (many.status_code, many.json()["fields"]) == (422, {"labs": too_long})
    assert (one.status_code, one.json()["fields"]) == (422, {"text": too_long})


def test_check_endpoint_checks_fields_joined(client, db, hub):
    _, presenter, _ = hub
    response = client.post("/api/v1/redaction/check", json={"fields": {"a": "Referred with his MRN", "b": "99887766."}},
                           headers=api_token(client, presenter.email, PASSWORD))
    assert response.json() == {"fields": {"a": [], "b": [MRN_FOUND]}}


def test_check_endpoint_refuses_invisible_characters_as_saving_does(client, db, hub):
    _, presenter, _ = hub
    headers = api_token(client, presenter.email, PASSWORD)
    fields = {"question": "Dose?", "medications": "Metformin 500\u200b mg bid, call 505\u202e555"}
    many = client.post("/api/v1/redaction/check", json={"fields": fields}, headers=headers)
    one = client.post("/api/v1/redaction/check", json={"text": fields["medications"]}, headers=headers)
    message = ("Remove the invisible character U+200B ZERO WIDTH SPACE at character 14 and 1 more: zero-width "
               "and text-direction characters are not accepted.")
    offsets = [{"start": 13, "end": 14, "character": "U+200B ZERO WIDTH SPACE"},
               {"start": 31, "end": 32, "character": "U+202E RIGHT-TO-LEFT OVERRIDE"}]
    assert (many.status_code, many.json()["fields"], many.json()["invisible"]) == (
        422, {"medications": message}, {"medications": offsets})
    assert "medications carries invisible characters" in many.json()["detail"]
    assert (one.status_code, one.json()["fields"], one.json()["invisible"]) == (422, {"text": message}, {"text": offsets})
    saved = post_case(client, hub[0], presenter, medications=fields["medications"])
    assert (saved.status_code, saved.json()["fields"]) == (422, {"medications": message})


@pytest.mark.parametrize(("first", "second"), [
    ("Call her at 505-555-", "0134 after 5 pm."),  # the field ends in the number's own separator
    ("Call her at 505-555", "-0134 after 5 pm."),
    ("Her cell 50555", "50134, evenings."),  # a group of digits split in two
    ("Her cell is 505-555 ", "0134."),  # whitespace at the boundary
    ("Her cell is 505-555", "  0134."),
    ("SSN 123-45", "-6789 on file"),
    ("E-mail jane.doe@", "example.com for results"),
])
def test_identifier_split_across_fields_is_found_however_the_boundary_falls(client, db, hub, first, second):
    program, presenter, _ = hub
    texts = {"past_history": first, "medications": "", "allergies": second}  # an empty field between
    response = post_case(client, program, presenter, **texts)
    assert response.status_code == 422
    findings = response.json()["findings"]
    # Each field's part of the identifier is marked: up to the end of the first, from the start of the second.
    assert findings["past_history"][-1]["end"] == len(first.rstrip())
    first_character = len(second) - len(second.lstrip(" -"))
    assert findings["allergies"][0]["start"] <= first_character < findings["allergies"][0]["end"]
    assert db.exec(select(CasePresentation)).all() == []


def test_fields_run_together_at_a_boundary_make_no_new_words():
    from app.services.phi_gate import find_in_fields

    found = find_in_fields({"a": "Hepatitis C.", "b": "Health maintenance is up to date.", "c": "Seen in clinic.",
                            "d": "Me and the team agree on the plan."})
    assert found == {"a": [], "b": [], "c": [], "d": []}


def test_20000_characters_are_accepted(client, db, hub):
    program, presenter, _ = hub
    text = ("ALT 88, AST 71, platelets 142. " * 700)[:20_000]
    response = post_case(client, program, presenter, labs_imaging=text)
    assert response.status_code == 201, response.text[:300]
    assert len(response.json()["labs_imaging"]) == 20_000


HOPE = "Referred by Dr. Hope for follow up."


def hope_waiver(text="Hope", start=HOPE.index("Hope")):
    return {"field": "social_history", "start": start, "end": start + 4, "label": "NAME", "text": text}


def test_waiver_naming_other_text_is_not_honoured(client, db, hub):
    program, presenter, _ = hub
    changed = HOPE.replace("Hope", "Ruth")
    response = post_case(client, program, presenter, social_history=changed, waivers=[hope_waiver()])
    assert response.status_code == 422
    assert [f["label"] for f in response.json()["findings"]["social_history"]] == ["NAME"]


def test_stored_waiver_keeps_a_digest_not_the_text(client, db, hub):
    program, presenter, _ = hub
    response = post_case(client, program, presenter, social_history=HOPE, waivers=[hope_waiver()])
    assert response.status_code == 201
    assert response.json()["waivers"] == [hope_waiver()]
    [stored] = db.exec(select(PhiWaiver)).all()
    assert stored.text_sha256 == hashlib.sha256(b"Hope").hexdigest()
    assert "Hope" not in repr(stored)


def test_waiver_whose_text_no_longer_matches_is_dropped_when_shown(client, db, hub):
    program, presenter, _ = hub
    created = post_case(client, program, presenter, social_history=HOPE, waivers=[hope_waiver()]).json()
    stored = db.exec(select(PhiWaiver)).one()
    stored.text_sha256 = ""  # as a waiver stored before waivers named their text
    db.add(stored)
    db.commit()
    headers = api_token(client, presenter.email, PASSWORD)
    assert client.get(f"/api/v1/cases/{created['id']}", headers=headers).json()["waivers"] == []
    submitted = client.post(f"/api/v1/cases/{created['id']}/submit", headers=headers)
    assert submitted.status_code == 422
    assert [f["label"] for f in submitted.json()["findings"]["social_history"]] == ["NAME"]


def test_certain_finding_found_across_fields_cannot_be_waived(client, db, hub):
    program, presenter, _ = hub
    waiver = {"field": "medications", "start": 0, "end": 8, "label": "MRN", "text": "99887766"}
    response = post_case(client, program, presenter, past_history="Referred with his MRN",
                         medications="99887766 per chart.", waivers=[waiver])
    assert response.status_code == 422
    assert db.exec(select(CasePresentation)).all() == []


def test_redact_all_keeps_waivers_and_moves_them(client, db, hub):
    program, presenter, _ = hub
    sign_in(client, presenter.email, PASSWORD)
    text = "Pt Zebulon Quackenbush seen. Referred by Dr. Hope for follow up."
    start = text.index("Hope")
    form = {"csrf_token": csrf_of(client), "age_bracket": "40–64", "sex_gender": "Female", "attested": "1", **CLEAN,
            "social_history": text, "waive": f"social_history:{start}:{start + 4}:NAME:Hope", "action": "redact_all"}
    page = client.post(f"/cases/new?program_id={program.id}", data=form)
    redacted = "Pt [NAME] seen. Referred by Dr. Hope for follow up."
    assert redacted in page.text
    moved = redacted.index("Hope")
    assert f'name="waive" value="social_history:{moved}:{moved + 4}:NAME:Hope"' in page.text
    done = client.post(f"/cases/new?program_id={program.id}", data={
        **form, "social_history": redacted, "waive": f"social_history:{moved}:{moved + 4}:NAME:Hope",
        "action": "submit"})
    assert done.status_code == 303
    assert [(w.start, w.end) for w in db.exec(select(PhiWaiver)).all()] == [(moved, moved + 4)]


def test_case_pages_and_json_are_not_stored_by_caches(client, db, hub):
    program, presenter, _ = hub
    created = post_case(client, program, presenter).json()
    headers = api_token(client, presenter.email, PASSWORD)
    api = client.get(f"/api/v1/cases/{created['id']}", headers=headers)
    check = client.post("/api/v1/redaction/check", json={"text": "ok"}, headers=headers)
    sign_in(client, presenter.email, PASSWORD)
    page = client.get(f"/cases/{created['id']}")
    edit = client.get(f"/cases/{created['id']}/edit")
    assert [r.headers.get("cache-control") for r in (api, check, page, edit)] == ["no-store"] * 4
    assert client.get("/healthz").headers.get("cache-control") != "no-store"


# --- free text that reaches other people -----------------------------------------------------------

@pytest.fixture
def session_of(db, hub):
    program, _, coordinator = hub
    make_series(db, program, coordinator, count=2)
    statement = select(EchoSession).where(EchoSession.program_id == program.id).order_by(EchoSession.starts_at)
    return db.exec(statement).first()


def test_cancel_reason_with_an_identifier_is_refused_and_nobody_is_mailed(client, db, hub, session_of):
    _, _, coordinator = hub
    before = len(db.exec(select(OutboxMessage)).all())
    response = client.post(f"/api/v1/sessions/{session_of.id}/cancel", json={"reason": "Pt Zebulon Quackenbush died"},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    assert response.json()["fields"] == {"reason": (
        "Others see this text: rewrite it without the possible patient identifier(s) NAME at characters 4–22.")}
    db.expire_all()
    after = len(db.exec(select(OutboxMessage)).all())
    assert (db.get(EchoSession, session_of.id).status, after) == ("scheduled", before)


def test_cancel_reason_with_a_disguised_phone_is_refused(client, db, hub, session_of):
    _, _, coordinator = hub
    response = client.post(f"/api/v1/sessions/{session_of.id}/cancel", json={"reason": "Call 555\u2013867\u20135309"},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, [f["label"] for f in response.json()["findings"]["reason"]]) == (422, ["PHONE"])


def test_agenda_topic_with_an_identifier_is_refused(client, db, hub, session_of):
    _, _, coordinator = hub
    response = client.put(f"/api/v1/sessions/{session_of.id}/agenda",
                          json={"didactic_topic": "The case of Zebulon Quackenbush, DOB 07/04/1957", "case_slots": 2},
                          headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    db.expire_all()
    assert db.get(EchoSession, session_of.id).didactic_topic == ""


def test_program_description_with_an_identifier_is_refused(client, db, hub):
    admin = make_user(db, email="admin@example.org", is_admin=True)
    program = {"name": "Perinatal", "timezone": "America/Phoenix", "video_url": "", "default_duration_minutes": 60,
               "visibility": "public", "description": "Started after the case of Zebulon Quackenbush, SSN 123-45-6789."}
    response = client.post("/api/v1/programs", json=program, headers=api_token(client, admin.email, PASSWORD))
    assert response.status_code == 422
    assert [f["label"] for f in response.json()["findings"]["description"]] == ["NAME", "SSN"]
    assert db.exec(select(Program).where(Program.name == "Perinatal")).all() == []


def test_session_page_form_shows_the_refusal(client, db, hub, session_of):
    _, _, coordinator = hub
    sign_in(client, coordinator.email, PASSWORD)
    page = client.post(f"/sessions/{session_of.id}/cancel",
                       data={"csrf_token": csrf_of(client), "reason": "SSN 123-45-6789 was seen"})
    assert page.status_code == 422
    assert re.search(r"rewrite it without the possible patient identifier\(s\) SSN at characters 5–15", page.text)


# --- the gate's pure parts ---------------------------------------------------------------------------

def test_waiver_key_round_trips_text_with_colons_and_refuses_the_old_format():
    from app.services.phi_gate import Waiver

    waiver = Waiver("labs_imaging", 10, 15, "DATE", "12:30")
    assert Waiver.parse(waiver.key()) == waiver
    assert Waiver.parse("labs_imaging:10:15:DATE") is None  # no text: honours nothing
    assert Waiver.parse("labs_imaging:10:15:DATE:1:30") is None  # text of another length than the span


def test_redaction_moves_later_waivers_keeps_earlier_and_drops_redacted_ones():
    from app.redaction import PhiFinding
    from app.services.phi_gate import Waiver, redact_keeping_waivers

    text = "Dr. Hope saw Zebulon Quackenbush; Dr. Ruth agreed."
    hope, ruth = Waiver("f", 4, 8, "NAME", "Hope"), Waiver("f", 38, 42, "NAME", "Ruth")
    name = PhiFinding(13, 32, "NAME", "likely")
    other = Waiver("g", 0, 4, "NAME", "Ruth")
    zebulon = Waiver("f", 13, 20, "NAME", "Zebulon")
    redacted, kept = redact_keeping_waivers("f", text, [name], {hope, ruth, other, zebulon})
    assert redacted == "Dr. Hope saw [NAME]; Dr. Ruth agreed."
    assert kept == {hope, Waiver("f", 25, 29, "NAME", "Ruth"), other}
    assert redacted[25:29] == "Ruth"


def test_joined_finding_crossing_a_boundary_is_split_between_the_fields():
    from app.services.phi_gate import find_in_fields

    found = find_in_fields({"a": "Lives at 1 Canary", "b": "Row with wife.", "c": ""})
    assert [(f.start, f.end, f.label) for f in found["a"]] == [(9, 17, "LOCATION")]
    assert [(f.start, f.end, f.label) for f in found["b"]] == [(0, 3, "LOCATION")]
    assert found["c"] == []


def test_recommendation_with_a_disguised_identifier_is_refused(client, db, hub, session_of):
    program, presenter, coordinator = hub
    specialist = make_user(db, email="sam@example.org", full_name="Samuel Okafor")
    add_member(db, program, specialist, "specialist")
    case_id = post_case(client, program, presenter, submit=True).json()["id"]
    client.post(f"/api/v1/cases/{case_id}/approve", headers=api_token(client, specialist.email, PASSWORD))
    assigned = client.post(f"/api/v1/cases/{case_id}/assign", json={"session_id": session_of.id},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert assigned.json()["status"] == "scheduled"
    url, hub_headers = f"/api/v1/cases/{case_id}/recommendation", api_token(client, specialist.email, PASSWORD)
    disguised = client.put(url, headers=hub_headers,
                           json={"version": 0, "items": ["Call 505\u2013555\u20130142 first."]})
    split = client.put(url, headers=hub_headers, json={"version": 0, "items": ["Old chart lists his MRN", "99887766."]})
    assert (disguised.status_code, disguised.json()["findings"]["item_1"][0]["label"]) == (422, "PHONE")
    assert (split.status_code, split.json()["findings"]) == (422, {"item_2": [MRN_FOUND]})


def test_review_queue_and_session_page_are_not_stored_by_caches(client, db, hub, session_of):
    _, _, coordinator = hub
    sign_in(client, coordinator.email, PASSWORD)
    pages = [client.get("/review"), client.get(f"/sessions/{session_of.id}")]
    assert [(page.status_code, page.headers.get("cache-control")) for page in pages] == [(200, "no-store")] * 2
