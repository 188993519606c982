"""Hand adjustments of a learner's attended time, as a kept history (#12).

Each adjustment is a new attendance_adjustment row, never overwritten; the attendance record
carries the one in force (adjusted_seconds), and credit follows it through attendance.rebuild.
Clearing an adjustment is a row too. When the program's credit settings say so, raising a
learner's time beyond what the reports and check-ins show waits for the CME office's approval
(pending), and changes nothing until then. Every step is an audit event with its reason.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.db import utcnow
from app.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from app.models import AttendanceRecord, EchoSession, Membership, Program, User
from app.models.credit import AttendanceAdjustment
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, paginate
from app.services import attendance, audit, credit
from app.services.phi_gate import require_clean_text

REASON_LIMIT = 300


def history(db: Session, session: EchoSession) -> list[AttendanceAdjustment]:
    return list(db.exec(select(AttendanceAdjustment).where(AttendanceAdjustment.session_id == session.id)
                        .order_by(AttendanceAdjustment.id)).all())


Learner, Requester, Decider = aliased(User), aliased(User), aliased(User)
ADJUSTMENT_COLUMNS = (AttendanceAdjustment.id, AttendanceAdjustment.session_id, AttendanceAdjustment.user_id,
                      AttendanceAdjustment.kind, AttendanceAdjustment.seconds, AttendanceAdjustment.reported_seconds,
                      AttendanceAdjustment.reason, AttendanceAdjustment.status, AttendanceAdjustment.created_at,
                      Learner.full_name.label("learner_name"), Requester.full_name.label("requested_by"))


def _with_names(statement):
    return (statement.join(Learner, Learner.id == AttendanceAdjustment.user_id)
            .outerjoin(Requester, Requester.id == AttendanceAdjustment.created_by_id))


def history_rows(db: Session, session: EchoSession) -> list:
    """The session's adjustments for a page, each learner's together and in the order made, with the
    names of the learner, who made it and who decided it: one query however many there are."""
    statement = (_with_names(select(*ADJUSTMENT_COLUMNS, AttendanceAdjustment.decided_at,
                                    Decider.full_name.label("decided_by")))
                 .outerjoin(Decider, Decider.id == AttendanceAdjustment.decided_by_id)
                 .where(AttendanceAdjustment.session_id == session.id)
                 .order_by(Learner.full_name, AttendanceAdjustment.user_id, AttendanceAdjustment.id))
    return list(db.exec(statement).all())


PENDING_SORTS = Sorts({
    "oldest": SortOrder(AttendanceAdjustment.created_at, AttendanceAdjustment.id, datetime),
    "newest": SortOrder(AttendanceAdjustment.created_at, AttendanceAdjustment.id, datetime, descending=True),
}, default="oldest")


def pending_page(db: Session, *, sort: str | None = None, cursor: str | None = None,
                 limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """The CME office's queue: adjustments of every program waiting for approval, a page at a time,
    oldest request first, each with its program, session and names, in one query."""
    statement = (_with_names(select(*ADJUSTMENT_COLUMNS, EchoSession.starts_at, Program.id.label("program_id"),
                                    Program.name.label("program_name"), Program.timezone))
                 .join(EchoSession, EchoSession.id == AttendanceAdjustment.session_id)
                 .join(Program, Program.id == EchoSession.program_id)
                 .where(AttendanceAdjustment.status == "pending"))
    return paginate(db, statement, PENDING_SORTS, scope="adjustments|pending", sort=sort, cursor=cursor, limit=limit)


def _reason(reason: str, errors: dict[str, str]) -> str:
    reason = " ".join(reason.split())
    if not reason:
        errors["reason"] = "Say why; the reason is kept in the audit trail."
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = f"Use at most {REASON_LIMIT} characters."
    return reason


def _learner(db: Session, program: Program, user_id: int | None, errors: dict[str, str]) -> int | None:
    member = db.exec(select(Membership.user_id).where(Membership.program_id == program.id,
                                                      Membership.user_id == user_id)).first() if user_id else None
    if member is None:
        errors["user_id"] = "Choose a member of this program."
    return member


def _record(db: Session, session: EchoSession, user_id: int) -> AttendanceRecord | None:
    return db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id,
                                                  AttendanceRecord.user_id == user_id)).first()


def _pending(db: Session, session: EchoSession, user_id: int) -> AttendanceAdjustment | None:
    return db.exec(select(AttendanceAdjustment).where(AttendanceAdjustment.session_id == session.id,
                                                      AttendanceAdjustment.user_id == user_id,
                                                      AttendanceAdjustment.status == "pending")).first()


def adjust(db: Session, session: EchoSession, program: Program, *, user_id: int | None, minutes: int | None,
           reason: str, actor: User) -> AttendanceAdjustment:
    """Set a learner's attended minutes by hand (applied, or pending the CME office's approval)."""
    errors: dict[str, str] = {}
    limit = attendance.session_seconds(session) // 60
    if minutes is None or not 0 <= minutes <= limit:
        errors["minutes"] = f"Give the minutes attended, 0 to {limit}."
    reason, learner = _reason(reason, errors), _learner(db, program, user_id, errors)
    if errors:
        raise InvalidInput(fields=errors)
    require_clean_text({"reason": reason}, limit=REASON_LIMIT)
    if _pending(db, session, learner) is not None:
        raise InvalidTransition("An adjustment for this learner waits for the CME office's approval; "
                                "it must be approved or rejected first.")
    record = _record(db, session, learner)
    reported = record.computed_seconds if record else 0
    settings = credit.settings_of(db, program)
    waits = bool(settings and settings.raise_needs_approval and minutes * 60 > reported
                 and not (actor.is_cme_office or actor.is_admin))
    adjustment = AttendanceAdjustment(session_id=session.id, user_id=learner, kind="set", seconds=minutes * 60,
                                      reported_seconds=reported, reason=reason, created_by_id=actor.id,
                                      status="pending" if waits else "applied")
    db.add(adjustment)
    db.flush()
    audit.record(db, actor=actor, action="attendance.adjustment_requested" if waits else "attendance.adjusted",
                 obj=adjustment, session_id=session.id, user_id=learner, reason=reason,
                 old_seconds=record.attended_seconds if record else None, new_seconds=minutes * 60)
    if not waits:
        _put_in_force(db, session, program, adjustment, actor=actor)
    return adjustment


def clear(db: Session, session: EchoSession, program: Program, *, user_id: int | None, reason: str,
          actor: User) -> AttendanceAdjustment:
    """Back to what the reports and check-ins show; the cleared adjustment stays in the history."""
    errors: dict[str, str] = {}
    reason, learner = _reason(reason, errors), _learner(db, program, user_id, errors)
    if errors:
        raise InvalidInput(fields=errors)
    require_clean_text({"reason": reason}, limit=REASON_LIMIT)
    record = _record(db, session, learner)
    if record is None or not record.adjusted:
        raise InvalidTransition("This learner's attendance is not adjusted; there is nothing to clear.")
    adjustment = AttendanceAdjustment(session_id=session.id, user_id=learner, kind="clear", seconds=None,
                                      reported_seconds=record.computed_seconds, reason=reason, created_by_id=actor.id)
    db.add(adjustment)
    db.flush()
    audit.record(db, actor=actor, action="attendance.adjustment_cleared", obj=adjustment, session_id=session.id,
                 user_id=learner, reason=reason, old_seconds=record.adjusted_seconds,
                 new_seconds=record.computed_seconds)
    _put_in_force(db, session, program, adjustment, actor=actor)
    return adjustment


def decide(db: Session, session: EchoSession, program: Program, *, user_id: int, approve: bool,
           actor: User) -> AttendanceAdjustment:
    """The CME office approves (applies) or rejects the learner's pending adjustment."""
    if not (actor.is_cme_office or actor.is_admin):
        raise Forbidden("Only the CME office approves raises of attendance beyond the reports.")
    adjustment = _pending(db, session, user_id)
    if adjustment is None:
        raise NotFound("No adjustment of this learner waits for approval.")
    # Decided only if it still waits: of two decisions sent at once, the second changes nothing.
    decided = db.execute(
        update(AttendanceAdjustment)
        .where(AttendanceAdjustment.id == adjustment.id, AttendanceAdjustment.status == "pending")
        .values(status="applied" if approve else "rejected", decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False))
    if decided.rowcount != 1:
        raise InvalidTransition("This adjustment was decided meanwhile; nothing was changed.")
    db.refresh(adjustment)
    audit.record(db, actor=actor, action=f"attendance.adjustment_{'approved' if approve else 'rejected'}",
                 obj=adjustment, session_id=session.id, user_id=user_id, reason=adjustment.reason)
    if approve:
        _put_in_force(db, session, program, adjustment, actor=actor)
    return adjustment


def _put_in_force(db: Session, session: EchoSession, program: Program, adjustment: AttendanceAdjustment, *,
                  actor: User) -> None:
    record = _record(db, session, adjustment.user_id) or AttendanceRecord(
        session_id=session.id, user_id=adjustment.user_id, sources="manual")
    record.adjusted_seconds = adjustment.seconds
    record.adjust_reason = adjustment.reason if adjustment.kind == "set" else ""
    record.adjusted_by_id = actor.id if adjustment.kind == "set" else None
    record.updated_at = utcnow()
    db.add(record)
    db.flush()
    attendance.rebuild(db, session, program, actor=actor, reason=adjustment.reason)
