"""Uploads of another export than an attendance report, recognised so the coordinator is told
which report to download instead, and where it is in Zoom or Teams.

Coordinators reach for the wrong file easily: Zoom's Usage page exports its list of meetings
(a participant count, no names) with the same Export button; the meeting, registration, poll
and Q&A reports sit side by side; a saved chat has every name in it; Excel re-saves a CSV as a
workbook. None of these can give attended minutes.

Only files that hold no attendance table at all are recognised here (`advice` returns None for
any file with a participant header next to join/leave times or a duration), so a genuine report
with one broken line keeps its own, more precise error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.attendance.columns import columns_of, is_participant_header
from app.attendance.report import ReportError
from app.attendance.text import DELIMITERS, Record, normalise_header, read_records

ZOOM_PARTICIPANTS = (
    "For Zoom, download the meeting's participants report: in the Zoom web portal open Reports, then "
    "Usage Reports (Meeting and webinar history; on older accounts Usage), find the meeting, click the "
    "number in its Participants column, tick “Export with meeting data” and click Export.")
TEAMS_ATTENDANCE = (
    "For Teams, download the attendance report: open the meeting in the Teams calendar (or its chat), "
    "choose the Attendance tab and select Download.")
BOTH = f"{ZOOM_PARTICIPANTS} {TEAMS_ATTENDANCE}"

MEETING_LIST = ("This is Zoom's list of meetings (the Export button of the Usage report): it counts "
                "participants but does not name them. " + ZOOM_PARTICIPANTS)
REGISTRATION = ("This is a registration report: it lists who signed up, not who attended or for how long. "
                + BOTH)
POLL = "This is a Zoom poll report: it holds the answers to a poll, not attendance. " + ZOOM_PARTICIPANTS
QUESTIONS = "This is a Zoom Q&A report: it holds questions and answers, not attendance. " + ZOOM_PARTICIPANTS
CHAT = "This is a meeting chat: it shows who wrote, not who attended or for how long. " + BOTH
WORKBOOK = ("This is an Excel workbook, not a CSV file. Upload the report as Zoom or Teams downloads it "
            "(a .csv file), or open the workbook in Excel and save it as “CSV UTF-8 (Comma delimited)”. " + BOTH)
PDF = "This is a PDF; attendance is read from the report's CSV file. " + BOTH

# Magic numbers: a ZIP container (.xlsx, .docx), the old Office format (.xls), a PDF.
_BINARY = ((b"PK\x03\x04", WORKBOOK), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", WORKBOOK), (b"%PDF-", PDF))
# A Zoom chat saved from the meeting: "10:02:15 From Dana Smith to Everyone:" (older) or
# "10:02:15\tDana Smith:\tHello" (newer); Teams' copied chat: "[10:02 AM] Dana Smith".
_CHAT_LINE = re.compile(r"^\s*(\d{1,2}:\d{2}(:\d{2})?\s+From\s.+:|\d{1,2}:\d{2}:\d{2}\t[^\t]+:\t|\[\d{1,2}:\d{2})")

_ATTENDANCE_FIELDS = frozenset({"join", "leave", "duration", "total_duration", "timestamp"})
_REGISTRATION = {normalise_header(h) for h in (
    "Registration Time", "Registration Date", "Registration Status", "Approval Status", "Registered",
    "Registration time", "Date registered")}
_POLL = {normalise_header(h) for h in ("Submitted Date/Time", "Poll Name", "Poll Question")}
_QUESTIONS = {normalise_header(h) for h in ("Question", "Asker Name", "Asker Email", "Answer(s)", "Answer")}
_CHAT = {normalise_header(h) for h in ("Message", "Content", "Body", "Chat message", "Message text")}
_SENDER = {normalise_header(h) for h in ("Sender", "From", "Author", "Sender Name", "Sender name")}
_MEETING_LIST = {normalise_header(h) for h in ("Participants", "Meetings", "Participants count")}
_MEETING_KEY = {normalise_header(h) for h in ("Meeting ID", "ID", "Topic", "Host")}
_TITLES = ((normalise_header("Poll Report"), POLL), (normalise_header("Q&A Report"), QUESTIONS),
           (normalise_header("Question and Answer Report"), QUESTIONS),
           (normalise_header("Registration Report"), REGISTRATION))


def refuse_binary(data: bytes) -> None:
    """A workbook or a PDF, said as such before the bytes are read as text."""
    for magic, message in _BINARY:
        if data.startswith(magic):
            raise ReportError(None, message)


def advice(text: str) -> str | None:
    """What the file is instead of an attendance report, with where to get the right one; None
    when it is not recognised or holds an attendance table."""
    readings = []
    for delimiter in DELIMITERS:
        try:
            readings.append(read_records(text, delimiter))
        except ReportError:
            continue
    if any(_has_attendance_table(records) for records in readings):
        return None
    lines = [line for line in text.split("\n", 60)[:60] if line.strip()]
    if sum(bool(_CHAT_LINE.match(line)) for line in lines) >= max(1, len(lines) // 3):
        return CHAT
    return next((found for records in readings if (found := _recognise(records))), None)


def _has_attendance_table(records: Sequence[Record]) -> bool:
    return any(is_participant_header(r) and set(columns_of(r)) & _ATTENDANCE_FIELDS for r in records)


def _recognise(records: Sequence[Record]) -> str | None:
    for record in records[:60]:
        keys = {normalise_header(cell) for cell in record.cells if cell}
        if not keys:
            continue
        for title, message in _TITLES:
            if normalise_header(record.cells[0]) == title:
                return message
        if keys & _REGISTRATION:
            return REGISTRATION
        if keys & _POLL:
            return POLL
        if len(keys & _QUESTIONS) >= 2:
            return QUESTIONS
        if keys & _CHAT and keys & _SENDER:
            return CHAT
        if keys & _MEETING_LIST and keys & _MEETING_KEY:
            return MEETING_LIST
    return None
