"""The outbox: side effects queued in the caller's transaction, sent later by the worker.

Several workers may run side by side on PostgreSQL: each claims rows with
SELECT ... FOR UPDATE SKIP LOCKED, so a message is sent at most once per try.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, select

from app.config import Settings
from app.db import utcnow
from app.mail import MailError, deliver
from app.models import OutboxMessage
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
    """Render and deliver one claimed message; record the outcome. True when sent."""
    db.expire_all()  # render from the data as it is now, not as this session last saw it
    try:
        email = RENDERERS[message.kind](db, settings, message.payload)
        if email is not None:
            deliver(settings, email)
    except (MailError, KeyError, LookupError) as exc:
        _record_failure(message, str(exc))
        db.commit()
        log.warning("outbox message %s (%s) failed, try %s: %s", message.id, message.kind, message.attempts, exc)
        return False
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = ""
    db.commit()
    return True


def _record_failure(message: OutboxMessage, error: str) -> None:
    message.last_error = error[:500]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "dead"
    else:
        message.status = "pending"
        message.next_attempt_at = utcnow() + backoff(message.attempts)


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
