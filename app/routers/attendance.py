"""Attendance of a session: report import, reconciliation, adjustments, check-in. Pages and JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.db import utcnow
from app.deps import CurrentActor, SessionDep, load_session
from app.errors import InvalidInput
from app.models import AttendanceRecord, EchoSession, Membership, Program, User
from app.permissions import (
    Actor,
    can_attend,
    can_manage_attendance,
    can_view_attendance,
    require,
)
from app.services import attendance
from app.templating import flash, templates

router = APIRouter()


class ImportOut(BaseModel):
    id: int
    source: str
    layout: str
    people: int
    matched: int
    waiting: int
    unchanged: bool


class RecordOut(BaseModel):
    id: int
    user_id: int | None
    name: str
    sources: str
    attended_minutes: float
    adjusted: bool
    adjust_reason: str
    checked_in_at: datetime | None


class PersonOut(BaseModel):
    id: int
    display_name: str
    email: str
    status: str
    matched_by: str  # e-mail, remembered alias, name, by hand; empty while waiting
    user_id: int | None
    candidate_ids: list[int]


class ReportOut(BaseModel):
    id: int
    filename: str
    source: str
    layout: str
    rows: int | None
    people: int
    first_join: datetime | None
    last_leave: datetime | None
    imported_by: str
    imported_at: datetime
    counted: bool


class AttendanceOut(BaseModel):
    records: list[RecordOut]
    people: list[PersonOut]
    reports: list[ReportOut]


class ResolveIn(BaseModel):
    action: str = Field(pattern="^(match|guest|ignore)$")
    user_id: int | None = None


class AdjustIn(BaseModel):
    minutes: int
    reason: str = Field(max_length=1000)


class CodeIn(BaseModel):
    code: str = Field(max_length=40)


async def read_file(upload: UploadFile) -> bytes:
    # One byte over the cap is enough for the service to refuse the file as too large.
    return await upload.read(attendance.MAX_UPLOAD_BYTES + 1)


def _names(db: Session, user_ids) -> dict[int, User]:
    ids = [i for i in user_ids if i is not None]
    return {u.id: u for u in db.exec(select(User).where(User.id.in_(ids))).all()} if ids else {}


def _overview(db: Session, session: EchoSession) -> AttendanceOut:
    records = attendance.records_of(db, session)
    users = _names(db, [r.user_id for r in records])
    return AttendanceOut(
        records=[RecordOut(id=r.id, user_id=r.user_id, name=users[r.user_id].full_name if r.user_id else r.guest_name,
                           sources=r.sources, attended_minutes=round(r.attended_minutes, 2), adjusted=r.adjusted,
                           adjust_reason=r.adjust_reason, checked_in_at=r.checked_in_at) for r in records],
        people=[PersonOut(id=p.id, display_name=p.display_name, email=p.email, status=p.status,
                          matched_by=attendance.MATCHED_BY.get(p.status, ""), user_id=p.user_id,
                          candidate_ids=p.candidate_ids) for p in attendance.active_people(db, session)],
        reports=[ReportOut(id=b.id, filename=b.filename, source=b.source, layout=b.layout, rows=b.row_count,
                           people=b.people, first_join=b.first_join, last_leave=b.last_leave, imported_by=name,
                           imported_at=b.created_at, counted=b.active)
                 for b, name in attendance.reports_of(db, session)])


# --- JSON API -----------------------------------------------------------------------------


@router.post("/api/v1/sessions/{session_id}/attendance/import", status_code=201, tags=["api"])
async def import_api(session_id: int, db: SessionDep, actor: CurrentActor, file: Annotated[UploadFile, File()],
                     confirm_offset: Annotated[str, Form()] = "", confirm_date: Annotated[str, Form()] = "") -> ImportOut:
    """Import a report. A report whose own meeting start is more than 10 minutes off the session's
    is refused (422, `offset_minutes`) until `confirm_offset` repeats that offset; a report with no
    time at all until `confirm_date` gives the session's date (422, `session_date`)."""
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    result = attendance.import_report(db, session, program, await read_file(file), filename=file.filename or "",
                                      actor=actor.user, confirm_offset=_int_or_none(confirm_offset),
                                      confirm_date=_date_or_none(confirm_date))
    db.commit()
    body = ImportOut(id=result.batch.id, source=result.batch.source, layout=result.batch.layout,
                     people=result.batch.people, matched=result.matched, waiting=result.waiting,
                     unchanged=result.unchanged)
    return JSONResponse(body.model_dump(), status_code=200 if result.unchanged else 201)


@router.get("/api/v1/sessions/{session_id}/attendance", tags=["api"])
def attendance_api(session_id: int, db: SessionDep, actor: CurrentActor) -> AttendanceOut:
    session, program = load_session(db, session_id)
    require(can_view_attendance, actor, program)
    return _overview(db, session)


