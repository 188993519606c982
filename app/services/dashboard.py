"""The home page's dashboards (#11): what waits for this person, one section per role they hold.

Each section is a few SQL statements whatever the data's size: a statement gives the first few
rows of an item (FIRST) together with how many there are in all (a window COUNT over the rows
before the LIMIT), so nothing is loaded into Python to be counted. Sections are scoped to the
programs where the person has that role (a clinician in one program and a specialist in another
sees the clinician items of the first and the specialist items of the second); the CME office's
section covers every program, as its pages do.

Site administrators get no coordinator section for programs they do not coordinate: a program's
backlog is its coordinators' work, and sixty programs' worth of it would bury the page. The
admin's own section (people, programs, the mail queue) stays on the home page; where an admin
also coordinates a program, that program's coordinator items are shown like anyone's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, func, literal, or_, true, type_coerce, union_all
from sqlmodel import Session, select

from app.db import utcnow
from app.enums import CaseStatus, ProgramRole, SessionStatus
from app.exports.pdf_data import format_credits
from app.models import (
    AttendanceImport,
    AuditEvent,
    CasePresentation,
    Certificate,
    CreditAward,
    CreditSettings,
    EchoSession,
    Evaluation,
    ImprovementMeasure,
    Membership,
    MeasureReport,
    Program,
    Recommendation,
    ReportPerson,
    SpokeSite,
)
from app.permissions import Actor
from app.services import credit
from app.services.attendance import CHECKIN_EARLY, WAITING
from app.services.measures import local_today, period_of
from app.services.reviews import FOLLOW_UP_PAST_DAYS, QUEUE_STATUSES

FIRST = 3  # rows shown of each item; its count says how many there are in all
FOLLOW_UP_AHEAD_DAYS = 14  # as the review queue's "follow-ups due"
INVITE_HORIZON = timedelta(days=14)
# The CME office's certificates and evaluations: sessions that ended in the last 90 days. Older
# ones are still on each session's credit page; a hub-wide count over three years is no to-do.
CME_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Waiting:
    """How many things wait (`total`), the first few of them (`rows`: named columns), and an
    amount over all of them where the item has one (people waiting, credits)."""

    total: int = 0
    rows: list = field(default_factory=list)
    amount: int | Decimal = 0

    def __bool__(self) -> bool:
        return self.total > 0


class _Section:
    @property
    def anything(self) -> bool:
        """Whether any item of the section has something waiting."""
        return any(isinstance(value, Waiting) and value for value in vars(self).values())


def _first(db: Session, statement, *order, amount=None) -> Waiting:
    """The first FIRST rows of `statement` in `order`, with the count (and sum of `amount`) of all."""
    extra = [func.count().over().label("total")]
    if amount is not None:
        extra.append(func.sum(amount).over().label("amount"))
    rows = db.exec(statement.add_columns(*extra).order_by(*order).limit(FIRST)).all()
    if not rows:
        return Waiting()
    return Waiting(rows[0].total, list(rows), rows[0].amount if amount is not None else 0)


def _programs_where(actor: Actor, role: ProgramRole) -> list[int]:
    return sorted(pid for pid, held in actor.roles.items() if held == role)


# --- everyone who attends ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInWindow:
    opens: datetime
    closes: datetime
    open_now: bool


def checkin_window(session: EchoSession, *, now: datetime | None = None) -> CheckInWindow:
    """When the check-in code is taken (app.services.attendance.check_in): from 10 minutes before
    the start until the session ends."""
    now = now or utcnow()
    opens = session.starts_at - CHECKIN_EARLY
    return CheckInWindow(opens, session.ends_at, opens <= now <= session.ends_at)


@dataclass(frozen=True)
class CreditWaiting:
    waiting: Waiting

    @property
    def summary(self) -> str:
        """"3 sessions: complete the evaluation to claim 4.5 credits" (as the certificates page)."""
        count, total = self.waiting.total, self.waiting.amount
        return (f"{count} session{'s' if count != 1 else ''}: complete the evaluation to claim "
                f"{format_credits(total)} credit{'s' if total != 1 else ''}")

    @property
    def lines(self) -> list[tuple]:
        """(row, its credits as printed: "1.5")."""
        return [(row, format_credits(row.credits)) for row in self.waiting.rows]


def credit_waiting(db: Session, actor: Actor, *, now: datetime | None = None) -> CreditWaiting:
    """The member's credit that waits on an evaluation in their programs (where they may still
    evaluate): the latest three sessions, how many there are and the credits in all, in one statement."""
    statement = credit.awaiting_evaluation([actor.id], ended_before=now).with_only_columns(
        EchoSession.id, EchoSession.starts_at, EchoSession.program_id, CreditAward.credits,
    ).where(EchoSession.program_id.in_(list(actor.roles)))
    waiting = _first(db, statement, EchoSession.starts_at.desc(), EchoSession.id.desc(),
                     amount=CreditAward.credits)
    return CreditWaiting(waiting)


# --- spoke clinicians ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureDue:
    measure_id: int
    name: str
    program_id: int
    period: str  # "November 2026", "2026 Q3"


@dataclass(frozen=True)
class ClinicianSection(_Section):
    recommendations: Waiting  # final recommendations on their cases they have not opened since
    measures_due: Waiting  # of MeasureDue: their site has not reported the last period


def clinician(db: Session, actor: Actor, programs: dict[int, Program], *, now: datetime | None = None
              ) -> ClinicianSection | None:
    ids = _programs_where(actor, ProgramRole.clinician)
    if not ids:
        return None
    now = now or utcnow()
    return ClinicianSection(_recommendations_ready(db, actor, ids),
                            _measures_due(db, actor, [programs[pid] for pid in ids], now))


def _recommendations_ready(db: Session, actor: Actor, ids: list[int]) -> Waiting:
    # Every read of a case is audited (reviews.read_case): opening the case after the
    # recommendations became final is what takes it off the list.
    opened = select(AuditEvent.id).where(
        AuditEvent.object_id == CasePresentation.id, AuditEvent.object_type == CasePresentation.__tablename__,
        AuditEvent.action == "case.viewed", AuditEvent.actor_id == actor.id,
        AuditEvent.created_at >= Recommendation.finalised_at).exists()
    statement = (select(CasePresentation.id, CasePresentation.number, CasePresentation.program_id,
                        Recommendation.finalised_at)
                 .join(Recommendation, Recommendation.case_id == CasePresentation.id)
                 .where(CasePresentation.presenter_id == actor.id, CasePresentation.program_id.in_(ids),
                        Recommendation.status == "final", ~opened))
    return _first(db, statement, Recommendation.finalised_at.desc(), CasePresentation.id.desc())


def _last_ended(today: date, period: str) -> date:
    return period_of(period_of(today, period) - timedelta(days=1), period)


def _due_period(programs: list[Program], now: datetime):
    """The period a measure's sites report now, as SQL: the last month or quarter that has ended in
    its program's time zone (the current one is still being counted). Programs whose local date is
    the same share a branch, so the CASE stays short however many programs there are."""
    groups: dict[tuple[date, date], list[int]] = {}
    for program in programs:
        today = local_today(program, now)
        groups.setdefault((_last_ended(today, "monthly"), _last_ended(today, "quarterly")), []).append(program.id)
    branches = []
    for (month, quarter), ids in groups.items():
        mine = ImprovementMeasure.program_id.in_(ids)
        branches += [(and_(mine, ImprovementMeasure.period == "monthly"), literal(month, Date)),
                     (and_(mine, ImprovementMeasure.period == "quarterly"), literal(quarter, Date))]
    return type_coerce(case(*branches), Date)


def _period_name(start: date, period: str) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}" if period == "quarterly" else start.strftime("%B %Y")


def _measure_rows(waiting: Waiting) -> Waiting:
    rows = [MeasureDue(row.id, row.name, row.program_id, _period_name(row.period_start, row.period))
            for row in waiting.rows]
    return Waiting(waiting.total, rows, waiting.amount)


def _measures_due(db: Session, actor: Actor, programs: list[Program], now: datetime) -> Waiting:
    """Active measures whose last ended period the clinician's own site has not reported."""
    due = _due_period(programs, now)
    reported = select(MeasureReport.id).where(
        MeasureReport.measure_id == ImprovementMeasure.id, MeasureReport.spoke_site_id == Membership.site_id,
        MeasureReport.period_start == due).exists()
    statement = (select(ImprovementMeasure.id, ImprovementMeasure.name, ImprovementMeasure.program_id,
                        ImprovementMeasure.period, due.label("period_start"))
                 .join(Membership, and_(Membership.program_id == ImprovementMeasure.program_id,
                                        Membership.user_id == actor.id))
                 .where(ImprovementMeasure.program_id.in_([p.id for p in programs]),
                        ImprovementMeasure.archived.is_(False), Membership.site_id.is_not(None), ~reported))
    return _measure_rows(_first(db, statement, ImprovementMeasure.name, ImprovementMeasure.id))


