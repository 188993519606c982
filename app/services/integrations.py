"""Zoom and Teams on the database side: connections (secrets encrypted), each program's choice of
connection and host, each session's meeting, and the job rows the worker turns into API calls.

Nothing here calls a platform: the scheduling service calls `session_changed` inside its own
transaction, which only writes a job row; the worker (app/integrations/jobs.py) makes the call
after that transaction has committed, outside any transaction of its own.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from app.config import Settings
from app.db import utcnow
from app.enums import SessionStatus
from app.errors import InvalidInput, InvalidTransition
from app.integrations import crypto
from app.models import (
    AttendanceImport, EchoSession, IntegrationConnection, IntegrationJob, Program, ProgramMeetingHost, SessionMeeting, User,
)
from app.services import audit, phi_gate

PLATFORMS = {"zoom": "Zoom", "teams": "Microsoft Teams"}
SYNC, FETCH = "sync_meeting", "fetch_attendance"
# The first look for the report: Zoom's appear up to 30 minutes after a meeting (DOMAIN.md §3.1).
FIRST_FETCH_DELAY = timedelta(minutes=10)
STALE_CLAIM = timedelta(minutes=10)
_IDENTIFIER = re.compile(r"[A-Za-z0-9._~@:+/=-]{1,100}")


def platform_name(platform: str) -> str:
    return PLATFORMS.get(platform, platform)


# --- connections -------------------------------------------------------------------------


def _check_identifiers(fields: dict[str, str]) -> dict[str, str]:
    return {name: "Paste the value exactly as the platform shows it (letters, digits and . _ - : @ only)."
            for name, value in fields.items() if not _IDENTIFIER.fullmatch(value)}


def add_connection(db: Session, settings: Settings, *, platform: str, label: str, account_id: str, client_id: str,
                   client_secret: str, actor: User) -> IntegrationConnection:
    label, account_id, client_id = " ".join(label.split()), account_id.strip(), client_id.strip()
    errors = {}
    if platform not in PLATFORMS:
        errors["platform"] = "Choose Zoom or Microsoft Teams."
    if not 1 <= len(label) <= 100:
        errors["label"] = "Give the connection a name of at most 100 characters."
    errors |= _check_identifiers({"account_id": account_id, "client_id": client_id})
    errors |= _secret_errors(client_secret)
    if errors:
        raise InvalidInput(fields=errors)
    phi_gate.require_clean_text({"label": label}, limit=100)
    connection = IntegrationConnection(platform=platform, label=label, account_id=account_id, client_id=client_id,
                                       secret_encrypted="", created_by_id=actor.id)
    _seal(settings, connection, client_secret.strip())
    db.add(connection)
    db.flush()
    audit.record(db, actor=actor, action="integration.connected", obj=connection, platform=platform)
    return connection


def _secret_errors(secret: str) -> dict[str, str]:
    secret = secret.strip()
    if not secret:
        return {"client_secret": "Paste the client secret."}
    if len(secret) > 500 or any(ch.isspace() for ch in secret) or not secret.isprintable():
        return {"client_secret": "This does not look like a client secret: paste it again, without spaces."}
    return {}


def _seal(settings: Settings, connection: IntegrationConnection, secret: str) -> None:
    connection.secret_encrypted = crypto.encrypt(settings.secret_key, secret, platform=connection.platform,
                                                 account_id=connection.account_id, client_id=connection.client_id)


def client_secret(settings: Settings, connection: IntegrationConnection) -> str:
    return crypto.decrypt(settings.secret_key, connection.secret_encrypted, platform=connection.platform,
                          account_id=connection.account_id, client_id=connection.client_id)


def replace_secret(db: Session, settings: Settings, connection: IntegrationConnection, secret: str, *,
                   actor: User) -> None:
    if errors := _secret_errors(secret):
        raise InvalidInput(fields=errors)
    _seal(settings, connection, secret.strip())
    connection.last_check, connection.last_checked_at = "", None
    audit.record(db, actor=actor, action="integration.secret_replaced", obj=connection)
    db.flush()


def delete_connection(db: Session, connection: IntegrationConnection, *, actor: User) -> None:
    used = db.exec(select(Program.name).join(ProgramMeetingHost, ProgramMeetingHost.program_id == Program.id)
                   .where(ProgramMeetingHost.connection_id == connection.id).order_by(Program.name)).all()
    if used:
        raise InvalidTransition(f"Programs still make their meetings with it: {', '.join(used)}. "
                                "Choose another connection for them first.")
    audit.record(db, actor=actor, action="integration.removed", obj=connection, platform=connection.platform)
    db.delete(connection)
    db.flush()


def connections(db: Session) -> list[IntegrationConnection]:
    return list(db.exec(select(IntegrationConnection).order_by(IntegrationConnection.platform,
                                                               IntegrationConnection.label)).all())


def host_users_of(db: Session, connection: IntegrationConnection) -> list[str]:
    return sorted(set(db.exec(select(ProgramMeetingHost.host_user)
                              .where(ProgramMeetingHost.connection_id == connection.id)).all()))


def record_check(db: Session, connection: IntegrationConnection, lines: list[str]) -> None:
    connection.last_check = "\n".join(lines)[:2000]
    connection.last_checked_at = utcnow()
    db.flush()


# --- a program's choice ---------------------------------------------------------------------


def program_host(db: Session, program_id: int) -> ProgramMeetingHost | None:
    return db.exec(select(ProgramMeetingHost).where(ProgramMeetingHost.program_id == program_id)).first()


def choose_for_program(db: Session, program: Program, *, connection_id: int | None, host_user: str,
                       actor: User) -> int:
    """Set (or, with no connection, clear) how the program's meetings are made. Upcoming sessions
    are brought in line by the worker. Returns how many sessions will be updated."""
    current = program_host(db, program.id)
    host_user = host_user.strip()
    if connection_id is None:
        if current is None:
            return 0
        db.delete(current)
        audit.record(db, actor=actor, action="integration.program_cleared", obj=program)
    else:
        connection = db.get(IntegrationConnection, connection_id)
        errors = {} if connection else {"connection_id": "Choose one of the connections listed."}
        if not host_user or len(host_user) > 254 or any(ch.isspace() for ch in host_user):
            errors["host_user"] = "Give the host's e-mail address or user id, as the platform knows them."
        if errors:
            raise InvalidInput(fields=errors)
        if current and (current.connection_id, current.host_user) == (connection_id, host_user):
            return 0
        current = current or ProgramMeetingHost(program_id=program.id, connection_id=connection_id, host_user="")
        current.connection_id, current.host_user = connection_id, host_user
        current.chosen_by_id, current.updated_at = actor.id, utcnow()
        db.add(current)
        audit.record(db, actor=actor, action="integration.program_chosen", obj=program,
                     connection_id=connection_id)
    db.flush()
    upcoming = db.exec(select(EchoSession).where(EchoSession.program_id == program.id,
                                                 EchoSession.starts_at > utcnow())).all()
    return sum(session_changed(db, session) for session in upcoming)


# --- sessions and jobs ------------------------------------------------------------------------


def meeting_of(db: Session, session_id: int) -> SessionMeeting | None:
    return db.exec(select(SessionMeeting).where(SessionMeeting.session_id == session_id)).first()


def session_changed(db: Session, session: EchoSession) -> int:
    """Called by the scheduling service after a session is created, moved, cancelled or restored:
    queues the meeting's update when the program makes meetings or the session has one. 1 if queued."""
    if session.starts_at <= utcnow():
        return 0
    meeting = meeting_of(db, session.id)
    if program_host(db, session.program_id) is None and (meeting is None or not meeting.meeting_id):
        return 0
    if meeting is None:
        host = program_host(db, session.program_id)
        connection = db.get(IntegrationConnection, host.connection_id)
        db.add(SessionMeeting(session_id=session.id, connection_id=connection.id, platform=connection.platform,
                              host_user=host.host_user))
    enqueue(db, SYNC, session.id)
    return 1


