"""A certificate's PDF, rendered once by the worker and stored; the row is also its render job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class CertificateFile(SQLModel, table=True):
    """One row per certificate, written in the issuing transaction (the job: status ``pending``)
    and filled in by the worker (``stored``), or marked ``dead`` with the reason after its last try.

    The bytes live in the database rather than in files: app servers and workers are stateless
    processes on several hosts sharing one PostgreSQL, which needs no shared file system, keeps a
    PDF and its certificate in one transaction and one backup, and TOAST stores the column out of
    line, so the job columns stay small to scan.
    """

    __tablename__ = "certificate_file"
    __table_args__ = (Index("ix_certificate_file_due", "status", "next_attempt_at"),)

    certificate_id: int = Field(foreign_key="certificate.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(default="pending", max_length=10)  # pending, rendering, stored, dead
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_column=utc_column())
    claimed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str = Field(default="", max_length=500)
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    # Whether the stored PDF is marked revoked: a certificate revoked after its PDF was stored is
    # rendered again before it is served, never handed out as it was printed when valid.
    revoked: bool = Field(default=False)
    rendered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = created_at_field()
