"""Side effects that leave the process, queued in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),
                      Index("ix_outbox_message_sent", "status", "sent_at"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=60)
    # Ids only: the worker renders the message from current data when it sends it.
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=10)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_column=utc_column())
    claimed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str = Field(default="", max_length=500)
    # As last built, for the mail queue page (which must not render every row again): the To header
    # and the subject; empty until the worker has built the message once.
    recipient: str = Field(default="", max_length=500)
    subject: str = Field(default="", max_length=300)
    created_at: datetime = created_at_field()
