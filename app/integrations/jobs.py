"""The worker's side: claim due jobs, read what a call needs, close the transaction, call the
platform, then record the outcome in a new transaction. No transaction is open during a call.

sync_meeting: the session's meeting is made, changed or deleted to match the session (one meeting
per session). fetch_attendance: the participants report is fetched, written as the report file the
uploader takes, and imported through app.services.attendance.import_report; a report that is not
there yet is looked for again with growing pauses until the configured deadline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from app.config import Settings
from app.db import utcnow
from app.enums import SessionStatus
from app.errors import DomainError
from app.integrations.crypto import SecretUnreadable
from app.integrations.graph import GraphClient
from app.integrations.http import ApiError, ReportNotReady
from app.integrations.meetings import MeetingRef, MeetingSpec, Participant
from app.integrations.reports import report_file
from app.integrations.zoom import ZoomClient
from app.models import EchoSession, IntegrationConnection, IntegrationJob, Program, SessionMeeting, User
from app.services import attendance, integrations, invites
from app.services.calendars import agenda_text

log = logging.getLogger("telementor.integrations")

MAX_SYNC_ATTEMPTS = 8
FETCH_PAUSES = (5, 10, 20, 40, 60)  # minutes between looks for a report, then hourly


def make_client(settings: Settings, connection: IntegrationConnection, http: httpx.Client):
    secret = integrations.client_secret(settings, connection)
    if connection.platform == "zoom":
        return ZoomClient(http, api_url=settings.zoom_api_url, oauth_url=settings.zoom_oauth_url,
                          account_id=connection.account_id, client_id=connection.client_id, client_secret=secret)
    return GraphClient(http, api_url=settings.graph_api_url, login_url=settings.ms_login_url,
                       tenant_id=connection.account_id, client_id=connection.client_id, client_secret=secret)


def run_due(engine: Engine, settings: Settings, *, http: httpx.Client | None = None) -> tuple[int, int]:
    """Run every due job once. Returns (done, failed or postponed)."""
    done = failed = 0
    with Session(engine, expire_on_commit=False) as db, (http or httpx.Client()) as client:
        while batch := integrations.claim_due(db):
            for job in batch:
                ok = _run_one(db, settings, job, client)
                done, failed = done + ok, failed + (not ok)
    if done or failed:
        log.info("integration jobs: %d done, %d failed or postponed", done, failed)
    return done, failed


def _run_one(db: Session, settings: Settings, job: IntegrationJob, client: httpx.Client) -> bool:
    ref = _JobRef(job.id, job.session_id, job.attempts)
    sync = job.kind == integrations.SYNC
    try:
        return (_sync if sync else _fetch)(db, settings, job, client)
    except SQLAlchemyError:
        raise  # the worker backs off; the claim goes stale and the job is tried again
    except Exception as exc:  # noqa: BLE001  a bug or a malformed answer must not stop the others or loop
        db.rollback()
        log.exception("integration job %s failed", ref.job_id)
        error = f"internal error: {type(exc).__name__}"
        if sync:
            return _sync_failed(db, ref.job_id, ref.session_id, ref.attempts, error, dead=True)
        return _attendance_failed(db, ref, f"Fetching the report failed ({error}).")


def _finish(db: Session, job_id: int, *, error: str = "", retry_in: timedelta | None = None,
            dead: bool = False) -> bool:
    job = db.get(IntegrationJob, job_id)
    job.last_error = error[:500]
    if retry_in is not None and not dead:
        job.status, job.next_attempt_at = "pending", utcnow() + retry_in
    else:
        job.status = "dead" if dead else "done"
    db.add(job)
    db.commit()
    if error:
        log.warning("integration job %s (%s, session %s), try %s: %s", job.id, job.kind, job.session_id,
                    job.attempts, error)
    return not error


# --- meetings -------------------------------------------------------------------------------


@dataclass
class _SyncPlan:
    """Plain values only: the platform is called after the transaction that read them has ended."""

    meeting_row: int
    spec: MeetingSpec
    meeting_id: str  # the meeting there is now ("" for none)
    meeting_host: str
    delete_from: int | None  # connection of a meeting to remove first (unwanted, or on another connection)
    create_with: int | None  # connection to make the meeting with
    host_user: str
    update_with: int | None  # connection of a meeting to change in place


def _plan(db: Session, job: IntegrationJob) -> _SyncPlan | None:
    session = db.get(EchoSession, job.session_id)
    meeting = integrations.meeting_of(db, job.session_id)
    if session is None or meeting is None or session.starts_at <= utcnow():
        return None  # a past meeting is left alone: its report is still to come
    program = db.get(Program, session.program_id)
    host = integrations.program_host(db, program.id)
    want = host is not None and session.status == SessionStatus.scheduled
    have = bool(meeting.meeting_id) and meeting.state == "active"
    same_place = have and want and (meeting.connection_id, meeting.host_user) == (host.connection_id, host.host_user)
    summary = program.name + (f": {session.didactic_topic}" if session.didactic_topic else "")
    spec = MeetingSpec(summary, session.starts_at, session.ends_at, program.timezone, agenda_text(session, program))
    return _SyncPlan(
        meeting_row=meeting.id, spec=spec, meeting_id=meeting.meeting_id, meeting_host=meeting.host_user,
        delete_from=meeting.connection_id if have and not same_place else None,
        create_with=host.connection_id if want and not same_place else None,
        host_user=host.host_user if host else "", update_with=meeting.connection_id if same_place else None)


def _sync(db: Session, settings: Settings, job: IntegrationJob, http: httpx.Client) -> bool:
    job_id, session_id, attempts = job.id, job.session_id, job.attempts
    try:
        plan = _plan(db, job)
        wanted = {plan.delete_from, plan.create_with, plan.update_with} - {None} if plan else set()
        clients = {cid: make_client(settings, c, http) for cid in wanted if (c := db.get(IntegrationConnection, cid))}
    except SecretUnreadable:
        db.rollback()
        return _sync_failed(db, job_id, session_id, attempts, "The connection's client secret cannot be read (the "
                            "service's secret key changed?): an administrator enters it again.", dead=True)
    db.rollback()  # nothing is held while the platform is called
    if plan is None:
        return _finish(db, job_id)
    created = joined = None
    try:
        if plan.delete_from in clients:
            _delete(clients[plan.delete_from], plan.meeting_id, plan.meeting_host)
        if plan.create_with in clients:
            created = clients[plan.create_with].create_meeting(plan.host_user, plan.spec)
        elif plan.update_with in clients:
            joined = _update(clients[plan.update_with], plan)
    except ApiError as exc:
        return _sync_failed(db, job_id, session_id, attempts, exc.describe(),
                            dead=not exc.transient or attempts >= MAX_SYNC_ATTEMPTS,
                            retry_in=timedelta(seconds=exc.retry_after) if exc.retry_after else None)
    _record_sync(db, settings, plan, created, joined)
    return _finish(db, job_id)


def _delete(client, meeting_id: str, host_user: str) -> None:
    if isinstance(client, ZoomClient):
        client.delete_meeting(meeting_id)
    else:
        client.delete_meeting(host_user, meeting_id)


def _update(client, plan: _SyncPlan) -> str:
    """The join link after the change ("" when the platform does not say: it is unchanged)."""
    if isinstance(client, ZoomClient):
        client.update_meeting(plan.meeting_id, plan.spec)
        return ""
    return client.update_meeting(plan.meeting_host, plan.meeting_id, plan.spec)


def _record_sync(db: Session, settings: Settings, plan: _SyncPlan, created: MeetingRef | None,
                 joined: str | None) -> None:
    meeting = db.get(SessionMeeting, plan.meeting_row)
    session = db.get(EchoSession, meeting.session_id)
    old_link = meeting.join_url
    if created is not None:
        meeting.connection_id = plan.create_with
        meeting.platform = db.get(IntegrationConnection, plan.create_with).platform
        meeting.host_user, meeting.meeting_id, meeting.join_url = plan.host_user, created.meeting_id, created.join_url
        meeting.state = "active"
        integrations.schedule_fetch(db, session, meeting, settings)
    elif plan.update_with is not None:
        meeting.join_url = joined or meeting.join_url
        integrations.schedule_fetch(db, session, meeting, settings)
    else:  # deleted, none wanted
        meeting.meeting_id, meeting.join_url, meeting.state = "", "", "deleted"
        meeting.attendance_state, meeting.attendance_note, meeting.attendance_deadline = "", "", None
        integrations.drop_pending(db, integrations.FETCH, session.id)
    meeting.last_error, meeting.updated_at = "", utcnow()
    db.add(meeting)
    _show_link(db, session, old_link, meeting.join_url)
    db.flush()


def _show_link(db: Session, session: EchoSession, old_link: str, new_link: str) -> None:
    """The made link becomes the session's video link, unless a coordinator typed another one;
    a change reaches invited members' calendars as an update."""
    managed = session.video_url in ("", old_link) or session.video_url in integrations.managed_links(
        db, session.program_id)
    if not managed or session.video_url == new_link:
        return
    session.video_url = new_link
    db.add(session)
    if session.status == SessionStatus.scheduled:
        invites.changed(db, session)


