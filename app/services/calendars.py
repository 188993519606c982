"""Calendar files for sessions: one session, a program's series, a member's private feed."""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from app.config import Settings
from app.enums import ProgramRole, SessionStatus
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


def organizers(db: Session, program_ids: list[int]) -> dict[int, User]:
    """The first coordinator of each program (by when they joined): the ORGANIZER of its events."""
    rows = db.exec(
        select(Membership.program_id, User).join(User, User.id == Membership.user_id)
        .where(Membership.program_id.in_(program_ids), Membership.role == ProgramRole.coordinator)
        .order_by(Membership.program_id, Membership.id)
    ).all()
    found: dict[int, User] = {}
    for program_id, user in rows:
        found.setdefault(program_id, user)
    return found


def to_event(settings: Settings, session: EchoSession, program: Program, organizer: User | None) -> IcsEvent:
    summary = program.name + (f": {session.didactic_topic}" if session.didactic_topic else "")
    return IcsEvent(
        uid=f"{session.uuid}@{settings.host}",
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        tzid=program.timezone,
        summary=summary,
        description=agenda_text(session, program),
        location=video_link(session, program),
        url=session_url(settings, session),
        organizer_email=organizer.email if organizer else "",
        organizer_name=organizer.full_name if organizer else "",
        status="CANCELLED" if session.status == SessionStatus.cancelled else "CONFIRMED",
        last_modified=session.updated_at,
    )


def session_ics(db: Session, settings: Settings, session: EchoSession, program: Program) -> bytes:
    organizer = organizers(db, [program.id]).get(program.id)
    return build_calendar([to_event(settings, session, program, organizer)], calname=program.name)


def program_ics(db: Session, settings: Settings, program: Program) -> bytes:
    organizer = organizers(db, [program.id]).get(program.id)
    sessions = db.exec(select(EchoSession).where(EchoSession.program_id == program.id)
                       .order_by(EchoSession.starts_at)).all()
    return build_calendar([to_event(settings, s, program, organizer) for s in sessions], calname=program.name)


def feed_ics(db: Session, settings: Settings, user: User) -> bytes:
    """Every session of every program the user belongs to."""
    program_ids = list(db.exec(select(Membership.program_id).where(Membership.user_id == user.id)).all())
    programs = {p.id: p for p in db.exec(select(Program).where(Program.id.in_(program_ids))).all()}
    owners = organizers(db, program_ids)
    sessions = db.exec(select(EchoSession).where(EchoSession.program_id.in_(program_ids))
                       .order_by(EchoSession.starts_at)).all()
    events = [to_event(settings, s, programs[s.program_id], owners.get(s.program_id)) for s in sessions]
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

