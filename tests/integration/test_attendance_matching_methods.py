"""How each person of a report was matched is recorded and shown; no silent match by name across a
contradicting e-mail or for an unauthenticated Teams guest; device names matched by hand are
remembered for the program."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.models import AttendanceRecord, NameAlias, ReportPerson
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report

DATA = Path(__file__).resolve().parent.parent / "data" / "attendance"


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield")
    brian = make_user(db, email="brian.smith@clinic.example.org", full_name="Brian Smith")
    jim = make_user(db, email="jim@clinic.example.org", full_name="Jim Beam")
    for user, role in ((coordinator, "coordinator"), (jenna, "clinician"), (brian, "clinician"), (jim, "clinician")):
        add_member(db, program, user, role)
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    return program, session, coordinator, jenna, brian, jim


def upload(client, session, content, user):
    return client.post(f"/api/v1/sessions/{session.id}/attendance/import", files={"file": ("z.csv", content, "text/csv")},
                       headers=api_token(client, user.email, PASSWORD))


def people(db):
    db.expire_all()
    return {p.display_name: (p.status, p.user_id) for p in db.exec(select(ReportPerson)).all()}


def match_by_hand(client, session, person_name, member, db):
    person = db.exec(select(ReportPerson).where(ReportPerson.display_name == person_name,
                                                ReportPerson.status != "member")).first()
    return client.post(f"/sessions/{session.id}/attendance/people/{person.id}",
                       data={"action": "match", "user_id": str(member.id), "csrf_token": csrf_of(client)})


def test_name_is_not_matched_across_a_contradicting_email(client, db, hub):
    program, session, coordinator, jenna, brian, jim = hub
    response = upload(client, session, zoom_report(session, [("Brian Smith", "bsmith@elsewhere.example.org", 0, 60)]),
                      coordinator)
    assert (response.json()["matched"], response.json()["waiting"]) == (0, 1)
    assert people(db) == {"Brian Smith": ("conflict", None)}
    assert db.exec(select(AttendanceRecord)).all() == []
    sign_in(client, coordinator.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/attendance")
    assert "the name is a member’s, the e-mail is not theirs" in page.text


def test_page_shows_how_each_person_was_matched(client, db, hub):
    program, session, coordinator, jenna, brian, jim = hub
    rows = [("Jenna Whitfield", "jenna@clinic.example.org", 0, 60), ("Brian Smith", "", 0, 60),
            ("Jim's iPad", "", 0, 50)]
    upload(client, session, zoom_report(session, rows), coordinator)
    sign_in(client, coordinator.email, PASSWORD)
    assert match_by_hand(client, session, "Jim's iPad", jim, db).status_code == 303
    page = " ".join(client.get(f"/sessions/{session.id}/attendance").text.split())
    assert "<td>Jenna Whitfield</td> <td>jenna@clinic.example.org</td> <td>Jenna Whitfield</td> <td>e-mail</td>" in page
    assert "<td>Brian Smith</td> <td></td> <td>Brian Smith</td> <td>name</td>" in page
    assert "<td>Jim&#39;s iPad</td> <td></td> <td>Jim Beam</td> <td>by hand</td>" in page
    api = client.get(f"/api/v1/sessions/{session.id}/attendance", headers=api_token(client, coordinator.email, PASSWORD))
    assert sorted((p["display_name"], p["matched_by"]) for p in api.json()["people"]) == [
        ("Brian Smith", "name"), ("Jenna Whitfield", "e-mail"), ("Jim's iPad", "by hand")]


def test_device_name_matched_by_hand_is_remembered_for_the_program(client, db, hub):
    program, session, coordinator, jenna, brian, jim = hub
    upload(client, session, zoom_report(session, [("Jim's iPad", "", 0, 50)]), coordinator)
    sign_in(client, coordinator.email, PASSWORD)
    match_by_hand(client, session, "Jim's iPad", jim, db)
    assert [(a.program_id, a.name_key, a.user_id) for a in db.exec(select(NameAlias)).all()] == [
        (program.id, "jims ipad", jim.id)]
    later = past_session(db, program, start=datetime(2026, 3, 11, 12, 0, tzinfo=DENVER))
    response = upload(client, later, zoom_report(later, [("Jim's iPad", "", 0, 60)]), coordinator)
    assert (response.json()["matched"], response.json()["waiting"]) == (1, 0)
    person = db.exec(select(ReportPerson).order_by(ReportPerson.id.desc())).first()
    assert (person.status, person.user_id) == ("alias", jim.id)
    page = client.get(f"/sessions/{later.id}/attendance")
    assert "<td>remembered alias</td>" in page.text
    # Another program does not know Jim's iPad.
    other = make_program(db, name="Pain ECHO", timezone="America/Denver")
    add_member(db, other, coordinator, "coordinator")
    add_member(db, other, jim, "clinician")
    elsewhere = past_session(db, other, start=datetime(2026, 3, 12, 12, 0, tzinfo=DENVER))
    response = upload(client, elsewhere, zoom_report(elsewhere, [("Jim's iPad", "", 0, 60)]), coordinator)
    assert (response.json()["matched"], response.json()["waiting"]) == (0, 1)


def test_a_members_own_name_matched_by_hand_is_not_remembered(client, db, hub):
    program, session, coordinator, jenna, brian, jim = hub
    other_brian = make_user(db, email="b.smith@other.example.org", full_name="Brian Smith")
    add_member(db, program, other_brian, "clinician")
    upload(client, session, zoom_report(session, [("Brian Smith", "", 0, 60)]), coordinator)
    sign_in(client, coordinator.email, PASSWORD)
    match_by_hand(client, session, "Brian Smith", brian, db)
    assert db.exec(select(NameAlias)).all() == []


def test_unauthenticated_teams_guest_waits_for_a_hand_match(client, db):
    program = make_program(db, name="Diabetes ECHO", timezone="America/Chicago")
    chidi = make_user(db, email="chidi.okafor@hub.example.org", full_name="Chidi Okafor")
    sam = make_user(db, email="sam.patel@spoke.example.org", full_name="Sam Patel")
    add_member(db, program, chidi, "coordinator")
    add_member(db, program, sam, "clinician")
    session = past_session(db, program, start=datetime(2026, 7, 22, 19, 0, tzinfo=ZoneInfo("America/Chicago")), minutes=90)
    upload(client, session, (DATA / "teams-attendance-utf16le.csv").read_bytes(), chidi)
    db.expire_all()
    guest = db.exec(select(ReportPerson).where(ReportPerson.display_name == "Sam Patel (Guest)")).one()
    assert (guest.status, guest.user_id, guest.candidate_ids) == ("unverified", None, [sam.id])
    assert db.exec(select(AttendanceRecord).where(AttendanceRecord.user_id == sam.id)).all() == []
