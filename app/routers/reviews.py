"""The hub side of cases: the review queue, approve or return, agendas, recommendations, letters."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.atomic import commit_or_retry_once
from app.confirmation import Confirmation, render_confirmation
from app.deps import CurrentActor, SessionDep, load_case
from app.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from app.models import AuditEvent, CasePresentation, EchoSession, Program, User
from app.no_store import NoStoreRoute
from app.pagination import first_link, next_link, optional_id, page_size
from app.permissions import (
    Actor, can_assign_case, can_read_recommendations, can_review_case, can_view_case, can_view_case_audit, require,
)
from app.routers.case_pages import render_case
from app.services import recommendations, reviews
from app.services.letters import letter_pdf
from app.services.programs import visible_programs
from app.templating import flash, templates

router = APIRouter(route_class=NoStoreRoute)  # pages and JSON here carry case text


class ReturnIn(BaseModel):
    reason: str = Field(max_length=1000)


class AssignIn(BaseModel):
    session_id: int


class FollowUpIn(BaseModel):
    follow_up_on: date | None = None


class RecommendationIn(BaseModel):
    version: int = Field(default=0, ge=0, le=2**31 - 1)
    summary: str = Field(default="", max_length=5000)
    items: list[str] = []
    follow_up: str = Field(default="", max_length=5000)


class FinaliseIn(BaseModel):
    version: int = Field(ge=0, le=2**31 - 1)


class AddendumIn(BaseModel):
    text: str = Field(max_length=5000)


class RecommendationOut(BaseModel):
    case_id: int
    status: str
    version: int
    summary: str
    items: list[str]
    follow_up: str
    contributors: list[str]
    addenda: list[str]


def _case_for(db: Session, actor: Actor, case_id: int, predicate) -> CasePresentation:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    require(predicate, actor, case)
    return case


def recommendation_out(db: Session, case: CasePresentation) -> RecommendationOut:
    rec = recommendations.get(db, case)
    if rec is None:
        return RecommendationOut(case_id=case.id, status="none", version=0, summary="", items=[], follow_up="",
                                 contributors=[], addenda=[])
    return RecommendationOut(case_id=case.id, status=rec.status, version=rec.version, summary=rec.summary,
                             items=rec.items, follow_up=rec.follow_up,
                             contributors=[u.full_name for u in recommendations.contributors(db, rec)],
                             addenda=[a.text for a in recommendations.addenda(db, rec)])


# --- JSON API ---------------------------------------------------------------------------


@router.post("/api/v1/cases/{case_id}/start-review", tags=["api"])
def start_review_api(case_id: int, db: SessionDep, actor: CurrentActor) -> dict:
    case = _case_for(db, actor, case_id, can_review_case)
    reviews.start_review(db, case, actor=actor.user)
    db.commit()
    return {"id": case.id, "status": case.status}


@router.post("/api/v1/cases/{case_id}/approve", tags=["api"])
def approve_api(case_id: int, db: SessionDep, actor: CurrentActor) -> dict:
    case = _case_for(db, actor, case_id, can_review_case)
    reviews.approve(db, case, actor=actor.user)
    db.commit()
    return {"id": case.id, "status": case.status}


@router.post("/api/v1/cases/{case_id}/return", tags=["api"])
def return_api(case_id: int, body: ReturnIn, db: SessionDep, actor: CurrentActor) -> dict:
    case = _case_for(db, actor, case_id, can_review_case)
    reviews.return_case(db, case, reason=body.reason, actor=actor.user)
    db.commit()
    return {"id": case.id, "status": case.status}


@router.post("/api/v1/cases/{case_id}/assign", tags=["api"])
def assign_api(case_id: int, body: AssignIn, db: SessionDep, actor: CurrentActor) -> dict:
    case = _case_for(db, actor, case_id, can_assign_case)
    session = db.get(EchoSession, body.session_id)
    if session is None:
        raise InvalidInput(fields={"session_id": "No such session."})
    reviews.assign(db, case, session, actor=actor.user)
    db.commit()
    return {"id": case.id, "status": case.status, "session_id": case.session_id}


@router.put("/api/v1/cases/{case_id}/follow-up", tags=["api"])
def follow_up_api(case_id: int, body: FollowUpIn, db: SessionDep, actor: CurrentActor) -> dict:
    case = _case_for(db, actor, case_id, can_review_case)
    reviews.set_follow_up(db, case, body.follow_up_on, actor=actor.user)
    db.commit()
    return {"id": case.id, "follow_up_on": case.follow_up_on}


@router.get("/api/v1/cases/{case_id}/recommendation", tags=["api"])
def get_recommendation_api(case_id: int, db: SessionDep, actor: CurrentActor) -> RecommendationOut:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    rec = recommendations.get(db, case)
    require(can_read_recommendations, actor, case, bool(rec and rec.status == "final"))
    return recommendation_out(db, case)


@router.put("/api/v1/cases/{case_id}/recommendation", tags=["api"])
def save_recommendation_api(case_id: int, body: RecommendationIn, db: SessionDep, actor: CurrentActor) -> RecommendationOut:
    case = _case_for(db, actor, case_id, can_review_case)
    form = recommendations.RecommendationForm(**body.model_dump())
    # After a race for the first version, the retry meets the winner's version: 409, not 500.
    commit_or_retry_once(db, lambda: recommendations.save(db, case, form, actor=actor.user))
    return recommendation_out(db, case)


@router.post("/api/v1/cases/{case_id}/recommendation/finalise", tags=["api"])
def finalise_api(case_id: int, body: FinaliseIn, db: SessionDep, actor: CurrentActor) -> RecommendationOut:
    case = _case_for(db, actor, case_id, can_review_case)
    recommendations.finalise(db, case, version=body.version, actor=actor.user)
    db.commit()
    return recommendation_out(db, case)


@router.post("/api/v1/cases/{case_id}/recommendation/addenda", status_code=201, tags=["api"])
def addendum_api(case_id: int, body: AddendumIn, db: SessionDep, actor: CurrentActor) -> RecommendationOut:
    case = _case_for(db, actor, case_id, can_review_case)
    recommendations.add_addendum(db, case, body.text, actor=actor.user)
    db.commit()
    return recommendation_out(db, case)


@router.get("/api/v1/cases/{case_id}/audit", tags=["api"])
def audit_api(case_id: int, db: SessionDep, actor: CurrentActor) -> list[dict]:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)  # a draft's trail is the presenter's alone, like the draft
    require(can_view_case_audit, actor, case)
    return [{"at": e.created_at, "actor": name, "action": e.action, "details": e.details}
            for e, name in audit_trail(db, case)]


def audit_trail(db: Session, case: CasePresentation) -> list[tuple[AuditEvent, str]]:
    rows = db.exec(select(AuditEvent, User.full_name).join(User, User.id == AuditEvent.actor_id, isouter=True)
                   .where(AuditEvent.object_type == "case_presentation", AuditEvent.object_id == case.id)
                   .order_by(AuditEvent.id)).all()
    return [(event, name or "—") for event, name in rows]


@router.get("/cases/{case_id}/letter.pdf")
def letter(case_id: int, db: SessionDep, actor: CurrentActor) -> Response:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    rec = recommendations.get(db, case)
    if rec is None or rec.status != "final":
        raise NotFound("There is no final recommendation for this case yet.")
    require(can_read_recommendations, actor, case, True)
    return Response(letter_pdf(db, case, rec), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="recommendations-{case.number}.pdf"'})


# --- pages ----------------------------------------------------------------------------------


QUEUE_STATUS_LABELS = {"": "Waiting (submitted, in review)", "submitted": "Submitted", "in_review": "In review",
                       "approved": "Approved", "scheduled": "Scheduled", "returned": "Returned",
                       "presented": "Presented", "closed": "Closed"}


@router.get("/review", response_class=HTMLResponse)
def queue_page(request: Request, db: SessionDep, actor: CurrentActor, program_id: str = "", status: str = "",
               session_id: str = "", sort: str = "", cursor: str = "", limit: str = ""):
    """The review queue, 50 a page. Every filter left at its first choice means "any"."""
    hub_programs = [p for p in visible_programs(db, actor) if actor.is_hub(p.id)]
    if not hub_programs and not actor.user.is_admin:
        raise InvalidTransition("The review queue is for the hub team of a program.")
    if status not in QUEUE_STATUS_LABELS:
        raise InvalidInput("Choose a status from the list.", fields={"status": "Choose a status from the list."})
    program, session = optional_id(program_id, "program_id"), optional_id(session_id, "session_id")
    _, page = reviews.queue(db, actor, program_id=program, status=status or None, session_id=session,
                            sort=sort or None, cursor=cursor or None, limit=page_size(limit))
    context = {
        "actor": actor, "programs": {p.id: p for p in hub_programs}, "program_id": program, "status": status,
        "session_id": session, "sessions": reviews.session_choices(db, actor, selected=session),
        "statuses": QUEUE_STATUS_LABELS, "cases": page.rows, "follow_ups": reviews.follow_ups_due(db, actor),
        "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
        "first_page": bool(cursor),
    }
    return templates.TemplateResponse(request, "reviews/queue.html", context)


async def _case_action(request: Request, db: Session, actor: Actor, case_id: int, predicate, act, success,
                       anchor: str = ""):
    case = _case_for(db, actor, case_id, predicate)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        commit_or_retry_once(db, lambda: act(case, form))
    except (InvalidInput, Conflict, InvalidTransition) as exc:
        db.rollback()
        return render_case(request, db, actor, case, errors=exc.fields or {"form": exc.message},
                           form=form, status_code=exc.status_code, conflict=exc.extra.get("current"))
    flash(request, success(case) if callable(success) else success, "success")
    return RedirectResponse(f"/cases/{case.id}{anchor}", status_code=303)


def _optional_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidInput(fields={"follow_up_on": "Give a date as YYYY-MM-DD."}) from None


def _recommendation_form(form: dict) -> recommendations.RecommendationForm:
    names = (k for k in form if k.startswith("item_") and k[5:].isdigit() and len(k) <= 12)
    items = [form[k] for k in sorted(names, key=lambda k: int(k[5:]))]
    return recommendations.RecommendationForm(form.get("summary", ""), items, form.get("follow_up", ""),
                                              _version(form))


def _version(form: dict) -> int:
    """The version the writer started from; anything but a plain number matches no version (409)."""
    raw = form.get("version") or "0"
    return int(raw) if raw.isdigit() and len(raw) <= 9 else -1


@router.post("/cases/{case_id}/{action}", response_class=HTMLResponse)
async def case_action(request: Request, case_id: int, action: str, db: SessionDep, actor: CurrentActor):
    user = actor.user
    actions = {
        "start-review": (can_review_case, lambda c, f: reviews.start_review(db, c, actor=user),
                         "You are reviewing this case.", ""),
        "approve": (can_review_case, lambda c, f: reviews.approve(db, c, actor=user), "Case approved.", ""),
        "return": (can_review_case, lambda c, f: reviews.return_case(db, c, reason=f.get("reason", ""), actor=user),
                   "Case returned to the presenter.", ""),
        "assign": (can_assign_case, lambda c, f: _assign(db, c, f, user), "Case added to the session's agenda.", ""),
        "follow-up": (can_review_case, lambda c, f: reviews.set_follow_up(db, c, _optional_date(f.get("follow_up_on", "")),
                      actor=user), "Follow-up saved.", ""),
        "recommendation": (can_review_case, lambda c, f: recommendations.save(db, c, _recommendation_form(f), actor=user),
                           "Recommendations saved.", "#recommendations"),
        "finalise": (can_review_case, lambda c, f: recommendations.finalise(db, c, version=_version(f), actor=user),
                     lambda c: f"Finalised the recommendations for case {c.number}; {_presenter(db, c).full_name} "
                               "is told by e-mail.", "#recommendations"),
        "close": (can_assign_case, lambda c, f: reviews.close(db, c, actor=user), "Case closed.", ""),
        "addendum": (can_review_case, lambda c, f: recommendations.add_addendum(db, c, f.get("addendum", ""), actor=user),
                     "Addendum added; the presenter has been notified.", "#recommendations"),
    }
    if action not in actions:
        raise NotFound("No such action.")
    predicate, act, success, anchor = actions[action]
    return await _case_action(request, db, actor, case_id, predicate, act, success, anchor)


def _presenter(db: Session, case: CasePresentation) -> User:
    return db.get(User, case.presenter_id)


@router.get("/cases/{case_id}/finalise", response_class=HTMLResponse)
def finalise_page(request: Request, case_id: int, db: SessionDep, actor: CurrentActor):
    """Asks before the draft recommendations become final: shows exactly what the presenter will
    read (the draft as saved now, whatever version the case page showed) and who is told."""
    case = _case_for(db, actor, case_id, can_review_case)
    rec = recommendations.get(db, case)
    if rec is None or not rec.items:
        raise InvalidTransition("Write at least one recommendation and save the draft before finalising.")
    if rec.status == "final":
        raise InvalidTransition("These recommendations are already final; corrections are added as addenda.")
    presenter = _presenter(db, case)
    details = [("Case", case.number), ("Presenter", presenter.full_name), ("Draft", f"version {rec.version}")]
    if rec.summary:
        details.append(("Summary", rec.summary))
    consequences = [f"{presenter.full_name} can then read them on the case page and gets an e-mail saying so. "
                    "Final recommendations are not edited again: a correction is added as an addendum."]
    if rec.follow_up:
        consequences.insert(0, f"Suggested follow-up: {rec.follow_up}")
    shown = request.query_params.get("version", "")
    context = ("The draft was saved again after you opened the case: this is the version now saved."
               if shown and shown != str(rec.version) else "")
    confirmation = Confirmation(
        title=f"Finalise recommendations · case {case.number}",
        question=f"Finalise the recommendations for case {case.number}?", context=context,
        action=f"/cases/{case.id}/finalise", word="finalise", fields={"version": str(rec.version)},
        button=f"Finalise and notify {presenter.full_name}", cancel_url=f"/cases/{case.id}#recommendations",
        cancel_label="Not yet", details=details, items=list(rec.items), consequences=consequences)
    return render_confirmation(request, confirmation)


def _assign(db: Session, case: CasePresentation, form: dict, user: User) -> None:
    raw = form.get("session_id") or ""
    if not raw:
        reviews.unassign(db, case, actor=user)
        return
    session = db.get(EchoSession, int(raw)) if raw.isdigit() else None
    if session is None:
        raise InvalidInput(fields={"session_id": "Choose a session from the list."})
    reviews.assign(db, case, session, actor=user)


@router.get("/cases/{case_id}/audit", response_class=HTMLResponse)
def audit_page(request: Request, case_id: int, db: SessionDep, actor: CurrentActor):
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    require(can_view_case_audit, actor, case)
    context = {"case": case, "program": db.get(Program, case.program_id), "events": audit_trail(db, case),
               "actor": actor}
    return templates.TemplateResponse(request, "reviews/audit.html", context)
