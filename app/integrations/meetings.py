"""What the platforms are asked to make, and what their reports are turned into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class MeetingSpec:
    topic: str
    starts_at: datetime  # aware
    ends_at: datetime
    timezone: str
    agenda: str = ""

    @property
    def duration_minutes(self) -> int:
        return max(int((self.ends_at - self.starts_at).total_seconds() // 60), 1)


@dataclass(frozen=True)
class MeetingRef:
    meeting_id: str
    join_url: str


@dataclass(frozen=True)
class Participant:
    """One join-to-leave stretch of one person, times aware UTC."""

    name: str
    email: str
    joined_at: datetime
    left_at: datetime


@dataclass(frozen=True)
class Check:
    """One line of a connection test: what was tried, whether it worked, and what to do."""

    what: str
    ok: bool
    detail: str = ""


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
