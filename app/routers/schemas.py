"""JSON shapes of the API (pages use the same services with form fields)."""

from __future__ import annotations

from datetime import date, datetime, time
from uuid import UUID

from pydantic import BaseModel, Field


class SessionOut(BaseModel):
    id: int
    uuid: UUID
    program_id: int
    series_id: int | None
    starts_at: datetime
    ends_at: datetime
    status: str
    cancel_reason: str
    video_url: str
    didactic_topic: str
    didactic_presenter: str
    case_slots: int
    sequence: int
    moved: bool
    local_start: str


class SeriesIn(BaseModel):
    kind: str = Field(description="weekly or monthly")
    interval: int = 1
    weekday: int = Field(description="0 = Monday ... 6 = Sunday")
    week_of_month: int | None = Field(default=None, description="1-4, or -1 for the last; monthly only")
    first_date: date
    start_time: time
    duration_minutes: int = 60
    until: date | None = None
    count: int | None = None


class SeriesOut(BaseModel):
    id: int
    program_id: int
    description: str
    sessions: list[SessionOut]


class SingleSessionIn(BaseModel):
    local_date: date
    start_time: time
    duration_minutes: int = 60
    video_url: str = Field(default="", max_length=500)
    didactic_topic: str = Field(default="", max_length=200)


class MoveIn(BaseModel):
    local_date: date
    start_time: time
    duration_minutes: int
    video_url: str = Field(default="", max_length=500)


class CancelIn(BaseModel):
    reason: str = Field(max_length=300)


class AgendaIn(BaseModel):
    didactic_topic: str = Field(default="", max_length=200)
    didactic_presenter: str = Field(default="", max_length=200)
    case_slots: int = 2


class SeriesChangeIn(BaseModel):
    start_time: time
    duration_minutes: int
    video_url: str = Field(default="", max_length=500)


class ProgramIn(BaseModel):
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    description: str = Field(default="", max_length=5000)
    video_url: str = Field(default="", max_length=500)
    default_duration_minutes: int = 60
    visibility: str = "private"


class SiteIn(BaseModel):
    organisation: str = Field(max_length=200)
    city: str = Field(default="", max_length=120)
    state: str = Field(default="", max_length=2)  # USPS code of a state, DC or a territory
    county: str = Field(default="", max_length=120)
    rural: bool | None = None  # None: not recorded


class SiteOut(SiteIn):
    id: int
    program_id: int


class MemberIn(BaseModel):
    email: str = Field(max_length=254)
    full_name: str = Field(default="", max_length=200)
    role: str
    site_id: int | None = None


class MemberOut(BaseModel):
    id: int
    user_id: int
    full_name: str
    degree: str
    role: str
    site_id: int | None
    is_facilitator: bool
