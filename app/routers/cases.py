"""Case presentations: the form with its live PHI check, pages and JSON API."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.deps import CurrentActor, SessionDep, load_case
from app.enums import CaseStatus
from app.errors import NotFound
from app.models import CasePresentation, Program
from app.no_store import NoStoreRoute
from app.pagination import first_link, next_link, optional_id, page_size, search_text
from app.permissions import Actor, can_edit_case, can_present_case, can_view_case, require
from app.services import cases, phi_gate, reviews
from app.services.programs import visible_programs
from app.templating import templates

router = APIRouter(route_class=NoStoreRoute)  # pages and JSON here carry case text


class FindingOut(BaseModel):
    start: int
    end: int
    label: str
    certainty: str


MAX_CHECKED_FIELDS = 20


class CheckIn(BaseModel):
    text: str | None = None
    fields: dict[str, str] | None = Field(default=None, max_length=MAX_CHECKED_FIELDS)


class WaiverIn(BaseModel):
    field: str
    start: int
    end: int
    label: str
    text: str  # the waived characters exactly: the waiver lapses when the text there changes


class CaseIn(BaseModel):
    program_id: int | None = None
    preferred_session_id: int | None = None
    age_bracket: str = ""
    sex_gender: str = ""
    attested: bool = False
    waivers: list[WaiverIn] = []
    submit: bool = False
    question: str = ""
    presenting_problem: str = ""
    past_history: str = ""
    medications: str = ""
    allergies: str = ""
    labs_imaging: str = ""
    social_history: str = ""
    tried_assessment: str = ""


class CaseSummary(BaseModel):
    id: int
    number: str
    program_id: int
    presenter_id: int
    status: str
    age_bracket: str
    sex_gender: str
    preferred_session_id: int | None
    submitted_at: datetime | None
    updated_at: datetime


class CaseOut(CaseSummary):
    question: str
    presenting_problem: str
    past_history: str
    medications: str
    allergies: str
    labs_imaging: str
    social_history: str
    tried_assessment: str
    attested: bool
    status_reason: str
    waivers: list[WaiverIn]


@router.post("/api/v1/redaction/check", tags=["api"])
def check_text(body: CheckIn, actor: CurrentActor) -> dict:
    """Findings for one text, or per field (each alone and all joined, as the gate checks them).
    What saving refuses outright is refused here the same way (422 naming the field): a text over
    MAX_FREE_TEXT characters, invisible characters (with their offsets under "invisible").
    Nothing is stored or logged."""
    if body.fields is not None:
        found = phi_gate.check_fields(body.fields)
        return {"fields": {name: [phi_gate.finding_dict(f) for f in items] for name, items in found.items()}}
    found = phi_gate.check_fields({"text": body.text or ""})
    return {"findings": [phi_gate.finding_dict(f) for f in found["text"]]}


def case_out(db: Session, case: CasePresentation) -> CaseOut:
    waivers = [WaiverIn(field=w.field, start=w.start, end=w.end, label=w.label, text=w.text)
               for w in cases.stored_waivers(db, case)]
    return CaseOut(**case.model_dump(), waivers=waivers)


def form_from_api(body: CaseIn) -> cases.CaseForm:
    return cases.CaseForm(
        texts={name: getattr(body, name) for name in cases.TEXT_FIELD_NAMES},
        age_bracket=body.age_bracket, sex_gender=body.sex_gender, preferred_session_id=body.preferred_session_id,
        attested=body.attested,
        waivers={phi_gate.Waiver(w.field, w.start, w.end, w.label, w.text) for w in body.waivers},
    )


@router.get("/api/v1/cases", tags=["api"])
def list_cases_api(request: Request, response: Response, db: SessionDep, actor: CurrentActor,
                   status: str | None = None, program_id: str = "", q: str = "", sort: str = "",
                   cursor: str = "", limit: str = "") -> list[CaseSummary]:
    """Summaries only (no case text): the presenter's own cases and the hub's queue, a page at a
    time (default 50, `limit` up to 200). The next page is in the `Link` header (rel="next") and
    its cursor in `X-Next-Cursor`; no header on the last page. `sort`: updated (default), oldest,
    number, submitted (the default when status=submitted); `q` searches the case number."""
    _, page = _case_page(db, actor, status=status, program_id=program_id, q=q, sort=sort, cursor=cursor,
                         limit=limit, default_sort="submitted" if status == CaseStatus.submitted else None)
    if url := next_link(request.url, page.next_cursor, absolute=True):
        response.headers["Link"] = f'<{url}>; rel="next"'
        response.headers["X-Next-Cursor"] = page.next_cursor
    return [CaseSummary.model_validate(row._mapping) for row in page.rows]


def _case_page(db: Session, actor: Actor, *, status, program_id, q, sort, cursor, limit, default_sort=None):
    return cases.case_page(db, actor, status=status or None, program_id=optional_id(program_id, "program_id"),
                           search=search_text(q), sort=sort or default_sort, cursor=cursor or None,
                           limit=page_size(limit))


@router.get("/api/v1/cases/{case_id}", tags=["api"])
def get_case_api(case_id: int, db: SessionDep, actor: CurrentActor) -> CaseOut:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    reviews.read_case(db, case, actor=actor.user)
    db.commit()
    return case_out(db, case)


@router.post("/api/v1/cases", status_code=201, tags=["api"])
def create_case_api(body: CaseIn, db: SessionDep, actor: CurrentActor) -> CaseOut:
    program = db.get(Program, body.program_id or 0)
    if program is None:
        raise NotFound("No such program.")
    require(can_present_case, actor, program)
    case = cases.save(db, program, None, form_from_api(body), actor=actor.user, submit=body.submit)
    db.commit()
    return case_out(db, case)


@router.put("/api/v1/cases/{case_id}", tags=["api"])
def update_case_api(case_id: int, body: CaseIn, db: SessionDep, actor: CurrentActor) -> CaseOut:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    require(can_edit_case, actor, case)
    program = db.get(Program, case.program_id)
    cases.save(db, program, case, form_from_api(body), actor=actor.user, submit=body.submit)
    db.commit()
    return case_out(db, case)


@router.post("/api/v1/cases/{case_id}/submit", tags=["api"])
def submit_case_api(case_id: int, db: SessionDep, actor: CurrentActor) -> CaseOut:
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    require(can_edit_case, actor, case)
    program = db.get(Program, case.program_id)
    cases.save(db, program, case, cases.form_of(db, case), actor=actor.user, submit=True)
    db.commit()
    return case_out(db, case)


def presentable_programs(db: Session, actor: Actor) -> list[Program]:
    return [p for p in visible_programs(db, actor) if can_present_case(actor, p)]


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, db: SessionDep, actor: CurrentActor, status: str = "", program_id: str = "",
               q: str = "", sort: str = "", cursor: str = "", limit: str = ""):
    sort_name, page = _case_page(db, actor, status=status, program_id=program_id, q=q, sort=sort, cursor=cursor,
                                 limit=limit)
    programs = visible_programs(db, actor)
    context = {
        "cases": page.rows, "next_url": next_link(request.url, page.next_cursor), "actor": actor,
        "programs": programs, "can_present": any(can_present_case(actor, p) for p in programs),
        "filters": {"status": status, "program_id": program_id, "q": q.strip(), "sort": sort_name},
        "statuses": [s.value for s in CaseStatus], "sorts": cases.SORT_LABELS,
        "first_page": bool(cursor), "first_url": first_link(request.url),
    }
    return templates.TemplateResponse(request, "cases/list.html", context)
