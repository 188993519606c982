"""Calendar invites by e-mail (iMIP, RFC 6047): one message per member, through the outbox.

Once a session's invites have gone out, every later change of time, link, agenda or status sends
the same UID with a higher SEQUENCE to everyone invited, so calendars update or remove the event
instead of keeping a stale copy (DOMAIN.md §5). Someone who leaves the program gets a CANCEL for
every upcoming session they were invited to. Each message is rendered when it is sent, from the
session as it is then (``emails.session_invite``).
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, select

from app.db import utcnow
from app.enums import SessionStatus
from app.errors import InvalidTransition
from app.models import EchoSession, Membership, OutboxMessage, Program, User
from app.services import audit, outbox

INVITE = "session_invite"


def _member_ids(db: Session, session: EchoSession) -> list[int]:
    return list(db.exec(select(Membership.user_id).join(User, User.id == Membership.user_id).where(
        Membership.program_id == session.program_id, User.is_active).order_by(Membership.user_id)).all())


def _payload_ids():
    """The session and user ids in an invite's outbox payload, as SQL expressions (both databases)."""
    session_id = OutboxMessage.payload["session_id"].as_integer()
    user_id = OutboxMessage.payload["user_id"].as_integer()
    return session_id, user_id


def _already_invited(db: Session, session: EchoSession) -> set[int]:
    session_id, user_id = _payload_ids()
    return set(db.exec(select(user_id).where(
        OutboxMessage.kind == INVITE, session_id == session.id, OutboxMessage.status != "dead")).all())


def _lock_for_invites(db: Session, session: EchoSession) -> None:
    """Serialise "E-mail invites" for one session: the UPDATE takes the row lock on PostgreSQL and
    the write lock on SQLite, so a second click waits here and then sees the first one's rows."""
    now = utcnow()
    db.execute(update(EchoSession).where(EchoSession.id == session.id)
               .values(invited_at=func.coalesce(EchoSession.invited_at, now))
               .execution_options(synchronize_session=False))
    session.invited_at = session.invited_at or now


def send_invites(db: Session, session: EchoSession, *, actor: User) -> int:
    """E-mail every member who has not had this session's invite yet. Returns how many were queued:
    a double click (or two coordinators at once) queues each member once."""
    if session.starts_at <= utcnow():
        raise InvalidTransition("This session has started; invites go out for upcoming sessions only.")
    if session.status == SessionStatus.cancelled:
        raise InvalidTransition("This session is cancelled. Restore it before sending invites.")
    _lock_for_invites(db, session)
    already = _already_invited(db, session)
    new_ids = [user_id for user_id in _member_ids(db, session) if user_id not in already]
    outbox.enqueue_many(db, INVITE, [{"session_id": session.id, "user_id": user_id} for user_id in new_ids])
    audit.record(db, actor=actor, action="session.invites_sent", obj=session, recipients=len(new_ids))
    db.flush()
    return len(new_ids)


def send_updates(db: Session, session: EchoSession) -> int:
    """After a change: members who were invited get the update (or the cancellation)."""
    if session.invited_at is None:
        return 0
    member_ids = _member_ids(db, session)
    return outbox.enqueue_many(db, INVITE, [{"session_id": session.id, "user_id": u} for u in member_ids])


def changed(db: Session, session: EchoSession) -> int:
    """A change calendars must pick up (agenda, link): raise SEQUENCE and send the update."""
    session.sequence += 1
    session.updated_at = utcnow()
    return send_updates(db, session)


def program_link_changed(db: Session, program: Program) -> int:
    """The program's default video link changed: upcoming sessions that use it are updated."""
    sessions = db.exec(select(EchoSession).where(
        EchoSession.program_id == program.id, EchoSession.video_url == "",
        EchoSession.status == SessionStatus.scheduled, EchoSession.starts_at > utcnow())).all()
    return sum(changed(db, session) for session in sessions)


def member_removed(db: Session, program: Program, user_id: int) -> int:
    """Someone left the program: a CANCEL for every upcoming session they were sent an invite to
    (the renderer sends CANCEL to anyone who is no longer a member). Returns how many."""
    session_id, invited_user = _payload_ids()
    invited = select(session_id).where(OutboxMessage.kind == INVITE, invited_user == user_id)
    sessions = db.exec(select(EchoSession.id).where(
        EchoSession.id.in_(invited), EchoSession.program_id == program.id,
        EchoSession.status == SessionStatus.scheduled, EchoSession.starts_at > utcnow())
        .order_by(EchoSession.starts_at)).all()
    for invited_session_id in sessions:
        outbox.enqueue(db, INVITE, session_id=invited_session_id, user_id=user_id)
    return len(sessions)
