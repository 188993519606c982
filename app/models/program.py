"""Programs (ECHO series), their spoke sites and their members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field


class Program(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True, index=True)
    description: str = Field(default="")
    timezone: str = Field(max_length=64)
    video_url: str = Field(default="", max_length=500)
    default_duration_minutes: int = Field(default=60)
    visibility: str = Field(default="private", max_length=10)
    # Coordinators of the program may issue and download its certificates (#12); the CME office
    # decides (PUT /api/v1/programs/{id}/certificate-access).
    coordinators_manage_credit: bool = Field(default=False)
    # Improvement measures (#11): members see other sites' data as "Site A", "Site B"... instead of
    # by name. Off by default: a learning collaborative shares its data.
    anonymise_measure_sites: bool = Field(default=False)
    created_at: datetime = created_at_field()


class SpokeSite(SQLModel, table=True):
    __tablename__ = "spoke_site"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    organisation: str = Field(max_length=200)
    city: str = Field(default="", max_length=120)
    state: str = Field(default="", max_length=2)
    county: str = Field(default="", max_length=120)
    # Rural (True), urban (False) or not recorded (None): the trends page's rural share counts
    # only sites whose flag is recorded.
    rural: bool | None = Field(default=None)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)  # enums.ProgramRole
    site_id: int | None = Field(default=None, foreign_key="spoke_site.id", ondelete="SET NULL")
    is_facilitator: bool = Field(default=False)
    created_at: datetime = created_at_field()
