"""Zoom layouts: the participants report (with or without the meeting block, any language,
"unique users" or not) and the multi-section webinar attendee report. A plain CSV with
name, email, join and leave columns is read by the same table reader."""

from __future__ import annotations

from collections.abc import Sequence

from app.attendance.columns import is_participant_header
from app.attendance.dates import DateReader
from app.attendance.meeting import meeting_from_block
from app.attendance.report import ReportError
from app.attendance.rows import (
    LayoutResult,
    Table,
    build_row,
    require_duration,
    require_times_or_duration,
)
from app.attendance.text import Record, normalise_header

# Webinar section titles and the role their rows get.
WEBINAR_SECTIONS = {
    "host details": "host",
    "panelist details": "panelist",
    "attendee details": "attendee",
    "other attended": "other",
}
# Registrants who never came are listed with Attended = "No".
_DID_NOT_ATTEND = frozenset({"no", "non", "nein", "não", "nao", "いいえ"})
_YES = frozenset({"yes", "y", "sí", "si", "oui", "ja", "sim", "はい"})


def is_yes(cell: str) -> bool:
    return normalise_header(cell) in _YES


def parse_participants(
    records: Sequence[Record], header_index: int, dates: DateReader
) -> LayoutResult:
    """One participant table below an optional meeting block; Excel's blank rows skipped."""
    header = records[header_index]
    table = Table(header, tuple(r for r in records[header_index + 1 :] if not r.is_blank))
    has_times = require_times_or_duration(table)
    waiting_column = table.columns.get("waiting_room")
    skipped = tuple(r.line for r in table.records if is_yes(r.cell(waiting_column)))
    attending = [r for r in table.records if r.line not in skipped]
    rows = tuple(build_row(table, record, dates) for record in attending)
    if not has_times:
        rows = tuple(require_duration(row) for row in rows)
    meeting = meeting_from_block(records[:header_index], dates)
    return LayoutResult(rows=rows, meeting=meeting, has_times=has_times, skipped_lines=skipped)


def section_label(record: Record) -> str | None:
    """The normalised title when the record is a webinar section title on its own."""
    title = normalise_header(record.cell(0))
    if title in WEBINAR_SECTIONS and not any(record.cells[1:]):
        return title
    return None


def is_webinar(records: Sequence[Record]) -> bool:
    return any(section_label(record) for record in records)


def parse_webinar(records: Sequence[Record], dates: DateReader) -> LayoutResult:
    """Every attended row of every section, each with its section's role."""
    rows, skipped, has_times = [], [], True
    for role, table in _webinar_tables(records):
        has_times &= require_times_or_duration(table)
        attended_column = table.columns.get("attended")
        for record in table.records:
            attended = normalise_header(record.cell(attended_column))
            if attended_column is not None and attended in _DID_NOT_ATTEND:
                skipped.append(record.line)
                continue
            rows.append(build_row(table, record, dates, role=role))
    first_section = next(i for i, record in enumerate(records) if section_label(record))
    meeting = meeting_from_block(records[:first_section], dates)
    return LayoutResult(
        rows=tuple(rows), meeting=meeting, has_times=has_times, skipped_lines=tuple(skipped)
    )


def _webinar_tables(records: Sequence[Record]) -> list[tuple[str, Table]]:
    tables: list[tuple[str, Table]] = []
    index = 0
    while index < len(records):
        title = section_label(records[index])
        index += 1
        if title is None:
            continue
        body: list[Record] = []
        while index < len(records) and section_label(records[index]) is None:
            if not records[index].is_blank:
                body.append(records[index])
            index += 1
        if not body:
            continue  # a section title with nothing under it: nobody in that role
        if not is_participant_header(body[0]):
            raise ReportError(body[0].line, f"the {title!r} section has no header row")
        tables.append((WEBINAR_SECTIONS[title], Table(body[0], tuple(body[1:]))))
    return tables
