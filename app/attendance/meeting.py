"""Meeting metadata blocks: Zoom's header block, the webinar summary, Teams' "1. Summary"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from app.attendance.dates import DateReader
from app.attendance.report import MeetingInfo, ReportError
from app.attendance.rows import parse_minutes, value_or_none
from app.attendance.text import Record, normalise_header

# English spellings come from the samples; the non-English ones are GUESSED (no public
# non-English export with a meeting block was found). An unknown block is only skipped:
# the participant table never depends on it.
_ALIASES: dict[str, tuple[str, ...]] = {
    "meeting_id": (
        "Meeting ID",
        "Webinar ID",
        "ミーティングID",
        "ID de reunión",
        "ID de réunion",
        "Meeting-ID",
        "ID da reunião",
    ),
    "topic": (
        "Topic",
        "Meeting title",
        "Meeting Title",
        "トピック",
        "Tema",
        "Sujet",
        "Thema",
        "Tópico",
        "Título de la reunión",
        "Titre de la réunion",
        "Besprechungstitel",
    ),
    "start": (
        "Start Time",
        "Actual Start Time",
        "Meeting Start Time",
        "開始時刻",
        "Hora de inicio",
        "Heure de début",
        "Startzeit",
        "Hora de início",
    ),
    "end": (
        "End Time",
        "Meeting End Time",
        "終了時刻",
        "Hora de finalización",
        "Heure de fin",
        "Endzeit",
        "Hora de término",
    ),
    "duration": ("Actual Duration (minutes)",),
}
_FIELD_OF_KEY = {
    normalise_header(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}


def _fields_of(record: Record) -> dict[str, int]:
    fields: dict[str, int] = {}
    for index, cell in enumerate(record.cells):
        field = _FIELD_OF_KEY.get(normalise_header(cell))
        if field and field not in fields:
            fields[field] = index
    return fields


def meeting_from_block(records: Sequence[Record], dates: DateReader) -> MeetingInfo:
    """Zoom/webinar layout: a header record naming meeting fields, then one value record."""
    non_blank = [record for record in records if not record.is_blank]
    for header, values in zip(non_blank, non_blank[1:], strict=False):
        fields = _fields_of(header)
        if {"meeting_id", "topic"} <= set(fields) or {"topic", "start"} <= set(fields):
            found = {field: values.cell(index) for field, index in fields.items()}
            return _meeting_info(found, values.line, dates)
    return MeetingInfo()


def meeting_from_pairs(records: Sequence[Record], dates: DateReader) -> MeetingInfo:
    """Teams layout: "key<TAB>value" records ("Meeting title", "Start time", …)."""
    found: dict[str, str] = {}
    line = None
    for record in records:
        field = _FIELD_OF_KEY.get(normalise_header(record.cell(0)))
        if field and field not in found:
            found[field] = record.cell(1)
            line = line or record.line
    return _meeting_info(found, line, dates) if found else MeetingInfo()


def _meeting_info(found: dict[str, str], line: int | None, dates: DateReader) -> MeetingInfo:
    start_cell = value_or_none(found.get("start", ""))
    end_cell = value_or_none(found.get("end", ""))
    start = dates.parse(start_cell, line or 0, "meeting start time") if start_cell else None
    end = dates.parse(end_cell, line or 0, "meeting end time") if end_cell else None
    duration = parse_minutes(found.get("duration", ""), line or 0)
    if end is None and start is not None and duration is not None:
        end = start + timedelta(minutes=duration)
    if start is not None and end is not None and end < start:
        raise ReportError(line, "the meeting's end time is before its start time")
    return MeetingInfo(
        meeting_id=value_or_none(found.get("meeting_id", "")),
        topic=value_or_none(found.get("topic", "")),
        start=start,
        end=end,
    )
