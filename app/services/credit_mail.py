"""The credit e-mails, rendered by the worker from current data: the evaluation reminder, and the
notice that a certificate was revoked, with the reason. Kept apart from app.services.credit (which
queues the notice) so that registering the renderers imports nothing of the credit rules."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.config import Settings
from app.exports.pdf_data import CREDIT_UNIT_LABELS, format_credits
from app.models import Certificate, CreditAward, EchoSession, Evaluation, Program, User
from app.services.emails import compose, renderer


def _facts(db: Session, session_id: int) -> tuple[EchoSession, Program, str] | None:
    session = db.get(EchoSession, session_id)
    if session is None:
        return None
    program = db.get(Program, session.program_id)
    day = session.starts_at.astimezone(ZoneInfo(program.timezone)).strftime("%-d %B %Y")
    return session, program, day


def _award(db: Session, session_id: int, user_id: int) -> CreditAward | None:
    return db.exec(select(CreditAward).where(CreditAward.session_id == session_id,
                                             CreditAward.user_id == user_id)).first()


@renderer("evaluation_reminder")
def evaluation_reminder(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    """Nothing to send when the learner evaluated or got a certificate meanwhile, or left."""
    facts, learner = _facts(db, payload["session_id"]), db.get(User, payload["user_id"])
    if facts is None or learner is None or not learner.is_active:
        return None
    session, program, day = facts
    award = _award(db, session.id, learner.id)
    evaluated = db.exec(select(Evaluation.id).where(Evaluation.session_id == session.id,
                                                    Evaluation.user_id == learner.id)).first()
    certified = db.exec(select(Certificate.id).where(Certificate.session_id == session.id,
                                                     Certificate.user_id == learner.id,
                                                     Certificate.revoked_at.is_(None))).first()
    if award is None or award.credits <= 0 or evaluated is not None or certified is not None:
        return None
    return compose(to=learner, subject=f"Complete the evaluation to claim your credit: {program.name}",
                   template="evaluation_reminder.txt", program=program, session=session, day=day,
                   credits=format_credits(award.credits), unit=CREDIT_UNIT_LABELS[award.credit_type],
                   link=f"{settings.base_url}/sessions/{session.id}/my-credit")


@renderer("certificate_revoked")
def certificate_revoked(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    """Tells the learner why their certificate no longer stands, and what they may claim now."""
    certificate = db.get(Certificate, payload["certificate_id"])
    learner = db.get(User, certificate.user_id) if certificate else None
    if certificate is None or not certificate.revoked or learner is None or not learner.is_active:
        return None
    session, program, day = _facts(db, certificate.session_id)
    award = _award(db, session.id, learner.id)
    now_earned = format_credits(award.credits) if award and award.credits > 0 else ""
    return compose(to=learner, subject=f"Your certificate for {program.name} ({day}) was revoked",
                   template="certificate_revoked.txt", program=program, session=session, day=day,
                   certificate=certificate, credits=format_credits(certificate.credits),
                   unit=CREDIT_UNIT_LABELS[certificate.credit_type], now_earned=now_earned,
                   link=f"{settings.base_url}/sessions/{session.id}/my-credit")
