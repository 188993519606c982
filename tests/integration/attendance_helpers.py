"""Builders for the attendance, credit and certificate tests: a past session and the reports a
video platform would give for it (a report is a file: the one fake at the edge of the world)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.models import EchoSession, Program

DENVER = ZoneInfo("America/Denver")


def past_session(db: Session, program: Program, *, start: datetime, minutes: int = 60,
                 topic: str = "Treating HCV in primary care") -> EchoSession:
    """A session that already happened (sessions in the past cannot be made through the service)."""
    starts_at = start.astimezone(UTC)
    session = EchoSession(program_id=program.id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                          didactic_topic=topic)
    db.add(session)
    db.commit()
    return session


def zoom_time(moment: datetime, zone: ZoneInfo = DENVER) -> str:
    local = moment.astimezone(zone)
    return local.strftime("%m/%d/%Y %I:%M:%S %p")


def zoom_report(session: EchoSession, rows: list[tuple[str, str, int, int]], *, topic: str = "HCV ECHO",
                zone: ZoneInfo = DENVER) -> bytes:
    """A Zoom participants export with the meeting block. Each row is
    (name, email, join minute, leave minute) relative to the session's start."""
    start = session.starts_at
    lines = ["Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
             f"81234567890,{topic},{zoom_time(start, zone)},{zoom_time(session.ends_at, zone)},host@example.org,60,{len(rows)}",
             "",
             "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    for name, email, join, leave in rows:
        joined, left = start + timedelta(minutes=join), start + timedelta(minutes=leave)
        lines.append(f'"{name}",{email},{zoom_time(joined, zone)},{zoom_time(left, zone)},{max(leave - join, 0)},No')
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
