"""People: accounts, their profile, login throttling, rate limits and sign-up requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    # Keyset pages of the people list by name (migration 0014).
    __table_args__ = (Index("ix_user_account_full_name_id", "full_name", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=200)
    degree: str = Field(default="", max_length=40)  # MD, DO, NP, RN, PharmD ...
    profession: str = Field(default="", max_length=80)
    timezone: str = Field(default="America/New_York", max_length=64)
    password_hash: str = Field(default="", max_length=255)
    is_active: bool = Field(default=True)
    is_admin: bool = Field(default=False)
    is_cme_office: bool = Field(default=False)
    # Signed up on their own (not added by a coordinator): every program membership waits for a
    # coordinator's approval, and sign-in waits for the e-mail address to be confirmed.
    self_registered: bool = Field(default=False)
    email_verified_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Raised on password change and "sign out everywhere": older cookies and tokens stop working.
    auth_epoch: int = Field(default=0)
    # Secret of the member's private calendar feed (/calendar/{token}.ics); None when revoked.
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    # Learner reporting identifiers (PARS, CPE Monitor, MOC), given with consent; seen only by the
    # learner and the CME office.
    npi: str = Field(default="", max_length=10)
    board_id: str = Field(default="", max_length=40)
    nabp_eprofile_id: str = Field(default="", max_length=12)
    birth_month: int | None = Field(default=None)
    birth_day: int | None = Field(default=None)
    reporting_consent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Accreditor upload fields (migration 0017, app/exports/accreditation.py): names as the board or
    # NABP holds them, the certifying board (PARS code), the state licence, and the participant type.
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(default="", max_length=100)
    certifying_board: str = Field(default="", max_length=10)
    licence_state: str = Field(default="", max_length=2)
    licence_number: str = Field(default="", max_length=40)
    participant_type: str = Field(default="", max_length=20)
    created_at: datetime = created_at_field()

    @property
    def display_name(self) -> str:
        return f"{self.full_name}, {self.degree}" if self.degree else self.full_name


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per e-mail key (kept for unknown e-mails too, so lockout leaks nothing)."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("email_key"),)

    id: int | None = Field(default=None, primary_key=True)
    email_key: str = Field(max_length=254)
    failures: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_failure_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class RateLimit(SQLModel, table=True):
    """Hits per key ("forgot-email:<address>", "signup-ip:<client>") in a fixed window."""

    __tablename__ = "rate_limit"
    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300)
    hits: int = Field(default=0)
    window_started_at: datetime = Field(sa_column=utc_column())


class MembershipRequest(SQLModel, table=True):
    """A self-registered person's wish to join a public program, until a coordinator approves it."""

    __tablename__ = "membership_request"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    site_id: int | None = Field(default=None, foreign_key="spoke_site.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
