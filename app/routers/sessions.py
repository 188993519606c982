"""The schedule: series and sessions, pages and JSON API."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from app.deps import CurrentActor, SessionDep, load_program, load_session
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import EchoSession, Program
from app.no_store import NoStoreRoute
from app.pagination import first_link, next_link, page_size, search_text
from app.permissions import Actor, can_manage_program, can_view_case, can_view_program, is_member, require
from app.routers import schemas
from app.scheduling.recurrence import RecurrenceRule, describe, rule_from_form
from app.services import integrations, invites, past_sessions, scheduling
from app.services.reviews import agenda, one_line
from app.templating import flash, templates

router = APIRouter(route_class=NoStoreRoute)  # pages and JSON here carry case text


def session_out(session: EchoSession, program: Program, actor: Actor) -> schemas.SessionOut:
    local = session.starts_at.astimezone(ZoneInfo(program.timezone))
    out = schemas.SessionOut(
        **session.model_dump(exclude={"created_at", "updated_at", "original_starts_at"}),
        moved=session.original_starts_at is not None, local_start=local.isoformat(),
    )
    if not is_member(actor, program):
        out.video_url = ""  # the link is for members, not visitors of a public program or the CME office
    return out


# --- JSON API -------------------------------------------------------------------------


@router.get("/api/v1/programs/{program_id}/sessions", tags=["api"])
def list_sessions_api(program_id: int, db: SessionDep, actor: CurrentActor) -> list[schemas.SessionOut]:
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    return [session_out(s, program, actor) for s in scheduling.program_sessions(db, program.id)]


@router.get("/api/v1/sessions/{session_id}", tags=["api"])
def get_session_api(session_id: int, db: SessionDep, actor: CurrentActor) -> schemas.SessionOut:
    session, program = load_session(db, session_id)
    require(can_view_program, actor, program)
    return session_out(session, program, actor)


@router.post("/api/v1/programs/{program_id}/series", status_code=201, tags=["api"])
def create_series_api(program_id: int, body: schemas.SeriesIn, db: SessionDep, actor: CurrentActor) -> schemas.SeriesOut:
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    rule = RecurrenceRule(**body.model_dump(), timezone=program.timezone)
    series = scheduling.create_series(db, program, rule, actor=actor.user)
    db.commit()
    sessions = [s for s in scheduling.program_sessions(db, program.id) if s.series_id == series.id]
    return schemas.SeriesOut(id=series.id, program_id=program.id, description=describe(rule),
                             sessions=[session_out(s, program, actor) for s in sessions])


@router.post("/api/v1/programs/{program_id}/sessions", status_code=201, tags=["api"])
def create_session_api(program_id: int, body: schemas.SingleSessionIn, db: SessionDep,
                       actor: CurrentActor) -> schemas.SessionOut:
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    when = scheduling.SessionTime(body.local_date, body.start_time, body.duration_minutes)
    session = scheduling.create_single(db, program, when, actor=actor.user, video_url=body.video_url,
                                       didactic_topic=body.didactic_topic)
    db.commit()
    return session_out(session, program, actor)


@router.patch("/api/v1/sessions/{session_id}", tags=["api"])
def move_session_api(session_id: int, body: schemas.MoveIn, db: SessionDep, actor: CurrentActor) -> schemas.SessionOut:
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    when = scheduling.SessionTime(body.local_date, body.start_time, body.duration_minutes)
    scheduling.move(db, session, program, when, video_url=body.video_url, actor=actor.user)
    db.commit()
    return session_out(session, program, actor)


@router.post("/api/v1/sessions/{session_id}/cancel", tags=["api"])
def cancel_session_api(session_id: int, body: schemas.CancelIn, db: SessionDep, actor: CurrentActor) -> schemas.SessionOut:
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    scheduling.cancel(db, session, reason=body.reason, actor=actor.user)
    db.commit()
    return session_out(session, program, actor)


@router.post("/api/v1/sessions/{session_id}/restore", tags=["api"])
def restore_session_api(session_id: int, db: SessionDep, actor: CurrentActor) -> schemas.SessionOut:
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    scheduling.restore(db, session, actor=actor.user)
    db.commit()
    return session_out(session, program, actor)


@router.post("/api/v1/sessions/{session_id}/invites", tags=["api"])
def send_invites_api(session_id: int, db: SessionDep, actor: CurrentActor) -> dict:
    """E-mail every member an invite; later changes then reach them as updates or cancellations."""
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    sent = invites.send_invites(db, session, actor=actor.user)
    db.commit()
    return {"queued": sent}


@router.put("/api/v1/sessions/{session_id}/agenda", tags=["api"])
def agenda_api(session_id: int, body: schemas.AgendaIn, db: SessionDep, actor: CurrentActor) -> schemas.SessionOut:
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    scheduling.update_agenda(db, session, scheduling.Agenda(**body.model_dump()), actor=actor.user)
    db.commit()
    return session_out(session, program, actor)


@router.post("/api/v1/sessions/{session_id}/series-change", tags=["api"])
def series_change_api(session_id: int, body: schemas.SeriesChangeIn, db: SessionDep, actor: CurrentActor) -> dict:
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    changed = scheduling.change_rest_of_series(db, session, program, start_time=body.start_time,
                                               duration_minutes=body.duration_minutes,
                                               video_url=body.video_url, actor=actor.user)
    db.commit()
    return {"changed": changed}


# --- pages ----------------------------------------------------------------------------


def _render_session(request: Request, db: Session, actor: Actor, session: EchoSession, program: Program,
                    *, errors: dict | None = None, form: dict | None = None, status_code: int = 200):
    member = is_member(actor, program)
    # Age, sex and question are for members; visitors and the CME office see the case number only.
    cases_on_agenda = []
    for case in agenda(db, session):
        readable = can_view_case(actor, case)
        cases_on_agenda.append((case, one_line(case) if member or readable else "", readable))
    context = {"session": session, "program": program, "actor": actor, "errors": errors or {}, "form": form or {},
               "agenda_cases": cases_on_agenda, "can_manage": can_manage_program(actor, program),
               "is_member": member, "now_open": scheduling.is_changeable(session),
               "meeting": integrations.meeting_of(db, session.id) if can_manage_program(actor, program) else None}
    return templates.TemplateResponse(request, "sessions/detail.html", context, status_code=status_code)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_view_program, actor, program)
    return _render_session(request, db, actor, session, program)


def parse_fields(form, parsers: dict) -> tuple[dict, dict[str, str]]:
    """Convert form strings; each field that does not parse gets a message."""
    values, errors = {}, {}
    messages = {date: "Give a date as YYYY-MM-DD.", time: "Give a time as HH:MM.", int: "Give a whole number."}
    for name, kind in parsers.items():
        raw = (form.get(name) or "").strip()
        try:
            values[name] = kind.fromisoformat(raw) if kind in (date, time) else kind(raw)
        except ValueError:
            errors[name] = messages[kind]
    return values, errors


SESSION_TIME_FIELDS = {"local_date": date, "start_time": time, "duration_minutes": int}


async def _session_action(request: Request, db: Session, actor: Actor, session_id: int, action: str):
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    form = dict(await request.form())
    try:
        message = _apply(db, session, program, actor, action, form)
    except (InvalidInput, InvalidTransition) as exc:
        db.rollback()
        return _render_session(request, db, actor, session, program, errors=exc.fields or {"form": exc.message},
                               form=form, status_code=exc.status_code)
    db.commit()
    flash(request, message, "success")
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


def _apply(db, session, program, actor, action, form) -> str:
    if action == "move":
        values, errors = parse_fields(form, SESSION_TIME_FIELDS)
        if errors:
            raise InvalidInput(fields=errors)
        scheduling.move(db, session, program, scheduling.SessionTime(**values),
                        video_url=form.get("video_url", ""), actor=actor.user)
        return "The session is moved. Calendars pick up the change on their next update."
    if action == "cancel":
        scheduling.cancel(db, session, reason=form.get("reason", ""), actor=actor.user)
        return "The session is cancelled."
    if action == "restore":
        scheduling.restore(db, session, actor=actor.user)
        return "The session is back on the schedule."
    if action == "invite":
        sent = invites.send_invites(db, session, actor=actor.user)
        if not sent:
            return "Every member already has an invite to this session; later changes will reach their calendars."
        return f"Invites are on their way to {sent} member(s); later changes will reach their calendars."
    if action == "agenda":
        values, errors = parse_fields(form, {"case_slots": int})
        if errors:
            raise InvalidInput(fields=errors)
        agenda = scheduling.Agenda(form.get("didactic_topic", ""), form.get("didactic_presenter", ""), values["case_slots"])
        scheduling.update_agenda(db, session, agenda, actor=actor.user)
        return "The agenda is saved."
    values, errors = parse_fields(form, {"series_start_time": time, "series_duration_minutes": int})
    if errors:
        raise InvalidInput(fields=errors)
    changed = scheduling.change_rest_of_series(
        db, session, program, start_time=values["series_start_time"],
        duration_minutes=values["series_duration_minutes"], video_url=form.get("series_video_url", ""), actor=actor.user)
    return f"{changed} session(s) of the series changed from this one on."


@router.post("/sessions/{session_id}/{action}", response_class=HTMLResponse)
async def session_action(request: Request, session_id: int, action: str, db: SessionDep, actor: CurrentActor):
    if action not in {"move", "cancel", "restore", "agenda", "series", "invite"}:
        raise NotFound("No such action.")
    return await _session_action(request, db, actor, session_id, action)


@router.get("/programs/{program_id}/sessions/past", response_class=HTMLResponse)
def past_sessions_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor, q: str = "",
                       sort: str = "", cursor: str = "", limit: str = ""):
    """The program's past sessions, 50 a page, with how many attended each; searchable by topic."""
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    sort_name, page = past_sessions.past_page(db, program, search=search_text(q), sort=sort or None,
                                              cursor=cursor or None, limit=page_size(limit))
    context = {"program": program, "actor": actor, "sessions": page.rows,
               "total": past_sessions.past_count(db, program), "viewer_zone": actor.user.timezone,
               "filters": {"q": q.strip(), "sort": sort_name}, "sorts": past_sessions.SORT_LABELS,
               "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
               "first_page": bool(cursor)}
    return templates.TemplateResponse(request, "sessions/past.html", context)