@router.post("/api/v1/sessions/{session_id}/attendance/people/{person_id}", tags=["api"])
def resolve_api(session_id: int, person_id: int, body: ResolveIn, db: SessionDep, actor: CurrentActor) -> AttendanceOut:
    session, program = load_session(db, session_id)
    person = attendance.load_person(db, session, person_id)
    require(can_manage_attendance, actor, program)
    attendance.resolve(db, session, program, person, action=body.action, user_id=body.user_id, actor=actor.user)
    db.commit()
    return _overview(db, session)


@router.put("/api/v1/sessions/{session_id}/attendance/{user_id}", tags=["api"])
def adjust_api(session_id: int, user_id: int, body: AdjustIn, db: SessionDep, actor: CurrentActor) -> AttendanceOut:
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    attendance.adjust(db, session, program, user_id=user_id, minutes=body.minutes, reason=body.reason, actor=actor.user)
    db.commit()
    return _overview(db, session)


class MemberOut(BaseModel):
    id: int
    full_name: str
    email: str


@router.get("/api/v1/sessions/{session_id}/attendance/member-search", tags=["api"])
def member_search_api(session_id: int, db: SessionDep, actor: CurrentActor, q: str = "") -> list[MemberOut]:
    """Members of the session's program whose name or e-mail contains `q` (2+ characters), at most 20."""
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    return [MemberOut(id=u.id, full_name=u.full_name, email=u.email)
            for u in attendance.search_members(db, program, q[:100])]


@router.post("/api/v1/sessions/{session_id}/checkin-code", tags=["api"])
def checkin_code_api(session_id: int, db: SessionDep, actor: CurrentActor) -> dict:
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    code = attendance.show_checkin_code(db, session, actor=actor.user)
    db.commit()
    return {"code": code.code}


@router.post("/api/v1/sessions/{session_id}/checkin", tags=["api"])
def checkin_api(session_id: int, body: CodeIn, db: SessionDep, actor: CurrentActor) -> dict:
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    record = attendance.check_in(db, session, program, body.code, actor=actor.user)
    db.commit()
    return {"checked_in_at": record.checked_in_at.isoformat()}


# --- pages ------------------------------------------------------------------------------------


PLATFORMS = {"zoom": "Zoom", "teams": "Microsoft Teams", "csv": "CSV"}


def _likely(db: Session, waiting: list[PersonOut]) -> dict[int, list[User]]:
    """The members each waiting person may be (same name), for one-click matching: one query."""
    users = _names(db, {i for p in waiting for i in p.candidate_ids})
    return {p.id: [users[i] for i in p.candidate_ids if i in users] for p in waiting}


def _render(request: Request, db: Session, actor: Actor, session: EchoSession, program: Program, *,
            errors: dict | None = None, form: dict | None = None, status_code: int = 200, confirm: dict | None = None,
            search: dict | None = None):
    """The attendance page. `search` holds the member searches typed on it (plain GET forms, so they
    work without JavaScript): `find` (a waiting person's id) with `q`, and `adjust_q`; each lists at
    most 20 members of the program, so the page never grows with the membership."""
    overview = _overview(db, session)
    can_manage = can_manage_attendance(actor, program)
    search, form = search or {}, form or {}
    waiting = [p for p in overview.people if p.status in attendance.WAITING]
    found, adjust_found = [], []
    if can_manage and search.get("q") and _int_or_none(search.get("find")) in {p.id for p in waiting}:
        found = attendance.search_members(db, program, search["q"])
    if can_manage and search.get("adjust_q"):
        adjust_found = attendance.search_members(db, program, search["adjust_q"])
    elif can_manage and _int_or_none(form.get("user_id")):
        adjust_found = list(_names(db, [_int_or_none(form.get("user_id"))]).values())
    context = {
        "session": session, "program": program, "overview": overview, "errors": errors or {}, "form": form,
        "search": search, "found": found, "adjust_found": adjust_found,
        "likely_of": _likely(db, waiting) if can_manage else {},
        "platforms": PLATFORMS, "can_manage": can_manage,
        "waiting": waiting,
        "person_members": _names(db, [p.user_id for p in overview.people]) if can_manage else {},
        "checkin": attendance.checkin_code_of(db, session) if can_manage else None,
        "running": session.ends_at > utcnow(), "max_mb": attendance.MAX_UPLOAD_BYTES // (1024 * 1024),
        "confirm": confirm or {},
    }
    return templates.TemplateResponse(request, "attendance/session.html", context, status_code=status_code)


@router.get("/sessions/{session_id}/attendance", response_class=HTMLResponse)
def attendance_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_view_attendance, actor, program)
    params = request.query_params
    search = {key: params.get(key, "")[:100] for key in ("find", "q", "adjust_q")}
    return _render(request, db, actor, session, program, search=search)