def _sync_failed(db: Session, job_id: int, session_id: int, attempts: int, error: str, *, dead: bool,
                 retry_in: timedelta | None = None) -> bool:
    meeting = integrations.meeting_of(db, session_id)
    if meeting is not None:
        meeting.last_error, meeting.updated_at = error[:500], utcnow()
        meeting.state = "failed" if dead else meeting.state
        db.add(meeting)
    minutes = min(2 ** max(attempts - 1, 0), 360)
    return _finish(db, job_id, error=error, dead=dead, retry_in=retry_in or timedelta(minutes=minutes))


# --- attendance -------------------------------------------------------------------------------


def _fetch(db: Session, settings: Settings, job: IntegrationJob, http: httpx.Client) -> bool:
    ref = _JobRef(job.id, job.session_id, job.attempts)
    session = db.get(EchoSession, ref.session_id)
    meeting = integrations.meeting_of(db, ref.session_id)
    if session is None or meeting is None or not meeting.meeting_id or session.status == SessionStatus.cancelled:
        db.rollback()
        return _finish(db, ref.job_id)
    connection = db.get(IntegrationConnection, meeting.connection_id) if meeting.connection_id else None
    try:
        client = make_client(settings, connection, http) if connection else None
    except SecretUnreadable:
        client = None
    if client is None:
        db.rollback()
        return _attendance_failed(db, ref, "The meeting's connection was removed, or its client secret cannot be "
                                           "read; an administrator enters it again.")
    platform, meeting_id, host = connection.platform, meeting.meeting_id, meeting.host_user
    deadline = meeting.attendance_deadline or session.ends_at + timedelta(hours=settings.meeting_report_deadline_hours)
    db.rollback()  # nothing is held while the platform is called
    try:
        rows = _participants(client, meeting_id, host)
    except ReportNotReady:
        return _not_yet(db, ref, deadline, f"{integrations.platform_name(platform)} has no report for the meeting yet")
    except ApiError as exc:
        if exc.transient:
            return _not_yet(db, ref, deadline, exc.describe())
        return _attendance_failed(db, ref, f"Fetching the report failed: {exc.describe()}.")
    return _import(db, ref, platform, rows)