# --- hub specialists --------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialistSection(_Section):
    review: Waiting  # submitted or in review
    to_finalise: Waiting  # presented at a session that has begun, recommendations not final
    follow_ups: Waiting  # open cases whose follow-up date is near


def specialist(db: Session, actor: Actor, *, now: datetime | None = None) -> SpecialistSection | None:
    ids = _programs_where(actor, ProgramRole.specialist)
    if not ids:
        return None
    now = now or utcnow()
    of_programs = CasePresentation.program_id.in_(ids)
    columns = (CasePresentation.id, CasePresentation.number, CasePresentation.program_id)
    submitted = func.coalesce(CasePresentation.submitted_at, CasePresentation.created_at)
    review = _first(db, select(*columns, CasePresentation.status, submitted.label("submitted_at")).where(
        of_programs, CasePresentation.status.in_(QUEUE_STATUSES)), submitted, CasePresentation.id)
    # Finalising moves a scheduled case to "presented": a scheduled case whose session has begun
    # is one the hub discussed and has not answered in writing yet.
    to_finalise = _first(db, select(*columns, EchoSession.starts_at, Recommendation.status.label("draft"))
                         .join(EchoSession, EchoSession.id == CasePresentation.session_id)
                         .outerjoin(Recommendation, Recommendation.case_id == CasePresentation.id)
                         .where(of_programs, CasePresentation.status == CaseStatus.scheduled,
                                EchoSession.starts_at <= now),
                         EchoSession.starts_at, CasePresentation.id)
    today = now.date()
    since, horizon = today - timedelta(days=FOLLOW_UP_PAST_DAYS), today + timedelta(days=FOLLOW_UP_AHEAD_DAYS)
    follow_ups = _first(db, select(*columns, CasePresentation.follow_up_on).where(
        of_programs, CasePresentation.status != CaseStatus.closed,
        CasePresentation.follow_up_on >= since, CasePresentation.follow_up_on <= horizon),
        CasePresentation.follow_up_on, CasePresentation.id)
    return SpecialistSection(review, to_finalise, follow_ups)