async def _attendance_form(request, db, actor, session_id, apply, message):
    """Load, check, apply one change from a form; re-render with the errors, or redirect."""
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    form = await request.form()
    try:
        text = await apply(db, session, program, form) or message
    except InvalidInput as exc:
        db.rollback()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return _render(request, db, actor, session, program, errors=exc.fields or {"form": exc.message},
                       form=fields, status_code=422, confirm=exc.extra)
    db.commit()
    flash(request, text, "success")
    return RedirectResponse(f"/sessions/{session.id}/attendance", status_code=303)


@router.post("/sessions/{session_id}/attendance/import", response_class=HTMLResponse)
async def import_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    async def apply(db, session, program, form):
        upload = form.get("file")
        data = await read_file(upload) if upload is not None and not isinstance(upload, str) else b""
        result = attendance.import_report(db, session, program, data, filename=getattr(upload, "filename", "") or "",
                                          actor=actor.user, confirm_offset=_int_or_none(form.get("confirm_offset")),
                                          confirm_date=_date_or_none(form.get("confirm_date")))
        if result.unchanged:
            return "This file was already imported; nothing changed."
        return (f"Imported {result.batch.people} people: {result.matched} matched, "
                f"{result.waiting} to reconcile.")
    return await _attendance_form(request, db, actor, session_id, apply, "")


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_or_none(value) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _render_remove(request, session, program, batch, errors=None, status_code=200):
    context = {"session": session, "program": program, "batch": batch, "platforms": PLATFORMS, "errors": errors or {}}
    return templates.TemplateResponse(request, "attendance/remove_report.html", context, status_code=status_code)


@router.get("/sessions/{session_id}/attendance/reports/{report_id}/remove", response_class=HTMLResponse)
def remove_report_page(request: Request, session_id: int, report_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    batch = attendance.load_report(db, session, report_id)
    return _render_remove(request, session, program, batch)


@router.post("/sessions/{session_id}/attendance/reports/{report_id}/remove", response_class=HTMLResponse)
async def remove_report_submit(request: Request, session_id: int, report_id: int, db: SessionDep,
                               actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    batch = attendance.load_report(db, session, report_id)
    if (await request.form()).get("confirm") != "remove":
        errors = {"confirm": "Confirm that this report is to be removed."}
        return _render_remove(request, session, program, batch, errors, 422)
    filename = batch.filename or "The report"
    attendance.remove_report(db, session, program, batch, actor=actor.user)
    db.commit()
    flash(request, f"{filename} was removed; attendance and credit are recomputed.", "success")
    return RedirectResponse(f"/sessions/{session.id}/attendance", status_code=303)


@router.post("/sessions/{session_id}/attendance/people/{person_id}", response_class=HTMLResponse)
async def resolve_page(request: Request, session_id: int, person_id: int, db: SessionDep, actor: CurrentActor):
    async def apply(db, session, program, form):
        person = attendance.load_person(db, session, person_id)
        attendance.resolve(db, session, program, person, action=str(form.get("action", "")),
                           user_id=_int_or_none(form.get("user_id")), actor=actor.user)
        return {"member": f"{person.display_name} is matched.", "guest": f"{person.display_name} is recorded as a guest.",
                "ignored": f"{person.display_name} is ignored."}[person.status]
    return await _attendance_form(request, db, actor, session_id, apply, "")


@router.post("/sessions/{session_id}/attendance/adjust", response_class=HTMLResponse)
async def adjust_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    async def apply(db, session, program, form):
        attendance.adjust(db, session, program, user_id=_int_or_none(form.get("user_id")),
                          minutes=_int_or_none(form.get("minutes")), reason=str(form.get("reason", "")),
                          actor=actor.user)
    return await _attendance_form(request, db, actor, session_id, apply, "Attendance adjusted; credit recomputed.")


@router.post("/sessions/{session_id}/checkin-code", response_class=HTMLResponse)
async def checkin_code_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    async def apply(db, session, program, form):
        attendance.show_checkin_code(db, session, actor=actor.user, renew=form.get("renew") == "1")
    return await _attendance_form(request, db, actor, session_id, apply, "The check-in code is ready to show.")


def _render_checkin(request, session, program, record, errors=None, status_code=200):
    context = {"session": session, "program": program, "record": record, "errors": errors or {}}
    return templates.TemplateResponse(request, "attendance/checkin.html", context, status_code=status_code)


def _my_record(db: Session, session: EchoSession, actor: Actor) -> AttendanceRecord | None:
    return db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id,
                                                  AttendanceRecord.user_id == actor.id)).first()


@router.get("/sessions/{session_id}/checkin", response_class=HTMLResponse)
def checkin_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    return _render_checkin(request, session, program, _my_record(db, session, actor))


@router.post("/sessions/{session_id}/checkin", response_class=HTMLResponse)
async def checkin_submit(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    code = (await request.form()).get("code", "")
    try:
        attendance.check_in(db, session, program, code if isinstance(code, str) else "", actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_checkin(request, session, program, _my_record(db, session, actor), exc.fields, 422)
    db.commit()
    flash(request, "You are checked in. Thank you!", "success")
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)
