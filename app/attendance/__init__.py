"""Attendance import and credit arithmetic: pure functions, no database, no web.

Typical use by the attendance service:

    report = parse_report(upload_bytes, filename=upload.filename)   # or ReportError
    report = report.to_utc(ZoneInfo(program.timezone))              # aware UTC times
    for match in match_rows(report.rows, members):                  # one per person
        minutes = attended_minutes(match.person.intervals, session.starts_at, session.ends_at)
        credits = credit_for(minutes, session_minutes, max_credits=activity.max_credits)

`report.fingerprint` identifies the file's bytes, so importing it twice can be refused.
`report.has_times` is False for Zoom "unique users" reports: those carry only a total
duration per person, which cannot be clipped to the session or checked for overlaps.
"""

from app.attendance.credit import credit_for, meets_threshold
from app.attendance.intervals import attended_minutes, clip_intervals, merge_intervals
from app.attendance.matching import (
    Match,
    MatchStatus,
    MemberRef,
    PersonRows,
    group_rows,
    match_rows,
)
from app.attendance.names import normalise_name
from app.attendance.parsing import parse_report
from app.attendance.report import (
    AttendanceRow,
    MeetingInfo,
    ParsedReport,
    ReportError,
    SourceKind,
)

__all__ = [
    "AttendanceRow",
    "Match",
    "MatchStatus",
    "MeetingInfo",
    "MemberRef",
    "ParsedReport",
    "PersonRows",
    "ReportError",
    "SourceKind",
    "attended_minutes",
    "clip_intervals",
    "credit_for",
    "group_rows",
    "match_rows",
    "meets_threshold",
    "merge_intervals",
    "normalise_name",
    "parse_report",
]
