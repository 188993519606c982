"""The reminder e-mail a day after a session to learners whose credit waits on the evaluation:
queued by the worker through the outbox, once per learner and session (an evaluation_reminder
row, inserted ON CONFLICT DO NOTHING, so two workers cannot both send it). The e-mail itself is
rendered in app.services.credit_mail."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app.db import utcnow
from app.models import CreditAward, EchoSession, User
from app.models.credit import EvaluationReminder
from app.services import credit, outbox

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
