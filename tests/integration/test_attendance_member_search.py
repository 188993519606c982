"""Reconciliation and adjustment find a member with one search box (a plain GET form, at most 20
matches, this program's members only), never a select of the whole membership (#13)."""

from datetime import datetime

import pytest
from sqlmodel import select

from app.models import Membership, ReportPerson
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    add_member(db, program, coordinator, "coordinator")
    smiths = [make_user(db, email=f"smith{i:02d}@clinic.example.org", full_name=f"Pat Smith {i:02d}") for i in range(25)]
    db.add_all(Membership(program_id=program.id, user_id=u.id, role="clinician") for u in smiths)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield")
    add_member(db, program, jenna, "clinician")
    other = make_program(db, name="Pain ECHO")
    outsider = make_user(db, email="jenna.w@elsewhere.example.org", full_name="Jenna Outsider")
    add_member(db, other, outsider, "clinician")
    other_coordinator = make_user(db, email="coord@pain.example.org")
    add_member(db, other, other_coordinator, "coordinator")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    return program, session, coordinator, jenna, smiths, outsider, other_coordinator


def waiting_person(client, db, session, coordinator):
    client.post(f"/api/v1/sessions/{session.id}/attendance/import", headers=api_token(client, coordinator.email, PASSWORD),
                files={"file": ("z.csv", zoom_report(session, [("JW tablet", "", 0, 55)]), "text/csv")})
    return db.exec(select(ReportPerson)).one()


def test_reconciliation_search_lists_matching_members_of_the_program_only(client, db, hub):
    program, session, coordinator, jenna, smiths, outsider, other_coordinator = hub
    person = waiting_person(client, db, session, coordinator)
    sign_in(client, coordinator.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/attendance", params={"find": person.id, "q": "JENNA"})
    assert page.status_code == 200
    assert "Match JW tablet to Jenna Whitfield" in page.text
    assert "Jenna Outsider" not in page.text
    by_email = client.get(f"/sessions/{session.id}/attendance", params={"find": person.id, "q": "smith07@"})
    assert by_email.text.count('aria-label="Match JW tablet to ') == 1
    many = client.get(f"/sessions/{session.id}/attendance", params={"find": person.id, "q": "smith"})
    assert many.text.count('aria-label="Match JW tablet to ') == 20
    matched = client.post(f"/sessions/{session.id}/attendance/people/{person.id}",
                          data={"action": "match", "user_id": str(jenna.id), "csrf_token": csrf_of(client)})
    assert matched.status_code == 303


def test_attendance_page_does_not_grow_with_the_membership(client, db, hub):
    program, session, coordinator, jenna, smiths, outsider, other_coordinator = hub
    waiting_person(client, db, session, coordinator)
    sign_in(client, coordinator.email, PASSWORD)
    before = client.get(f"/sessions/{session.id}/attendance").text
    more = [make_user(db, email=f"new{i:03d}@clinic.example.org", full_name=f"New Member {i:03d}") for i in range(200)]
    db.add_all(Membership(program_id=program.id, user_id=u.id, role="clinician") for u in more)
    db.commit()
    after = client.get(f"/sessions/{session.id}/attendance").text
    assert "<option" not in after
    assert "New Member" not in after and "Pat Smith" not in after
    assert abs(len(after) - len(before)) < 200  # the CSRF token and the flash may differ, never the members


def test_adjust_form_offers_the_searched_members_only(client, db, hub):
    program, session, coordinator, jenna, smiths, outsider, other_coordinator = hub
    sign_in(client, coordinator.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/attendance", params={"adjust_q": "whitfield"})
    assert page.text.count('type="radio" name="user_id"') == 1
    assert f'value="{jenna.id}" required checked' in page.text
    done = client.post(f"/sessions/{session.id}/attendance/adjust", data={
        "user_id": str(jenna.id), "minutes": "60", "reason": "Sign-in sheet", "csrf_token": csrf_of(client)})
    assert done.status_code == 303


def test_member_search_api_returns_at_most_20_members_of_the_program(client, db, hub):
    program, session, coordinator, jenna, smiths, outsider, other_coordinator = hub
    url = f"/api/v1/sessions/{session.id}/attendance/member-search"
    headers = api_token(client, coordinator.email, PASSWORD)
    assert len(client.get(url, params={"q": "smith"}, headers=headers).json()) == 20
    assert client.get(url, params={"q": "jenna"}, headers=headers).json() == [
        {"id": jenna.id, "full_name": "Jenna Whitfield", "email": "jenna@clinic.example.org"}]
    assert client.get(url, params={"q": "j"}, headers=headers).json() == []
    assert client.get(url, params={"q": "%"}, headers=headers).json() == []


def test_member_search_api_permissions(client, db, hub):
    program, session, coordinator, jenna, smiths, outsider, other_coordinator = hub
    url = f"/api/v1/sessions/{session.id}/attendance/member-search?q=smith"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=api_token(client, jenna.email, PASSWORD)).status_code == 403
    assert client.get(url, headers=api_token(client, outsider.email, PASSWORD)).status_code == 403
    assert client.get(url, headers=api_token(client, other_coordinator.email, PASSWORD)).status_code == 403
    assert client.get("/api/v1/sessions/999999/attendance/member-search?q=smith",
                      headers=api_token(client, jenna.email, PASSWORD)).status_code == 404
