"""The audit trail: structured, PHI-free records of who did what."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel

from app.models import AuditEvent, User


def record(db: Session, *, actor: User | None, action: str, obj: SQLModel, **details: Any) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=obj.__tablename__,
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.add(event)
    return event
