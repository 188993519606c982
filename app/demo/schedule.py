"""The demo hub's year of sessions: half past, half to come, one cancelled, one moved."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.db import utcnow
from app.models import EchoSession, Program, SessionSeries, User
from app.scheduling.recurrence import RecurrenceRule, nth_weekday_of_month
from app.services import scheduling
from app.demo.data import DIDACTICS, SCHEDULES

HALF_YEAR = timedelta(days=182)


def first_matching(kind: str, weekday: int, week_of_month: int | None, on_or_after: date) -> date:
    if kind == "weekly":
        return on_or_after + timedelta(days=(weekday - on_or_after.weekday()) % 7)
    year, month = on_or_after.year, on_or_after.month
    while True:
        day = nth_weekday_of_month(year, month, weekday, week_of_month)
        if day >= on_or_after:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def build_schedule(db: Session, program: Program, coordinator: User) -> None:
    if db.exec(select(SessionSeries.id).where(SessionSeries.program_id == program.id)).first() is not None:
        return  # built by an earlier run
    kind, interval, weekday, week_of_month, start = SCHEDULES[program.slug]
    today = utcnow().astimezone(ZoneInfo(program.timezone)).date()
    rule = RecurrenceRule(
        kind=kind, interval=interval, weekday=weekday, week_of_month=week_of_month,
        first_date=first_matching(kind, weekday, week_of_month, today - HALF_YEAR),
        start_time=time.fromisoformat(start), duration_minutes=program.default_duration_minutes,
        timezone=program.timezone, until=today + HALF_YEAR,
    )
    scheduling.create_series(db, program, rule, actor=coordinator)
    sessions = scheduling.program_sessions(db, program.id)
    _fill_agendas(db, program, sessions)
    upcoming, _ = scheduling.split_upcoming(sessions)
    if len(upcoming) >= 4:
        _cancel_and_move(db, program, upcoming, coordinator)


def _fill_agendas(db: Session, program: Program, sessions: list[EchoSession]) -> None:
    topics = DIDACTICS[program.slug]
    for index, session in enumerate(sessions):
        session.didactic_topic, session.didactic_presenter = topics[index % len(topics)]
    db.flush()


def _cancel_and_move(db: Session, program: Program, upcoming: list[EchoSession], coordinator: User) -> None:
    scheduling.cancel(db, upcoming[2], reason="Hub faculty are at the national ECHO meeting; no session this week.",
                      actor=coordinator)
    moved = upcoming[3]
    local = moved.starts_at.astimezone(ZoneInfo(program.timezone))
    when = scheduling.SessionTime(local.date() + timedelta(days=1), local.time(), program.default_duration_minutes)
    scheduling.move(db, moved, program, when, video_url="", actor=coordinator)
