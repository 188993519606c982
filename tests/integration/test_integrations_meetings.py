"""Meetings made for sessions through fake Zoom and Graph servers on loopback: one meeting per
session, moved, deleted and made again with it; its join link in the session page, the .ics and
the invites."""

from __future__ import annotations

import email
import re
from datetime import date, time, timedelta

import pytest
from sqlmodel import select

from app.models import EchoSession, IntegrationJob, OutboxMessage, SessionMeeting
from app.services import integrations, invites, outbox, scheduling
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.integrations_fakes import (  # noqa: F401  (fixtures)
    choose, connect, graph, iso, run_jobs, zoom,
)


@pytest.fixture
def hub(db):
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    clinician = make_user(db, email="clin@example.org", full_name="Cleo Clinician")
    program = make_program(db)
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, clinician, "clinician")
    return admin, coordinator, clinician, program


def sessions_of(db, program) -> list[EchoSession]:
    db.expire_all()
    return list(db.exec(select(EchoSession).where(EchoSession.program_id == program.id)
                        .order_by(EchoSession.starts_at)).all())


def meeting(db, session) -> SessionMeeting:
    db.expire_all()
    return integrations.meeting_of(db, session.id)


def test_a_series_gets_one_zoom_meeting_per_session_and_its_link_everywhere(client, db, app, settings, hub, zoom):
    admin, coordinator, clinician, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    make_series(db, program, coordinator, count=2)
    assert run_jobs(app, settings) == (2, 0)
    first, second = sessions_of(db, program)
    assert sorted((m["start_time"], m["duration"], m["timezone"]) for m in zoom.meetings.values()) == [
        (iso(first.starts_at), 60, "America/Denver"), (iso(second.starts_at), 60, "America/Denver")]
    for session in (first, second):
        made = meeting(db, session)
        assert (made.state, made.platform, made.host_user) == ("active", "zoom", "host@example.org")
        assert session.video_url == made.join_url == zoom.meetings[made.meeting_id]["join_url"]
    fetches = db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance")).all()
    assert sorted(j.next_attempt_at for j in fetches) == [s.ends_at + timedelta(minutes=10) for s in (first, second)]
    sign_in(client, clinician.email, PASSWORD)
    ics = client.get(f"/api/v1/sessions/{first.id}/invite.ics").text.replace("\r\n ", "")
    assert f"LOCATION:{first.video_url}" in ics
    assert f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Video link:{first.video_url}" in ics
    assert f'href="{first.video_url}"' in client.get(f"/sessions/{first.id}").text


def test_moving_updates_cancelling_deletes_and_restoring_makes_a_new_meeting(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    first_id = meeting(db, session).meeting_id

    scheduling.move(db, session, program, scheduling.SessionTime(date(2030, 1, 3), time(13, 30), 90),
                    video_url=session.video_url, actor=coordinator)
    db.commit()
    assert run_jobs(app, settings) == (1, 0)
    [session] = sessions_of(db, program)
    assert (zoom.meetings[first_id]["start_time"], zoom.meetings[first_id]["duration"]) == (iso(session.starts_at), 90)
    assert len(zoom.api_calls("PATCH", f"/v2/meetings/{first_id}$")) == 1

    scheduling.cancel(db, session, reason="Holiday", actor=coordinator)
    db.commit()
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    assert first_id not in zoom.meetings
    assert (meeting(db, session).state, meeting(db, session).meeting_id, session.video_url) == ("deleted", "", "")
    assert db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance",
                                                IntegrationJob.status == "pending")).all() == []

    scheduling.restore(db, session, actor=coordinator)
    db.commit()
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    again = meeting(db, session)
    assert again.state == "active" and again.meeting_id != first_id and again.meeting_id in zoom.meetings
    assert session.video_url == again.join_url


