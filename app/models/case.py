"""Case presentations: de-identified patient cases a spoke clinician brings to the hub.

No text reaches these tables unless the PHI check found nothing unresolved in it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class CasePresentation(SQLModel, table=True):
    __tablename__ = "case_presentation"
    __table_args__ = (
        UniqueConstraint("program_id", "number"),
        # Keyset pages of the case lists (migration 0014): newest change first, follow-ups due.
        Index("ix_case_presentation_updated_at_id", "updated_at", "id"),
        Index("ix_case_presentation_follow_up_on", "follow_up_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    presenter_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    # Short, per program: "HCV-12". Used on agendas and in sessions instead of any patient detail.
    number: str = Field(max_length=24)
    preferred_session_id: int | None = Field(default=None, foreign_key="echo_session.id", ondelete="SET NULL")
    status: str = Field(default="draft", max_length=12, index=True)  # enums.CaseStatus
    age_bracket: str = Field(default="", max_length=8)
    sex_gender: str = Field(default="", max_length=32)
    question: str = Field(default="")
    presenting_problem: str = Field(default="")
    past_history: str = Field(default="")
    medications: str = Field(default="")
    allergies: str = Field(default="")
    labs_imaging: str = Field(default="")
    social_history: str = Field(default="")
    tried_assessment: str = Field(default="")
    attested: bool = Field(default=False)
    attested_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    submitted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    status_reason: str = Field(default="", max_length=1000)
    # The hub side: who opened it for review, the session it is presented at, a follow-up date.
    reviewer_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    review_started_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    session_id: int | None = Field(default=None, foreign_key="echo_session.id", index=True, ondelete="SET NULL")
    follow_up_on: date | None = Field(default=None)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class PhiWaiver(SQLModel, table=True):
    """A finding the presenter marked "not PHI": where and what kind, never the text itself.

    `text_sha256` is the digest of the waived characters: when the case is shown again the waiver
    holds only if the text at start:end still has that digest, so editing the text drops it.
    """

    __tablename__ = "phi_waiver"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_presentation.id", index=True, ondelete="CASCADE")
    field_name: str = Field(max_length=40)
    start: int
    end: int
    label: str = Field(max_length=16)
    text_sha256: str = Field(default="", max_length=64)
    waived_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class ProgramCaseCounter(SQLModel, table=True):
    """The last case number given out per program (locked while a new number is taken)."""

    __tablename__ = "program_case_counter"

    program_id: int = Field(foreign_key="program.id", primary_key=True, ondelete="CASCADE")
    last_number: int = Field(default=0)
