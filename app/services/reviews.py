"""The hub side of a case: review, approval or return, and its place on a session's agenda."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import load_only
from sqlmodel import Session, select

from app.db import utcnow
from app.enums import CaseStatus, SessionStatus
from app.errors import Conflict, InvalidInput, InvalidTransition
from app.models import CasePresentation, EchoSession, User
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, paginate
from app.permissions import Actor
from app.services import audit, phi_gate
from app.services.case_workflow import set_case_status

QUEUE_STATUSES = (CaseStatus.submitted, CaseStatus.in_review)


def open_for_review(db: Session, case: CasePresentation, *, actor: User) -> None:
    """A hub member takes a submitted case into review (and is recorded as its reviewer)."""
    if case.status == CaseStatus.submitted:
        set_case_status(db, case, CaseStatus.in_review, actor=actor)
        case.reviewer_id, case.review_started_at = actor.id, utcnow()
        db.flush()


def start_review(db: Session, case: CasePresentation, *, actor: User) -> None:
    """The explicit "Start review" (a POST): reading a case never changes it. Again on a case
    already in review is harmless (a double click)."""
    if case.status != CaseStatus.in_review:
        open_for_review(db, case, actor=actor)
    if case.status != CaseStatus.in_review:
        raise InvalidTransition(f"A {case.status.replace('_', ' ')} case cannot go into review.")


def read_case(db: Session, case: CasePresentation, *, actor: User) -> None:
    """Every read of a case's text is audited; nothing else changes."""
    audit.record(db, actor=actor, action="case.viewed", obj=case)
    db.flush()


def approve(db: Session, case: CasePresentation, *, actor: User) -> None:
    open_for_review(db, case, actor=actor)
    set_case_status(db, case, CaseStatus.approved, actor=actor)


