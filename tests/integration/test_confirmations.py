"""Remove and Finalise ask first, on a page that works without JavaScript, and say after the
redirect what they did: removing a member of a program, finalising a case's recommendations."""

import html
import re

import pytest
from sqlmodel import select

from app.models import AuditEvent, CasePresentation, Membership, OutboxMessage, Recommendation
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_site, make_user

CASE = {"age_bracket": "40–64", "sex_gender": "Female", "attested": True, "submit": True,
        "question": "Treat now with sofosbuvir/velpatasvir, or repeat the viral load first?",
        "presenting_problem": "HCV genotype 3a found on screening 2 months ago. Fatigue only."}


@pytest.fixture
def world(db):
    program = make_program(db, name="Hepatitis C", timezone="America/Denver")
    site = make_site(db, program, "Valley Clinic")
    people = {role: make_user(db, email=f"{role}@example.org", full_name=name) for role, name in [
        ("coordinator", "Rosa Delgado"), ("specialist", "Samuel Okafor"), ("presenter", "Dana Smith")]}
    memberships = {"coordinator": add_member(db, program, people["coordinator"], "coordinator"),
                   "specialist": add_member(db, program, people["specialist"], "specialist"),
                   "presenter": add_member(db, program, people["presenter"], "clinician", site)}
    make_series(db, program, people["coordinator"], count=2)
    return program, people, memberships


def flashes(page: str) -> list[str]:
    found = re.findall(r'class="flash flash-success"[^>]*>(.*?)</', page, re.S)
    return [html.unescape(" ".join(text.split())) for text in found]


# --- removing a member -------------------------------------------------------------------------


def test_remove_on_the_members_page_is_a_link_to_a_page_that_asks(client, db, world):
    program, _, memberships = world
    sign_in(client, "coordinator@example.org", PASSWORD)
    url = f"/programs/{program.id}/members/{memberships['presenter'].id}/remove"

    members_page = client.get(f"/programs/{program.id}/members").text
    asking = client.get(url)

    assert f'<a href="{url}" role="button"' in members_page
    assert asking.status_code == 200
    assert "<title>Remove Dana Smith · Hepatitis C" in asking.text
    assert "<h1>Remove Dana Smith from Hepatitis C?</h1>" in asking.text
    assert "<dt>Role</dt><dd>Spoke clinician</dd><dt>Spoke site</dt><dd>Valley Clinic</dd>" in asking.text
    assert f'<form method="post" action="{url}"' in asking.text
    assert '<input type="hidden" name="confirm" value="remove">' in asking.text
    assert f'href="/programs/{program.id}/members" role="button" class="outline secondary">Keep them</a>' in asking.text
    assert db.get(Membership, memberships["presenter"].id) is not None


def test_confirmed_removal_removes_and_says_so_after_the_redirect(client, db, world):
    program, people, memberships = world
    member_id = memberships["presenter"].id
    sign_in(client, "coordinator@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/members/{member_id}/remove",
                           data={"confirm": "remove", "csrf_token": csrf_of(client)})
    page = client.get(response.headers["location"]).text

    assert (response.status_code, response.headers["location"]) == (303, f"/programs/{program.id}/members")
    assert flashes(page) == ["Removed Dana Smith from Hepatitis C."]
    db.expunge_all()
    assert db.get(Membership, member_id) is None
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "member.removed")).one()
    assert event.details == {"user_id": people["presenter"].id}


def test_removal_without_the_confirmation_asks_again_and_removes_nobody(client, db, world):
    program, _, memberships = world
    sign_in(client, "coordinator@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/members/{memberships['presenter'].id}/remove",
                           data={"csrf_token": csrf_of(client)})

    assert response.status_code == 422
    assert "<title>Error: Remove Dana Smith" in response.text
    assert '<a href="#f-confirm">Confirm that Dana Smith is to be removed.</a>' in response.text
    db.expire_all()
    assert db.get(Membership, memberships["presenter"].id) is not None


def test_the_old_remove_button_leads_to_the_question_and_removes_nobody(client, db, world):
    program, _, memberships = world
    sign_in(client, "coordinator@example.org", PASSWORD)
    member_id = memberships["presenter"].id

    response = client.post(f"/programs/{program.id}/members/{member_id}",
                           data={"remove": "1", "role": "clinician", "csrf_token": csrf_of(client)})

    assert (response.status_code, response.headers["location"]) == (
        303, f"/programs/{program.id}/members/{member_id}/remove")
    db.expire_all()
    assert db.get(Membership, member_id) is not None


def test_saving_a_member_names_them(client, db, world):
    program, _, memberships = world
    sign_in(client, "coordinator@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/members/{memberships['specialist'].id}",
                           data={"role": "specialist", "site_id": "", "is_facilitator": "1",
                                 "csrf_token": csrf_of(client)})

    assert flashes(client.get(response.headers["location"]).text) == [
        "Saved Samuel Okafor's role, site and facilitation."]