def test_a_new_link_reaches_invited_members_as_an_update(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    make_series(db, program, coordinator, count=1)
    [session] = sessions_of(db, program)
    invites.send_invites(db, session, actor=coordinator)
    db.commit()
    sequence = session.sequence
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    assert session.sequence == sequence + 1 and session.video_url.startswith("https://zoom.us/j/")
    assert len(db.exec(select(OutboxMessage).where(OutboxMessage.kind == "session_invite")).all()) == 2 * 2
    assert outbox.drain(db, settings) == (4, 0)
    mails = [email.message_from_bytes(path.read_bytes()) for path in sorted(settings.mail_dir.glob("*.eml"))]
    calendars = [part.get_payload(decode=True).decode() for mail in mails for part in mail.walk()
                 if part.get_content_type() == "text/calendar"]
    assert len(calendars) == 4
    assert all(f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Video link:{session.video_url}"
               in re.sub(r"\r?\n ", "", ics) for ics in calendars)


def test_a_link_typed_for_one_session_is_kept(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    session = scheduling.create_single(db, program, scheduling.SessionTime(date(2030, 2, 6), time(12, 0), 60),
                                       actor=coordinator, video_url="https://meet.example.org/special-room")
    db.commit()
    run_jobs(app, settings)
    db.refresh(session)
    assert meeting(db, session).state == "active"
    assert session.video_url == "https://meet.example.org/special-room"


def test_the_series_form_copying_one_meeting_s_link_does_not_stick(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    make_series(db, program, coordinator, count=2)
    run_jobs(app, settings)
    first, second = sessions_of(db, program)
    scheduling.change_rest_of_series(db, first, program, start_time=time(14, 0), duration_minutes=60,
                                     video_url=first.video_url, actor=coordinator)
    db.commit()
    run_jobs(app, settings)
    first, second = sessions_of(db, program)
    assert second.video_url == meeting(db, second).join_url != first.video_url


def test_disconnecting_a_program_deletes_its_upcoming_meetings_and_restores_the_typed_link(db, app, settings, hub,
                                                                                             zoom):
    admin, coordinator, _, program = hub
    program.video_url = "https://meet.example.org/hub"
    db.add(program)
    db.commit()
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    integrations.choose_for_program(db, program, connection_id=None, host_user="", actor=coordinator)
    db.commit()
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    assert zoom.meetings == {} and session.video_url == ""
    assert meeting(db, session).state == "deleted"


def test_an_unknown_host_is_reported_on_the_session_page(client, db, app, settings, hub, zoom):
    admin, coordinator, clinician, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "nobody@example.org")
    make_series(db, program, coordinator, count=1)
    assert run_jobs(app, settings) == (0, 1)
    [session] = sessions_of(db, program)
    failed = meeting(db, session)
    assert (failed.state, failed.last_error) == ("failed", "Zoom (404, 1001): User does not exist: nobody@example.org.")
    sign_in(client, coordinator.email, PASSWORD)
    assert "User does not exist: nobody@example.org." in client.get(f"/sessions/{session.id}").text
    client.cookies.clear()
    sign_in(client, clinician.email, PASSWORD)
    assert "User does not exist" not in client.get(f"/sessions/{session.id}").text


def test_an_expired_token_is_replaced_once_and_the_call_goes_through(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    zoom.expire_tokens()  # the cached token now fails with 401 code 124
    scheduling.move(db, session, program, scheduling.SessionTime(date(2030, 1, 2), time(15, 0), 60),
                    video_url=session.video_url, actor=coordinator)
    db.commit()
    assert run_jobs(app, settings) == (1, 0)
    assert zoom.token_count == 2
    assert [c[0] for c in zoom.calls if c[1].startswith(("/oauth", "/v2/meetings"))] == [
        "POST", "PATCH", "POST", "PATCH"]


@pytest.mark.parametrize("status, headers", [(429, {"Retry-After": "1"}), (500, {})])
def test_429_with_retry_after_and_500_are_tried_again(db, app, settings, hub, zoom, status, headers):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    body = {"code": 429, "message": "You have reached the maximum per-second rate limit for this API."} \
        if status == 429 else {"code": 500, "message": "Internal error"}
    zoom.fail("POST", r"/v2/users/.*/meetings$", status, body, headers)
    make_series(db, program, coordinator, count=1)
    assert run_jobs(app, settings) == (1, 0)
    assert len(zoom.api_calls("POST", "/meetings$")) == 2 and len(zoom.meetings) == 1


def test_a_long_retry_after_postpones_the_job_instead_of_sleeping(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    zoom.fail("POST", r"/v2/users/.*/meetings$", 429, {"code": 429, "message": "daily limit"}, {"Retry-After": "3600"})
    make_series(db, program, coordinator, count=1)
    assert run_jobs(app, settings) == (0, 1)
    job = db.exec(select(IntegrationJob).where(IntegrationJob.kind == "sync_meeting")).one()
    assert job.status == "pending" and job.last_error == "Zoom (429, 429): daily limit"
    assert timedelta(minutes=59) < job.next_attempt_at - job.claimed_at <= timedelta(minutes=61)


def test_teams_meetings_are_made_changed_and_deleted(db, app, settings, hub, graph):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin, "teams"), coordinator, "organizer@contoso.org")
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    made = meeting(db, session)
    assert session.video_url == made.join_url == graph.meetings[made.meeting_id]["joinWebUrl"]
    assert graph.meetings[made.meeting_id]["startDateTime"] == iso(session.starts_at)
    scheduling.move(db, session, program, scheduling.SessionTime(date(2030, 1, 2), time(9, 0), 60),
                    video_url=session.video_url, actor=coordinator)
    db.commit()
    run_jobs(app, settings)
    [session] = sessions_of(db, program)
    assert graph.meetings[made.meeting_id]["startDateTime"] == iso(session.starts_at)
    scheduling.cancel(db, session, reason="Snow day", actor=coordinator)
    db.commit()
    run_jobs(app, settings)
    assert graph.meetings == {}


def test_no_database_transaction_is_open_while_the_platform_is_called(db, app, settings, hub, zoom):
    """On PostgreSQL, every call the fake receives looks for sessions 'idle in transaction'."""
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("pg_stat_activity is PostgreSQL's")
    from sqlalchemy import text

    from app.db import make_engine

    probe_engine = make_engine(settings.database_url)
    seen = []

    def probe(request):
        with probe_engine.connect() as connection:
            seen.append(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction' AND pid <> pg_backend_pid()")).scalar())

    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    db.close()  # the test's own session holds nothing either
    zoom.on_call = probe
    make_series(db, program, coordinator, count=2)
    db.close()
    assert run_jobs(app, settings) == (2, 0)
    probe_engine.dispose()
    assert len(seen) >= 3 and set(seen) == {0}


def test_a_malformed_answer_gives_the_job_up_without_stopping_the_others(db, app, settings, hub, zoom):
    admin, coordinator, _, program = hub
    choose(db, program, connect(db, settings, admin), coordinator, "host@example.org")
    zoom.fail("POST", r"/v2/users/.*/meetings$", 201, ["not", "a", "meeting"])
    make_series(db, program, coordinator, count=2)
    assert run_jobs(app, settings) == (1, 1)
    jobs = db.exec(select(IntegrationJob).where(IntegrationJob.kind == "sync_meeting")
                   .order_by(IntegrationJob.id)).all()
    assert [(j.status, j.last_error) for j in jobs] == [("dead", "internal error: AttributeError"), ("done", "")]
    states = sorted(m.state for m in db.exec(select(SessionMeeting)).all())
    assert states == ["active", "failed"]
