"""Zoom and Microsoft Teams: the administrators' connections page, each program's meeting
settings, and the endpoint Zoom's webhooks call."""

from __future__ import annotations

import json
import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from app.confirmation import Confirmation, render_confirmation
from app.deps import CurrentActor, SessionDep, SettingsDep, load_program, load_session
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.integrations import checks, webhook
from app.models import IntegrationConnection
from app.permissions import can_manage_integrations, can_manage_program, require
from app.services import integrations
from app.templating import flash, templates

router = APIRouter()
log = logging.getLogger("telementor.integrations")

CONNECTION_FIELDS = ("platform", "label", "account_id", "client_id")


def load_connection(db, connection_id: int) -> IntegrationConnection:
    connection = db.get(IntegrationConnection, connection_id)
    if connection is None:
        raise NotFound("No such connection.")
    return connection


def _render_admin(request: Request, db, *, errors: dict | None = None, form: dict | None = None,
                  status_code: int = 200, message: str = ""):
    errors = errors or {}
    context = {"connections": integrations.connections(db), "platforms": integrations.PLATFORMS,
               "errors": errors, "form": form or {}, "message": message,
               "form_errors": {k: v for k, v in errors.items() if not k.startswith("client_secret_")}}
    return templates.TemplateResponse(request, "integrations/admin.html", context, status_code=status_code)


@router.get("/admin/integrations", response_class=HTMLResponse)
def admin_page(request: Request, db: SessionDep, actor: CurrentActor):
    require(can_manage_integrations, actor)
    return _render_admin(request, db)