def enqueue(db: Session, kind: str, session_id: int, *, due: datetime | None = None) -> IntegrationJob:
    """One pending job per kind and session: the worker reads the session when it runs."""
    due = due or utcnow()
    job = db.exec(select(IntegrationJob).where(IntegrationJob.kind == kind, IntegrationJob.session_id == session_id,
                                               IntegrationJob.status == "pending")).first()
    if job is None:
        job = IntegrationJob(kind=kind, session_id=session_id, next_attempt_at=due)
    else:
        job.next_attempt_at = min(job.next_attempt_at, due) if kind == SYNC else due
    db.add(job)
    db.flush()
    return job


def drop_pending(db: Session, kind: str, session_id: int) -> None:
    for job in db.exec(select(IntegrationJob).where(IntegrationJob.kind == kind, IntegrationJob.session_id == session_id,
                                                    IntegrationJob.status == "pending")).all():
        job.status, job.last_error = "done", "no longer needed"
        db.add(job)


def schedule_fetch(db: Session, session: EchoSession, meeting: SessionMeeting, settings: Settings) -> None:
    meeting.attendance_deadline = session.ends_at + timedelta(hours=settings.meeting_report_deadline_hours)
    enqueue(db, FETCH, session.id, due=session.ends_at + FIRST_FETCH_DELAY)


