"""Fetched participants as the report file the uploader takes, so that they are imported through
the very same path as an uploaded file (parsing, matching, reconciliation, idempotency: the same
rows give the same bytes, hence the same fingerprint).

Zoom rows become a Zoom participants export ("Name (Original Name), User Email, Join Time, ..."),
Teams rows the per-join table of a Teams report ("Full Name, Join Time, Leave Time, Duration,
Email, Role, Participant ID (UPN)"), both with ISO 8601 UTC times, which the parser reads as UTC."""

from __future__ import annotations

import csv
import io

from app.integrations.meetings import Participant, utc_stamp


def _sorted(rows: list[Participant]) -> list[Participant]:
    unique = set(rows)  # a page fetched twice must not count twice
    return sorted(unique, key=lambda r: (r.joined_at, r.left_at, r.email.casefold(), r.name))


def _minutes(row: Participant) -> str:
    return str(int((row.left_at - row.joined_at).total_seconds() // 60))


def zoom_report(rows: list[Participant]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"])
    for row in _sorted(rows):
        writer.writerow([row.name, row.email, utc_stamp(row.joined_at), utc_stamp(row.left_at), _minutes(row),
                         "No" if row.email else "Yes"])
    return out.getvalue().encode("utf-8")


def teams_report(rows: list[Participant]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n")
    writer.writerow(["Full Name", "Join Time", "Leave Time", "Duration", "Email", "Role", "Participant ID (UPN)"])
    for row in _sorted(rows):
        writer.writerow([row.name, utc_stamp(row.joined_at), utc_stamp(row.left_at), f"{_minutes(row)}m",
                         row.email, "Attendee", row.email])
    return out.getvalue().encode("utf-8")


def report_file(platform: str, rows: list[Participant]) -> tuple[bytes, str]:
    """The report's bytes and the file name the import records."""
    if platform == "zoom":
        return zoom_report(rows), "zoom-api-participants.csv"
    return teams_report(rows), "teams-api-attendance.tsv"
