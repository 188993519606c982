"""Attendance fetched after a session from fake Zoom and Graph servers on loopback, imported
through the uploader's path (app.services.attendance.import_report), up to credit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from app.db import utcnow
from app.models import (
    AttendanceImport, AttendanceRecord, CreditAward, CreditSettings, EchoSession, IntegrationJob, SessionMeeting,
)
from app.services import integrations
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.integrations_fakes import (  # noqa: F401  (fixtures)
    choose, connect, ended, graph, graph_record, iso, make_due, run_jobs, zoom, zoom_participant,
)


@pytest.fixture
def hub(db):
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    ann = make_user(db, email="ann.lee@clinic.example.org", full_name="Ann Lee", degree="MD")
    bo = make_user(db, email="bo.chen@clinic.example.org", full_name="Bo Chen", degree="MD")
    program = make_program(db)
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, ann, "clinician")
    add_member(db, program, bo, "clinician")
    return admin, coordinator, ann, bo, program


def held(db, app, settings, hub, platform="zoom", host="host@example.org") -> tuple[EchoSession, SessionMeeting]:
    """A session whose meeting was made through the fake, then held: it ended 15 minutes ago."""
    admin, coordinator, *_, program = hub
    choose(db, program, connect(db, settings, admin, platform), coordinator, host)
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    session = db.exec(select(EchoSession).where(EchoSession.program_id == program.id)).one()
    ended(db, session)
    db.expire_all()
    return db.get(EchoSession, session.id), integrations.meeting_of(db, session.id)


def at(session: EchoSession, minutes: int) -> str:
    return iso(session.starts_at + timedelta(minutes=minutes))


def records(db, session) -> dict[str, int]:
    db.expire_all()
    rows = db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)).all()
    return {str(r.user_id or r.guest_name): r.attended_seconds // 60 for r in rows}


def test_two_page_zoom_report_is_imported_whole_through_the_uploader(db, app, settings, hub, zoom):
    *_, ann, bo, program = hub
    session, meeting = held(db, app, settings, hub)
    zoom.max_page_size = 2  # pages of 2 although 300 are asked for: the client follows next_page_token
    zoom.reports[meeting.meeting_id] = [
        zoom_participant("Ann Lee", ann.email, at(session, 0), at(session, 20)),
        zoom_participant("Ann Lee", ann.email, at(session, 25), at(session, 60)),  # a rejoin
        zoom_participant("Bo Chen", bo.email, at(session, 5), at(session, 50)),
        zoom_participant("Walk-in Guest", "", at(session, 0), at(session, 30)),
        zoom_participant("Waiting Person", "", at(session, 0), at(session, 60), status="in_waiting_room"),
    ]
    assert run_jobs(app, settings) == (1, 0)
    assert records(db, session) == {str(ann.id): 55, str(bo.id): 45}  # the guest waits for reconciliation
    calls = zoom.api_calls("GET", "/report/meetings/")
    assert [("next_page_token" in query, "page_size=300" in query) for _, _, query in calls] == [
        (False, True), (True, True), (True, True)]
    batch = db.exec(select(AttendanceImport)).one()
    assert (batch.source, batch.filename) == ("zoom", "zoom-api-participants.csv")
    db.refresh(meeting)
    assert meeting.attendance_state == "imported"
    assert meeting.attendance_note == "Zoom's report was fetched and imported: 3 people, 1 to reconcile."


def test_every_instance_of_a_restarted_meeting_comes_in(db, app, settings, hub, zoom):
    *_, ann, bo, program = hub
    session, meeting = held(db, app, settings, hub)
    first, second = "/ajXp112QmuoKj4854875==", "4444AAAiAAAAAiAiAiiAii=="
    zoom.instances[meeting.meeting_id] = [{"uuid": second, "start_time": at(session, 22)},
                                          {"uuid": first, "start_time": at(session, 0)}]
    zoom.reports[first] = [zoom_participant("Ann Lee", ann.email, at(session, 0), at(session, 20))]
    zoom.reports[second] = [zoom_participant("Ann Lee", ann.email, at(session, 22), at(session, 60)),
                            zoom_participant("Bo Chen", bo.email, at(session, 22), at(session, 60))]
    run_jobs(app, settings)
    assert records(db, session) == {str(ann.id): 58, str(bo.id): 38}
    paths = [path for _, path, _ in zoom.api_calls("GET", "/report/meetings/")]
    assert paths == ["/v2/report/meetings/%252FajXp112QmuoKj4854875%253D%253D/participants",  # '/' first: twice
                     "/v2/report/meetings/4444AAAiAAAAAiAiAiiAii%3D%3D/participants"]


def test_a_report_not_there_yet_is_looked_for_again_later(db, app, settings, hub, zoom):
    *_, ann, bo, program = hub
    session, meeting = held(db, app, settings, hub)
    assert run_jobs(app, settings) == (0, 1)  # Zoom: 404, code 3001
    job = db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance")).one()
    assert job.status == "pending" and job.last_error == "Zoom has no report for the meeting yet"
    assert timedelta(minutes=4) < job.next_attempt_at - utcnow() <= timedelta(minutes=5)
    db.refresh(meeting)
    assert meeting.attendance_state == "waiting"
    zoom.reports[meeting.meeting_id] = [zoom_participant("Bo Chen", bo.email, at(session, 0), at(session, 60))]
    make_due(db)
    assert run_jobs(app, settings) == (1, 0)
    assert records(db, session) == {str(bo.id): 60}


def test_after_the_deadline_the_coordinator_is_told_to_upload(client, db, app, settings, hub, zoom):
    _, coordinator, *_ = hub
    session, meeting = held(db, app, settings, hub)
    meeting.attendance_deadline = utcnow() - timedelta(minutes=1)
    db.add(meeting)
    db.commit()
    assert run_jobs(app, settings) == (0, 1)
    db.refresh(meeting)
    assert meeting.attendance_state == "gave_up"
    assert db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance")).one().status == "dead"
    sign_in(client, coordinator.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}").text
    assert "No attendance report came from Zoom by the deadline" in page
    assert f'href="/sessions/{session.id}/attendance">Upload a report' in page


def test_an_expired_page_token_starts_the_report_again_from_the_first_page(db, app, settings, hub, zoom):
    *_, ann, bo, program = hub
    session, meeting = held(db, app, settings, hub)
    zoom.max_page_size = 1
    zoom.expire_page_tokens_once = True
    zoom.reports[meeting.meeting_id] = [zoom_participant("Ann Lee", ann.email, at(session, 0), at(session, 60)),
                                        zoom_participant("Bo Chen", bo.email, at(session, 0), at(session, 30))]
    assert run_jobs(app, settings) == (1, 0)
    assert records(db, session) == {str(ann.id): 60, str(bo.id): 30}
    tokens = ["next_page_token" in query for _, _, query in zoom.api_calls("GET", "/report/meetings/")]
    assert tokens == [False, True, False, True]  # refused token, then from scratch


@pytest.mark.parametrize("status, headers", [(429, {"Retry-After": "1"}), (500, {}), (502, {})])
def test_the_report_survives_a_429_or_a_5xx(db, app, settings, hub, zoom, status, headers):
    *_, ann, _, program = hub
    session, meeting = held(db, app, settings, hub)
    zoom.reports[meeting.meeting_id] = [zoom_participant("Ann Lee", ann.email, at(session, 0), at(session, 60))]
    zoom.fail("GET", "/report/meetings/", status, {"code": status, "message": "try later"}, headers)
    assert run_jobs(app, settings) == (1, 0)
    assert records(db, session) == {str(ann.id): 60}


def test_a_missing_scope_is_reported_and_the_upload_stays_open(db, app, settings, hub, zoom):
    session, meeting = held(db, app, settings, hub)
    zoom.fail("GET", "/report/meetings/", 400,
              {"code": 4711, "message": "Invalid access token, does not contain scopes:[report:read:admin]."})
    assert run_jobs(app, settings) == (0, 1)
    db.refresh(meeting)
    assert meeting.attendance_state == "failed"
    assert meeting.attendance_note == (
        "Fetching the report failed: Zoom (400, 4711): Invalid access token, does not contain scopes:"
        "[report:read:admin].. Upload the participants report instead.")


def test_from_session_end_to_credit(db, app, settings, hub, zoom):
    """End to end: the session ends, the worker fetches the report, imports it, credit follows;
    Zoom's meeting.ended webhook fetching it again changes nothing."""
    _, coordinator, ann, bo, program = hub
    db.add(CreditSettings(program_id=program.id, evaluation_required=False, max_credits=Decimal("1.00"),
                          min_share=Decimal("0.75")))
    db.commit()
    session, meeting = held(db, app, settings, hub)
    zoom.reports[meeting.meeting_id] = [zoom_participant("Ann Lee", ann.email, at(session, 0), at(session, 60)),
                                        zoom_participant("Bo Chen", bo.email, at(session, 0), at(session, 30))]
    assert run_jobs(app, settings) == (1, 0)
    db.expire_all()
    awards = db.exec(select(CreditAward).where(CreditAward.session_id == session.id)).all()
    assert sorted((a.user_id, a.credits) for a in awards) == sorted([(ann.id, Decimal("1.00")), (bo.id, Decimal("0.00"))])
    assert integrations.meeting_ended(db, "zoom", meeting.meeting_id) is True
    db.commit()
    assert run_jobs(app, settings) == (1, 0)
    assert len(db.exec(select(AttendanceImport)).all()) == 1
    db.refresh(meeting)
    assert meeting.attendance_note == "Zoom's report was fetched again; nothing had changed."


