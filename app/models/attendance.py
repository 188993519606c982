"""Attendance of sessions: imported reports, the people in them, each attendee's record,
check-in codes and post-session evaluations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class AttendanceImport(SQLModel, table=True):
    """One uploaded report for one session. Every report counts (a restarted meeting has several)
    until a coordinator removes it; `active` is False only for reports replaced before reports
    were kept (migration 0011), which no longer count."""

    __tablename__ = "attendance_import"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=20)  # zoom | teams | csv (app.attendance.SourceKind, family only)
    layout: str = Field(max_length=20)  # the exact SourceKind, e.g. zoom-unique
    fingerprint: str = Field(max_length=64)  # sha256 of the uploaded bytes
    filename: str = Field(default="", max_length=200)
    people: int = Field(default=0)
    # Data rows of the file (rejoins included) and the span of its join/leave times (UTC);
    # None for reports imported before these were recorded, and the span for reports without times.
    row_count: int | None = Field(default=None)
    first_join: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_leave: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The meeting start the report itself states (Zoom's meeting block, Teams' summary), and the
    # offset from the session's start the coordinator confirmed when it was more than 10 minutes.
    meeting_start: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    confirmed_offset_minutes: int | None = Field(default=None)
    active: bool = Field(default=True)
    imported_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class ReportPerson(SQLModel, table=True):
    """One person of an imported report (their rows merged) and what they were matched to.

    status: email | alias | name (matched automatically; alias = a remembered e-mail or device
    name), ambiguous | unmatched | conflict (the name is a member's, the e-mail is not theirs) |
    unverified (an unauthenticated Teams guest) (waiting for the coordinator), member (matched
    by hand), guest (not a member; no credit), ignored.
    """

    __tablename__ = "report_person"

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="attendance_import.id", index=True, ondelete="CASCADE")
    display_name: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    status: str = Field(max_length=12)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL")
    candidate_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Merged join/leave intervals as [[iso, iso], ...] in UTC; empty for duration-only reports.
    intervals: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Duration-only reports (Zoom "unique users") give seconds without times.
    reported_seconds: int = Field(default=0)


class AttendanceRecord(SQLModel, table=True):
    """What counts for credit: one attendee of one session, from every source combined.

    `computed_seconds` is rebuilt from the active imports and the check-in; a coordinator's
    adjustment (`adjusted_seconds`, with a reason) overrides it and survives re-imports.
    Guests have no account: `user_id` is empty and `guest_name` says who they were.
    """

    __tablename__ = "attendance_record"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True, ondelete="CASCADE")
    guest_name: str = Field(default="", max_length=200)
    sources: str = Field(default="", max_length=60)  # e.g. "zoom,checkin"
    computed_seconds: int = Field(default=0)
    adjusted_seconds: int | None = Field(default=None)
    adjust_reason: str = Field(default="", max_length=300)
    adjusted_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    checked_in_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = created_at_field()

    @property
    def adjusted(self) -> bool:
        return self.adjusted_seconds is not None

    @property
    def attended_seconds(self) -> int:
        return self.adjusted_seconds if self.adjusted_seconds is not None else self.computed_seconds

    @property
    def attended_minutes(self) -> float:
        return self.attended_seconds / 60


class CheckInCode(SQLModel, table=True):
    """The short code a coordinator shows during a session; clinicians type it to check in."""

    __tablename__ = "checkin_code"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", unique=True, ondelete="CASCADE")
    code: str = Field(max_length=12)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Evaluation(SQLModel, table=True):
    """A learner's answers to the post-session evaluation (choices only: no free text, no PHI)."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()


class EmailAlias(SQLModel, table=True):
    """Another address a member joins meetings with, learnt when a coordinator matches a report
    row by hand; later imports match it automatically ("alias" match)."""

    __tablename__ = "email_alias"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254, unique=True)
    created_at: datetime = created_at_field()


class NameAlias(SQLModel, table=True):
    """A name a member joins one program's meetings under ("Jim's iPad"), learnt when a
    coordinator matches a report row without e-mail by hand; later imports of that program
    match it automatically ("alias" match). Stored normalised (app.attendance.normalise_name)."""

    __tablename__ = "name_alias"
    __table_args__ = (UniqueConstraint("program_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    name_key: str = Field(max_length=200)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
