"""The outbox: side effects queued in the caller's transaction, sent later by the worker.

Several workers may run side by side on PostgreSQL: each claims rows with
SELECT ... FOR UPDATE SKIP LOCKED, so a message is sent at most once per try.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import delete, insert, or_
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from app.config import Settings
from app.db import utcnow
from app.errors import InvalidTransition
from app.mail import MailError, deliver
from app.models import OutboxMessage, User
from app.services import audit
from app.services.emails import RENDERERS

log = logging.getLogger("telementor.outbox")

MAX_ATTEMPTS = 8
# A claimed message whose worker died is claimed again after this long.
STALE_CLAIM = timedelta(minutes=10)


def enqueue(db: Session, kind: str, **payload: Any) -> OutboxMessage:
    if kind not in RENDERERS:
        raise ValueError(f"no renderer for outbox kind {kind!r}")
    message = OutboxMessage(kind=kind, payload=payload, next_attempt_at=utcnow())
    db.add(message)
    db.flush()
    return message


def enqueue_many(db: Session, kind: str, payloads: list[dict[str, Any]]) -> int:
    """Queue one message per payload with a single multi-row INSERT (not one flush per message):
    e-mailing invites to 730 members costs a handful of statements, not 730."""
    if kind not in RENDERERS:
        raise ValueError(f"no renderer for outbox kind {kind!r}")
    if not payloads:
        return 0
    now = utcnow()
    db.flush()
    db.execute(insert(OutboxMessage), [
        {"kind": kind, "payload": payload, "next_attempt_at": now, "status": "pending", "attempts": 0,
         "last_error": "", "recipient": "", "subject": "", "created_at": now}
        for payload in payloads])
    return len(payloads)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes between tries, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def claim_due(db: Session, *, limit: int = 20) -> list[OutboxMessage]:
    now = utcnow()
    statement = (
        select(OutboxMessage)
        .where(
            or_(
                (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - STALE_CLAIM),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    messages = list(db.exec(statement).all())
    for message in messages:
        message.status = "sending"
        message.claimed_at = now
        message.attempts += 1
    db.commit()
    return messages


def send_one(db: Session, settings: Settings, message: OutboxMessage) -> bool:
    """Render and deliver one claimed message; record the outcome. True when sent.

    A message that cannot be built (bad data, an unknown kind) is marked dead with the reason at
    once and never holds up the others. Database errors propagate: the worker backs off, and the
    claim expires so the message is tried again.
    """
    db.expire_all()  # render from the data as it is now, not as this session last saw it
    try:
        email = _render(db, settings, message)
        if email is not None:
            message.recipient, message.subject = str(email["To"])[:500], str(email["Subject"])[:300]
            deliver(settings, email)
    except MailError as exc:
        return _failed(db, message, str(exc), permanent=exc.permanent)
    except SQLAlchemyError:
        raise
    except Exception as exc:  # noqa: BLE001  one broken message must not stop the queue
        return _failed(db, message, f"cannot build the message: {type(exc).__name__}: {exc}", permanent=True)
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = ""
    db.commit()
    return True


def _render(db: Session, settings: Settings, message: OutboxMessage) -> EmailMessage | None:
    renderer = RENDERERS.get(message.kind)
    if renderer is None:
        raise LookupError(f"no renderer for outbox kind {message.kind!r}")
    return renderer(db, settings, message.payload)


def _failed(db: Session, message: OutboxMessage, error: str, *, permanent: bool) -> bool:
    message.last_error = error[:500]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = "dead"
    else:
        message.status = "pending"
        message.next_attempt_at = utcnow() + backoff(message.attempts)
    db.commit()
    log.warning("outbox message %s (%s) failed, try %s%s: %s", message.id, message.kind, message.attempts,
                " (given up)" if message.status == "dead" else "", error)
    return False


def drain(db: Session, settings: Settings, *, limit: int = 20) -> tuple[int, int]:
    """Send what is due now. Returns (sent, failed)."""
    sent = failed = 0
    while batch := claim_due(db, limit=limit):
        for message in batch:
            if send_one(db, settings, message):
                sent += 1
            else:
                failed += 1
        if len(batch) < limit:
            break
    return sent, failed


def requeue(db: Session, message: OutboxMessage, *, actor: User) -> None:
    """Give a dead message a fresh set of tries, due now (after the cause has been fixed)."""
    if message.status != "dead":
        raise InvalidTransition("Only a message that has been given up can be queued again.")
    message.status, message.attempts, message.next_attempt_at = "pending", 0, utcnow()
    audit.record(db, actor=actor, action="outbox.requeued", obj=message, last_error=message.last_error)
    db.flush()


PRUNE_BATCH = 5_000


def prune_sent(db: Session, settings: Settings, *, batch: int = PRUNE_BATCH) -> int:
    """Delete sent e-mail older than ``mail_retention_days``, a batch at a time (short transactions,
    no long lock on a table of half a million rows). Invites of sessions that have not started yet
    stay: they are the record of who was invited, which later updates and cancellations follow.
    Dead and pending messages stay until someone acts on them. Returns how many were deleted."""
    from app.models import EchoSession  # noqa: PLC0415  (models import this module's renderers)
    from app.services.invites import INVITE  # noqa: PLC0415

    cutoff = utcnow() - timedelta(days=settings.mail_retention_days)
    upcoming = select(EchoSession.id).where(EchoSession.starts_at > utcnow())
    invite_session = OutboxMessage.payload["session_id"].as_integer()
    deleted = 0
    while True:
        ids = list(db.exec(select(OutboxMessage.id).where(
            OutboxMessage.status == "sent", OutboxMessage.sent_at < cutoff,
            or_(OutboxMessage.kind != INVITE, invite_session.not_in(upcoming)))
            .order_by(OutboxMessage.id).limit(batch)).all())
        if not ids:
            return deleted
        db.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
        db.commit()
        deleted += len(ids)
        if len(ids) < batch:
            return deleted