def test_the_last_coordinator_is_not_removed_and_the_page_says_why(client, db, world):
    program, _, memberships = world
    sign_in(client, "coordinator@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/members/{memberships['coordinator'].id}/remove",
                           data={"confirm": "remove", "csrf_token": csrf_of(client)})

    assert response.status_code == 409
    assert "A program needs at least one coordinator. Add another coordinator first." in response.text
    db.expire_all()
    assert db.get(Membership, memberships["coordinator"].id) is not None


def test_a_member_of_another_program_is_not_found(client, db, world):
    program, _, _ = world
    other = make_program(db, name="Diabetes")
    stranger = add_member(db, other, make_user(db, email="x@example.org"), "clinician")
    sign_in(client, "coordinator@example.org", PASSWORD)

    assert client.get(f"/programs/{program.id}/members/{stranger.id}/remove").status_code == 404
    response = client.post(f"/programs/{program.id}/members/{stranger.id}/remove",
                           data={"confirm": "remove", "csrf_token": csrf_of(client)})
    assert response.status_code == 404
    db.expire_all()
    assert db.get(Membership, stranger.id) is not None


# --- finalising recommendations ----------------------------------------------------------------


def case_with_draft(client, program, items=("Start sofosbuvir/velpatasvir for 12 weeks.", "Check HBV serology.")):
    presenter = api_token(client, "presenter@example.org", PASSWORD)
    case_id = client.post("/api/v1/cases", json={**CASE, "program_id": program.id}, headers=presenter).json()["id"]
    specialist = api_token(client, "specialist@example.org", PASSWORD)
    client.post(f"/api/v1/cases/{case_id}/approve", headers=specialist)
    session_id = client.get(f"/api/v1/programs/{program.id}/sessions", headers=specialist).json()[0]["id"]
    assigned = client.post(f"/api/v1/cases/{case_id}/assign", json={"session_id": session_id},
                           headers=api_token(client, "coordinator@example.org", PASSWORD))
    assert assigned.json()["status"] == "scheduled", assigned.text
    if items:
        saved = client.put(f"/api/v1/cases/{case_id}/recommendation", headers=specialist,
                           json={"version": 0, "summary": "Treat now.", "items": list(items),
                                 "follow_up": "Present again after week 12."})
        assert saved.status_code == 200, saved.text
    return case_id


def test_the_case_page_asks_before_finalising(client, db, world):
    program, _, _ = world
    case_id = case_with_draft(client, program)
    sign_in(client, "specialist@example.org", PASSWORD)

    case_page = client.get(f"/cases/{case_id}").text
    asking = client.get(f"/cases/{case_id}/finalise", params={"version": "1"})

    assert f'<form method="get" action="/cases/{case_id}/finalise">' in case_page
    assert "Finalise and notify the presenter…</button>" in case_page
    assert asking.status_code == 200
    assert re.search(r"<h1>Finalise the recommendations for case [^<]+\?</h1>", asking.text)
    assert "<dt>Presenter</dt><dd>Dana Smith</dd>" in asking.text
    assert ("<ol><li>Start sofosbuvir/velpatasvir for 12 weeks.</li><li>Check HBV serology.</li></ol>"
            in asking.text)
    assert '<input type="hidden" name="version" value="1">' in asking.text
    assert "Finalise and notify Dana Smith</button>" in asking.text
    assert "The draft was saved again" not in asking.text
    assert db.exec(select(Recommendation.status)).one() == "draft"
    assert asking.headers["cache-control"].startswith("no-store")


def test_confirmed_finalise_makes_the_draft_final_and_says_who_is_told(client, db, world):
    program, _, _ = world
    case_id = case_with_draft(client, program)
    sign_in(client, "specialist@example.org", PASSWORD)
    case_number = db.get(CasePresentation, case_id).number

    response = client.post(f"/cases/{case_id}/finalise",
                           data={"confirm": "finalise", "version": "1", "csrf_token": csrf_of(client)})
    page = client.get(response.headers["location"]).text

    assert (response.status_code, response.headers["location"]) == (303, f"/cases/{case_id}#recommendations")
    assert flashes(page) == [f"Finalised the recommendations for case {case_number}; Dana Smith is told by e-mail."]
    db.expire_all()
    assert db.exec(select(Recommendation.status)).one() == "final"
    assert db.exec(select(OutboxMessage.kind).where(OutboxMessage.kind == "recommendations_final")).all() == [
        "recommendations_final"]


