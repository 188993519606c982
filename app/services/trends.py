"""Program trends: one SQL query per chart (aggregated per session), the run-chart reading of it,
and the coordinators' notes (PDSA annotations) on the points.

Every chart covers the program's sessions that have started by now, in time order, over the chosen
period: a held session with its value (0 when nobody came), a cancelled one with None (a gap).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, distinct, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.db import utcnow
from app.enums import CaseStatus, SessionStatus
from app.exports.spreadsheet import guard
from app.errors import InvalidInput, NotFound
from app.models import AttendanceRecord, CasePresentation, CreditAward, EchoSession, Membership, Program, SpokeSite, User
from app.models.trends import TrendAnnotation
from app.permissions import Actor, can_view_trend_names
from app.services.phi_gate import require_clean_text
from app.trends import RunChart, analyse
from app.trends.retention import CohortRow, Month, RetentionRow, cohorts, retention

ANNOTATION_MAX = 300
PERIODS = {"6": 6, "12": 12, "24": 24, "all": None}  # months back from now
DEFAULT_PERIOD = "12"
# Cases on the agenda of a session that has been held.
PRESENTED = (CaseStatus.scheduled, CaseStatus.presented, CaseStatus.closed)


@dataclass(frozen=True)
class Metric:
    name: str
    title: str
    unit: str
    explanation: str


METRICS = {m.name: m for m in (
    Metric("attendance", "People attending", "people",
           "Members and guests with more than zero minutes in the session's attendance."),
    Metric("sites", "Spoke sites represented", "sites",
           "Distinct spoke sites of the members who attended."),
    Metric("first_time", "First-time attendees", "people",
           "Members attending this program for the first time (guests are not counted)."),
    Metric("returning", "Returning attendees", "people",
           "Members who had attended an earlier session of this program."),
    Metric("professions", "Professions present", "professions",
           "Distinct professions among the members who attended: the interprofessional mix."),
    Metric("cases", "Cases presented", "cases",
           "Cases on the agenda of the session."),
    Metric("follow_ups", "Cases with a follow-up", "cases",
           "Cases presented at the session for which the hub set a follow-up date."),
    Metric("credits", "Credit hours awarded", "credits",
           "Sum of the credit earned by the session's attendees."),
)}


@dataclass
class Point:
    session_id: int
    starts_at: datetime
    value: float | int | None


@dataclass
class Chart:
    metric: Metric
    points: list[Point]
    analysis: RunChart
    annotations: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "metric": self.metric.name,
            "points": [{"session_id": p.session_id, "starts_at": p.starts_at.isoformat(), "value": p.value}
                       for p in self.points],
            "median": self.analysis.median,
            "signals": [s.as_dict() for s in self.analysis.signals],
            "annotations": self.annotations,
        }


def _attended():
    return func.coalesce(AttendanceRecord.adjusted_seconds, AttendanceRecord.computed_seconds) > 0


# Each chart's value is a scalar subquery per session, correlated on the session: PostgreSQL then
# reads each session's rows by index (an index-only scan of attendance_record by session), where a
# join of the program's sessions with the whole table was planned as a hash join over all of it
# (1.7 s instead of 50 ms on 1,000,000 rows).

def _in_session(*conditions):
    return and_(AttendanceRecord.session_id == EchoSession.id, _attended(), *conditions)


def _attendance(program_id):
    return select(func.count()).select_from(AttendanceRecord).where(_in_session()).scalar_subquery()


def _sites(program_id):
    return (select(func.count(distinct(Membership.site_id))).select_from(AttendanceRecord)
            .join(Membership, and_(Membership.program_id == program_id, Membership.user_id == AttendanceRecord.user_id))
            .where(_in_session()).scalar_subquery())


def _first_attended(program_id: int):
    """Each member's first attended session of the program (over all time, not just the period).
    MATERIALIZED: computed once, not again inside every session's subquery."""
    earlier = aliased(EchoSession)
    return (select(AttendanceRecord.user_id.label("user_id"), func.min(earlier.starts_at).label("first_at"))
            .join(earlier, earlier.id == AttendanceRecord.session_id)
            .where(earlier.program_id == program_id, AttendanceRecord.user_id.is_not(None), _attended())
            .group_by(AttendanceRecord.user_id).cte("first_attended").prefix_with("MATERIALIZED"))