def test_teams_attendance_reports_and_their_paged_records_come_in(db, app, settings, hub, graph):
    *_, ann, bo, program = hub
    session, meeting = held(db, app, settings, hub, "teams", "organizer@contoso.org")
    assert run_jobs(app, settings) == (0, 1)  # no report yet: an empty list
    db.refresh(meeting)
    assert meeting.attendance_state == "waiting"
    graph.attendance[meeting.meeting_id] = [
        ({"id": "c9b6db1c-d5eb-427d-a5c0-20088d9b22d7", "totalParticipantCount": 3,
          "meetingStartDateTime": at(session, 0), "meetingEndDateTime": at(session, 20)},
         [graph_record("Ann Lee", ann.email, [(at(session, 0), at(session, 20))]),
          graph_record("Bo Chen", bo.email, [(at(session, 0), at(session, 10))]),
          graph_record("Dee Guest", "", [(at(session, 2), at(session, 20))])]),
        ({"id": "a1b2c3d4-0000-4000-8000-000000000002", "totalParticipantCount": 1,
          "meetingStartDateTime": at(session, 25), "meetingEndDateTime": at(session, 60)},
         [graph_record("Ann Lee", ann.email, [(at(session, 25), at(session, 60))])]),
    ]
    make_due(db)
    assert run_jobs(app, settings) == (1, 0)
    assert records(db, session) == {str(ann.id): 55, str(bo.id): 10}  # the guest waits for reconciliation
    record_calls = graph.api_calls("GET", "/attendanceRecords")
    assert [("skiptoken" in query) for _, _, query in record_calls] == [False, True, False]
    assert db.exec(select(AttendanceImport)).one().source == "teams"


