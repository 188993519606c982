"""Two years of history for the demo's run charts: the 18 months before the demo's year of
sessions, for the weekly and the fortnightly program, with a change tried a year before the
series starts (a note on the charts) after which attendance and the spoke sites represented step
up, so that the charts show a shift where the note is.

Sessions are single sessions (no series) at the program's usual local time, a few cancelled
around the holidays; attendance is written as records (the demo's own Zoom reports cover only
its year), with the credit each learner earned. Seeded from the program's slug: a second run
finds the note and adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.demo.data import SCHEDULES
from app.demo.schedule import HALF_YEAR, first_matching
from app.enums import ProgramRole
from app.models import AttendanceRecord, CreditAward, EchoSession, Membership, Program, SpokeSite, User
from app.models.trends import TrendAnnotation
from app.permissions import Actor
from app.services import trends

# Where the demo's spoke sites are (fictional clinics in real places) and whether they are rural.
SITE_PLACES = {
    "Cibola Family Health Center": ("Cibola", True), "Four Corners Community Clinic": ("San Juan", False),
    "San Luis Valley Health": ("Alamosa", True), "Tug Valley Primary Care": ("Mingo", True),
    "Appalachian Regional Clinic": ("Perry", True),
}
HISTORY_WEEKS = 78  # 18 months before the demo's year: two years of sessions up to today
CHANGE = "Started an agenda e-mail the day before each session, with the case questions."


def build_history(db: Session, programs: dict[str, Program], coordinator: User) -> int:
    """Adds the history of the weekly and fortnightly programs; returns how many sessions."""
    for site in db.exec(select(SpokeSite).where(SpokeSite.organisation.in_(list(SITE_PLACES)))).all():
        site.county, site.rural = SITE_PLACES[site.organisation]
    return sum(_program_history(db, programs[slug], coordinator) for slug in ("hcv", "pain-oud"))


def _program_history(db: Session, program: Program, coordinator: User) -> int:
    if db.exec(select(TrendAnnotation.id).where(TrendAnnotation.program_id == program.id)).first() is not None:
        return 0  # built by an earlier run
    kind, interval, weekday, _, start = SCHEDULES[program.slug]
    zone = ZoneInfo(program.timezone)
    today = datetime.now(zone).date()
    series_start = first_matching(kind, weekday, None, today - HALF_YEAR)
    days = [series_start - timedelta(weeks=k) for k in range(HISTORY_WEEKS, 0, -interval)]
    change_index = len(days) // 3  # a year before the series starts
    rows = db.exec(select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                   .where(Membership.program_id == program.id).order_by(User.id)).all()
    attendees = [(user, role == ProgramRole.clinician) for user, role in rows if role != ProgramRole.coordinator]
    rng = random.Random(f"demo-trends-{program.slug}")
    sessions = []
    for index, day in enumerate(days):
        starts_at = datetime.combine(day, time.fromisoformat(start), zone)
        session = EchoSession(program_id=program.id, starts_at=starts_at,
                              ends_at=starts_at + timedelta(minutes=program.default_duration_minutes),
                              status="cancelled" if _holiday(day) else "scheduled",
                              cancel_reason="Holiday week." if _holiday(day) else "")
        db.add(session)
        sessions.append((index, session))
    db.flush()
    for index, session in sessions:
        if session.status == "scheduled":
            _attend(db, session, program, attendees, rng, after_change=index >= change_index)
    trends.annotate(db, program, sessions[change_index][1].id, CHANGE, actor=Actor(user=coordinator),
                    now=sessions[change_index][1].starts_at)
    db.flush()
    return len(sessions)


def _holiday(day: date) -> bool:
    return (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2) or (day.month == 7 and day.day <= 5)


def _attend(db: Session, session: EchoSession, program: Program, people: list[tuple[User, bool]],
            rng: random.Random, *, after_change: bool) -> None:
    """Before the change about half the members come; after it, nearly all. Learners earn credit
    as the demo's credit settings give it: a quarter hour per 15 minutes, with 75% of the session."""
    share = 0.85 if after_change else 0.45
    minutes = program.default_duration_minutes
    for person, learner in people:
        if rng.random() > share:
            continue
        attended = minutes - rng.choice([0, 0, 0, 5, 20, 45])
        db.add(AttendanceRecord(session_id=session.id, user_id=person.id, sources="zoom",
                                computed_seconds=attended * 60))
        if learner:
            credits = Decimal(attended // 15) / 4 if attended >= 0.75 * minutes else Decimal("0.00")
            db.add(CreditAward(session_id=session.id, user_id=person.id, credit_type="ama_pra_1", credits=credits,
                               attended_seconds=attended * 60))
