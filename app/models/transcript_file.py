"""A learner's transcript PDF for one period, rendered once and kept until what it shows changes.

WeasyPrint lays out a transcript of 150 certificates in about a second, which is too slow for a
download. The rendered PDF is kept with the fingerprint of everything printed on it (learner,
provider, rows; not the date it was printed): a download whose data has the same fingerprint is
served as stored, any change (a certificate issued or revoked, a name corrected) renders it again.
``stale`` asks the worker to render it ahead of the next download (set when a certificate of that
learner and year is issued or revoked).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class TranscriptFile(SQLModel, table=True):
    __tablename__ = "transcript_file"
    __table_args__ = (
        UniqueConstraint("user_id", "period_start", "period_end", name="uq_transcript_file_period"),
        Index("ix_transcript_file_stale", "stale"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    period_start: date
    period_end: date
    fingerprint: str = Field(default="", max_length=64)
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    stale: bool = Field(default=True)
    rendered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = created_at_field()