def _first_time(program_id):
    """Members whose first attended session of the program is this one."""
    firsts = _first_attended(program_id)
    return select(func.count()).select_from(firsts).where(firsts.c.first_at == EchoSession.starts_at).scalar_subquery()


def _returning(program_id):
    """Members attending who had attended before: members attending minus first-timers."""
    members = (select(func.count()).select_from(AttendanceRecord)
               .where(_in_session(AttendanceRecord.user_id.is_not(None))).scalar_subquery())
    return members - _first_time(program_id)


def _professions(program_id):
    return (select(func.count(distinct(User.profession))).select_from(AttendanceRecord)
            .join(User, User.id == AttendanceRecord.user_id)
            .where(_in_session(User.profession != "")).scalar_subquery())


def _cases(program_id, *, follow_ups: bool = False):
    conditions = [CasePresentation.session_id == EchoSession.id, CasePresentation.status.in_(PRESENTED)]
    if follow_ups:
        conditions.append(CasePresentation.follow_up_on.is_not(None))
    return select(func.count()).select_from(CasePresentation).where(*conditions).scalar_subquery()


def _credits(program_id):
    return (select(func.coalesce(func.sum(CreditAward.credits), 0))
            .where(CreditAward.session_id == EchoSession.id, CreditAward.credits > 0).scalar_subquery())


AGGREGATES: dict[str, Callable] = {
    "attendance": _attendance, "sites": _sites, "first_time": _first_time,
    "returning": _returning, "professions": _professions,
    "cases": _cases, "follow_ups": lambda p: _cases(p, follow_ups=True), "credits": _credits,
}


def metric_named(name: str) -> Metric:
    if name not in METRICS:
        raise InvalidInput(f"Unknown metric {name!r}: choose one of {', '.join(METRICS)}.",
                           fields={"metric": "Choose one of " + ", ".join(METRICS) + "."})
    return METRICS[name]


def period_start(period: str, now: datetime) -> datetime | None:
    if period not in PERIODS:
        raise InvalidInput(f"Unknown period {period!r}: choose one of {', '.join(PERIODS)}.",
                           fields={"period": "Choose 6, 12 or 24 months, or all."})
    months = PERIODS[period]
    return None if months is None else now - timedelta(days=round(months * 365.25 / 12))


def points(db: Session, program: Program, metric: Metric, *, since: datetime | None, now: datetime) -> list[Point]:
    """One query: the program's sessions started by `now` (and since `since`) with the metric's value."""
    value = AGGREGATES[metric.name](program.id)
    statement = select(EchoSession.id, EchoSession.starts_at, EchoSession.status, value.label("value")).where(
        EchoSession.program_id == program.id, EchoSession.starts_at <= now)
    if since is not None:
        statement = statement.where(EchoSession.starts_at >= since)
    statement = statement.order_by(EchoSession.starts_at, EchoSession.id)
    return [Point(session_id, starts_at, None if status == SessionStatus.cancelled else _number(amount))
            for session_id, starts_at, status, amount in db.exec(statement).all()]


def _number(amount) -> int | float:
    if isinstance(amount, Decimal | float):
        rounded = round(float(amount), 2)
        return int(rounded) if rounded == int(rounded) else rounded
    return int(amount or 0)


def annotations(db: Session, program: Program, chart_points: list[Point], *, actor: Actor) -> list[dict]:
    index_of = {p.session_id: i for i, p in enumerate(chart_points)}
    if not index_of:
        return []
    rows = db.exec(
        select(TrendAnnotation, User.full_name).outerjoin(User, User.id == TrendAnnotation.author_id)
        .where(TrendAnnotation.program_id == program.id, TrendAnnotation.session_id.in_(list(index_of)))
        .order_by(TrendAnnotation.created_at, TrendAnnotation.id)).all()
    with_names = can_view_trend_names(actor, program)
    notes = []
    for note, author in rows:
        item = {"id": note.id, "session_id": note.session_id, "index": index_of[note.session_id], "text": note.text,
                "created_at": note.created_at.isoformat()}
        if with_names:
            item["author"] = author or ""
        notes.append(item)
    return notes


