"""Calendar files for sessions: one session, a program's series, a member's private feed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy import func
from sqlmodel import Session, select

from app.config import Settings
from app.db import utcnow
from app.enums import SessionStatus
from app.exports.ical import IcsEvent, build_calendar
from app.models import EchoSession, Membership, Program, User
from app.services import audit


def session_url(settings: Settings, session: EchoSession) -> str:
    return f"{settings.base_url}/sessions/{session.id}"


def video_link(session: EchoSession, program: Program) -> str:
    return session.video_url or program.video_url


def agenda_text(session: EchoSession, program: Program) -> str:
    lines = []
    if session.status == SessionStatus.cancelled:
        lines.append(f"CANCELLED: {session.cancel_reason}")
    if session.didactic_topic:
        presenter = f" ({session.didactic_presenter})" if session.didactic_presenter else ""
        lines.append(f"Didactic: {session.didactic_topic}{presenter}")
    if session.case_slots:
        lines.append(f"Case presentations: {session.case_slots}")
    lines.append(f"Program: {program.name}")
    return "\n".join(lines)


def organizer_email(settings: Settings) -> str:
    """One ORGANIZER address for every event, whoever coordinates: calendar clients ignore an update
    whose organizer differs from the one they first saw for that UID."""
    return (settings.organizer_email or parseaddr(settings.mail_from)[1]).strip().lower()


def event_uid(session: EchoSession) -> str:
    """Stable for the session's life: no host name in it, so a new base URL duplicates nothing."""
    return str(session.uuid)


def to_event(settings: Settings, session: EchoSession, program: Program, *, with_link: bool = True) -> IcsEvent:
    """``with_link=False`` for anyone outside the program: the video link is for members only."""
    summary = program.name + (f": {session.didactic_topic}" if session.didactic_topic else "")
    return IcsEvent(
        uid=event_uid(session),
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        tzid=program.timezone,
        summary=summary,
        description=agenda_text(session, program),
        location=video_link(session, program) if with_link else "",
        conference=video_link(session, program) if with_link else "",
        # The join link where the reader may have it (LOCATION, URL and CONFERENCE all carry it, so
        # every calendar app shows a "join" button); the session's page otherwise.
        url=(video_link(session, program) if with_link else "") or session_url(settings, session),
        organizer_email=organizer_email(settings),
        organizer_name=program.name,
        status="CANCELLED" if session.status == SessionStatus.cancelled else "CONFIRMED",
        last_modified=session.updated_at,
    )


def session_ics(db: Session, settings: Settings, session: EchoSession, program: Program, *,
                with_link: bool) -> bytes:
    return build_calendar([to_event(settings, session, program, with_link=with_link)], calname=program.name)


def program_ics(db: Session, settings: Settings, program: Program, *, with_link: bool) -> bytes:
    sessions = db.exec(select(EchoSession).where(EchoSession.program_id == program.id)
                       .order_by(EchoSession.starts_at)).all()
    events = [to_event(settings, s, program, with_link=with_link) for s in sessions]
    return build_calendar(events, calname=program.name)


# The private feed lists the past year and everything to come: calendar apps poll it every 15
# minutes to a few hours, and years of past sessions would make every poll heavier for nothing.
FEED_PAST = timedelta(days=365)
# Bumped whenever the feed's bytes change for the same data (a new property, another layout), so
# that clients holding an old ETag get the new body.
FEED_FORMAT = "3"


def feed_window_start(now: datetime | None = None, *, past: timedelta = FEED_PAST) -> datetime:
    return (now or utcnow()) - past


def feed_fingerprint(db: Session, settings: Settings, user: User, *, since: datetime) -> str:
    """A short digest of everything the feed's bytes depend on, from two small aggregate queries
    (no event is built): the user's name, their programs' name, zone and link, and the sessions in
    the window (how many, their ids, SEQUENCEs and last change). Every change a calendar must pick
    up raises a session's SEQUENCE and updated_at, and a session leaving the window changes the
    count, so an unchanged digest means an unchanged feed: it is the feed's ETag."""
    programs = db.exec(select(Program.id, Program.name, Program.timezone, Program.video_url)
                       .join(Membership, Membership.program_id == Program.id)
                       .where(Membership.user_id == user.id).order_by(Program.id)).all()
    aggregate = db.exec(select(func.count(EchoSession.id), func.coalesce(func.sum(EchoSession.sequence), 0),
                               func.coalesce(func.sum(EchoSession.id), 0), func.max(EchoSession.updated_at),
                               func.min(EchoSession.starts_at))
                        .join(Membership, Membership.program_id == EchoSession.program_id)
                        .where(Membership.user_id == user.id, EchoSession.starts_at >= since)).one()
    material = repr((FEED_FORMAT, settings.base_url, organizer_email(settings), user.id, user.full_name,
                     [tuple(row) for row in programs], tuple(str(value) for value in aggregate)))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def feed_ics(db: Session, settings: Settings, user: User, *, since: datetime | None = None) -> bytes:
    """Every session of every program the user belongs to that starts after ``since`` (default: the
    past year and all future sessions)."""
    since = since or feed_window_start()
    program_ids = list(db.exec(select(Membership.program_id).where(Membership.user_id == user.id)).all())
    programs = {p.id: p for p in db.exec(select(Program).where(Program.id.in_(program_ids))).all()}
    sessions = db.exec(select(EchoSession).where(EchoSession.program_id.in_(program_ids),
                                                 EchoSession.starts_at >= since)
                       .order_by(EchoSession.starts_at)).all()
    events = [to_event(settings, s, programs[s.program_id]) for s in sessions]
    return build_calendar(events, calname=f"Telementor — {user.full_name}")


def user_for_feed_token(db: Session, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    user = db.exec(select(User).where(User.calendar_token == token)).first()
    if user is None or not user.is_active or not secrets.compare_digest(user.calendar_token, token):
        return None
    return user


def new_feed_token(db: Session, user: User, *, actor: User) -> str:
    """Issue (or replace) the secret of the user's feed; the old link stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    audit.record(db, actor=actor, action="calendar_feed.issued", obj=user)
    db.flush()
    return user.calendar_token


def revoke_feed_token(db: Session, user: User, *, actor: User) -> None:
    user.calendar_token = None
    audit.record(db, actor=actor, action="calendar_feed.revoked", obj=user)
    db.flush()

