"""Microsoft Teams attendance reports.

Current layout (2022 on): tab-separated sections "1. Summary" (key/value pairs),
"2. Participants" (first join, last leave per person) and "3. In-Meeting activities" (one
row per join/leave pair). Section titles are localised, so sections are found by their
numbering and their headers, not their titles. The per-join rows of section 3 are used
when present, because section 2's first-join-to-last-leave span hides gaps; a file with
only section 2 is read from it (each person's first join to last leave).

Older layouts: one table "Full Name, Join Time, Leave Time, Duration, Email, Role,
Participant ID (UPN)" (read like section 3), and the event list "Full Name, User Action,
Timestamp" whose Joined/Left events are paired here into intervals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from app.attendance.columns import is_participant_header
from app.attendance.dates import DateReader
from app.attendance.meeting import meeting_from_pairs
from app.attendance.report import AttendanceRow, ReportError, quote_cell
from app.attendance.rows import LayoutResult, Table, build_row, require_times_or_duration
from app.attendance.text import Record, normalise_header

_SECTION_TITLE = re.compile(r"\d+\.\s*\S.*")
_JOIN_ACTIONS = frozenset({"joined", "joined before"})
_LEAVE_ACTIONS = frozenset({"left"})
# Headers of the one-row-per-person table ("2. Participants").
_FIRST_LAST_HEADERS = frozenset(
    normalise_header(h)
    for h in ("First Join", "Last Leave", "Erster Beitritt", "Letztes Verlassen")
)


def is_section_title(record: Record) -> bool:
    return bool(_SECTION_TITLE.fullmatch(record.cell(0))) and not any(record.cells[1:])


def parse_teams(records: Sequence[Record], header_index: int, dates: DateReader) -> LayoutResult:
    tables = _tables(records)
    header = records[header_index]
    meeting = meeting_from_pairs(records[:header_index], dates)
    if "action" in Table(header, ()).columns:
        events_table = next(table for table in tables if table.header is header)
        return LayoutResult(rows=_rows_from_events(events_table, dates), meeting=meeting)
    chosen = _per_join_table(tables)
    has_times = require_times_or_duration(chosen)
    rows = tuple(build_row(chosen, record, dates) for record in chosen.records)
    return LayoutResult(rows=rows, meeting=meeting, has_times=has_times)


def _per_join_table(tables: list[Table]) -> Table:
    """Section 3 (one row per join) when it has rows, else section 2 (one row per person)."""
    with_rows = [table for table in tables if table.records] or tables
    per_join = [table for table in with_rows if not _is_first_join_summary(table)]
    return (per_join or with_rows)[0]


def _is_first_join_summary(table: Table) -> bool:
    return any(normalise_header(cell) in _FIRST_LAST_HEADERS for cell in table.header.cells)


def _tables(records: Sequence[Record]) -> list[Table]:
    """Every participant table; each ends at a blank record or a section title."""
    tables: list[Table] = []
    index = 0
    while index < len(records):
        if not is_participant_header(records[index]):
            index += 1
            continue
        header, body = records[index], []
        index += 1
        while index < len(records):
            record = records[index]
            if record.is_blank or is_section_title(record):
                break
            body.append(record)
            index += 1
        tables.append(Table(header, tuple(body)))
    return tables


def _rows_from_events(table: Table, dates: DateReader) -> tuple[AttendanceRow, ...]:
    """Pair each person's Joined and Left events, in time order, into intervals."""
    columns = table.columns
    name_column = columns.get("name", columns.get("name_with_original"))
    if "timestamp" not in columns:
        raise ReportError(table.header.line, "the Timestamp column is missing")
    events: dict[str, list[tuple[datetime, str, Record]]] = {}
    for record in table.records:
        action = normalise_header(record.cell(columns["action"]))
        if action not in _JOIN_ACTIONS | _LEAVE_ACTIONS:
            cell = record.cell(columns["action"])
            raise ReportError(record.line, f"user action {quote_cell(cell)} is not Joined or Left")
        moment = dates.parse(record.cell(columns["timestamp"]), record.line, "timestamp")
        events.setdefault(record.cell(name_column), []).append((moment, action, record))
    # Someone still in the meeting when the list was downloaded has no "Left" event;
    # the last event of the whole list is the best end the file offers.
    report_end = max(
        (moment for person in events.values() for moment, _, _ in person), default=None
    )
    rows: list[AttendanceRow] = []
    for name, person_events in events.items():
        rows.extend(_pair_events(name, person_events, report_end))
    return tuple(sorted(rows, key=lambda row: row.line))


def _pair_events(name: str, events, report_end: datetime | None) -> list[AttendanceRow]:
    rows: list[AttendanceRow] = []
    open_join: tuple[datetime, Record] | None = None
    for moment, action, record in sorted(events, key=lambda event: (event[0], event[2].line)):
        if action in _JOIN_ACTIONS:
            # A second "Joined" without a "Left" is a second device: keep the earlier join.
            open_join = open_join or (moment, record)
        elif open_join is None:
            raise ReportError(record.line, "this person left without having joined")
        else:
            rows.append(_event_row(name, open_join, moment))
            open_join = None
    if open_join is not None and report_end is not None:
        rows.append(_event_row(name, open_join, report_end))
    return rows


def _event_row(name: str, join: tuple[datetime, Record], left_at: datetime) -> AttendanceRow:
    joined_at, record = join
    return AttendanceRow(
        line=record.line,
        display_name=name,
        original_name=None,
        email=None,
        joined_at=joined_at,
        left_at=left_at,
        duration_minutes=None,
        role=None,
    )
