"""Calendar invites by e-mail (iMIP, RFC 6047): one message per member, through the outbox.

Once a session's invites have gone out, every later move, cancellation or restoration sends the
same UID with a higher SEQUENCE, so calendars update or remove the event instead of keeping a
stale copy (DOMAIN.md §5).
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.db import utcnow
from app.enums import SessionStatus
from app.errors import InvalidTransition
from app.models import EchoSession, Membership, User
from app.services import audit, outbox


def _member_ids(db: Session, session: EchoSession) -> list[int]:
    return list(db.exec(select(Membership.user_id).join(User, User.id == Membership.user_id).where(
        Membership.program_id == session.program_id, User.is_active).order_by(Membership.user_id)).all())


def send_invites(db: Session, session: EchoSession, *, actor: User) -> int:
    """E-mail every member of the program an invite to this session. Returns how many."""
    if session.starts_at <= utcnow():
        raise InvalidTransition("This session has started; invites go out for upcoming sessions only.")
    if session.status == SessionStatus.cancelled:
        raise InvalidTransition("This session is cancelled. Restore it before sending invites.")
    member_ids = _member_ids(db, session)
    for user_id in member_ids:
        outbox.enqueue(db, "session_invite", session_id=session.id, user_id=user_id)
    session.invited_at = session.invited_at or utcnow()
    audit.record(db, actor=actor, action="session.invites_sent", obj=session, recipients=len(member_ids))
    db.flush()
    return len(member_ids)


def send_updates(db: Session, session: EchoSession) -> int:
    """After a change: members who were invited get the update (or the cancellation)."""
    if session.invited_at is None:
        return 0
    member_ids = _member_ids(db, session)
    for user_id in member_ids:
        outbox.enqueue(db, "session_invite", session_id=session.id, user_id=user_id)
    return len(member_ids)
