"""The short post-session evaluation a learner completes before claiming credit (when the
program requires it). Answers are choices on a five-point scale: no free text, so no PHI."""

from __future__ import annotations

from sqlmodel import Session, select

from app.db import utcnow
from app.errors import InvalidInput, InvalidTransition
from app.models import EchoSession, Evaluation, Program, User
from app.services import audit
from app.services.credit import settings_of

DEFAULT_QUESTIONS = [
    {"key": "relevance", "text": "The session was relevant to my practice."},
    {"key": "intent_to_change", "text": "I intend to change my practice as a result of this session."},
    {"key": "free_of_bias", "text": "The session was free of commercial bias."},
]
SCALE = [("5", "Strongly agree"), ("4", "Agree"), ("3", "Neutral"), ("2", "Disagree"), ("1", "Strongly disagree")]


def questions_for(db: Session, program: Program) -> list[dict]:
    settings = settings_of(db, program)
    return list(settings.evaluation_questions) if settings and settings.evaluation_questions else DEFAULT_QUESTIONS


def evaluation_of(db: Session, session: EchoSession, user: User) -> Evaluation | None:
    return db.exec(select(Evaluation).where(Evaluation.session_id == session.id,
                                            Evaluation.user_id == user.id)).first()


def is_open(session: EchoSession) -> bool:
    """Only once the session is over: a learner who checks in must not evaluate (and claim) at once."""
    return session.ends_at <= utcnow()


def required(db: Session, program: Program) -> bool:
    settings = settings_of(db, program)
    return bool(settings and settings.evaluation_required)


def submit(db: Session, session: EchoSession, program: Program, answers: dict[str, str], *,
           actor: User) -> Evaluation:
    if not is_open(session):
        raise InvalidTransition("The evaluation opens when the session ends.")
    if evaluation_of(db, session, actor) is not None:
        raise InvalidTransition("You have already evaluated this session.")
    allowed = {value for value, _ in SCALE}
    questions = questions_for(db, program)
    errors = {q["key"]: "Choose one answer." for q in questions if str(answers.get(q["key"], "")) not in allowed}
    if errors:
        raise InvalidInput(fields=errors)
    evaluation = Evaluation(session_id=session.id, user_id=actor.id,
                            answers={q["key"]: int(answers[q["key"]]) for q in questions})
    db.add(evaluation)
    db.flush()
    audit.record(db, actor=actor, action="evaluation.submitted", obj=evaluation, session_id=session.id)
    return evaluation
