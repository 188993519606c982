"""Hand adjustments (required reason, flagged, audited, kept across re-imports) and check-in codes."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from app.db import utcnow
from app.models import AttendanceRecord, AuditEvent, CheckInCode
from app.services import attendance
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, jenna, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    return program, session, coordinator, jenna


def record_of(db, session, user):
    db.expire_all()
    return db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id,
                                                  AttendanceRecord.user_id == user.id)).first()


def test_adjustment_needs_a_reason_and_changes_nothing_without_one(client, db, hub):
    program, session, coordinator, jenna = hub
    response = client.put(f"/api/v1/sessions/{session.id}/attendance/{jenna.id}", json={"minutes": 60, "reason": "  "},
                          headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    assert response.json()["fields"] == {"reason": "Say why; the reason is kept in the audit trail."}
    assert record_of(db, session, jenna) is None


def test_adjustment_is_flagged_audited_and_survives_a_reimport(client, db, hub):
    program, session, coordinator, jenna = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    client.post(f"/api/v1/sessions/{session.id}/attendance/import", headers=headers,
                files={"file": ("z.csv", zoom_report(session, [("Jenna Whitfield", "jenna@clinic.example.org", 0, 20)]), "text/csv")})
    response = client.put(f"/api/v1/sessions/{session.id}/attendance/{jenna.id}",
                          json={"minutes": 55, "reason": "Joined by phone; audio only"}, headers=headers)
    assert response.status_code == 200
    assert [(r["attended_minutes"], r["adjusted"], r["adjust_reason"]) for r in response.json()["records"]] == [
        (55.0, True, "Joined by phone; audio only")]
    client.post(f"/api/v1/sessions/{session.id}/attendance/import", headers=headers,
                files={"file": ("z2.csv", zoom_report(session, [("Jenna Whitfield", "jenna@clinic.example.org", 0, 30)]), "text/csv")})
    record = record_of(db, session, jenna)
    assert (record.computed_seconds, record.adjusted_seconds, record.adjusted_by_id) == (1800, 3300, coordinator.id)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "attendance.adjusted")).one()
    assert (event.actor_id, event.details) == (coordinator.id, {"session_id": session.id, "user_id": jenna.id,
                                                                 "reason": "Joined by phone; audio only",
                                                                 "old_seconds": 1200, "new_seconds": 3300})
    # the page's and the API's adjustments are kept, never overwritten (#12)
    from app.models.credit import AttendanceAdjustment  # noqa: PLC0415
    kept = db.exec(select(AttendanceAdjustment).where(AttendanceAdjustment.session_id == session.id)).all()
    assert [(a.user_id, a.seconds, a.status) for a in kept] == [(jenna.id, 3300, "applied")]


def test_adjustment_page_marks_a_member_present_and_rerenders_errors(client, db, hub):
    program, session, coordinator, jenna = hub
    sign_in(client, coordinator.email, PASSWORD)
    bad = client.post(f"/sessions/{session.id}/attendance/adjust",
                      data={"user_id": str(jenna.id), "minutes": "90", "reason": "", "csrf_token": csrf_of(client)})
    assert bad.status_code == 422
    assert 'id="e-minutes" class="field-error">Give the minutes attended, 0 to 60.' in bad.text
    assert 'id="e-reason" class="field-error">Say why' in bad.text
    good = client.post(f"/sessions/{session.id}/attendance/adjust",
                       data={"user_id": str(jenna.id), "minutes": "60", "reason": "Sign-in sheet", "csrf_token": csrf_of(client)})
    assert good.status_code == 303
    page = client.get(f"/sessions/{session.id}/attendance")
    assert "<mark>Adjusted</mark> Sign-in sheet" in page.text
    assert (record_of(db, session, jenna).attended_seconds, record_of(db, session, jenna).sources) == (3600, "manual")


def test_clinician_cannot_adjust(client, db, hub):
    program, session, coordinator, jenna = hub
    response = client.put(f"/api/v1/sessions/{session.id}/attendance/{jenna.id}", json={"minutes": 60, "reason": "me"},
                          headers=api_token(client, jenna.email, PASSWORD))
    assert response.status_code == 403


@pytest.fixture
def running(db, hub):
    program, _, coordinator, jenna = hub
    start = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    return past_session(db, program, start=start, minutes=60), coordinator, jenna, program


def test_check_in_alone_proves_presence_at_that_moment_only(client, db, running):
    session, coordinator, jenna, program = running
    code = client.post(f"/api/v1/sessions/{session.id}/checkin-code",
                       headers=api_token(client, coordinator.email, PASSWORD)).json()["code"]
    assert len(code) == 6
    response = client.post(f"/api/v1/sessions/{session.id}/checkin", json={"code": code.lower()},
                           headers=api_token(client, jenna.email, PASSWORD))
    assert response.status_code == 200
    record = record_of(db, session, jenna)
    assert record.checked_in_at is not None
    assert (record.computed_seconds, record.sources) == (0, "checkin")


def test_report_decides_over_a_check_in(client, db, hub):
    program, session, coordinator, jenna = hub
    db.add(CheckInCode(session_id=session.id, code="ABCDEF"))
    db.commit()
    attendance.check_in(db, session, program, "ABCDEF", actor=jenna, now=session.starts_at + timedelta(minutes=5))
    db.commit()
    report = zoom_report(session, [("Jenna Whitfield", "jenna@clinic.example.org", 0, 6)])
    response = client.post(f"/api/v1/sessions/{session.id}/attendance/import", headers=api_token(client, coordinator.email, PASSWORD),
                           files={"file": ("z.csv", report, "text/csv")})
    assert response.status_code == 201
    record = record_of(db, session, jenna)
    assert (record.computed_seconds, record.sources, record.checked_in_at) == (
        6 * 60, "checkin,zoom", session.starts_at + timedelta(minutes=5))


def test_check_in_missing_from_the_report_counts_nothing(client, db, hub):
    program, session, coordinator, jenna = hub
    db.add(CheckInCode(session_id=session.id, code="ABCDEF"))
    db.commit()
    attendance.check_in(db, session, program, "ABCDEF", actor=jenna, now=session.starts_at + timedelta(minutes=5))
    db.commit()
    report = zoom_report(session, [("Rosa Delgado", "rosa@example.org", 0, 60)])
    client.post(f"/api/v1/sessions/{session.id}/attendance/import", headers=api_token(client, coordinator.email, PASSWORD),
                files={"file": ("z.csv", report, "text/csv")})
    assert (record_of(db, session, jenna).computed_seconds, record_of(db, session, jenna).sources) == (0, "checkin")


def test_wrong_code_is_refused(client, db, running):
    session, coordinator, jenna, program = running
    client.post(f"/api/v1/sessions/{session.id}/checkin-code", headers=api_token(client, coordinator.email, PASSWORD))
    sign_in(client, jenna.email, PASSWORD)
    response = client.post(f"/sessions/{session.id}/checkin", data={"code": "AAAAAA", "csrf_token": csrf_of(client)})
    assert response.status_code == 422
    assert "That is not this session&#39;s check-in code." in response.text
    assert record_of(db, session, jenna) is None


def test_check_in_is_closed_after_the_session(db, hub):
    program, session, coordinator, jenna = hub
    db.add(CheckInCode(session_id=session.id, code="ABCDEF"))
    db.commit()
    with pytest.raises(attendance.InvalidInput) as error:
        attendance.check_in(db, session, program, "ABCDEF", actor=jenna, now=session.ends_at + timedelta(seconds=1))
    assert error.value.fields == {"code": "Check-in is open only while the session runs."}
    record = attendance.check_in(db, session, program, "ABCDEF", actor=jenna, now=session.starts_at - timedelta(minutes=5))
    assert (record.checked_in_at, record.computed_seconds) == (session.starts_at - timedelta(minutes=5), 0)
