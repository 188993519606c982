"""The session schedule: series, single sessions, moves, cancellations, agendas.

Every change of time, place or status raises the session's sequence number, so calendar
clients that already hold the event replace it instead of keeping a stale copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func
from sqlmodel import Session, select

from app.db import utcnow
from app.enums import SessionStatus
from app.errors import InvalidInput, InvalidTransition
from app.models import EchoSession, Program, SessionSeries, User
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, paginate
from app.scheduling.recurrence import (
    MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, RecurrenceRule, expand, local_to_utc,
)
from app.services import audit, integrations, invites, phi_gate

MAX_CASE_SLOTS = 6


def _check_url(url: str) -> str | None:
    if url and not url.startswith(("https://", "http://")):
        return "Give a web address starting with https://"
    if len(url) > 500:
        return "Use at most 500 characters."
    return None


def create_series(db: Session, program: Program, rule: RecurrenceRule, *, actor: User) -> SessionSeries:
    if rule.timezone != program.timezone:
        raise InvalidInput(fields={"timezone": f"Sessions of this program are in {program.timezone}."})
    series = SessionSeries(
        program_id=program.id, kind=rule.kind, interval=rule.interval, weekday=rule.weekday,
        week_of_month=rule.week_of_month, first_date=rule.first_date, start_time=rule.start_time.strftime("%H:%M"),
        duration_minutes=rule.duration_minutes, timezone=rule.timezone, until=rule.until, count=rule.count,
        created_by_id=actor.id,
    )
    db.add(series)
    db.flush()
    occurrences = expand(rule)
    for occurrence in occurrences:
        db.add(EchoSession(program_id=program.id, series_id=series.id,
                           starts_at=occurrence.starts_at_utc, ends_at=occurrence.ends_at_utc))
    audit.record(db, actor=actor, action="series.created", obj=series, sessions=len(occurrences))
    db.flush()
    integrations.series_created(db, series.id, program.id)  # a Zoom or Teams meeting per session
    return series


@dataclass
class SessionTime:
    """A session's local date, start time and length, as a coordinator types them."""

    local_date: date
    start_time: time
    duration_minutes: int

    def errors(self) -> dict[str, str]:
        if not MIN_DURATION_MINUTES <= self.duration_minutes <= MAX_DURATION_MINUTES:
            return {"duration_minutes": f"A session lasts {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes."}
        return {}


def _future_window(program: Program, when: SessionTime, video_url: str, *, past: str) -> tuple[datetime, datetime]:
    """The session's UTC start and end, or InvalidInput naming each bad field (a time in the past too)."""
    errors = when.errors()
    if url_error := _check_url(video_url):
        errors["video_url"] = url_error
    starts_at = local_to_utc(when.local_date, when.start_time, ZoneInfo(program.timezone))
    if not errors and starts_at <= utcnow():
        errors["local_date"] = past
    if errors:
        raise InvalidInput(fields=errors)
    return starts_at, starts_at + timedelta(minutes=when.duration_minutes)


def create_single(db: Session, program: Program, when: SessionTime, *, actor: User, video_url: str = "",
                  didactic_topic: str = "") -> EchoSession:
    starts_at, ends_at = _future_window(program, when, video_url, past="A new session must start in the future.")
    session = EchoSession(program_id=program.id, starts_at=starts_at, ends_at=ends_at,
                          video_url=video_url.strip(), didactic_topic=didactic_topic.strip()[:200])
    db.add(session)
    db.flush()
    audit.record(db, actor=actor, action="session.created", obj=session)
    integrations.session_changed(db, session)
    return session


def is_changeable(session: EchoSession) -> bool:
    return session.starts_at > utcnow()


def _require_changeable(session: EchoSession, *, allow_cancelled: bool = False) -> None:
    if not is_changeable(session):
        raise InvalidTransition("This session has already started; past sessions cannot be changed.")
    if session.status == SessionStatus.cancelled and not allow_cancelled:
        raise InvalidTransition("This session is cancelled. Restore it before changing it.")


def _touch(session: EchoSession) -> None:
    session.sequence += 1
    session.updated_at = utcnow()


