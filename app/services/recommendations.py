"""Written recommendations: drafted by the hub, versioned against lost updates, finalised once,
corrected only by addenda, and behind the same PHI gate as case text."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, select

from app.db import utcnow
from app.enums import CaseStatus
from app.errors import Conflict, InvalidInput, InvalidTransition
from app.models import CasePresentation, Recommendation, RecommendationAddendum, RecommendationContributor, User
from app.services import audit, outbox, phi_gate
from app.services.case_workflow import set_case_status

WRITABLE_CASE_STATUSES = {CaseStatus.scheduled, CaseStatus.presented, CaseStatus.closed}
MAX_ITEMS = 20


class StaleVersion(Conflict):
    """Someone saved in between: 409 with the version they saved, so nothing is overwritten."""

    def __init__(self, current: Recommendation) -> None:
        super().__init__(
            f"Someone else saved these recommendations (version {current.version}) after you opened them. "
            "Compare both versions, then save again.",
            extra={"current": {"version": current.version, "summary": current.summary, "items": current.items,
                               "follow_up": current.follow_up}},
        )
        self.current = current


@dataclass
class RecommendationForm:
    summary: str = ""
    items: list[str] = field(default_factory=list)
    follow_up: str = ""
    version: int = 0  # the version the writer started from; 0 for a new one


def get(db: Session, case: CasePresentation) -> Recommendation | None:
    return db.exec(select(Recommendation).where(Recommendation.case_id == case.id)).first()


def _validate(form: RecommendationForm) -> dict[str, str]:
    texts = {"summary": form.summary, "follow_up": form.follow_up}
    texts.update({f"item_{i + 1}": text for i, text in enumerate(form.items)})
    phi_gate.require_clean(texts, set())
    errors = {name: "Use at most 5,000 characters." for name, text in texts.items() if len(text) > 5000}
    if len(form.items) > MAX_ITEMS:
        errors["items"] = f"Give at most {MAX_ITEMS} recommendations."
    return errors


def save(db: Session, case: CasePresentation, form: RecommendationForm, *, actor: User) -> Recommendation:
    """Write the draft if nobody saved since `form.version`: two saves from one version cannot
    both win, because the version is compared and raised in one UPDATE (or the insert of the
    first version meets the one-recommendation-per-case constraint)."""
    if CaseStatus(case.status) not in WRITABLE_CASE_STATUSES:
        raise InvalidTransition("Recommendations are written once the case is on a session's agenda.")
    form.items = [item.strip() for item in form.items if item.strip()]
    if errors := _validate(form):
        raise InvalidInput(fields=errors)
    values = {"summary": form.summary.strip(), "items": form.items, "follow_up": form.follow_up.strip(),
              "version": form.version + 1, "updated_at": utcnow()}
    recommendation = get(db, case)
    if recommendation is None and form.version == 0:
        recommendation = Recommendation(case_id=case.id, session_id=case.session_id, **values)
        db.add(recommendation)
        db.flush()
    elif recommendation is None:
        raise StaleVersion(Recommendation(case_id=case.id, version=0))
    else:
        _compare_and_set(db, recommendation, form.version, values)
    _add_contributor(db, recommendation, actor)
    audit.record(db, actor=actor, action="recommendation.saved", obj=case, version=recommendation.version)
    db.flush()
    return recommendation


def _compare_and_set(db: Session, recommendation: Recommendation, version: int, values: dict) -> None:
    """UPDATE ... WHERE version = :version AND status = 'draft'; no row changed means someone else
    saved or finalised first: the caller is told what they saved, and nothing is overwritten."""
    result = db.execute(update(Recommendation).where(
        Recommendation.id == recommendation.id, Recommendation.version == version,
        Recommendation.status == "draft").values(**values).execution_options(synchronize_session=False))
    db.refresh(recommendation)
    if result.rowcount == 1:
        return
    if recommendation.status == "final":
        raise InvalidTransition("These recommendations are already final; add an addendum instead.")
    raise StaleVersion(recommendation)


def _add_contributor(db: Session, recommendation: Recommendation, user: User) -> None:
    exists = db.exec(select(RecommendationContributor.id).where(
        RecommendationContributor.recommendation_id == recommendation.id,
        RecommendationContributor.user_id == user.id)).first()
    if exists is None:
        db.add(RecommendationContributor(recommendation_id=recommendation.id, user_id=user.id))


def finalise(db: Session, case: CasePresentation, *, version: int, actor: User) -> Recommendation:
    """Make the draft final, once: of two clicks only the first changes the row and tells the presenter."""
    recommendation = get(db, case)
    if recommendation is None or not recommendation.items:
        raise InvalidInput("Write at least one recommendation before finalising.")
    if recommendation.status == "final":
        raise InvalidTransition("These recommendations are already final.")
    now = utcnow()
    _compare_and_set(db, recommendation, version, {"status": "final", "finalised_at": now,
                                                   "finalised_by_id": actor.id, "updated_at": now})
    if case.status == CaseStatus.scheduled:
        set_case_status(db, case, CaseStatus.presented, actor=actor)
    audit.record(db, actor=actor, action="recommendation.finalised", obj=case)
    outbox.enqueue(db, "recommendations_final", case_id=case.id)
    db.flush()
    return recommendation


def add_addendum(db: Session, case: CasePresentation, text: str, *, actor: User) -> RecommendationAddendum:
    recommendation = get(db, case)
    if recommendation is None or recommendation.status != "final":
        raise InvalidTransition("Addenda are for final recommendations; edit the draft instead.")
    text = text.strip()
    if not text:
        raise InvalidInput(fields={"addendum": "Write the correction."})
    phi_gate.require_clean({"addendum": text}, set())
    addendum = RecommendationAddendum(recommendation_id=recommendation.id, author_id=actor.id, text=text[:5000])
    db.add(addendum)
    audit.record(db, actor=actor, action="recommendation.addendum", obj=case)
    outbox.enqueue(db, "recommendations_final", case_id=case.id, addendum=True)
    db.flush()
    return addendum


def contributors(db: Session, recommendation: Recommendation) -> list[User]:
    return list(db.exec(select(User).join(RecommendationContributor, RecommendationContributor.user_id == User.id)
                        .where(RecommendationContributor.recommendation_id == recommendation.id)
                        .order_by(RecommendationContributor.id)).all())


def addenda(db: Session, recommendation: Recommendation) -> list[RecommendationAddendum]:
    return list(db.exec(select(RecommendationAddendum).where(
        RecommendationAddendum.recommendation_id == recommendation.id).order_by(RecommendationAddendum.id)).all())
