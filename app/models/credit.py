"""Continuing-education credit: a program's credit settings, each learner's credit per session,
and the certificates issued for it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column

DEFAULT_ACTIVITY_TYPE = "Live activity, regularly scheduled series"


class CreditSettings(SQLModel, table=True):
    """What the CME office configured for one program (one row per program)."""

    __tablename__ = "credit_settings"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", unique=True, ondelete="CASCADE")
    # app.exports.pdf_data.CREDIT_TYPES, in the order offered
    credit_types: list[str] = Field(default_factory=lambda: ["ama_pra_1"], sa_column=Column(JSON, nullable=False))
    max_credits: Decimal = Field(default=Decimal("1.00"), sa_type=Numeric(6, 2))  # per session
    # The maximum the designation statement names (for a series: the whole series); empty means
    # the per-session maximum.
    designation_max_credits: Decimal | None = Field(default=None, sa_type=Numeric(7, 2), nullable=True)
    step: Decimal = Field(default=Decimal("0.25"), sa_type=Numeric(4, 2))
    min_share: Decimal = Field(default=Decimal("0.75"), sa_type=Numeric(4, 3))
    evaluation_required: bool = Field(default=True)
    faculty_credit: bool = Field(default=False)
    # Raising a learner's attendance beyond what the reports show waits for the CME office's approval.
    raise_needs_approval: bool = Field(default=False)
    provider_name: str = Field(default="", max_length=200)
    provider_address: str = Field(default="", max_length=300)
    # Empty means the standard wording for each credit type (app.exports.pdf.default_statements).
    accreditation_statement: str = Field(default="", max_length=1000)
    designation_statement: str = Field(default="", max_length=1000)
    activity_type: str = Field(default=DEFAULT_ACTIVITY_TYPE, max_length=120)
    # Questions of the post-session evaluation; empty means the default three.
    evaluation_questions: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = created_at_field()


class CreditAward(SQLModel, table=True):
    """The credit one attendee earned for one session, recomputed whenever attendance changes."""

    __tablename__ = "credit_award"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    credit_type: str = Field(max_length=20)
    credits: Decimal = Field(default=Decimal("0.00"), sa_type=Numeric(6, 2))
    attended_seconds: int = Field(default=0)
    is_faculty: bool = Field(default=False)
    computed_at: datetime = created_at_field()


class Certificate(SQLModel, table=True):
    """An issued certificate. Never deleted: a correction that takes the credit away revokes it."""

    __tablename__ = "certificate"
    # At most one valid certificate per learner and session, whatever arrives at once (a double
    # click on "Claim" issued two). Revoked ones stay as history.
    __table_args__ = (
        Index("uq_certificate_valid_session_user", "session_id", "user_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        # The few revoked ones, by session: the credit CSV reads them for a period without a scan.
        Index("ix_certificate_revoked_session", "session_id",
              sqlite_where=text("revoked_at IS NOT NULL"), postgresql_where=text("revoked_at IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    credit_type: str = Field(max_length=20)
    credits: Decimal = Field(sa_type=Numeric(6, 2))
    learner_name: str = Field(max_length=200)  # as printed, so the verification page matches the PDF
    issued_at: datetime = created_at_field()
    issued_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoke_reason: str = Field(default="", max_length=300)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class EvaluationReminder(SQLModel, table=True):
    """The one reminder e-mail a learner gets about a session's evaluation (so never a second)."""

    __tablename__ = "evaluation_reminder"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()


class AttendanceAdjustment(SQLModel, table=True):
    """One hand adjustment of a learner's attended time, kept for good (never overwritten): `set`
    to `seconds`, or `clear` back to the reports. A raise beyond the report may wait for the CME
    office (status pending, then applied or rejected)."""

    __tablename__ = "attendance_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)  # set | clear
    seconds: int | None = Field(default=None)
    reported_seconds: int = Field(default=0)  # what the reports and check-ins gave at the time
    reason: str = Field(max_length=300)
    status: str = Field(default="applied", max_length=10)  # applied | pending | rejected
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
