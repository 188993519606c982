"""Programs: pages and JSON API (reading; management comes with the schedule)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from app.deps import CurrentActor, SessionDep
from app.errors import NotFound
from app.models import Program
from app.permissions import can_view_program, can_view_program_members, require
from app.services import programs as program_service
from app.templating import templates

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


def load_program(db, program_id: int) -> Program:
    program = db.get(Program, program_id)
    if program is None:
        raise NotFound("No such program.")
    return program


def to_out(program: Program, actor) -> ProgramOut:
    return ProgramOut(**program.model_dump(), my_role=actor.role_in(program.id))


@router.get("/api/v1/programs", tags=["api"])
def list_programs_api(db: SessionDep, actor: CurrentActor) -> list[ProgramOut]:
    return [to_out(p, actor) for p in program_service.visible_programs(db, actor)]


@router.get("/api/v1/programs/{program_id}", tags=["api"])
def get_program_api(program_id: int, db: SessionDep, actor: CurrentActor) -> ProgramOut:
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    return to_out(program, actor)


@router.get("/programs", response_class=HTMLResponse)
def programs_page(request: Request, db: SessionDep, actor: CurrentActor):
    programs = program_service.visible_programs(db, actor)
    counts = program_service.member_counts(db, [p.id for p in programs])
    return templates.TemplateResponse(request, "programs/list.html", {"programs": programs, "counts": counts, "actor": actor})


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    show_members = can_view_program_members(actor, program)
    members = program_service.members(db, program)
    context = {
        "program": program, "actor": actor, "show_members": show_members,
        "members": members if show_members else [],
        "hub_team": program_service.hub_team(members),
        "sites": program_service.sites(db, program),
    }
    return templates.TemplateResponse(request, "programs/detail.html", context)
