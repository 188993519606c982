"""The case form as pages. Works without JavaScript (the server redacts and re-checks when asked);
with it, findings appear while the clinician types (app/static/js/case_form.js)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlmodel import Session

from app.deps import CurrentActor, SessionDep, load_case
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import CasePresentation, EchoSession, Program
from app.no_store import NoStoreRoute
from app.permissions import (
    Actor, can_assign_case, can_edit_case, can_present_case, can_read_recommendations, can_review_case, can_view_case,
    can_view_case_audit, require,
)
from app.routers.cases import presentable_programs
from app.services import cases, phi_gate, recommendations, reviews
from app.templating import flash, templates

router = APIRouter(route_class=NoStoreRoute)  # pages and JSON here carry case text


def read_form(raw) -> tuple[cases.CaseForm, str]:
    session_raw = raw.get("preferred_session_id") or ""
    waivers = {w for w in (phi_gate.Waiver.parse(v) for v in raw.getlist("waive")) if w}
    form = cases.CaseForm(
        texts={name: (raw.get(name) or "").replace("\r\n", "\n") for name in cases.TEXT_FIELD_NAMES},
        age_bracket=raw.get("age_bracket") or "", sex_gender=raw.get("sex_gender") or "",
        preferred_session_id=int(session_raw) if session_raw.isdigit() else None,
        attested=raw.get("attested") == "1", waivers=waivers,
    )
    return form, raw.get("action") or "save"


def findings_view(form: cases.CaseForm) -> dict[str, list[dict]]:
    """Every finding per field (alone and joined), with its text (shown only to the person who typed
    it). Nothing is checked while a field is over the length limit: the form says so instead."""
    texts = {name: form.texts.get(name, "") for name in cases.TEXT_FIELD_NAMES}
    if any(len(text) > cases.MAX_TEXT for text in texts.values()):
        return {}
    view = {}
    for name, findings in phi_gate.find_in_fields(texts).items():
        items = []
        for finding in findings:
            waiver = phi_gate.Waiver.of(name, texts[name], finding)
            items.append({**phi_gate.finding_dict(finding), "text": waiver.text,
                          "key": waiver.key(), "waived": finding.certainty == "likely" and waiver in form.waivers})
        if items:
            view[name] = items
    return view


def render_form(request: Request, db: Session, actor: Actor, program: Program | None, case: CasePresentation | None,
                form: cases.CaseForm, *, errors: dict | None = None, message: str = "", status_code: int = 200):
    context = {
        "actor": actor, "program": program, "case": case, "form": form, "errors": errors or {},
        "findings": findings_view(form), "message": message, "fields": cases.TEXT_FIELDS,
        "age_brackets": cases.AGE_BRACKETS, "sex_genders": cases.SEX_GENDER, "max_text": cases.MAX_TEXT,
        "programs": presentable_programs(db, actor) if case is None else [],
        "sessions": cases.upcoming_sessions(db, program) if program else [],
    }
    return templates.TemplateResponse(request, "cases/form.html", context, status_code=status_code)


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_page(request: Request, db: SessionDep, actor: CurrentActor, program_id: int | None = None):
    programs = presentable_programs(db, actor)
    if not programs:
        raise InvalidTransition("Cases are presented by the spoke clinicians of a program. Join a program first.")
    program = next((p for p in programs if p.id == program_id), programs[0])
    return render_form(request, db, actor, program, None, cases.CaseForm(texts={}))


async def _handle(request: Request, db: Session, actor: Actor, program: Program, case: CasePresentation | None):
    form, action = read_form(await request.form())
    # The form's draft autosave (case_draft.js) posts by fetch and asks for JSON: no flash, no redirect.
    autosave = action == "save" and request.headers.get("accept", "").startswith("application/json")
    try:
        if action not in {"save", "submit"}:
            cases.apply_form_action(form, action)
            return render_form(request, db, actor, program, case, form)
        saved = cases.save(db, program, case, form, actor=actor.user, submit=action == "submit")
    except InvalidInput as exc:  # PhiFound included
        db.rollback()
        if autosave:
            return JSONResponse({"detail": exc.message, "fields": exc.fields, **exc.extra}, status_code=422)
        return render_form(request, db, actor, program, case, form, errors=exc.fields, message=exc.message, status_code=422)
    db.commit()
    if autosave:
        return JSONResponse({"id": saved.id, "number": saved.number, "edit_url": f"/cases/{saved.id}/edit"})
    if action == "submit":
        flash(request, f"Case {saved.number} is submitted to the hub. You will see here when it is reviewed.", "success")
        return RedirectResponse(f"/cases/{saved.id}", status_code=303)
    flash(request, f"Draft {saved.number} saved.", "success")
    return RedirectResponse(f"/cases/{saved.id}/edit", status_code=303)


@router.post("/cases/new", response_class=HTMLResponse)
async def create_case(request: Request, db: SessionDep, actor: CurrentActor, program_id: int):
    program = db.get(Program, program_id)
    if program is None:
        raise NotFound("No such program.")
    require(can_present_case, actor, program)
    return await _handle(request, db, actor, program, None)


@router.get("/cases/{case_id}/edit", response_class=HTMLResponse)
def edit_case_page(request: Request, case_id: int, db: SessionDep, actor: CurrentActor):
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    require(can_edit_case, actor, case)
    form = cases.form_of(db, case)
    reviews.read_case(db, case, actor=actor.user)
    db.commit()
    return render_form(request, db, actor, db.get(Program, case.program_id), case, form)


@router.post("/cases/{case_id}/edit", response_class=HTMLResponse)
async def update_case(request: Request, case_id: int, db: SessionDep, actor: CurrentActor):
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    require(can_edit_case, actor, case)
    return await _handle(request, db, actor, db.get(Program, case.program_id), case)


def text_segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_waived) so the reviewer sees each "not PHI" span marked in place."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start < position or end > len(text):
            continue
        pieces += [(text[position:start], False), (text[start:end], True)]
        position = end
    return [p for p in pieces + [(text[position:], False)] if p[0]]


def render_case(request: Request, db: Session, actor: Actor, case: CasePresentation, *, errors: dict | None = None,
                form: dict | None = None, status_code: int = 200, conflict=None):
    program = db.get(Program, case.program_id)
    waivers = cases.waivers_of(db, case)
    rec = recommendations.get(db, case)
    final = bool(rec and rec.status == "final")
    context = {
        "case": case, "program": program, "actor": actor, "fields": cases.TEXT_FIELDS,
        "field_labels": {name: label for name, label, _ in cases.TEXT_FIELDS},
        "segments": {name: text_segments(getattr(case, name), [(w.start, w.end) for w in waivers if w.field_name == name])
                     for name in cases.TEXT_FIELD_NAMES},
        "waivers": waivers, "can_edit": can_edit_case(actor, case), "can_review": can_review_case(actor, case),
        "can_assign": can_assign_case(actor, case), "can_audit": can_view_case_audit(actor, case),
        "recommendation": rec if (rec and can_read_recommendations(actor, case, final)) else None,
        "contributors": recommendations.contributors(db, rec) if rec else [],
        "addenda": recommendations.addenda(db, rec) if rec else [],
        "sessions": cases.upcoming_sessions(db, program), "assigned": db.get(EchoSession, case.session_id) if case.session_id else None,
        "errors": errors or {}, "form": form or {}, "conflict": conflict,
        "writable": case.status in recommendations.WRITABLE_CASE_STATUSES,
    }
    return templates.TemplateResponse(request, "cases/detail.html", context, status_code=status_code)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, db: SessionDep, actor: CurrentActor):
    case = load_case(db, case_id)
    require(can_view_case, actor, case)
    reviews.read_case(db, case, actor=actor.user)
    db.commit()
    return render_case(request, db, actor, case)