# --- coordinators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoordinatorSection(_Section):
    unscheduled: Waiting  # approved cases on no session's agenda
    reconcile: Waiting  # sessions with report rows waiting for a match; amount: the rows
    uninvited: Waiting  # sessions of the next two weeks whose invites have not gone out
    measures_missing: Waiting  # of MeasureDue; amount: the sites missing in all


def coordinator(db: Session, actor: Actor, programs: dict[int, Program], *, now: datetime | None = None
                ) -> CoordinatorSection | None:
    ids = _programs_where(actor, ProgramRole.coordinator)
    if not ids:
        return None
    now = now or utcnow()
    unscheduled = _first(db, select(CasePresentation.id, CasePresentation.number, CasePresentation.program_id,
                                    CasePresentation.updated_at).where(
        CasePresentation.program_id.in_(ids), CasePresentation.status == CaseStatus.approved),
        CasePresentation.updated_at, CasePresentation.id)
    waiting_rows = func.count(ReportPerson.id)
    reconcile = _first(db, select(EchoSession.id, EchoSession.program_id, EchoSession.starts_at,
                                  waiting_rows.label("people"))
                       .join(AttendanceImport, AttendanceImport.session_id == EchoSession.id)
                       .join(ReportPerson, ReportPerson.import_id == AttendanceImport.id)
                       .where(EchoSession.program_id.in_(ids), AttendanceImport.active.is_(True),
                              _waiting_status())
                       .group_by(EchoSession.id, EchoSession.program_id, EchoSession.starts_at),
                       EchoSession.starts_at.desc(), EchoSession.id, amount=waiting_rows)
    uninvited = _first(db, select(EchoSession.id, EchoSession.program_id, EchoSession.starts_at).where(
        EchoSession.program_id.in_(ids), EchoSession.status == SessionStatus.scheduled,
        EchoSession.starts_at > now, EchoSession.starts_at <= now + INVITE_HORIZON,
        EchoSession.invited_at.is_(None)), EchoSession.starts_at, EchoSession.id)
    return CoordinatorSection(unscheduled, reconcile, uninvited,
                              _measures_missing(db, [programs[pid] for pid in ids], now))