def chart(db: Session, program: Program, metric_name: str, *, actor: Actor, period: str = DEFAULT_PERIOD,
          now: datetime | None = None, with_annotations: bool = True) -> Chart:
    now = now or utcnow()
    metric = metric_named(metric_name)
    chart_points = points(db, program, metric, since=period_start(period, now), now=now)
    analysis = analyse([p.value for p in chart_points])
    notes = annotations(db, program, chart_points, actor=actor) if with_annotations else []
    return Chart(metric, chart_points, analysis, notes)


def all_charts(db: Session, program: Program, *, actor: Actor, period: str = DEFAULT_PERIOD,
               now: datetime | None = None) -> tuple[list[Chart], list[dict]]:
    """Every chart of the page (one query each) and the notes, read once and numbered in time order."""
    now = now or utcnow()
    charts = [chart(db, program, name, actor=actor, period=period, now=now, with_annotations=False)
              for name in METRICS]
    notes = annotations(db, program, charts[0].points, actor=actor)
    notes.sort(key=lambda note: (note["index"], note["id"]))
    for number, note in enumerate(notes, start=1):
        note["number"] = number
    for item in charts:
        item.annotations = notes
    return charts, notes


def local_date(when: datetime, zone: str) -> str:
    return when.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d")


def signals_at(item: Chart) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for signal in item.analysis.signals:
        for index in signal.points:
            found.setdefault(index, []).append(signal.rule)
    return found