def claim_due(db: Session, *, limit: int = 10) -> list[IntegrationJob]:
    """Due jobs, at most one per session, none of a session another worker is busy with."""
    now = utcnow()
    busy = select(IntegrationJob.session_id).where(IntegrationJob.status == "running",
                                                   IntegrationJob.claimed_at >= now - STALE_CLAIM)
    statement = (select(IntegrationJob).where(
        or_(and_(IntegrationJob.status == "pending", IntegrationJob.next_attempt_at <= now),
            and_(IntegrationJob.status == "running", IntegrationJob.claimed_at < now - STALE_CLAIM)),
        IntegrationJob.session_id.not_in(busy)).order_by(IntegrationJob.id).limit(limit))
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    jobs, sessions = [], set()
    for job in db.exec(statement).all():
        if job.session_id in sessions:
            continue
        sessions.add(job.session_id)
        job.status, job.claimed_at, job.attempts = "running", now, job.attempts + 1
        jobs.append(job)
    db.commit()
    return jobs


def meeting_ended(db: Session, platform: str, meeting_id: str) -> bool:
    """A platform said the meeting ended (Zoom's meeting.ended): look for its report now."""
    meeting = db.exec(select(SessionMeeting).where(SessionMeeting.platform == platform,
                                                   SessionMeeting.meeting_id == meeting_id)).first()
    if meeting is None:
        return False
    enqueue(db, FETCH, meeting.session_id)
    return True


def managed_links(db: Session, program_id: int) -> set[str]:
    """Join links of the program's meetings: a session showing one of them shows a made link,
    not one a coordinator typed (the series form copies one session's link to the rest)."""
    return set(db.exec(select(SessionMeeting.join_url).join(EchoSession, EchoSession.id == SessionMeeting.session_id)
                       .where(EchoSession.program_id == program_id, SessionMeeting.join_url != "")).all())


def series_created(db: Session, series_id: int, program_id: int) -> int:
    """A new series of a program that makes meetings: a meeting row and a job per session, written
    in bulk (new sessions have neither yet). Returns how many were queued."""
    host = program_host(db, program_id)
    if host is None:
        return 0
    connection = db.get(IntegrationConnection, host.connection_id)
    now = utcnow()
    ids = db.exec(select(EchoSession.id).where(EchoSession.series_id == series_id, EchoSession.starts_at > now)).all()
    db.add_all([SessionMeeting(session_id=session_id, connection_id=connection.id, platform=connection.platform,
                               host_user=host.host_user) for session_id in ids])
    db.add_all([IntegrationJob(kind=SYNC, session_id=session_id, next_attempt_at=now) for session_id in ids])
    db.flush()
    return len(ids)


ALERT_LIMIT = 20


def alerts(db: Session, program_ids: list[int] | None) -> list[tuple[SessionMeeting, EchoSession, str]]:
    """For a coordinator's dashboard (None: every program, for site admins), in one query: upcoming
    sessions whose meeting could not be made, and past ones whose report did not come (or failed)
    and that have no report uploaded since. Newest first, at most ALERT_LIMIT."""
    if program_ids is not None and not program_ids:
        return []
    uploaded = select(AttendanceImport.id).where(AttendanceImport.session_id == EchoSession.id,
                                                 AttendanceImport.active).exists()
    statement = (select(SessionMeeting, EchoSession, Program.name)
                 .join(EchoSession, EchoSession.id == SessionMeeting.session_id)
                 .join(Program, Program.id == EchoSession.program_id)
                 .where(or_(and_(SessionMeeting.state == "failed", EchoSession.starts_at > utcnow()),
                            and_(SessionMeeting.attendance_state.in_(("gave_up", "failed")), ~uploaded)))
                 .order_by(EchoSession.starts_at.desc()).limit(ALERT_LIMIT))
    if program_ids is not None:
        statement = statement.where(EchoSession.program_id.in_(program_ids))
    return [(meeting, session, name) for meeting, session, name in db.exec(statement).all()]


def fetch_now(db: Session, session: EchoSession, *, actor: User) -> None:
    """A coordinator asks for the report again (after fixing a scope, say): due now, and looked
    for at least another hour even past the deadline."""
    meeting = meeting_of(db, session.id)
    if meeting is None or not meeting.meeting_id:
        raise InvalidTransition("This session has no Zoom or Teams meeting to fetch a report from.")
    if session.ends_at > utcnow():
        raise InvalidTransition("The session has not ended yet; its report is fetched after it ends.")
    meeting.attendance_deadline = max(meeting.attendance_deadline or utcnow(), utcnow() + timedelta(hours=1))
    meeting.attendance_state = "waiting"
    meeting.attendance_note = f"Asked for {platform_name(meeting.platform)}'s report again."
    db.add(meeting)
    enqueue(db, FETCH, session.id)
    audit.record(db, actor=actor, action="integration.fetch_requested", obj=session)
    db.flush()