def _waiting_status():
    """Report rows waiting for a match, with the statuses written into the SQL: PostgreSQL uses the
    partial index of these rows (migration 0022) only when it sees the values, which a prepared
    statement's generic plan would not."""
    return ReportPerson.status.in_([literal(status, literal_execute=True) for status in sorted(WAITING)])


def _measures_missing(db: Session, programs: list[Program], now: datetime) -> Waiting:
    """Active measures with sites that have not reported the last ended period: how many sites
    (`missing`) of how many (`sites`) per measure, the most missing first."""
    due = _due_period(programs, now)
    missing = func.count(SpokeSite.id) - func.count(MeasureReport.id)
    statement = (select(ImprovementMeasure.id, ImprovementMeasure.name, ImprovementMeasure.program_id,
                        ImprovementMeasure.period, due.label("period_start"), missing.label("missing"),
                        func.count(SpokeSite.id).label("sites"))
                 .join(SpokeSite, SpokeSite.program_id == ImprovementMeasure.program_id)
                 .outerjoin(MeasureReport, and_(MeasureReport.measure_id == ImprovementMeasure.id,
                                                MeasureReport.spoke_site_id == SpokeSite.id,
                                                MeasureReport.period_start == due))
                 .where(ImprovementMeasure.program_id.in_([p.id for p in programs]),
                        ImprovementMeasure.archived.is_(False))
                 .group_by(ImprovementMeasure.id, ImprovementMeasure.name, ImprovementMeasure.program_id,
                           ImprovementMeasure.period)
                 .having(missing > 0))
    waiting = _first(db, statement, missing.desc(), ImprovementMeasure.name, ImprovementMeasure.id, amount=missing)
    rows = [(measure, row.missing, row.sites) for measure, row in zip(_measure_rows(waiting).rows, waiting.rows)]
    return Waiting(waiting.total, rows, waiting.amount)


# --- the CME office ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    year: int
    sessions: int  # held (not cancelled, ended)
    certificates: int  # valid ones issued for them
    credits: Decimal  # on those certificates

    @property
    def credits_text(self) -> str:
        return f"{self.credits.quantize(Decimal('0.01')).normalize():,f}"


@dataclass(frozen=True)
class CmeSection(_Section):
    unissued: Waiting  # sessions with learners eligible for a certificate who have none; amount: learners
    awaiting_evaluation: Waiting  # sessions with credit waiting on evaluations; amount: learners
    year: YearTotals


def cme_office(db: Session, actor: Actor, *, now: datetime | None = None) -> CmeSection | None:
    """Every program's certificates and evaluations of the last CME_WINDOW, and the year's totals."""
    if not actor.user.is_cme_office:
        return None
    now = now or utcnow()
    sessions = (select(EchoSession.id, EchoSession.program_id, EchoSession.starts_at)
                .join(CreditSettings, CreditSettings.program_id == EchoSession.program_id)
                .where(EchoSession.ends_at > now - CME_WINDOW, EchoSession.ends_at <= now,
                       EchoSession.status != SessionStatus.cancelled))
    recent = _per_session(db, sessions, _learner_counts()).cte("recent_credit")
    # Both items in one statement: the window's sessions are counted once.
    parts = [_ranked(recent, "unissued", recent.c.starts_at, recent.c.id),
             _ranked(recent, "awaiting", recent.c.awaiting.desc(), recent.c.starts_at.desc(), recent.c.id)]
    rows = db.exec(union_all(*(part.subquery().select() for part in parts))).all()
    unissued, awaiting = (_waiting([row for row in rows if row.kind == kind]) for kind in ("unissued", "awaiting"))
    return CmeSection(unissued, awaiting, _year_totals(db, actor, now))


