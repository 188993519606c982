"""Zoom and Microsoft Teams: connections, each program's choice, each session's meeting, and the
worker's queue of calls to the platforms (app/integrations)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class IntegrationConnection(SQLModel, table=True):
    """A Zoom Server-to-Server OAuth app or a Microsoft Entra app registration of one tenant."""

    __tablename__ = "integration_connection"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=10)  # zoom | teams
    label: str = Field(max_length=100)
    # Zoom: the account id; Teams: the directory (tenant) id.
    account_id: str = Field(max_length=100)
    client_id: str = Field(max_length=100)
    # AES-GCM under a key derived from the service's secret key (app/integrations/crypto.py);
    # the client secret itself is never stored, shown or logged.
    secret_encrypted: str = Field(max_length=1000)
    last_checked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_check: str = Field(default="", max_length=2000)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class ProgramMeetingHost(SQLModel, table=True):
    """Which connection a program's meetings are made with, and the user who hosts them."""

    __tablename__ = "program_meeting_host"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", unique=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="integration_connection.id", index=True, ondelete="CASCADE")
    # Zoom: the host's e-mail or user id; Teams: the organizer's object id or user principal name.
    host_user: str = Field(max_length=254)
    # Attendance fetched for the program is imported in this person's name.
    chosen_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    updated_at: datetime = created_at_field()


class SessionMeeting(SQLModel, table=True):
    """The platform meeting of one session, and where its attendance report stands."""

    __tablename__ = "session_meeting"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="echo_session.id", unique=True, ondelete="CASCADE")
    connection_id: int | None = Field(default=None, foreign_key="integration_connection.id", index=True,
                                      ondelete="SET NULL")
    platform: str = Field(max_length=10)
    host_user: str = Field(default="", max_length=254)
    meeting_id: str = Field(default="", max_length=300, index=True)  # empty: none at the platform
    join_url: str = Field(default="", max_length=500)
    state: str = Field(default="pending", max_length=10)  # pending | active | deleted | failed
    last_error: str = Field(default="", max_length=500)
    # waiting | imported | gave_up | failed, empty before the session ends
    attendance_state: str = Field(default="", max_length=10)
    attendance_note: str = Field(default="", max_length=500)
    attendance_deadline: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = created_at_field()


class IntegrationJob(SQLModel, table=True):
    """A call to a platform, made by the worker outside any database transaction."""

    __tablename__ = "integration_job"
    __table_args__ = (Index("ix_integration_job_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # sync_meeting | fetch_attendance
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    status: str = Field(default="pending", max_length=10)  # pending | running | done | dead
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_column=utc_column())
    claimed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()