def chart_csv(program: Program, item: Chart) -> str:
    """The chart's data, one row per session; formulas defused for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["session_id", "date", "starts_at_utc", "status", item.metric.name, "median", "signals", "notes"])
    rules = signals_at(item)
    notes: dict[int, list[str]] = {}
    for note in item.annotations:
        notes.setdefault(note["index"], []).append(note["text"])
    median = "" if item.analysis.median is None else f"{item.analysis.median:g}"
    for index, point in enumerate(item.points):
        writer.writerow([point.session_id, local_date(point.starts_at, program.timezone), point.starts_at.isoformat(),
                         "cancelled" if point.value is None else "held", "" if point.value is None else point.value,
                         median, " ".join(rules.get(index, [])), _cell(" | ".join(notes.get(index, [])))])
    return out.getvalue()


_cell = guard  # spreadsheet-safe text (OWASP CSV injection)


def annotate(db: Session, program: Program, session_id: int, text: str, *, actor: Actor,
             now: datetime | None = None) -> TrendAnnotation:
    """A coordinator's note on a session's point. The text reaches every member: it passes the PHI
    gate, and nothing is stored when it does not."""
    session = db.get(EchoSession, session_id)
    if session is None or session.program_id != program.id:
        raise NotFound("No such session in this program.")
    if session.starts_at > (now or utcnow()):
        raise InvalidInput("Only a session that has started has a point to annotate.",
                           fields={"session_id": "Choose a past session."})
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("Write the note first.", fields={"text": "Say what changed, e.g. \"moved to 7 am\"."})
    if len(text) > ANNOTATION_MAX:
        raise InvalidInput(f"A note is at most {ANNOTATION_MAX} characters.",
                           fields={"text": f"At most {ANNOTATION_MAX} characters."})
    require_clean_text({"text": text}, limit=ANNOTATION_MAX)
    note = TrendAnnotation(program_id=program.id, session_id=session.id, text=text, author_id=actor.id)
    db.add(note)
    db.flush()
    return note


def load_annotation(db: Session, program: Program, annotation_id: int) -> tuple[TrendAnnotation, datetime]:
    """The note and the start of the session it is on."""
    row = db.exec(select(TrendAnnotation, EchoSession.starts_at)
                  .join(EchoSession, EchoSession.id == TrendAnnotation.session_id)
                  .where(TrendAnnotation.id == annotation_id, TrendAnnotation.program_id == program.id)).first()
    if row is None:
        raise NotFound("No such note on this program's charts.")
    return row[0], row[1]


def remove_annotation(db: Session, program: Program, annotation_id: int) -> TrendAnnotation:
    note = db.get(TrendAnnotation, annotation_id)
    if note is None or note.program_id != program.id:
        raise NotFound("No such note on this program's charts.")
    db.delete(note)
    db.flush()
    return note


# --- retention, cohorts and reach -----------------------------------------------------------


def _month(when: datetime, zone: ZoneInfo) -> Month:
    local = when.astimezone(zone)
    return local.year, local.month


def attendance_months(db: Session, program: Program, *, now: datetime) -> list[tuple[int, Month]]:
    """(member, local month) of every attended session of the program, over all time: two queries,
    the program's sessions and the (member, session) pairs (ids only: 16,000 datetimes converted
    one by one cost more than the query)."""
    zone = ZoneInfo(program.timezone)
    months = {session_id: _month(starts_at, zone) for session_id, starts_at in db.exec(
        select(EchoSession.id, EchoSession.starts_at).where(EchoSession.program_id == program.id,
                                                            EchoSession.starts_at <= now)).all()}
    rows = db.exec(select(AttendanceRecord.user_id, AttendanceRecord.session_id)
                   .join(EchoSession, EchoSession.id == AttendanceRecord.session_id)
                   .where(EchoSession.program_id == program.id, EchoSession.starts_at <= now,
                          AttendanceRecord.user_id.is_not(None), _attended())).all()
    return [(user_id, months[session_id]) for user_id, session_id in rows]


@dataclass
class Loyalty:
    retention: list[RetentionRow]
    cohorts: list[CohortRow]


def loyalty(db: Session, program: Program, *, period: str = DEFAULT_PERIOD, now: datetime | None = None) -> Loyalty:
    """Retention per month and the cohort table, shown for the months of the period."""
    now = now or utcnow()
    zone = ZoneInfo(program.timezone)
    current = _month(now, zone)
    pairs = attendance_months(db, program, now=now)
    since = period_start(period, now)
    first_shown = _month(since, zone) if since is not None else (0, 1)
    return Loyalty(retention=[r for r in retention(pairs, current=current) if r.month >= first_shown],
                   cohorts=[c for c in cohorts(pairs, current=current) if c.month >= first_shown])


@dataclass
class ReachRow:
    state: str
    county: str
    rural: bool | None
    people: int
    sites: int


def reach(db: Session, program: Program, *, period: str = DEFAULT_PERIOD,
          now: datetime | None = None) -> list[ReachRow]:
    """Members who attended in the period, and their sites, per state and county: one query."""
    now = now or utcnow()
    statement = (select(SpokeSite.state, SpokeSite.county, SpokeSite.rural,
                        func.count(distinct(AttendanceRecord.user_id)), func.count(distinct(SpokeSite.id)))
                 .select_from(AttendanceRecord)
                 .join(EchoSession, EchoSession.id == AttendanceRecord.session_id)
                 .join(Membership, and_(Membership.program_id == EchoSession.program_id,
                                        Membership.user_id == AttendanceRecord.user_id))
                 .join(SpokeSite, SpokeSite.id == Membership.site_id)
                 .where(EchoSession.program_id == program.id, EchoSession.starts_at <= now, _attended()))
    since = period_start(period, now)
    if since is not None:
        statement = statement.where(EchoSession.starts_at >= since)
    statement = statement.group_by(SpokeSite.state, SpokeSite.county, SpokeSite.rural).order_by(
        SpokeSite.state, SpokeSite.county, SpokeSite.rural)
    return [ReachRow(state, county, rural, people, sites) for state, county, rural, people, sites in
            db.exec(statement).all()]


def rural_share(rows: list[ReachRow]) -> float | None:
    """Of the attendees at sites whose rural flag is recorded, the share at rural sites."""
    known = [r for r in rows if r.rural is not None]
    total = sum(r.people for r in known)
    return None if total == 0 else sum(r.people for r in known if r.rural) / total