def _per_session(db: Session, sessions, aggregates):
    """`sessions` with the columns of `aggregates`, a one-row aggregate over one session's rows
    (correlated to EchoSession.id). PostgreSQL would hash-join whole tables of a million rows;
    per session (LATERAL) it reads each session's rows from the indexes alone. SQLite has no
    LATERAL and loops per row anyway: a correlated subquery per column."""
    if db.get_bind().dialect.name == "postgresql":
        rows = aggregates.lateral("per_session")
        return sessions.add_columns(*rows.c).join(rows, true())
    return sessions.add_columns(*(aggregates.with_only_columns(column).scalar_subquery().label(column.name)
                                  for column in aggregates.selected_columns))


def _learner_counts():
    """Of one session's awards with credit: the learners who may have a certificate and have none
    (`unissued`, as certificates.why_not_eligible decides), and those whose credit waits on the
    evaluation (`awaiting`, as credit.awaiting_evaluation)."""
    no_certificate = Certificate.user_id.is_(None)
    required = CreditSettings.evaluation_required
    same = (Evaluation.session_id == CreditAward.session_id, Evaluation.user_id == CreditAward.user_id)
    return (select(func.count().filter(and_(no_certificate, or_(Evaluation.user_id.is_not(None),
                                                                  required.is_(False)))).label("unissued"),
                   func.count().filter(and_(no_certificate, Evaluation.user_id.is_(None),
                                            required.is_(True))).label("awaiting"))
            .select_from(CreditAward)
            .outerjoin(Evaluation, and_(*same))
            .outerjoin(Certificate, and_(Certificate.session_id == CreditAward.session_id,
                                         Certificate.user_id == CreditAward.user_id, Certificate.revoked_at.is_(None)))
            .where(CreditAward.session_id == EchoSession.id, CreditAward.credits > 0))


def _ranked(per_session, kind: str, *order):
    """The first FIRST sessions where `kind` (a count column) is more than none, numbered in `order`,
    each with the number of such sessions and the sum of `kind` over them."""
    learners = per_session.c[kind]
    return (select(literal(kind).label("kind"), per_session.c.id, per_session.c.program_id, per_session.c.starts_at,
                   learners.label("learners"), func.row_number().over(order_by=order).label("rank"),
                   func.count().over().label("total"), func.sum(learners).over().label("amount"))
            .where(learners > 0).order_by(*order).limit(FIRST))


def _waiting(rows: list) -> Waiting:
    rows = sorted(rows, key=lambda row: row.rank)
    return Waiting(rows[0].total, rows, rows[0].amount) if rows else Waiting()


def _year_totals(db: Session, actor: Actor, now: datetime) -> YearTotals:
    """Sessions held this calendar year (in the CME officer's time zone), the certificates issued
    for them and their credits, in one statement."""
    zone = ZoneInfo(actor.user.timezone)
    year = now.astimezone(zone).year
    start, end = (datetime.combine(date(y, 1, 1), time(), tzinfo=zone).astimezone(UTC) for y in (year, year + 1))
    held = select(EchoSession.id).where(EchoSession.starts_at >= start, EchoSession.starts_at < end,
                                        EchoSession.ends_at <= now, EchoSession.status != SessionStatus.cancelled)
    certified = (select(func.count().label("certificates"), func.coalesce(func.sum(Certificate.credits), 0)
                        .label("credits"))
                 .select_from(Certificate)
                 .where(Certificate.session_id == EchoSession.id, Certificate.revoked_at.is_(None)))
    per_session = _per_session(db, held, certified).subquery()
    row = db.exec(select(func.count().label("sessions"),
                         func.coalesce(func.sum(per_session.c.certificates), 0).label("certificates"),
                         func.coalesce(func.sum(per_session.c.credits), 0).label("credits"))).one()
    return YearTotals(year, row.sessions, int(row.certificates), Decimal(row.credits))


# --- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboards:
    """Each section is None for someone it does not apply to."""

    credit: CreditWaiting | None
    clinician: ClinicianSection | None
    specialist: SpecialistSection | None
    coordinator: CoordinatorSection | None
    cme: CmeSection | None


def for_actor(db: Session, actor: Actor, programs: dict[int, Program], *, now: datetime | None = None) -> Dashboards:
    """Every section that applies to the actor. `programs` holds at least the actor's own programs
    (the page has them already: their time zones place the measure periods)."""
    now = now or utcnow()
    return Dashboards(credit_waiting(db, actor, now=now) if actor.roles else None,
                      clinician(db, actor, programs, now=now), specialist(db, actor, now=now),
                      coordinator(db, actor, programs, now=now), cme_office(db, actor, now=now))