def test_the_question_shows_the_draft_saved_since_the_case_page_was_opened(client, db, world):
    program, _, _ = world
    case_id = case_with_draft(client, program)
    client.put(f"/api/v1/cases/{case_id}/recommendation", headers=api_token(client, "specialist@example.org", PASSWORD),
               json={"version": 1, "summary": "Treat now.", "items": ["Start treatment today."]})
    sign_in(client, "specialist@example.org", PASSWORD)

    asking = client.get(f"/cases/{case_id}/finalise", params={"version": "1"}).text

    assert "The draft was saved again after you opened the case: this is the version now saved." in asking
    assert "<ol><li>Start treatment today.</li></ol>" in asking
    assert '<input type="hidden" name="version" value="2">' in asking


def test_a_draft_changed_after_the_question_is_not_finalised(client, db, world):
    program, _, _ = world
    case_id = case_with_draft(client, program)
    sign_in(client, "specialist@example.org", PASSWORD)
    client.get(f"/cases/{case_id}/finalise")
    client.put(f"/api/v1/cases/{case_id}/recommendation", headers=api_token(client, "specialist@example.org", PASSWORD),
               json={"version": 1, "summary": "Treat now.", "items": ["Start treatment today."]})

    response = client.post(f"/cases/{case_id}/finalise",
                           data={"confirm": "finalise", "version": "1", "csrf_token": csrf_of(client)})

    assert response.status_code == 409
    db.expire_all()
    assert db.exec(select(Recommendation.status)).one() == "draft"


@pytest.mark.parametrize("items, finalised, message", [
    ((), False, "Write at least one recommendation and save the draft before finalising."),
    (("Recheck.",), True, "These recommendations are already final; corrections are added as addenda."),
])
def test_nothing_to_finalise_is_a_page_that_says_why(client, db, world, items, finalised, message):
    program, _, _ = world
    case_id = case_with_draft(client, program, items)
    if finalised:
        client.post(f"/api/v1/cases/{case_id}/recommendation/finalise", json={"version": 1},
                    headers=api_token(client, "specialist@example.org", PASSWORD))
    sign_in(client, "specialist@example.org", PASSWORD)

    response = client.get(f"/cases/{case_id}/finalise")

    assert response.status_code == 409
    assert "<title>This change is not allowed now" in response.text and message in response.text


def test_the_presenter_is_not_asked_to_finalise(client, db, world):
    program, _, _ = world
    case_id = case_with_draft(client, program)
    sign_in(client, "presenter@example.org", PASSWORD)

    assert client.get(f"/cases/{case_id}/finalise").status_code == 403


# --- removing a Zoom or Teams connection, a note on the trends charts -----------------------------


def test_removing_a_connection_asks_first_and_then_says_what_was_removed(client, db, settings):
    from app.models import IntegrationConnection
    from tests.integration.integrations_fakes import connect

    admin = make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    connection = connect(db, settings, admin)
    sign_in(client, "admin@example.org", PASSWORD)
    url = f"/admin/integrations/{connection.id}/delete"

    listed = client.get("/admin/integrations").text
    asking = client.get(url).text
    response = client.post(url, data={"confirm": "delete", "csrf_token": csrf_of(client)})

    assert f'<a href="{url}" role="button"' in listed
    assert "<h1>Remove the Zoom connection Hub zoom?</h1>" in asking
    assert "<dt>Account or tenant</dt><dd>zoomacct456</dd>" in asking
    assert flashes(client.get(response.headers["location"]).text) == [
        "Hub zoom is removed; its client secret is deleted."]
    assert db.exec(select(IntegrationConnection)).all() == []


def test_removing_a_note_asks_first_quoting_it_and_then_names_it(client, db):
    from app.models.trends import TrendAnnotation
    from tests.integration import trends_world

    world = trends_world.build(db)
    sign_in(client, "coord@trends.example.org", PASSWORD)
    client.post(f"/programs/{world.program.id}/trends/annotations",
                data={"session_id": world.sessions[0].id, "text": "New agenda.", "csrf_token": csrf_of(client)})
    note = db.exec(select(TrendAnnotation)).one()
    url = f"/programs/{world.program.id}/trends/annotations/{note.id}/remove"

    page = client.get(f"/programs/{world.program.id}/trends").text
    asking = client.get(url)
    response = client.post(url, data={"confirm": "remove", "csrf_token": csrf_of(client)})

    assert f'<a href="{url}" role="button"' in page
    assert asking.status_code == 200 and "<dt>Note</dt><dd>New agenda.</dd>" in asking.text
    assert re.search(r"<h1>Remove the note on the session of \d{1,2} \w{3} \d{4}\?</h1>", asking.text)
    assert flashes(client.get(response.headers["location"]).text) == ["Removed the note “New agenda.” from the charts."]
    assert db.exec(select(TrendAnnotation)).all() == []
