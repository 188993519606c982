"""Every report of a session is kept: a restarted meeting's parts combine (union per person), a
coordinator removes one report explicitly, and the page lists each report."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from app.models import AttendanceImport, AttendanceRecord, AuditEvent, ReportPerson
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_time

JENNA = ("Jenna Whitfield", "jenna@clinic.example.org")
BRIAN = ("Brian Smith", "brian.smith@clinic.example.org")
# What the import needs to take a report whose meeting started 60 minutes after the session did.
CONFIRM_60 = {"confirm_offset": "60"}


def zoom_part(session, first: int, last: int, rows: list[tuple[str, str, int, int]]) -> bytes:
    """The Zoom report of one part of a restarted meeting: the meeting ran from minute `first`
    to minute `last` of the session; rows are (name, e-mail, join minute, leave minute)."""
    start = session.starts_at
    lines = ["Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
             f"81234567890,HCV ECHO,{zoom_time(start + timedelta(minutes=first))},"
             f"{zoom_time(start + timedelta(minutes=last))},host@example.org,{last - first},{len(rows)}",
             "",
             "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    for name, email, join, leave in rows:
        lines.append(f'"{name}",{email},{zoom_time(start + timedelta(minutes=join))},'
                     f'{zoom_time(start + timedelta(minutes=leave))},{leave - join},No')
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email=JENNA[1], full_name=JENNA[0])
    brian = make_user(db, email=BRIAN[1], full_name=BRIAN[0])
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, jenna, "clinician")
    add_member(db, program, brian, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER), minutes=120)
    return program, session, coordinator, jenna, brian


def upload(client, session, content, headers, name="participants.csv", **fields):
    return client.post(f"/api/v1/sessions/{session.id}/attendance/import", data=fields,
                       files={"file": (name, content, "text/csv")}, headers=headers)


def seconds_of(db, session):
    db.expire_all()
    rows = db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)).all()
    return {r.user_id: r.attended_seconds for r in rows}


def test_restarted_meeting_imported_in_two_parts_keeps_the_learner_at_120_minutes(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    first = upload(client, session, zoom_part(session, 0, 60, [(*JENNA, 0, 60), (*BRIAN, 0, 30)]), headers, "part1.csv")
    second = upload(client, session, zoom_part(session, 60, 120, [(*JENNA, 60, 120), (*BRIAN, 90, 120)]), headers,
                    "part2.csv", **CONFIRM_60)
    assert (first.status_code, second.status_code) == (201, 201)
    assert seconds_of(db, session) == {jenna.id: 120 * 60, brian.id: 60 * 60}
    assert len(db.exec(select(AttendanceImport)).all()) == 2


def test_overlapping_reports_count_shared_time_once(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    upload(client, session, zoom_part(session, 0, 70, [(*JENNA, 0, 70)]), headers, "a.csv")
    upload(client, session, zoom_part(session, 0, 120, [(*JENNA, 50, 100)]), headers, "b.csv")
    assert seconds_of(db, session) == {jenna.id: 100 * 60}


def test_same_file_twice_is_one_report(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    content = zoom_part(session, 0, 120, [(*JENNA, 0, 120)])
    first = upload(client, session, content, headers, "a.csv")
    again = upload(client, session, content, headers, "renamed.csv")
    assert (first.status_code, again.status_code, again.json()["unchanged"]) == (201, 200, True)
    assert len(db.exec(select(AttendanceImport)).all()) == 1
    assert len(db.exec(select(ReportPerson)).all()) == 1


def test_coordinator_removes_one_report_after_confirming(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    upload(client, session, zoom_part(session, 0, 60, [(*JENNA, 0, 60)]), headers, "part1.csv")
    upload(client, session, zoom_part(session, 60, 120, [(*JENNA, 60, 120)]), headers, "part2.csv", **CONFIRM_60)
    part2 = db.exec(select(AttendanceImport).where(AttendanceImport.filename == "part2.csv")).one()
    sign_in(client, coordinator.email, PASSWORD)
    confirm = client.get(f"/sessions/{session.id}/attendance/reports/{part2.id}/remove")
    assert confirm.status_code == 200
    assert "part2.csv" in confirm.text and "Remove this report" in confirm.text
    unconfirmed = client.post(f"/sessions/{session.id}/attendance/reports/{part2.id}/remove",
                              data={"csrf_token": csrf_of(client)})
    assert unconfirmed.status_code == 422
    assert seconds_of(db, session) == {jenna.id: 120 * 60}
    removed = client.post(f"/sessions/{session.id}/attendance/reports/{part2.id}/remove",
                          data={"csrf_token": csrf_of(client), "confirm": "remove"})
    assert removed.status_code == 303
    assert seconds_of(db, session) == {jenna.id: 60 * 60}
    assert [b.filename for b in db.exec(select(AttendanceImport)).all()] == ["part1.csv"]
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "attendance.report_removed")).one()
    assert (event.actor_id, event.details["session_id"], event.details["filename"], event.details["rows"]) == (
        coordinator.id, session.id, "part2.csv", 1)


def test_removing_a_report_of_another_session_is_not_found(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    other = past_session(db, program, start=datetime(2026, 3, 11, 12, 0, tzinfo=DENVER), minutes=120)
    upload(client, other, zoom_part(other, 0, 120, [(*JENNA, 0, 120)]), api_token(client, coordinator.email, PASSWORD))
    batch = db.exec(select(AttendanceImport)).one()
    sign_in(client, coordinator.email, PASSWORD)
    response = client.post(f"/sessions/{session.id}/attendance/reports/{batch.id}/remove",
                           data={"csrf_token": csrf_of(client), "confirm": "remove"})
    assert response.status_code == 404
    assert len(db.exec(select(AttendanceImport)).all()) == 1


def test_clinician_cannot_remove_a_report(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    upload(client, session, zoom_part(session, 0, 120, [(*JENNA, 0, 120)]), api_token(client, coordinator.email, PASSWORD))
    batch = db.exec(select(AttendanceImport)).one()
    sign_in(client, jenna.email, PASSWORD)
    assert client.get(f"/sessions/{session.id}/attendance/reports/{batch.id}/remove").status_code == 403
    response = client.post(f"/sessions/{session.id}/attendance/reports/{batch.id}/remove",
                           data={"csrf_token": csrf_of(client), "confirm": "remove"})
    assert response.status_code == 403
    assert len(db.exec(select(AttendanceImport)).all()) == 1


def test_page_lists_each_report_with_platform_file_rows_span_and_importer(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    upload(client, session, zoom_part(session, 0, 60, [(*JENNA, 0, 40), (*JENNA, 45, 60), (*BRIAN, 5, 55)]), headers,
           "part1.csv")
    upload(client, session, zoom_part(session, 60, 120, [(*JENNA, 61, 118)]), headers, "part2.csv", **CONFIRM_60)
    sign_in(client, coordinator.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/attendance")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "<td>part1.csv</td> <td>Zoom</td> <td>3</td> <td>12:00 PM–1:00 PM</td> <td>Rosa Delgado" in text
    assert "<td>part2.csv</td> <td>Zoom</td> <td>1</td> <td>1:01 PM–1:58 PM</td> <td>Rosa Delgado" in text
    api = client.get(f"/api/v1/sessions/{session.id}/attendance", headers=headers).json()
    assert [(r["filename"], r["rows"], r["people"]) for r in api["reports"]] == [("part2.csv", 1, 1), ("part1.csv", 3, 2)]



# --- the report's own meeting start against the session's (time zones) ---------------------


def test_report_an_hour_off_is_refused_until_the_offset_is_confirmed(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    shifted = zoom_part(session, 60, 180, [(*JENNA, 60, 180)])  # a report written an hour off
    refused = upload(client, session, shifted, headers)
    assert refused.status_code == 422
    assert refused.json()["fields"]["confirm_offset"].startswith(
        "The report's meeting started 60 minutes after this session (1:00 PM instead of 12:00 PM MST).")
    assert refused.json()["offset_minutes"] == 60
    wrong = upload(client, session, shifted, headers, confirm_offset="30")
    assert (wrong.status_code, wrong.json()["offset_minutes"]) == (422, 60)
    assert db.exec(select(AttendanceImport)).all() == []
    taken = upload(client, session, shifted, headers, confirm_offset="60")
    assert taken.status_code == 201
    batch = db.exec(select(AttendanceImport)).one()
    assert (batch.confirmed_offset_minutes, batch.meeting_start) == (60, session.starts_at + timedelta(minutes=60))
    assert seconds_of(db, session) == {jenna.id: 60 * 60}


def test_report_a_few_minutes_late_needs_no_confirmation(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    response = upload(client, session, zoom_part(session, 9, 120, [(*JENNA, 9, 120)]),
                      api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 201


def test_report_earlier_than_the_session_shows_a_negative_offset(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    response = upload(client, session, zoom_part(session, -120, 0, [(*JENNA, -120, 0)]),
                      api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    assert response.json()["fields"]["confirm_offset"].startswith(
        "The report's meeting started 120 minutes before this session (10:00 AM instead of 12:00 PM MST).")


def test_import_page_asks_to_confirm_the_offset_in_a_form_step(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    sign_in(client, coordinator.email, PASSWORD)
    content = zoom_part(session, 60, 120, [(*JENNA, 60, 120)])
    page = client.post(f"/sessions/{session.id}/attendance/import", data={"csrf_token": csrf_of(client)},
                       files={"file": ("part2.csv", content, "text/csv")})
    assert page.status_code == 422
    assert "60 minutes after this session" in page.text
    assert 'name="confirm_offset" value="60"' in page.text
    done = client.post(f"/sessions/{session.id}/attendance/import", data={"csrf_token": csrf_of(client),
                                                                          "confirm_offset": "60"},
                       files={"file": ("part2.csv", content, "text/csv")})
    assert done.status_code == 303
    assert seconds_of(db, session) == {jenna.id: 60 * 60}


UNIQUE_WITHOUT_HEADER = ("Name (Original Name),User Email,Total Duration (Minutes),Guest\r\n"
                         "Jenna Whitfield,jenna@clinic.example.org,150,No\r\n").encode()


def test_unique_users_report_without_header_needs_the_session_date_confirmed(client, db, hub):
    program, session, coordinator, jenna, brian = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    refused = upload(client, session, UNIQUE_WITHOUT_HEADER, headers)
    assert refused.status_code == 422
    assert refused.json()["fields"]["confirm_date"].startswith("This report says neither when the meeting was")
    assert refused.json()["session_date"] == "2026-03-04"
    wrong = upload(client, session, UNIQUE_WITHOUT_HEADER, headers, confirm_date="2026-03-05")
    assert wrong.status_code == 422
    assert db.exec(select(AttendanceImport)).all() == []
    taken = upload(client, session, UNIQUE_WITHOUT_HEADER, headers, confirm_date="2026-03-04")
    assert taken.status_code == 201
    assert seconds_of(db, session) == {jenna.id: 120 * 60}  # 150 minutes reported, capped by the session