def move(db: Session, session: EchoSession, program: Program, when: SessionTime, *, video_url: str,
         actor: User) -> None:
    _require_changeable(session)
    starts_at, ends_at = _future_window(program, when, video_url, past="Move the session to a time in the future.")
    if (starts_at, ends_at, video_url.strip()) == (session.starts_at, session.ends_at, session.video_url):
        return
    old = {"starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat()}
    if session.original_starts_at is None and starts_at != session.starts_at:
        session.original_starts_at = session.starts_at
    session.starts_at, session.ends_at, session.video_url = starts_at, ends_at, video_url.strip()
    _touch(session)
    audit.record(db, actor=actor, action="session.moved", obj=session, old=old,
                 new={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    invites.send_updates(db, session)
    integrations.session_changed(db, session)
    db.flush()


def cancel(db: Session, session: EchoSession, *, reason: str, actor: User) -> None:
    _require_changeable(session)
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(fields={"reason": "Say why the session is cancelled; members see it."})
    if len(reason) > 300:
        raise InvalidInput(fields={"reason": "Use at most 300 characters."})
    phi_gate.require_clean_text({"reason": reason}, limit=300)  # e-mailed to every member
    session.status, session.cancel_reason = SessionStatus.cancelled, reason
    _touch(session)
    audit.record(db, actor=actor, action="session.cancelled", obj=session)
    invites.send_updates(db, session)
    integrations.session_changed(db, session)
    db.flush()


def restore(db: Session, session: EchoSession, *, actor: User) -> None:
    _require_changeable(session, allow_cancelled=True)
    if session.status != SessionStatus.cancelled:
        raise InvalidTransition("Only a cancelled session can be restored.")
    session.status, session.cancel_reason = SessionStatus.scheduled, ""
    _touch(session)
    audit.record(db, actor=actor, action="session.restored", obj=session)
    invites.send_updates(db, session)
    integrations.session_changed(db, session)
    db.flush()


@dataclass
class Agenda:
    didactic_topic: str = ""
    didactic_presenter: str = ""
    case_slots: int = 2


def update_agenda(db: Session, session: EchoSession, agenda: Agenda, *, actor: User) -> None:
    _require_changeable(session)
    errors = {}
    if len(agenda.didactic_topic.strip()) > 200:
        errors["didactic_topic"] = "Use at most 200 characters."
    if len(agenda.didactic_presenter.strip()) > 200:
        errors["didactic_presenter"] = "Use at most 200 characters."
    if not 0 <= agenda.case_slots <= MAX_CASE_SLOTS:
        errors["case_slots"] = f"A session has 0 to {MAX_CASE_SLOTS} case slots."
    if errors:
        raise InvalidInput(fields=errors)
    phi_gate.require_clean_text({"didactic_topic": agenda.didactic_topic.strip()}, limit=200)
    new = (agenda.didactic_topic.strip(), agenda.didactic_presenter.strip(), agenda.case_slots)
    if new == (session.didactic_topic, session.didactic_presenter, session.case_slots):
        return
    session.didactic_topic, session.didactic_presenter, session.case_slots = new
    _touch(session)  # the agenda is in the calendar event's title and description
    audit.record(db, actor=actor, action="session.agenda_updated", obj=session)
    invites.send_updates(db, session)
    integrations.session_changed(db, session)  # the meeting's topic
    db.flush()


def change_rest_of_series(db: Session, session: EchoSession, program: Program, *, start_time: time,
                          duration_minutes: int, video_url: str, actor: User) -> int:
    """Give this session and the later scheduled ones of its series a new time, length and link.

    Earlier and cancelled sessions keep what they have. Returns how many sessions changed.
    """
    if session.series_id is None:
        raise InvalidInput("This session is not part of a series.")
    _require_changeable(session)
    errors = SessionTime(date.today(), start_time, duration_minutes).errors()
    if url_error := _check_url(video_url):
        errors["video_url"] = url_error
    if errors:
        raise InvalidInput(fields=errors)
    zone = ZoneInfo(program.timezone)
    rest = db.exec(select(EchoSession).where(
        EchoSession.series_id == session.series_id, EchoSession.starts_at >= session.starts_at,
        EchoSession.status == SessionStatus.scheduled).order_by(EchoSession.starts_at)).all()
    changed = 0
    for item in rest:
        local_day = item.starts_at.astimezone(zone).date()
        starts_at = local_to_utc(local_day, start_time, zone)
        ends_at = starts_at + timedelta(minutes=duration_minutes)
        if (starts_at, ends_at, video_url.strip()) != (item.starts_at, item.ends_at, item.video_url):
            item.starts_at, item.ends_at, item.video_url = starts_at, ends_at, video_url.strip()
            _touch(item)
            invites.send_updates(db, item)
            integrations.session_changed(db, item)
            changed += 1
    audit.record(db, actor=actor, action="series.changed_from", obj=session, sessions=changed)
    db.flush()
    return changed


def program_sessions(db: Session, program_id: int) -> list[EchoSession]:
    return list(db.exec(select(EchoSession).where(EchoSession.program_id == program_id)
                        .order_by(EchoSession.starts_at)).all())


def split_upcoming(sessions: list[EchoSession]) -> tuple[list[EchoSession], list[EchoSession]]:
    now = utcnow()
    upcoming = [s for s in sessions if s.ends_at > now]
    past = [s for s in sessions if s.ends_at <= now]
    past.reverse()
    return upcoming, past


# What the program page's session tables show: no agenda texts, no video links.
GLANCE_COLUMNS = (EchoSession.id, EchoSession.starts_at, EchoSession.status, EchoSession.didactic_topic,
                  EchoSession.original_starts_at)


@dataclass(frozen=True)
class ScheduleGlance:
    upcoming: list
    upcoming_total: int
    past: list
    past_total: int


def schedule_glance(db: Session, program_id: int, *, upcoming: int = 10, past: int = 5) -> ScheduleGlance:
    """The program page's view of the schedule: the next sessions (one still running counts as
    upcoming), the latest ones held, and how many of each there are. Three queries whatever the
    program's history, each reading at most its few rows."""
    now = utcnow()
    of_program = select(*GLANCE_COLUMNS).where(EchoSession.program_id == program_id)
    next_rows = db.exec(of_program.where(EchoSession.ends_at > now)
                        .order_by(EchoSession.starts_at, EchoSession.id).limit(upcoming)).all()
    last_rows = db.exec(of_program.where(EchoSession.ends_at <= now)
                        .order_by(EchoSession.starts_at.desc(), EchoSession.id.desc()).limit(past)).all()
    upcoming_total, past_total = db.exec(
        select(func.count(case((EchoSession.ends_at > now, 1))), func.count(case((EchoSession.ends_at <= now, 1))))
        .where(EchoSession.program_id == program_id)).one()
    return ScheduleGlance(list(next_rows), upcoming_total, list(last_rows), past_total)


# The upcoming sessions page: the whole schedule ahead, soonest first (a running session included).
UPCOMING_SORTS = Sorts({"soonest": SortOrder(EchoSession.starts_at, EchoSession.id, datetime)}, default="soonest")


def upcoming_page(db: Session, program_id: int, *, cursor: str | None = None,
                  limit: int = DEFAULT_PAGE_SIZE) -> tuple[Page, int]:
    """One page of the program's sessions that have not ended (cancelled ones too, marked), with
    the glance's columns, and how many there are in all: two queries whatever the schedule's length,
    both against the same moment, so a session ending meanwhile is counted as it is listed."""
    now = utcnow()
    upcoming = (EchoSession.program_id == program_id, EchoSession.ends_at > now)
    _, page = paginate(db, select(*GLANCE_COLUMNS).where(*upcoming), UPCOMING_SORTS,
                       scope=f"upcoming|{program_id}", cursor=cursor, limit=limit)
    total = db.exec(select(func.count()).select_from(EchoSession).where(*upcoming)).one()
    return page, total


def coming_up(db: Session, program_ids: list[int], *, limit: int = 3) -> list[tuple[EchoSession, Program]]:
    """The next sessions (not cancelled, not ended) of these programs, soonest first, with their
    program: the home page's "Coming up", one query whatever the schedules' length."""
    if not program_ids:
        return []
    rows = db.exec(select(EchoSession, Program).join(Program, Program.id == EchoSession.program_id)
                   .where(EchoSession.program_id.in_(program_ids), EchoSession.ends_at > utcnow(),
                          EchoSession.status != SessionStatus.cancelled)
                   .order_by(EchoSession.starts_at, EchoSession.id).limit(limit)).all()
    return [(session, program) for session, program in rows]