@dataclass(frozen=True)
class _JobRef:
    job_id: int
    session_id: int
    attempts: int


def _participants(client, meeting_id: str, host_user: str) -> list[Participant]:
    if isinstance(client, GraphClient):
        rows = client.participants(host_user, meeting_id)
    else:
        keys = client.instance_uuids(meeting_id) or [meeting_id]  # a restart makes another instance
        rows = []
        for key in keys:
            try:
                rows += client.participants(key)
            except ReportNotReady:
                continue  # an instance nobody stayed in has no report; the others count
    if not rows:
        raise ReportNotReady("no report lists anybody yet")
    return rows


def _import(db: Session, ref: _JobRef, platform: str, rows: list[Participant]) -> bool:
    session = db.get(EchoSession, ref.session_id)
    program = db.get(Program, session.program_id)
    actor = _importer(db, program)
    if actor is None:
        return _attendance_failed(db, ref, "Nobody is left to import the report in the name of: a coordinator "
                                           "saves the program's meeting settings again.")
    data, filename = report_file(platform, rows)
    try:
        result = attendance.import_report(db, session, program, data, filename=filename, actor=actor)
    except DomainError as exc:
        db.rollback()
        return _attendance_failed(db, ref, f"The fetched report was not imported: {exc.message}")
    meeting = integrations.meeting_of(db, ref.session_id)
    name = integrations.platform_name(platform)
    note = (f"{name}'s report was fetched and imported: {result.matched + result.waiting} people, "
            f"{result.waiting} to reconcile." if not result.unchanged
            else f"{name}'s report was fetched again; nothing had changed.")
    meeting.attendance_state, meeting.attendance_note, meeting.updated_at = "imported", note, utcnow()
    db.add(meeting)
    return _finish(db, ref.job_id)


def _importer(db: Session, program: Program) -> User | None:
    """Fetched reports are imported in the name of the coordinator who chose the program's connection."""
    host = integrations.program_host(db, program.id)
    user = db.get(User, host.chosen_by_id) if host and host.chosen_by_id else None
    return user if user is not None and user.is_active else None


def _not_yet(db: Session, ref: _JobRef, deadline, reason: str) -> bool:
    meeting = integrations.meeting_of(db, ref.session_id)
    name = integrations.platform_name(meeting.platform)
    now = utcnow()
    if now >= deadline:
        meeting.attendance_state = "gave_up"
        meeting.attendance_note = (f"No attendance report came from {name} by the deadline ({reason}). "
                                   "Upload the participants report instead.")[:500]
        db.add(meeting)
        return _finish(db, ref.job_id, error=reason, dead=True)
    pause = timedelta(minutes=FETCH_PAUSES[min(ref.attempts - 1, len(FETCH_PAUSES) - 1)])
    meeting.attendance_state = "waiting"
    meeting.attendance_note = f"Waiting for {name}'s attendance report ({reason}); looked {ref.attempts} time(s)."[:500]
    db.add(meeting)
    return _finish(db, ref.job_id, error=reason, retry_in=min(now + pause, deadline) - now)


def _attendance_failed(db: Session, ref: _JobRef, message: str) -> bool:
    meeting = integrations.meeting_of(db, ref.session_id)
    if meeting is not None:
        meeting.attendance_state = "failed"
        meeting.attendance_note = (message + " Upload the participants report instead.")[:500]
        db.add(meeting)
    return _finish(db, ref.job_id, error=message, dead=True)
