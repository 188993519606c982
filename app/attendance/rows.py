"""Turning one data record of a participant table into an AttendanceRow, strictly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from app.attendance.columns import columns_of
from app.attendance.dates import DateReader
from app.attendance.report import AttendanceRow, MeetingInfo, ReportError, quote_cell
from app.attendance.text import Record

# Zoom and webinar reports print "--" where a registrant has no value.
_EMPTY_MARKERS = frozenset({"", "--", "-"})
_LAST_PARENTHESES = re.compile(r"^(?P<shown>.*?)\s*\((?P<original>[^()]*)\)\s*$")
_TEAMS_DURATION = re.compile(
    r"(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+)\s*s)?"
)
_CLOCK_DURATION = re.compile(r"(?P<h>\d+):(?P<m>\d{2}):(?P<s>\d{2})")


@dataclass(frozen=True)
class Table:
    """A participant table: its header record and the data records below it."""

    header: Record
    records: tuple[Record, ...]

    @cached_property
    def columns(self) -> dict[str, int]:
        return columns_of(self.header)


def split_original_name(cell: str) -> tuple[str, str | None]:
    """`iPhone (Brian Smith)` -> ("iPhone", "Brian Smith"): Zoom's original name is last."""
    match = _LAST_PARENTHESES.match(cell)
    if not match or not match["original"].strip():
        return cell, None
    return match["shown"].strip(), match["original"].strip()


def value_or_none(cell: str) -> str | None:
    return None if cell in _EMPTY_MARKERS else cell


def parse_minutes(cell: str, line: int) -> float | None:
    """A duration cell in minutes: `75`, `12.5`, `12,5`, `1h 27m 51s`, `1:27:51`, `--`."""
    if cell in _EMPTY_MARKERS:
        return None
    try:
        minutes = float(cell.replace(",", "."))
    except ValueError:
        minutes = None
    if minutes is not None:
        if not 0 <= minutes < 100_000:  # also refuses "nan" and "inf"
            raise ReportError(line, f"duration {quote_cell(cell)} is not a number of minutes")
        return minutes
    match = _CLOCK_DURATION.fullmatch(cell) or _TEAMS_DURATION.fullmatch(cell)
    if match and any(match.groupdict().values()):
        hours, minutes, seconds = (int(match[part] or 0) for part in ("h", "m", "s"))
        return hours * 60 + minutes + seconds / 60
    raise ReportError(line, f"duration {quote_cell(cell)} is not a number of minutes")


def build_row(
    table: Table,
    record: Record,
    dates: DateReader,
    *,
    role: str | None = None,
) -> AttendanceRow:
    """One row of the table; raises ReportError for anything missing or contradictory."""
    columns = table.columns
    display, original = _names(table, record)
    joined, left = _times(table, record, dates)
    duration_field = "duration" if "duration" in columns else "total_duration"
    return AttendanceRow(
        line=record.line,
        display_name=display,
        original_name=original,
        email=_email(columns, record),
        joined_at=joined,
        left_at=left,
        duration_minutes=parse_minutes(record.cell(columns.get(duration_field)), record.line),
        role=role or value_or_none(record.cell(columns.get("role"))),
    )


def _names(table: Table, record: Record) -> tuple[str, str | None]:
    columns = table.columns
    if "name_with_original" in columns:
        return split_original_name(record.cell(columns["name_with_original"]))
    if "name" in columns:
        return record.cell(columns["name"]), None
    first = record.cell(columns.get("first_name"))
    last = record.cell(columns.get("last_name"))
    return " ".join(part for part in (first, last) if part), None


def _email(columns: dict[str, int], record: Record) -> str | None:
    email = value_or_none(record.cell(columns.get("email")))
    if email is None:
        # Teams fills the UPN (the sign-in address) even when "Email" is blank.
        upn = value_or_none(record.cell(columns.get("upn")))
        email = upn if upn and "@" in upn else None
    return email


def _times(
    table: Table, record: Record, dates: DateReader
) -> tuple[datetime | None, datetime | None]:
    columns = table.columns
    if "join" not in columns and "leave" not in columns:
        return None, None
    moments = []
    for field, what in (("join", "join time"), ("leave", "leave time")):
        if field not in columns:
            raise ReportError(table.header.line, f"the {what} column is missing")
        cell = record.cell(columns[field])
        if cell in _EMPTY_MARKERS:
            raise ReportError(record.line, f"{what} is empty")
        moments.append(dates.parse(cell, record.line, what))
    joined, left = moments
    if left < joined:
        join_cell, leave_cell = record.cell(columns["join"]), record.cell(columns["leave"])
        raise ReportError(
            record.line,
            f"leave time {quote_cell(leave_cell)} is before join time {quote_cell(join_cell)}",
        )
    return joined, left


@dataclass(frozen=True)
class LayoutResult:
    """What a layout parser hands back to `parse_report`."""

    rows: tuple[AttendanceRow, ...]
    meeting: MeetingInfo
    has_times: bool = True
    skipped_lines: tuple[int, ...] = ()


def require_times_or_duration(table: Table) -> bool:
    """True when the table has join/leave columns, False when it has only a duration."""
    columns = table.columns
    if "join" in columns or "leave" in columns:
        return True
    if "duration" in columns or "total_duration" in columns:
        return False
    raise ReportError(
        table.header.line, "the table has no join time, leave time or duration column"
    )


def require_duration(row: AttendanceRow) -> AttendanceRow:
    if row.duration_minutes is None:
        raise ReportError(row.line, "the duration is empty")
    return row
