"""Programs: pages and JSON API for reading, creating, editing and joining them."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.atomic import commit_or_retry_once
from app.deps import CurrentActor, OptionalUser, SessionDep, get_actor, load_program
from app.errors import InvalidInput
from app.models import Program
from app.models.user import MembershipRequest
from app.permissions import (
    Actor,
    can_create_program,
    can_download_calendar,
    can_join_program,
    can_manage_program,
    can_view_program,
    can_view_program_members,
    is_member,
    require,
)
from app.routers import schemas
from app.routers.profile import timezone_choices
from app.services import people, program_admin, scheduling, signup
from app.services import programs as program_service
from app.templating import flash, templates

router = APIRouter()


class ProgramOut(BaseModel):
    id: int
    name: str
    slug: str
    description: str
    timezone: str
    video_url: str
    default_duration_minutes: int
    visibility: str
    created_at: datetime
    my_role: str | None = None


def to_out(program: Program, actor: Actor) -> ProgramOut:
    out = ProgramOut(**program.model_dump(), my_role=actor.role_in(program.id))
    if not (program.id in actor.roles or actor.user.is_admin):
        out.video_url = ""  # the link is for members
    return out


@router.get("/api/v1/programs", tags=["api"])
def list_programs_api(db: SessionDep, actor: CurrentActor) -> list[ProgramOut]:
    return [to_out(p, actor) for p in program_service.visible_programs(db, actor)]


@router.get("/api/v1/programs/{program_id}", tags=["api"])
def get_program_api(program_id: int, db: SessionDep, actor: CurrentActor) -> ProgramOut:
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    return to_out(program, actor)


@router.post("/api/v1/programs", status_code=201, tags=["api"])
def create_program_api(body: schemas.ProgramIn, db: SessionDep, actor: CurrentActor) -> ProgramOut:
    require(can_create_program, actor)
    program = program_admin.create_program(db, program_admin.ProgramForm(**body.model_dump()), actor=actor.user)
    db.commit()
    actor.roles[program.id] = "coordinator"
    return to_out(program, actor)


@router.put("/api/v1/programs/{program_id}", tags=["api"])
def update_program_api(program_id: int, body: schemas.ProgramIn, db: SessionDep, actor: CurrentActor) -> ProgramOut:
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    program_admin.update_program(db, program, program_admin.ProgramForm(**body.model_dump()), actor=actor.user)
    db.commit()
    return to_out(program, actor)


@router.get("/programs", response_class=HTMLResponse)
def programs_page(request: Request, db: SessionDep, actor: CurrentActor):
    programs = program_service.visible_programs(db, actor)
    counts = program_service.member_counts(db, [p.id for p in programs])
    context = {"programs": programs, "counts": counts, "actor": actor, "can_create": can_create_program(actor)}
    return templates.TemplateResponse(request, "programs/list.html", context)


def _program_form(raw) -> tuple[program_admin.ProgramForm, dict[str, str]]:
    text = {k: (raw.get(k) or "").strip() for k in ("name", "timezone", "description", "video_url", "visibility")}
    try:
        duration = int(raw.get("default_duration_minutes") or "")
    except ValueError:
        return program_admin.ProgramForm(**text, default_duration_minutes=60), {
            "default_duration_minutes": "Give the length in whole minutes."}
    return program_admin.ProgramForm(**text, default_duration_minutes=duration), {}


def _render_edit(request, program, form, errors, status_code=200):
    context = {"program": program, "form": form, "errors": errors, "zones": timezone_choices()}
    return templates.TemplateResponse(request, "programs/edit.html", context, status_code=status_code)


@router.get("/programs/new", response_class=HTMLResponse)
def new_program_page(request: Request, actor: CurrentActor):
    require(can_create_program, actor)
    return _render_edit(request, None, program_admin.ProgramForm(name="", timezone=actor.user.timezone), {})


@router.post("/programs/new", response_class=HTMLResponse)
async def create_program(request: Request, db: SessionDep, actor: CurrentActor):
    require(can_create_program, actor)
    form, errors = _program_form(await request.form())
    try:
        if errors:
            raise InvalidInput(fields=errors)
        program = program_admin.create_program(db, form, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_edit(request, None, form, exc.fields, status_code=422)
    db.commit()
    flash(request, f"{program.name} is created. Add spoke sites, members and a schedule next.", "success")
    return RedirectResponse(f"/programs/{program.id}", status_code=303)


# The program page shows a bounded part of a schedule that grows for years.
UPCOMING_SHOWN = 10  # about a quarter of a weekly program
PAST_SHOWN = 5  # the rest are on the past sessions page


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(request: Request, program_id: int, db: SessionDep, user: OptionalUser):
    if user is None:  # a visitor sees a public program's page with its sign-up link
        program = signup.public_or_sign_in(db, program_id)
        return templates.TemplateResponse(request, "signup/program.html", {"program": program})
    actor = get_actor(request, user, db)
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    show_members = can_view_program_members(actor, program)
    glance = scheduling.schedule_glance(db, program.id, upcoming=UPCOMING_SHOWN, past=PAST_SHOWN)
    context = {
        "program": program, "actor": actor, "show_members": show_members,
        "member_count": people.member_count(db, program) if show_members else 0,
        "hub_team": program_service.hub_team_of(db, program),
        "sites": program_service.sites(db, program), "schedule": glance,
        "can_manage": can_manage_program(actor, program), "can_join": can_join_program(actor, program),
        "can_download": can_download_calendar(actor, program), "show_video": is_member(actor, program),
    }
    return templates.TemplateResponse(request, "programs/detail.html", context)


@router.get("/programs/{program_id}/edit", response_class=HTMLResponse)
def edit_program_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    form = program_admin.ProgramForm(program.name, program.timezone, program.description, program.video_url,
                                     program.default_duration_minutes, program.visibility)
    return _render_edit(request, program, form, {})


@router.post("/programs/{program_id}/edit", response_class=HTMLResponse)
async def update_program(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    form, errors = _program_form(await request.form())
    try:
        if errors:
            raise InvalidInput(fields=errors)
        program_admin.update_program(db, program, form, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_edit(request, program, form, exc.fields, status_code=422)
    db.commit()
    flash(request, "Program saved.", "success")
    return RedirectResponse(f"/programs/{program.id}", status_code=303)


@router.get("/programs/{program_id}/join", response_class=HTMLResponse)
def join_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_join_program, actor, program)
    context = {"program": program, "sites": program_service.sites(db, program), "errors": {}}
    return templates.TemplateResponse(request, "programs/join.html", context)


@router.post("/programs/{program_id}/join", response_class=HTMLResponse)
async def join_program(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_join_program, actor, program)
    raw = (await request.form()).get("site_id") or ""
    try:
        site_id = _site_id(raw)
        commit_or_retry_once(db, lambda: _join(db, program, site_id, actor))
    except InvalidInput as exc:
        db.rollback()
        context = {"program": program, "sites": program_service.sites(db, program), "errors": exc.fields}
        return templates.TemplateResponse(request, "programs/join.html", context, status_code=422)
    if actor.user.self_registered and program_service.membership_of(db, program, actor.user) is None:
        flash(request, f"Your request to join {program.name} is with its coordinators.", "success")
    else:
        flash(request, f"Welcome to {program.name}.", "success")
    return RedirectResponse(f"/programs/{program.id}", status_code=303)


@router.post("/api/v1/programs/{program_id}/join", tags=["api"])
def join_api(program_id: int, db: SessionDep, actor: CurrentActor, site_id: int | None = None) -> dict:
    program = load_program(db, program_id)
    require(can_join_program, actor, program)
    membership = commit_or_retry_once(db, lambda: _join(db, program, site_id, actor))
    if isinstance(membership, MembershipRequest):
        return {"membership_id": None, "role": None, "site_id": membership.site_id, "pending": True}
    return {"membership_id": membership.id, "role": membership.role, "site_id": membership.site_id}


def _site_id(raw: str) -> int | None:
    if raw and not (raw.isdigit() and len(raw) <= 9):
        raise InvalidInput(fields={"site_id": "Choose your spoke site."})
    return int(raw) if raw else None


def _join(db: Session, program: Program, site_id: int | None, actor: Actor):
    """Joining twice at once (a double click) gives the one membership: the retry after the
    race finds it."""
    existing = program_service.membership_of(db, program, actor.user)
    if existing is None and actor.user.self_registered:  # a coordinator approves self-registered people
        return signup.request_membership(db, program, actor.user, site_id=site_id)
    return existing or program_admin.join(db, program, site_id=site_id, actor=actor.user)
