"""Demo only: put a case on a past session's agenda with final recommendations.

Real use goes through reviews.assign (which wants an upcoming session) and recommendations.finalise;
history cannot be scheduled after the fact, so the demo writes the same rows directly."""

from __future__ import annotations

from sqlmodel import Session, select

from app.db import utcnow
from app.enums import CaseStatus, SessionStatus
from app.models import CasePresentation, EchoSession, Program, Recommendation, RecommendationContributor, User
from app.services.case_workflow import set_case_status


def present_with_recommendations(db: Session, case: CasePresentation, program: Program, *, reviewer: User,
                                 answer: dict) -> None:
    past = db.exec(select(EchoSession).where(
        EchoSession.program_id == program.id, EchoSession.status == SessionStatus.scheduled,
        EchoSession.ends_at < utcnow()).order_by(EchoSession.starts_at.desc())).first()
    if past is None:
        return
    for status in (CaseStatus.in_review, CaseStatus.approved, CaseStatus.scheduled, CaseStatus.presented):
        set_case_status(db, case, status, actor=reviewer)
    case.session_id, case.reviewer_id = past.id, reviewer.id
    recommendation = Recommendation(case_id=case.id, session_id=past.id, summary=answer["summary"],
                                    items=answer["items"], follow_up=answer["follow_up"], status="final",
                                    finalised_at=past.ends_at, finalised_by_id=reviewer.id)
    db.add(recommendation)
    db.flush()
    db.add(RecommendationContributor(recommendation_id=recommendation.id, user_id=reviewer.id))
    db.flush()