@router.get("/programs/{program_id}/sessions/upcoming", response_class=HTMLResponse)
def upcoming_sessions_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor,
                           cursor: str = "", limit: str = ""):
    """Every session of the program that has not ended (a running one too), soonest first, 50 a page:
    the program page shows only the next few. Whoever may see the program page may see this."""
    program = load_program(db, program_id)
    require(can_view_program, actor, program)
    page, total = scheduling.upcoming_page(db, program.id, cursor=cursor or None, limit=page_size(limit))
    context = {"program": program, "actor": actor, "sessions": page.rows, "total": total,
               "viewer_zone": actor.user.timezone,
               "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
               "first_page": bool(cursor)}
    return templates.TemplateResponse(request, "sessions/upcoming.html", context)


@router.get("/programs/{program_id}/schedule", response_class=HTMLResponse)
def schedule_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    return _render_schedule(request, program, {}, {"duration_minutes": str(program.default_duration_minutes)})


def _render_schedule(request, program, errors, form, status_code=200):
    context = {"program": program, "errors": errors, "form": form}
    return templates.TemplateResponse(request, "sessions/schedule.html", context, status_code=status_code)


@router.post("/programs/{program_id}/schedule/series", response_class=HTMLResponse)
async def create_series_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    fields = {k: form.get(k, "") for k in ("kind", "interval", "weekday", "week_of_month", "first_date",
                                           "start_time", "duration_minutes", "until", "count")}
    if fields["kind"] == "weekly":
        fields["week_of_month"] = ""
    fields["until" if form.get("ends") == "count" else "count"] = ""
    try:
        rule = rule_from_form({**fields, "timezone": program.timezone})
        scheduling.create_series(db, program, rule, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_schedule(request, program, exc.fields, form, status_code=422)
    db.commit()
    flash(request, f"Series created: {describe(rule)}.", "success")
    return RedirectResponse(f"/programs/{program.id}", status_code=303)


@router.post("/programs/{program_id}/schedule/single", response_class=HTMLResponse)
async def create_single_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    """The single-session form's fields carry a `single_` prefix so they differ from the series form's."""
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    fields = {k.removeprefix("single_"): v for k, v in form.items()}
    values, errors = parse_fields(fields, SESSION_TIME_FIELDS)
    try:
        if errors:
            raise InvalidInput(fields=errors)
        session = scheduling.create_single(db, program, scheduling.SessionTime(**values), actor=actor.user,
                                           video_url=fields.get("video_url", ""),
                                           didactic_topic=fields.get("didactic_topic", ""))
    except InvalidInput as exc:
        db.rollback()
        prefixed = {f"single_{k}": v for k, v in exc.fields.items()}
        return _render_schedule(request, program, prefixed, form, status_code=422)
    db.commit()
    flash(request, "Session added.", "success")
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)
