"""Sessions of a program: the recurring series they come from and each session itself."""

from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime

from sqlalchemy import Index, Uuid
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, new_uuid, utc_column


class SessionSeries(SQLModel, table=True):
    """The rule a coordinator gave; its sessions are rows of echo_session."""

    __tablename__ = "session_series"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)  # weekly | monthly
    interval: int = Field(default=1)
    weekday: int  # 0 = Monday
    week_of_month: int | None = Field(default=None)  # 1-4 or -1 (last), monthly only
    first_date: date
    start_time: str = Field(max_length=5)  # HH:MM local time in the program's zone
    duration_minutes: int
    timezone: str = Field(max_length=64)
    until: date | None = Field(default=None)
    count: int | None = Field(default=None)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class EchoSession(SQLModel, table=True):
    __tablename__ = "echo_session"
    # A program's sessions in time order, a page at a time (migration 0014).
    __table_args__ = (Index("ix_echo_session_program_id_starts_at_id", "program_id", "starts_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # Stable across moves and cancellations: calendar clients match events by it.
    uuid: uuid_module.UUID = Field(default_factory=new_uuid, sa_type=Uuid, unique=True, index=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    series_id: int | None = Field(default=None, foreign_key="session_series.id", index=True, ondelete="SET NULL")
    starts_at: datetime = Field(sa_column=utc_column(index=True))
    ends_at: datetime = Field(sa_column=utc_column())
    status: str = Field(default="scheduled", max_length=12)  # enums.SessionStatus
    cancel_reason: str = Field(default="", max_length=300)
    # Empty means the program's default link.
    video_url: str = Field(default="", max_length=500)
    didactic_topic: str = Field(default="", max_length=200)
    didactic_presenter: str = Field(default="", max_length=200)
    case_slots: int = Field(default=2)
    # Raised on every change of time, place or status (iCalendar SEQUENCE).
    sequence: int = Field(default=0)
    # When members were first e-mailed an invite; from then on changes reach them as updates.
    invited_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Where the series first put it, once it has been moved.
    original_starts_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
