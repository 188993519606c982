"""Accreditor exports of one program (ACCME PARS, NABP CPE Monitor, the yearly activity summary)
and the learner's own accreditor fields on the profile. Layouts: docs/accreditation-formats.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from sqlmodel import Session

from app.deps import CurrentActor, CurrentUser, SessionDep, load_program
from app.errors import InvalidInput
from app.exports import accreditation as fmt
from app.models import Program
from app.permissions import can_manage_certificates, require
from app.services import accreditation, audit
from app.templating import flash, templates

router = APIRouter()

EXPORT_DENIED = ("Accreditor exports are for the CME office and site admins, and for the program's coordinators "
                 "when the CME office lets them manage the program's certificates.")


def _stream(request: Request, db: Session, actor, program: Program, kind: str, filename: str, media_type: str,
            make: Callable[[Session, Program], Iterator[str]], **details) -> StreamingResponse:
    """Audit the export, then stream it from a database session of its own (the request's session
    closes when the handler returns, before the body is sent)."""
    audit.record(db, actor=actor.user, action=f"accreditation.{kind}_exported", obj=program, program_id=program.id,
                 **details)
    db.commit()
    engine, program_id = request.app.state.engine, program.id

    def body():
        with Session(engine) as reader:
            yield from make(reader, reader.get(Program, program_id))

    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return StreamingResponse(body(), media_type=media_type, headers=headers)


def _program(db: Session, actor, program_id: int) -> Program:
    program = load_program(db, program_id)
    require(can_manage_certificates, actor, program, message=EXPORT_DENIED)
    return program


FromQ = Annotated[date | None, Query(alias="from")]


@router.get("/api/v1/programs/{program_id}/accreditation/pars.txt", tags=["api"])
def pars_export(request: Request, program_id: int, db: SessionDep, actor: CurrentActor, from_: FromQ = None,
                to: date | None = None, activity_id: Annotated[str, Query(max_length=60)] = "") -> StreamingResponse:
    """PARS learner completion data, tab-delimited .txt (physicians ready for upload)."""
    program = _program(db, actor, program_id)
    accreditation.check_period(from_, to)
    activity = accreditation.check_activity_id(activity_id)
    return _stream(request, db, actor, program, "pars", f"pars-{program.slug}-{from_}-to-{to}.txt",
                   "text/plain; charset=utf-8",
                   lambda reader, p: accreditation.pars_stream(reader, p, from_, to, activity),
                   start=from_.isoformat(), end=to.isoformat())


@router.get("/api/v1/programs/{program_id}/accreditation/cpe-monitor.csv", tags=["api"])
def cpe_export(request: Request, program_id: int, db: SessionDep, actor: CurrentActor, from_: FromQ = None,
               to: date | None = None, uan: Annotated[str, Query(max_length=40)] = "") -> StreamingResponse:
    """NABP CPE Monitor rows for pharmacists or technicians (the UAN's last letter decides which)."""
    program = _program(db, actor, program_id)
    accreditation.check_period(from_, to)
    checked = accreditation.check_uan(uan)
    return _stream(request, db, actor, program, "cpe", f"cpe-monitor-{program.slug}-{from_}-to-{to}.csv",
                   "text/csv; charset=utf-8",
                   lambda reader, p: accreditation.cpe_stream(reader, p, from_, to, checked),
                   start=from_.isoformat(), end=to.isoformat())


@router.get("/api/v1/programs/{program_id}/accreditation/missing.csv", tags=["api"])
def missing_export(request: Request, program_id: int, db: SessionDep, actor: CurrentActor, from_: FromQ = None,
                   to: date | None = None, export: Annotated[str, Query(max_length=10)] = "pars",
                   uan: Annotated[str, Query(max_length=40)] = "") -> StreamingResponse:
    """Learners who earned credit but are kept out of the PARS or CPE upload, with what is missing."""
    program = _program(db, actor, program_id)
    accreditation.check_period(from_, to)
    if export not in ("pars", "cpe"):
        raise InvalidInput(fields={"export": "Choose export=pars or export=cpe."})
    checked = accreditation.check_uan(uan) if export == "cpe" else ""
    return _stream(request, db, actor, program, "missing", f"{export}-missing-{program.slug}-{from_}-to-{to}.csv",
                   "text/csv; charset=utf-8",
                   lambda reader, p: accreditation.missing_stream(reader, p, from_, to, export, checked),
                   start=from_.isoformat(), end=to.isoformat(), export=export)


@router.get("/api/v1/programs/{program_id}/accreditation/summary.csv", tags=["api"])
def summary_export(request: Request, program_id: int, db: SessionDep, actor: CurrentActor,
                   year: Annotated[int | None, Query()] = None) -> StreamingResponse:
    """The activity summary for one year (sessions, learners, physicians and others, credits)."""
    program = _program(db, actor, program_id)
    if year is None or not 2000 <= year <= 2100:
        raise InvalidInput(fields={"year": "Give the year of the summary, for example year=2026."})
    return _stream(request, db, actor, program, "summary", f"activity-summary-{program.slug}-{year}.csv",
                   "text/csv; charset=utf-8",
                   lambda reader, p: accreditation.summary_stream(reader, p, year), year=year)


# ---- the learner's own fields on the profile ------------------------------------------------------

def _form_of(user) -> tuple[fmt.LearnerFieldsForm, dict[str, str]]:
    """The stored fields; when no first/last name is stored yet, a suggestion split from the full
    name, shown as a suggestion (nothing is stored until the learner saves)."""
    form = fmt.LearnerFieldsForm(user.first_name, user.last_name, user.certifying_board, user.licence_state,
                                 user.licence_number, user.participant_type)
    hints = {}
    if not user.first_name and not user.last_name:
        first, last = fmt.split_full_name(user.full_name)
        if first:
            form.first_name, form.last_name = first, last
            hints["names"] = "Suggested from your full name: check them before saving."
        else:
            hints["names"] = "Give your first and last name as your board or licence shows them."
    return form, hints


def _render(request: Request, form, errors: dict, hints: dict, status_code: int = 200):
    context = {"form": form, "errors": errors, "hints": hints, "boards": fmt.BOARDS, "states": fmt.US_STATES,
               "participant_types": fmt.PARTICIPANT_TYPES}
    return templates.TemplateResponse(request, "profile/learner.html", context, status_code=status_code)


@router.get("/profile/learner", response_class=HTMLResponse)
def learner_fields_page(request: Request, user: CurrentUser):
    form, hints = _form_of(user)
    return _render(request, form, {}, hints)


@router.post("/profile/learner", response_class=HTMLResponse)
def save_learner_fields(
    request: Request, db: SessionDep, user: CurrentUser,
    first_name: Annotated[str, Form(max_length=200)] = "", last_name: Annotated[str, Form(max_length=200)] = "",
    certifying_board: Annotated[str, Form(max_length=20)] = "", licence_state: Annotated[str, Form(max_length=10)] = "",
    licence_number: Annotated[str, Form(max_length=80)] = "", participant_type: Annotated[str, Form(max_length=40)] = "",
):
    form = fmt.LearnerFieldsForm(first_name, last_name, certifying_board, licence_state, licence_number,
                                 participant_type)
    try:
        accreditation.update_learner_fields(db, user, form, actor=user)
    except InvalidInput as exc:
        db.rollback()
        return _render(request, form, exc.fields, {}, status_code=422)
    db.commit()
    flash(request, "Your accreditation details are saved.", "success")
    return RedirectResponse("/profile/learner", status_code=303)
