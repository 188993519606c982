"""The recommendation letter: final recommendations as a PDF for the presenter's records."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.db import utcnow
from app.exports.pdf import render_recommendation_letter
from app.exports.pdf_data import HubTeamMember, RecommendationLetterData
from app.models import CasePresentation, CreditSettings, EchoSession, Program, Recommendation, User
from app.services import programs as program_service
from app.services import recommendations


def letter_pdf(db: Session, case: CasePresentation, recommendation: Recommendation) -> bytes:
    program = db.get(Program, case.program_id)
    presenter = db.get(User, case.presenter_id)
    session = db.get(EchoSession, recommendation.session_id) if recommendation.session_id else None
    settings = db.exec(select(CreditSettings).where(CreditSettings.program_id == program.id)).first()
    contributors = {u.id for u in recommendations.contributors(db, recommendation)}
    team = [row for row in program_service.hub_team(program_service.members(db, program))
            if row.user.id in contributors or row.membership.is_facilitator]
    finalised = recommendation.finalised_at or utcnow()
    zone = ZoneInfo(program.timezone)
    addenda = [a.text for a in recommendations.addenda(db, recommendation)]
    data = RecommendationLetterData(
        program_name=program.name,
        hub_name=(settings.provider_name if settings and settings.provider_name else f"{program.name} hub"),
        hub_address=settings.provider_address if settings else "",
        case_number=case.number,
        presenter_name=presenter.display_name if presenter else "",
        session_date=(session.starts_at if session else finalised).astimezone(zone).date(),
        letter_date=finalised.astimezone(zone).date(),
        question=case.question,
        recommendations=tuple(recommendation.items) + tuple(f"Addendum: {text}" for text in addenda),
        summary=recommendation.summary,
        follow_up=recommendation.follow_up,
        hub_team=tuple(HubTeamMember(row.user.display_name, row.membership.role) for row in team),
    )
    return render_recommendation_letter(data)
