"""Attendance import through the JSON API and the pages: matching, rejoins, clipping, the same
file twice, corrected files, malformed files, reconciliation and permissions."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.models import (
    AttendanceImport,
    AttendanceRecord,
    AuditEvent,
    EmailAlias,
    ReportPerson,
)
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report

DATA = Path(__file__).resolve().parent.parent / "data" / "attendance"


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    brian = make_user(db, email="brian.smith@clinic.example.org", full_name="Brian Smith", degree="NP")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, jenna, "clinician")
    add_member(db, program, brian, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    return program, session, coordinator, jenna, brian


def report_rows():
    return [
        ("Jenna Whitfield", "jenna@clinic.example.org", -5, 30),  # joined early: clipped at the start
        ("Jenna Whitfield", "jenna@clinic.example.org", 25, 50),  # overlapping rejoin counts once
        ("Brian Smith", "brian.smith@clinic.example.org", 0, 20),
        ("iPhone (Brian Smith)", "", 40, 75),  # rejoin from a phone without e-mail, past the end
        ("Dr. Unknown Guest", "", 0, 60),
    ]


def records(db, session):
    db.expire_all()
    rows = db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)).all()
    return sorted(((r.user_id or r.guest_name, r.attended_seconds, r.sources, r.adjusted) for r in rows), key=str)


def upload(client, session, content, headers, name="participants.csv"):
    return client.post(f"/api/v1/sessions/{session.id}/attendance/import",
                       files={"file": (name, content, "text/csv")}, headers=headers)


def test_zoom_report_merges_rejoins_clips_to_session_and_leaves_guest_waiting(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    response = upload(client, session, zoom_report(session, report_rows()), api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("layout", "people", "matched", "waiting", "unchanged")} == {
        "layout": "zoom", "people": 3, "matched": 2, "waiting": 1, "unchanged": False}
    assert records(db, session) == sorted([(jenna.id, 50 * 60, "zoom", False), (brian.id, 40 * 60, "zoom", False)], key=str)
    waiting = db.exec(select(ReportPerson).where(ReportPerson.status == "unmatched")).all()
    assert [p.display_name for p in waiting] == ["Dr. Unknown Guest"]


def test_same_file_twice_changes_nothing(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    content = zoom_report(session, report_rows())
    first = upload(client, session, content, headers)
    before = records(db, session)
    second = upload(client, session, content, headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["unchanged"] is True
    assert records(db, session) == before
    assert len(db.exec(select(AttendanceImport)).all()) == 1
    assert len(db.exec(select(ReportPerson)).all()) == 3


def test_a_second_report_of_the_same_platform_is_kept_and_combined(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    upload(client, session, zoom_report(session, report_rows()), headers)
    second = zoom_report(session, [("Jenna Whitfield", "jenna@clinic.example.org", 0, 60)])
    response = upload(client, session, second, headers, name="participants-2.csv")
    assert response.status_code == 201
    assert records(db, session) == sorted([(jenna.id, 3600, "zoom", False), (brian.id, 40 * 60, "zoom", False)], key=str)
    db.expire_all()
    assert [b.active for b in db.exec(select(AttendanceImport).order_by(AttendanceImport.id)).all()] == [True, True]


def test_malformed_file_is_refused_with_line_and_imports_nothing(client, db, hub):
    program, session, coordinator, *_ = hub
    content = zoom_report(session, report_rows()).replace(b"No\r\n\"Brian", b"No\r\n\"Brian Smith\",x,not a time,,3,No\r\n\"Brian", 1)
    response = upload(client, session, content, api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    assert response.json()["fields"]["file"].startswith("line 7: ")
    assert db.exec(select(AttendanceImport)).all() == []
    assert records(db, session) == []


def test_oversized_and_empty_files_are_refused(client, db, hub):
    program, session, coordinator, *_ = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    big = upload(client, session, b"a" * (5 * 1024 * 1024 + 1), headers)
    empty = upload(client, session, b"", headers)
    assert big.status_code == 422
    assert big.json()["fields"]["file"] == "The file is larger than 5 MB. Upload the participants report only."
    assert empty.json()["fields"]["file"] == "Choose a report file to upload."


def test_report_of_another_meeting_is_refused(client, db, hub):
    program, session, coordinator, *_ = hub
    other = past_session(db, program, start=datetime(2026, 3, 11, 12, 0, tzinfo=DENVER))
    response = upload(client, session, zoom_report(other, report_rows()), api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    assert "started at another time than this session" in response.json()["fields"]["file"]
    headerless = b"name,email,join,leave\r\nJenna,jenna@clinic.example.org,2026-03-11T19:00:00Z,2026-03-11T20:00:00Z\r\n"
    response = upload(client, session, headerless, api_token(client, coordinator.email, PASSWORD))
    assert "None of the join and leave times in this file fall within this session" in response.json()["fields"]["file"]
    assert db.exec(select(AttendanceImport)).all() == []


def test_plain_csv_with_utc_offsets(client, db):
    program = make_program(db, name="Pain ECHO", timezone="America/Chicago")
    coordinator = make_user(db, email="coord@example.org")
    grace = make_user(db, email="grace@spoke.example.org", full_name="Grace Hopper")
    alan = make_user(db, email="alan@spoke.example.org", full_name="Alan Turing")
    for user, role in ((coordinator, "coordinator"), (grace, "clinician"), (alan, "clinician")):
        add_member(db, program, user, role)
    session = past_session(db, program, start=datetime.fromisoformat("2026-04-07T16:00:00+00:00"))
    response = upload(client, session, (DATA / "plain-attendance-iso.csv").read_bytes(),
                      api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, response.json()["layout"]) == (201, "csv")
    assert records(db, session) == sorted([(grace.id, 3600, "csv", False), (alan.id, 45 * 60, "csv", False)], key=str)


def test_ambiguous_name_is_never_matched_automatically(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    other_brian = make_user(db, email="b.smith@other.example.org", full_name="Brian Smith")
    add_member(db, program, other_brian, "clinician")
    content = zoom_report(session, [("Brian Smith", "", 0, 60)])
    response = upload(client, session, content, api_token(client, coordinator.email, PASSWORD))
    assert (response.json()["matched"], response.json()["waiting"]) == (0, 1)
    person = db.exec(select(ReportPerson)).one()
    assert (person.status, sorted(person.candidate_ids)) == ("ambiguous", sorted([brian.id, other_brian.id]))
    assert records(db, session) == []


def test_coordinator_reconciles_rows_on_the_page_and_another_report_keeps_the_decisions(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    rows = [("Jenna Whitfield", "jenna@clinic.example.org", 0, 60), ("JW tablet", "jw@home.example.org", 0, 55),
            ("Visiting Resident", "", 0, 60), ("Zoom Room 3", "", 0, 60)]
    upload(client, session, zoom_report(session, rows), api_token(client, coordinator.email, PASSWORD))
    sign_in(client, coordinator.email, PASSWORD)
    people = {p.display_name: p for p in db.exec(select(ReportPerson)).all()}
    token = csrf_of(client)
    base = f"/sessions/{session.id}/attendance/people"
    matched = client.post(f"{base}/{people['JW tablet'].id}", data={"action": "match", "user_id": str(brian.id), "csrf_token": token})
    guest = client.post(f"{base}/{people['Visiting Resident'].id}", data={"action": "guest", "csrf_token": token})
    ignored = client.post(f"{base}/{people['Zoom Room 3'].id}", data={"action": "ignore", "csrf_token": token})
    assert [r.status_code for r in (matched, guest, ignored)] == [303, 303, 303]
    assert records(db, session) == sorted([(jenna.id, 3600, "zoom", False), (brian.id, 55 * 60, "zoom", False),
                                           ("Visiting Resident", 3600, "zoom", False)], key=str)
    assert [(a.user_id, a.email) for a in db.exec(select(EmailAlias)).all()] == [(brian.id, "jw@home.example.org")]
    page = client.get(f"/sessions/{session.id}/attendance")
    assert "To reconcile" not in page.text
    another = zoom_report(session, [*rows[1:], ("Jenna Whitfield", "jenna@clinic.example.org", 0, 50)])
    response = upload(client, session, another, api_token(client, coordinator.email, PASSWORD))
    assert (response.json()["matched"], response.json()["waiting"]) == (2, 0)  # the alias matches now
    assert records(db, session) == sorted([(jenna.id, 3600, "zoom", False), (brian.id, 55 * 60, "zoom", False),
                                           ("Visiting Resident", 3600, "zoom", False)], key=str)


def test_import_page_shows_line_and_reason_for_a_bad_file(client, db, hub):
    program, session, coordinator, *_ = hub
    sign_in(client, coordinator.email, PASSWORD)
    response = client.post(f"/sessions/{session.id}/attendance/import", data={"csrf_token": csrf_of(client)},
                           files={"file": ("report.csv", b"Name,Email,Join Time,Leave Time\r\nAna,a@x.org,yesterday,today\r\n", "text/csv")})
    assert response.status_code == 422
    assert 'id="e-file" class="field-error">line 2: ' in response.text
    assert db.exec(select(AttendanceImport)).all() == []


def test_import_permissions_not_found_before_forbidden(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    cme = make_user(db, email="cme@example.org", is_cme_office=True)
    content = zoom_report(session, report_rows())
    assert upload(client, session, content, api_token(client, jenna.email, PASSWORD)).status_code == 403
    assert upload(client, session, content, api_token(client, cme.email, PASSWORD)).status_code == 403
    missing = client.post("/api/v1/sessions/999999/attendance/import", files={"file": ("a.csv", content, "text/csv")},
                          headers=api_token(client, jenna.email, PASSWORD))
    assert missing.status_code == 404
    assert client.get(f"/api/v1/sessions/{session.id}/attendance", headers=api_token(client, cme.email, PASSWORD)).status_code == 200
    assert client.get(f"/api/v1/sessions/{session.id}/attendance", headers=api_token(client, jenna.email, PASSWORD)).status_code == 403
    assert db.exec(select(AttendanceImport)).all() == []


def test_import_is_audited(client, db, hub):
    program, session, coordinator, *_ = hub
    upload(client, session, zoom_report(session, report_rows()), api_token(client, coordinator.email, PASSWORD))
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "attendance.imported")).all()
    assert [(e.actor_id, e.details["session_id"], e.details["people"]) for e in events] == [(coordinator.id, session.id, 3)]


@pytest.fixture
def teams_hub(db):
    program = make_program(db, name="Diabetes ECHO", timezone="America/Chicago")
    chidi = make_user(db, email="chidi.okafor@hub.example.org", full_name="Chidi Okafor")
    linh = make_user(db, email="linh.nguyen@spoke.example.org", full_name="Linh Nguyen")
    add_member(db, program, chidi, "coordinator")
    add_member(db, program, linh, "clinician")
    session = past_session(db, program, start=datetime(2026, 7, 22, 19, 0, tzinfo=ZoneInfo("America/Chicago")), minutes=90)
    return program, session, chidi, linh


def test_teams_utf16_report_uses_the_activity_section_for_rejoins(client, db, teams_hub):
    program, session, chidi, linh = teams_hub
    response = upload(client, session, (DATA / "teams-attendance-utf16le.csv").read_bytes(),
                      api_token(client, chidi.email, PASSWORD))
    assert {k: response.json()[k] for k in ("layout", "people", "matched", "waiting")} == {
        "layout": "teams", "people": 3, "matched": 2, "waiting": 1}
    # Chidi 6:58-8:30 clipped to 7:00-8:30; Linh 7:02:11-7:40:00 and 7:55:08-8:29:59.
    assert records(db, session) == sorted([(chidi.id, 90 * 60, "teams", False), (linh.id, 4360, "teams", False)], key=str)


def test_reports_from_two_platforms_count_overlapping_time_once(client, db, teams_hub):
    program, session, chidi, linh = teams_hub
    headers = api_token(client, chidi.email, PASSWORD)
    upload(client, session, (DATA / "teams-attendance-utf16le.csv").read_bytes(), headers)
    # The same person in a Zoom report too: 7:30-8:00 covers her Teams gap 7:40:00-7:55:08 (908 s);
    # the rest of it, and the overlapping 7:40-7:55 row, count once.
    rows = [("Linh Nguyen", linh.email, 30, 60), ("Linh Nguyen", linh.email, 40, 55)]
    response = upload(client, session, zoom_report(session, rows, zone=ZoneInfo("America/Chicago")), headers)
    assert response.status_code == 201
    assert (linh.id, 4360 + 908, "teams,zoom", False) in records(db, session)


def test_cancelled_session_takes_no_attendance(client, db, hub):
    program, session, coordinator, *_ = hub
    session.status = "cancelled"
    db.add(session)
    db.commit()
    response = upload(client, session, zoom_report(session, report_rows()), api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, response.json()["detail"]) == (409, "This session was cancelled; it has no attendance.")


def test_unique_users_report_counts_its_total_up_to_the_session_length(client, db):
    program = make_program(db, name="Reunion ECHO", timezone="America/Chicago")
    coordinator = make_user(db, email="coord@example.org")
    andrew = make_user(db, email="knightap@wustl.edu", full_name="Andrew Knight")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, andrew, "clinician")
    session = past_session(db, program, start=datetime(2020, 9, 24, 11, 30, tzinfo=ZoneInfo("America/Chicago")))
    response = upload(client, session, (DATA / "zoom-uniqueusers-1.csv").read_bytes(),
                      api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, response.json()["layout"], response.json()["matched"]) == (201, "zoom-unique", 1)
    assert (andrew.id, 3600, "zoom", False) in records(db, session)  # 75 minutes reported, capped at 60
    other_day = past_session(db, program, start=datetime(2020, 9, 25, 11, 30, tzinfo=ZoneInfo("America/Chicago")))
    refused = upload(client, other_day, (DATA / "zoom-uniqueusers-1.csv").read_bytes(),
                     api_token(client, coordinator.email, PASSWORD))
    assert refused.status_code == 422
    assert "started at another time than this session" in refused.json()["fields"]["file"]


def test_cme_office_sees_attendance_read_only(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    cme = make_user(db, email="cme@example.org", is_cme_office=True)
    upload(client, session, zoom_report(session, report_rows()), api_token(client, coordinator.email, PASSWORD))
    sign_in(client, cme.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/attendance")
    assert page.status_code == 200
    assert "Who attended (2)" in page.text
    assert "Import the report" not in page.text and "To reconcile" not in page.text