@router.post("/admin/integrations", response_class=HTMLResponse)
def add_connection(request: Request, db: SessionDep, settings: SettingsDep, actor: CurrentActor,
                   platform: Annotated[str, Form(max_length=10)] = "",
                   label: Annotated[str, Form(max_length=200)] = "",
                   account_id: Annotated[str, Form(max_length=200)] = "",
                   client_id: Annotated[str, Form(max_length=200)] = "",
                   client_secret: Annotated[str, Form(max_length=1000)] = ""):
    require(can_manage_integrations, actor)
    form = {"platform": platform, "label": label, "account_id": account_id, "client_id": client_id}
    try:
        connection = integrations.add_connection(db, settings, platform=platform, label=label, account_id=account_id,
                                                 client_id=client_id, client_secret=client_secret, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_admin(request, db, errors=exc.fields or {"label": exc.message}, form=form, status_code=422)
    db.commit()
    flash(request, f"{connection.label} is connected. Test it, then choose it in a program's meeting settings.",
          "success")
    return RedirectResponse("/admin/integrations", status_code=303)


@router.post("/admin/integrations/{connection_id}/test", response_class=HTMLResponse)
def test_connection(request: Request, connection_id: int, db: SessionDep, settings: SettingsDep,
                    actor: CurrentActor):
    connection = load_connection(db, connection_id)
    require(can_manage_integrations, actor)
    results = checks.run_checks(db, settings, connection)
    db.commit()
    missing = sum(not check.ok for check in results)
    flash(request, f"{connection.label}: everything works." if not missing
          else f"{connection.label}: {missing} thing(s) do not work yet; see below.", "success" if not missing else "error")
    return RedirectResponse(f"/admin/integrations#connection-{connection.id}", status_code=303)


@router.post("/admin/integrations/{connection_id}/secret", response_class=HTMLResponse)
def replace_secret(request: Request, connection_id: int, db: SessionDep, settings: SettingsDep,
                   actor: CurrentActor, client_secret: Annotated[str, Form(max_length=1000)] = ""):
    connection = load_connection(db, connection_id)
    require(can_manage_integrations, actor)
    try:
        integrations.replace_secret(db, settings, connection, client_secret, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        errors = {f"client_secret_{connection.id}": exc.fields.get("client_secret", exc.message)}
        return _render_admin(request, db, errors=errors, status_code=422)
    db.commit()
    flash(request, f"The client secret of {connection.label} is replaced.", "success")
    return RedirectResponse("/admin/integrations", status_code=303)


PLATFORM_NAMES = {"zoom": "Zoom", "teams": "Microsoft Teams"}


@router.get("/admin/integrations/{connection_id}/delete", response_class=HTMLResponse)
def delete_connection_page(request: Request, connection_id: int, db: SessionDep, actor: CurrentActor):
    """Asks before a connection and its stored client secret are removed."""
    connection = load_connection(db, connection_id)
    require(can_manage_integrations, actor)
    platform = PLATFORM_NAMES.get(connection.platform, connection.platform)
    return render_confirmation(request, Confirmation(
        title=f"Remove {connection.label}", question=f"Remove the {platform} connection {connection.label}?",
        action=f"/admin/integrations/{connection.id}/delete", word="delete", button=f"Remove {connection.label}",
        cancel_url="/admin/integrations", cancel_label="Keep it",
        details=[("Platform", platform), ("Account or tenant", connection.account_id),
                 ("Client id", connection.client_id)],
        consequences=["Its client secret is deleted from Telementor; the app itself stays in Zoom or Microsoft "
                      "Entra. A connection that programs still make their meetings with is not removed."]))


@router.post("/admin/integrations/{connection_id}/delete", response_class=HTMLResponse)
def delete_connection(request: Request, connection_id: int, db: SessionDep, actor: CurrentActor):
    connection = load_connection(db, connection_id)
    require(can_manage_integrations, actor)
    label = connection.label
    try:
        integrations.delete_connection(db, connection, actor=actor.user)
    except InvalidTransition as exc:
        db.rollback()
        return _render_admin(request, db, message=exc.message, status_code=409)
    db.commit()
    flash(request, f"{label} is removed; its client secret is deleted.", "success")
    return RedirectResponse("/admin/integrations", status_code=303)


# --- a program's meetings ----------------------------------------------------------------------


def _render_program(request: Request, db, program, *, errors: dict | None = None, form: dict | None = None,
                    status_code: int = 200):
    host = integrations.program_host(db, program.id)
    form = form or {"connection_id": str(host.connection_id) if host else "",
                    "host_user": host.host_user if host else ""}
    options = [("", "None: sessions use the video link typed in the program or the session")]
    options += [(str(c.id), f"{c.label} ({integrations.platform_name(c.platform)})")
                for c in integrations.connections(db)]
    context = {"program": program, "options": options, "errors": errors or {}, "form": form}
    return templates.TemplateResponse(request, "integrations/program.html", context, status_code=status_code)


@router.get("/programs/{program_id}/meetings", response_class=HTMLResponse)
def program_meetings(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    return _render_program(request, db, program)


@router.post("/programs/{program_id}/meetings", response_class=HTMLResponse)
def choose_meetings(request: Request, program_id: int, db: SessionDep, actor: CurrentActor,
                    connection_id: Annotated[str, Form(max_length=20)] = "",
                    host_user: Annotated[str, Form(max_length=300)] = ""):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    form = {"connection_id": connection_id, "host_user": host_user}
    try:
        chosen = int(connection_id) if connection_id.strip() else None
    except ValueError:
        return _render_program(request, db, program, errors={"connection_id": "Choose one of the connections listed."},
                               form=form, status_code=422)
    try:
        queued = integrations.choose_for_program(db, program, connection_id=chosen, host_user=host_user,
                                                 actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_program(request, db, program, errors=exc.fields, form=form, status_code=422)
    db.commit()
    flash(request, f"Meeting settings saved; {queued} upcoming session(s) will be brought in line by the worker.",
          "success")
    return RedirectResponse(f"/programs/{program.id}/meetings", status_code=303)


# --- Zoom webhooks ----------------------------------------------------------------------------


@router.post("/api/v1/integrations/zoom/webhook", tags=["api"])
async def zoom_webhook(request: Request, db: SessionDep, settings: SettingsDep):
    """Zoom's event notifications: every call signed (x-zm-signature) within the last 5 minutes."""
    body = await request.body()
    try:
        webhook.verify(settings.zoom_webhook_secret, {k.lower(): v for k, v in request.headers.items()}, body)
        event = json.loads(body)
        payload = event.get("payload") or {}
        name = str(event.get("event") or "")
    except (webhook.WebhookRefused, ValueError, AttributeError) as exc:
        log.warning("Zoom webhook refused: %s", exc if isinstance(exc, webhook.WebhookRefused) else "malformed body")
        return JSONResponse({"detail": "Refused."}, status_code=401)
    if name == "endpoint.url_validation":
        return webhook.validation_answer(settings.zoom_webhook_secret, str(payload.get("plainToken") or ""))
    if name == "meeting.ended":
        meeting = payload.get("object") or {}
        found = integrations.meeting_ended(db, "zoom", str(meeting.get("id") or ""))
        db.commit()
        return {"received": True, "known_meeting": found}
    return {"received": True}


@router.post("/sessions/{session_id}/meeting/fetch", response_class=HTMLResponse)
def fetch_report_now(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    """Look for the session's Zoom or Teams report again now (the worker does it)."""
    session, program = load_session(db, session_id)
    require(can_manage_program, actor, program)
    try:
        integrations.fetch_now(db, session, actor=actor.user)
    except InvalidTransition as exc:
        db.rollback()
        flash(request, exc.message, "error")
        return RedirectResponse(f"/sessions/{session.id}", status_code=303)
    db.commit()
    flash(request, "The report will be fetched in a moment; this page shows how it went.", "success")
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)
