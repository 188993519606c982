"""The case workflow as data plus one function: which status may follow which, and who moves it."""

from __future__ import annotations

from sqlmodel import Session

from app.db import utcnow
from app.enums import CaseStatus
from app.errors import InvalidTransition
from app.models import CasePresentation, User
from app.services import audit

ALLOWED: dict[CaseStatus, set[CaseStatus]] = {
    CaseStatus.draft: {CaseStatus.submitted},
    CaseStatus.submitted: {CaseStatus.in_review, CaseStatus.approved, CaseStatus.returned},
    CaseStatus.in_review: {CaseStatus.approved, CaseStatus.returned},
    CaseStatus.returned: {CaseStatus.submitted},
    CaseStatus.approved: {CaseStatus.scheduled, CaseStatus.returned},
    CaseStatus.scheduled: {CaseStatus.presented, CaseStatus.approved},
    CaseStatus.presented: {CaseStatus.closed, CaseStatus.scheduled},
    CaseStatus.closed: set(),
}
EDITABLE = {CaseStatus.draft, CaseStatus.returned}


def can_move(case: CasePresentation, target: CaseStatus) -> bool:
    return target in ALLOWED[CaseStatus(case.status)]


def set_case_status(db: Session, case: CasePresentation, target: CaseStatus, *, actor: User,
                    reason: str = "") -> None:
    """The one way a case changes status: checked against ALLOWED, stamped and audited."""
    current = CaseStatus(case.status)
    if not can_move(case, target):
        raise InvalidTransition(f"A {current.value.replace('_', ' ')} case cannot become {target.value.replace('_', ' ')}.")
    case.status = target
    case.status_reason = reason
    case.updated_at = utcnow()
    if target == CaseStatus.submitted:
        case.submitted_at = case.updated_at
    audit.record(db, actor=actor, action="case.status_changed", obj=case, old=current.value, new=target.value)
    db.flush()