def test_a_graph_429_is_waited_out_and_a_401_gets_one_new_token(db, app, settings, hub, graph):
    *_, ann, _, program = hub
    session, meeting = held(db, app, settings, hub, "teams", "organizer@contoso.org")
    graph.attendance[meeting.meeting_id] = [
        ({"id": "r1", "totalParticipantCount": 1, "meetingStartDateTime": at(session, 0),
          "meetingEndDateTime": at(session, 60)}, [graph_record("Ann Lee", ann.email, [(at(session, 0), at(session, 60))])])]
    graph.expire_tokens()
    graph.fail("GET", "/attendanceReports$", 429,
               {"error": {"code": "TooManyRequests", "message": "Too many requests"}}, {"Retry-After": "1"})
    tokens_before = graph.token_count
    assert run_jobs(app, settings) == (1, 0)
    assert graph.token_count == tokens_before + 1
    assert records(db, session) == {str(ann.id): 60}


def test_the_coordinator_s_dashboard_shows_a_missing_report_until_one_is_uploaded(client, db, app, settings, hub,
                                                                                   zoom):
    from app.models import Program
    from app.services import attendance
    from tests.integration.attendance_helpers import zoom_report

    _, coordinator, ann, _, program = hub
    session, meeting = held(db, app, settings, hub)
    meeting.attendance_deadline = utcnow() - timedelta(minutes=1)
    db.add(meeting)
    db.commit()
    run_jobs(app, settings)
    sign_in(client, coordinator.email, PASSWORD)
    home = client.get("/").text
    assert "Zoom and Teams need you" in home and f'href="/sessions/{session.id}"' in home
    client.cookies.clear()
    sign_in(client, ann.email, PASSWORD)
    assert "Zoom and Teams need you" not in client.get("/").text
    attendance.import_report(db, db.get(EchoSession, session.id), db.get(Program, program.id),
                             zoom_report(session, [("Ann Lee", ann.email, 0, 60)]), filename="z.csv",
                             actor=coordinator)
    db.commit()
    client.cookies.clear()
    sign_in(client, coordinator.email, PASSWORD)
    assert "Zoom and Teams need you" not in client.get("/").text


