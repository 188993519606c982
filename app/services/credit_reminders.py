"""The reminder e-mail a day after a session to learners whose credit waits on the evaluation:
queued by the worker through the outbox, once per learner and session (an evaluation_reminder
row, inserted ON CONFLICT DO NOTHING, so two workers cannot both send it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app.config import Settings
from app.db import utcnow
from app.exports.pdf_data import format_credits
from app.models import Certificate, CreditAward, EchoSession, Evaluation, Program, User
from app.models.credit import EvaluationReminder
from app.services import credit, outbox
from app.services.certificates import local_date
from app.services.emails import compose, renderer

REMIND_AFTER = timedelta(days=1)
# Sessions that ended longer ago than this get no reminder (a worker started after a long pause
# must not mail a year of old sessions).
REMIND_WITHIN = timedelta(days=14)
BATCH = 1000


def queue_due(db: Session, *, now: datetime | None = None) -> int:
    """Queue the reminders now due; returns how many. Safe to run any number of times, in parallel."""
    now = now or utcnow()
    due = (credit.awaiting_evaluation(ended_before=now - REMIND_AFTER)
           .join(User, User.id == CreditAward.user_id)
           .where(EchoSession.ends_at > now - REMIND_WITHIN, User.is_active.is_(True),
                  ~select(EvaluationReminder.id).where(EvaluationReminder.session_id == CreditAward.session_id,
                                                       EvaluationReminder.user_id == CreditAward.user_id).exists())
           .order_by(CreditAward.id).limit(BATCH))
    pairs = [{"session_id": award.session_id, "user_id": award.user_id} for award, _, _ in db.exec(due).all()]
    if not pairs:
        return 0
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table = EvaluationReminder.__table__
    inserted = db.execute(dialect.insert(table).values([{**p, "created_at": now} for p in pairs])
                          .on_conflict_do_nothing().returning(table.c.session_id, table.c.user_id)).all()
    return outbox.enqueue_many(db, "evaluation_reminder",
                               [{"session_id": session_id, "user_id": user_id} for session_id, user_id in inserted])


@renderer("evaluation_reminder")
def evaluation_reminder(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    """Nothing to send when the learner evaluated or got a certificate meanwhile, or left."""
    session, learner = db.get(EchoSession, payload["session_id"]), db.get(User, payload["user_id"])
    if session is None or learner is None or not learner.is_active:
        return None
    award = db.exec(select(CreditAward).where(CreditAward.session_id == session.id,
                                              CreditAward.user_id == learner.id)).first()
    evaluated = db.exec(select(Evaluation.id).where(Evaluation.session_id == session.id,
                                                    Evaluation.user_id == learner.id)).first()
    certified = db.exec(select(Certificate.id).where(Certificate.session_id == session.id,
                                                     Certificate.user_id == learner.id,
                                                     Certificate.revoked_at.is_(None))).first()
    if award is None or award.credits <= 0 or evaluated is not None or certified is not None:
        return None
    program = db.get(Program, session.program_id)
    return compose(to=learner, subject=f"Complete the evaluation to claim your credit: {program.name}",
                   template="evaluation_reminder.txt", program=program, session=session,
                   day=local_date(session.starts_at, program), credits=format_credits(award.credits),
                   unit=credit.unit_label(award.credit_type), link=f"{settings.base_url}/sessions/{session.id}/my-credit")