def return_case(db: Session, case: CasePresentation, *, reason: str, actor: User) -> None:
    """Back to the presenter with a reason, which passes the same PHI check as case text."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(fields={"reason": "Tell the presenter what to change."})
    if len(reason) > 1000:
        raise InvalidInput(fields={"reason": "Use at most 1,000 characters."})
    phi_gate.require_clean({"reason": reason}, set())
    open_for_review(db, case, actor=actor)
    set_case_status(db, case, CaseStatus.returned, actor=actor, reason=reason)


def assign(db: Session, case: CasePresentation, session: EchoSession, *, actor: User) -> None:
    if session.program_id != case.program_id:
        raise InvalidInput(fields={"session_id": "Choose a session of this case's program."})
    if session.status != SessionStatus.scheduled or session.starts_at <= utcnow():
        raise InvalidInput(fields={"session_id": "Choose an upcoming session that is not cancelled."})
    taken = db.exec(select(func.count()).select_from(CasePresentation).where(
        CasePresentation.session_id == session.id, CasePresentation.id != case.id)).one()
    if taken >= session.case_slots:
        raise Conflict(f"That session's {session.case_slots} case slot(s) are taken. Add a slot or pick another session.")
    if case.status != CaseStatus.scheduled:
        set_case_status(db, case, CaseStatus.scheduled, actor=actor)
    case.session_id = session.id
    audit.record(db, actor=actor, action="case.assigned", obj=case, session_id=session.id)
    db.flush()


def unassign(db: Session, case: CasePresentation, *, actor: User) -> None:
    set_case_status(db, case, CaseStatus.approved, actor=actor)
    case.session_id = None
    db.flush()


def close(db: Session, case: CasePresentation, *, actor: User) -> None:
    set_case_status(db, case, CaseStatus.closed, actor=actor)


SESSION_CHOICES_PAST_DAYS = 30
MAX_SESSION_CHOICES = 40


def session_choices(db: Session, actor: Actor, *, selected: int | None = None) -> list[EchoSession]:
    """The sessions the queue's filter offers: those of the actor's hub programs from a month ago
    on, the nearest first, at most 40 (a bounded list, however long the programs have run), and
    the selected one even when it is older."""
    hub_programs = [pid for pid in actor.roles if actor.is_hub(pid)]
    since = utcnow() - timedelta(days=SESSION_CHOICES_PAST_DAYS)
    columns = (EchoSession.id, EchoSession.program_id, EchoSession.starts_at)
    window = (EchoSession.program_id.in_(hub_programs) & (EchoSession.starts_at >= since))
    if selected is not None:
        window = window | ((EchoSession.id == selected) & EchoSession.program_id.in_(hub_programs))
    return list(db.exec(select(*columns).where(window).order_by(EchoSession.starts_at, EchoSession.id)
                        .limit(MAX_SESSION_CHOICES)).all())


def set_follow_up(db: Session, case: CasePresentation, when: date | None, *, actor: User) -> None:
    if when is not None and when <= date.today():
        raise InvalidInput(fields={"follow_up_on": "Choose a date in the future."})
    case.follow_up_on = when
    audit.record(db, actor=actor, action="case.follow_up_set", obj=case, on=when.isoformat() if when else None)
    db.flush()


QUEUE_COLUMNS = (CasePresentation.id, CasePresentation.number, CasePresentation.program_id,
                 CasePresentation.status, CasePresentation.submitted_at)
QUEUE_SORTS = Sorts({
    "submitted": SortOrder(func.coalesce(CasePresentation.submitted_at, CasePresentation.created_at),
                           CasePresentation.id, datetime),
    "number": SortOrder(CasePresentation.number, CasePresentation.id, str),
}, default="submitted")
FOLLOW_UP_PAST_DAYS = 30
FOLLOW_UP_LIMIT = 50


def queue(db: Session, actor: Actor, *, program_id: int | None = None, status: str | None = None,
          session_id: int | None = None, sort: str | None = None, cursor: str | None = None,
          limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """The hub's queue, a page at a time: submitted and in-review cases (or those of one status) of
    the actor's hub programs, oldest submission first; the list's columns only, no case text."""
    hub_programs = [pid for pid in actor.roles if actor.is_hub(pid)]
    statement = select(*QUEUE_COLUMNS).where(CasePresentation.program_id.in_(hub_programs))
    if status:
        statement = statement.where(CasePresentation.status == status)
    else:
        statement = statement.where(CasePresentation.status.in_(QUEUE_STATUSES))
    if program_id:
        statement = statement.where(CasePresentation.program_id == program_id)
    if session_id:
        statement = statement.where(CasePresentation.session_id == session_id)
    scope = f"queue|{program_id or ''}|{status or ''}|{session_id or ''}"
    return paginate(db, statement, QUEUE_SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def follow_ups_due(db: Session, actor: Actor, *, within_days: int = 14) -> list:
    """Open cases of the actor's hub programs whose follow-up falls between a month ago and two weeks
    from now, the earliest first (at most 50): closed cases and long-past dates are not "due"."""
    hub_programs = [pid for pid in actor.roles if actor.is_hub(pid)]
    today = date.today()
    since, horizon = today - timedelta(days=FOLLOW_UP_PAST_DAYS), today + timedelta(days=within_days)
    return list(db.exec(select(CasePresentation.id, CasePresentation.number, CasePresentation.follow_up_on).where(
        CasePresentation.program_id.in_(hub_programs), CasePresentation.status != CaseStatus.closed,
        CasePresentation.follow_up_on >= since, CasePresentation.follow_up_on <= horizon,
    ).order_by(CasePresentation.follow_up_on, CasePresentation.id).limit(FOLLOW_UP_LIMIT)).all())


def queue_count(db: Session, actor: Actor) -> int:
    hub_programs = [pid for pid in actor.roles if actor.is_hub(pid)]
    if not hub_programs:
        return 0
    # Submitted and in review, as the review queue's first choice and the specialist's home page count.
    return db.exec(select(func.count()).select_from(CasePresentation).where(
        CasePresentation.program_id.in_(hub_programs),
        CasePresentation.status.in_(QUEUE_STATUSES))).one()


AGENDA_COLUMNS = ("id", "number", "program_id", "presenter_id", "status", "age_bracket", "sex_gender", "question",
                  "session_id")


def agenda(db: Session, session: EchoSession) -> list[CasePresentation]:
    """The cases on a session's agenda with what the agenda shows (number, one line, who may open
    it), not the rest of their text."""
    columns = [getattr(CasePresentation, name) for name in AGENDA_COLUMNS]
    return list(db.exec(select(CasePresentation).options(load_only(*columns))
                        .where(CasePresentation.session_id == session.id).order_by(CasePresentation.id)).all())


def one_line(case: CasePresentation) -> str:
    """What other members see of a case on the agenda: its age bracket and the question's first line."""
    first = case.question.strip().splitlines()[0] if case.question.strip() else ""
    short = first if len(first) <= 140 else first[:139] + "…"
    return f"{case.age_bracket}, {case.sex_gender.lower()}: {short}" if case.age_bracket else short
