"""`parse_report`: recognise the layout of an uploaded attendance report and read it whole.

Detection, in order:
1. decode the bytes (BOM, UTF-16 without BOM, UTF-8, else Excel's cp1252);
2. split with each delimiter (comma, tab, semicolon) and keep the first that yields a
   participant header (a name column plus a join/leave/duration/e-mail column);
3. webinar section titles ("Host Details", …) -> "zoom-webinar"; Teams section numbering,
   Teams-only columns or a "User Action" column -> "teams"; Zoom-only columns ("Name
   (Original Name)", "Total Duration (Minutes)") or a meeting block -> "zoom" /
   "zoom-unique"; anything else with the columns we need -> "csv".
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from app.attendance import wrong_kind
from app.attendance.columns import columns_of, is_participant_header, suggests_day_first
from app.attendance.dates import DateReader, date_order_of
from app.attendance.meeting import meeting_from_block
from app.attendance.report import ParsedReport, ReportError, SourceKind
from app.attendance.rows import LayoutResult
from app.attendance.teams import is_section_title, parse_teams
from app.attendance.text import DELIMITERS, Record, decode, normalise_header, read_records
from app.attendance.zoom import is_webinar, parse_participants, parse_webinar

_TEAMS_ONLY_HEADERS = frozenset(
    normalise_header(h)
    for h in ("First Join", "Last Leave", "In-meeting duration", "Participant ID (UPN)")
)
_ZOOM_ONLY_FIELDS = frozenset({"name_with_original", "total_duration"})


def parse_report(data: bytes, *, filename: str = "") -> ParsedReport:
    """Parse a Zoom, Zoom webinar, Teams or plain CSV attendance report.

    Returns naive local times (see ParsedReport.to_utc). Raises ReportError, naming the
    line and the reason, for anything that is not a complete, consistent report; it never
    returns part of a file. `filename` only orders the delimiter guesses (".tsv" -> tab
    first); the content decides everything else.
    """
    fingerprint = hashlib.sha256(data).hexdigest()
    wrong_kind.refuse_binary(data)
    text = decode(data)
    try:
        return _parse_text(text, filename, fingerprint)
    except ReportError as error:
        # Another export than an attendance report: say which one to download instead.
        if (instead := wrong_kind.advice(text)) is not None:
            raise ReportError(None, instead) from error
        raise


def _parse_text(text: str, filename: str, fingerprint: str) -> ParsedReport:
    records, header_index = _find_participant_header(text, filename)
    cells = [(record.line, cell) for record in records for cell in record.cells]
    dates = DateReader(cells, day_first_hint=any(suggests_day_first(r) for r in records))
    source = _detect_source(records, header_index)
    result = _parse_layout(source, records, header_index, dates)
    if not result.rows:
        raise ReportError(None, "the report lists no participants")
    if dates.saw_offset and dates.saw_naive:
        raise ReportError(None, "some times carry a UTC offset and others do not")
    if source == "zoom" and not result.has_times:
        source = "zoom-unique"
    return ParsedReport(
        source=source,
        rows=result.rows,
        fingerprint=fingerprint,
        meeting=result.meeting,
        has_times=result.has_times,
        times_are_utc=dates.saw_offset,
        date_order=date_order_of(dates, cells),
        skipped_lines=result.skipped_lines,
    )


def _find_participant_header(text: str, filename: str) -> tuple[list[Record], int]:
    delimiters = DELIMITERS
    if filename.casefold().endswith(".tsv"):
        delimiters = ("\t", ",", ";")
    first_error: ReportError | None = None
    for delimiter in delimiters:
        try:
            records = read_records(text, delimiter)
        except ReportError as error:
            first_error = first_error or error
            continue
        for index, record in enumerate(records):
            if is_participant_header(record):
                return records, index
    if first_error is not None:
        raise first_error
    raise ReportError(
        None,
        "this is not a report we recognise: no row has a name column next to join/leave "
        "times or a duration (Zoom, Zoom webinar, Teams or a CSV with name, email, join, leave)",
    )


def _detect_source(records: Sequence[Record], header_index: int) -> SourceKind:
    header = records[header_index]
    fields = set(columns_of(header))
    header_keys = {normalise_header(cell) for cell in header.cells}
    if is_webinar(records):
        return "zoom-webinar"
    if (
        "action" in fields
        or "upn" in fields
        or header_keys & _TEAMS_ONLY_HEADERS
        or any(is_section_title(record) for record in records[:header_index])
    ):
        return "teams"
    if fields & _ZOOM_ONLY_FIELDS or _has_meeting_block(records[:header_index]):
        return "zoom"
    return "csv"


def _has_meeting_block(preamble: Sequence[Record]) -> bool:
    probe = DateReader(())
    try:
        return meeting_from_block(preamble, probe).topic is not None
    except ReportError:
        return True  # a meeting block it is, only a broken one; parsing will say so


def _parse_layout(
    source: SourceKind, records: Sequence[Record], header_index: int, dates: DateReader
) -> LayoutResult:
    if source == "zoom-webinar":
        return parse_webinar(records, dates)
    if source == "teams":
        return parse_teams(records, header_index, dates)
    return parse_participants(records, header_index, dates)