def test_a_coordinator_asks_for_the_report_again_after_fixing_the_cause(client, db, app, settings, hub, zoom):
    from tests.conftest import csrf_of

    _, coordinator, ann, _, program = hub
    session, meeting = held(db, app, settings, hub)
    zoom.fail("GET", "/report/meetings/", 400,
              {"code": 4711, "message": "Invalid access token, does not contain scopes:[report:read:admin]."})
    run_jobs(app, settings)  # failed: the scope was missing
    zoom.reports[meeting.meeting_id] = [zoom_participant("Ann Lee", ann.email, at(session, 0), at(session, 60))]
    sign_in(client, coordinator.email, PASSWORD)
    assert "Fetch the attendance report now" in client.get(f"/sessions/{session.id}").text
    response = client.post(f"/sessions/{session.id}/meeting/fetch", data={"csrf_token": csrf_of(client)})
    assert response.status_code == 303
    assert run_jobs(app, settings) == (1, 0)
    assert records(db, session) == {str(ann.id): 60}


@pytest.mark.parametrize("who", ["anonymous", "clinician"])
def test_only_coordinators_ask_for_a_report(client, db, app, settings, hub, zoom, who):
    from tests.conftest import csrf_of

    *_, ann, _, program = hub
    session, meeting = held(db, app, settings, hub)
    if who == "clinician":
        sign_in(client, ann.email, PASSWORD)
    response = client.post(f"/sessions/{session.id}/meeting/fetch", data={"csrf_token": csrf_of(client)})
    assert response.status_code in ({303, 401} if who == "anonymous" else {403})
    if who == "anonymous":
        assert response.headers.get("location", "/login").startswith("/login")
    assert db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance")).one().attempts == 0


def test_asking_before_the_session_ended_is_refused(client, db, app, settings, hub, zoom):
    from tests.conftest import csrf_of

    admin, coordinator, *_, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    session = db.exec(select(EchoSession)).one()
    sign_in(client, coordinator.email, PASSWORD)
    client.post(f"/sessions/{session.id}/meeting/fetch", data={"csrf_token": csrf_of(client)})
    assert "The session has not ended yet" in client.get(f"/sessions/{session.id}").text
    job = db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance")).one()
    assert job.next_attempt_at == session.ends_at + timedelta(minutes=10)
