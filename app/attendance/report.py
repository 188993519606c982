"""The result of parsing one attendance report, and the one error a parser may raise."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from app.errors import InvalidInput

SourceKind = Literal["zoom", "zoom-unique", "zoom-webinar", "teams", "csv"]

# Error messages quote at most this much of the offending cell: enough to find it in the
# file, never a whole row of someone's personal data.
_MAX_QUOTED_CHARS = 60


def quote_cell(value: str) -> str:
    """The offending cell as it may appear in an error message (shortened, one line)."""
    flat = " ".join(value.split())
    if len(flat) > _MAX_QUOTED_CHARS:
        flat = flat[: _MAX_QUOTED_CHARS - 1] + "…"
    return repr(flat)


class ReportError(InvalidInput):
    """The file cannot be imported. Nothing of it may be used.

    `line` is the 1-based physical line of the file (None when the problem is the whole
    file); `reason` says what is wrong in words a coordinator understands. It subclasses
    the app's InvalidInput so the routers' single error handler renders it as a 422.
    """

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        message = f"line {line}: {reason}" if line is not None else reason
        super().__init__(message, fields={"file": message})


@dataclass(frozen=True)
class AttendanceRow:
    """One join-to-leave stretch of one participant, as the report states it.

    Times are naive local wall-clock times unless the report was converted with
    `ParsedReport.to_utc`. `duration_minutes` is the report's own (often rounded down)
    figure, kept for display: attended time must come from `joined_at`/`left_at`.
    Rows of a Zoom "unique users" report have a duration and no times.
    """

    line: int
    display_name: str
    original_name: str | None
    email: str | None
    joined_at: datetime | None
    left_at: datetime | None
    duration_minutes: float | None
    role: str | None = None

    @property
    def interval(self) -> tuple[datetime, datetime] | None:
        if self.joined_at is None or self.left_at is None:
            return None
        return (self.joined_at, self.left_at)


@dataclass(frozen=True)
class MeetingInfo:
    """What the report says about the meeting itself; every field may be missing."""

    meeting_id: str | None = None
    topic: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class ParsedReport:
    """A whole report, validated: every row is usable or the parser raised ReportError.

    `fingerprint` is the sha256 hex digest of the uploaded bytes, so the caller can refuse
    or ignore a second import of the very same file. `has_times` is False for layouts that
    carry only a total duration per person (Zoom "unique users"): such a report cannot prove
    rejoins or clip to the session window. `times_are_utc` is True when the file itself gave
    UTC offsets (ISO 8601 with an offset), in which case times were converted to naive UTC.
    `date_order` records how ambiguous numeric dates were read ("mdy", "dmy", "ymd" or "").
    `skipped_lines` are data lines deliberately left out because they are not attendance:
    webinar registrants marked Attended = "No" and Zoom rows marked In Waiting Room = "Yes".
    """

    source: SourceKind
    rows: tuple[AttendanceRow, ...]
    fingerprint: str
    meeting: MeetingInfo = field(default_factory=MeetingInfo)
    has_times: bool = True
    times_are_utc: bool = False
    date_order: str = ""
    skipped_lines: tuple[int, ...] = ()

    def to_utc(self, tz: ZoneInfo) -> ParsedReport:
        """The same report with every time made aware and in UTC.

        `tz` is the zone the report's wall-clock times were written in (the meeting's or
        the program's zone). Ambiguous times in a DST fall-back hour take the first
        occurrence (fold=0), as zoneinfo does by default.
        """
        source_zone = UTC if self.times_are_utc else tz

        def convert(moment: datetime | None) -> datetime | None:
            if moment is None:
                return None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=source_zone)
            return moment.astimezone(UTC)

        rows = tuple(
            replace(row, joined_at=convert(row.joined_at), left_at=convert(row.left_at))
            for row in self.rows
        )
        meeting = replace(
            self.meeting, start=convert(self.meeting.start), end=convert(self.meeting.end)
        )
        return replace(self, rows=rows, meeting=meeting)
