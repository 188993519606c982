"""Self-registration pages: sign up for a public program, confirm the e-mail address."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import select

from app.deps import OptionalUser, SessionDep, SettingsDep
from app.enums import ProgramVisibility
from app.errors import InvalidInput, TooManyAttempts
from app.models import Program
from app.routers.auth import client_address, start_session
from app.routers.profile import timezone_choices
from app.services import signup
from app.services import programs as program_service
from app.templating import templates

router = APIRouter(tags=["signup"])
FORM_FIELDS = ("email", "full_name", "timezone")


def _render(request: Request, db, settings, program: Program | None, *, form: signup.SignupForm | None = None,
            errors: dict | None = None, message: str = "", status_code: int = 200):
    programs = [] if program else list(db.exec(
        select(Program).where(Program.visibility == ProgramVisibility.public).order_by(Program.name)).all())
    context = {"program": program, "programs": programs, "sites": program_service.sites(db, program) if program else [],
               "form": form or signup.SignupForm(timezone=settings.default_timezone), "errors": errors or {},
               "message": message, "zones": timezone_choices()}
    return templates.TemplateResponse(request, "signup/signup.html", context, status_code=status_code)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, db: SessionDep, settings: SettingsDep, user: OptionalUser, program: str = ""):
    """The registration page of a public program (without one: the list of public programs)."""
    chosen = signup.public_program(db, int(program)) if program.isdigit() and len(program) <= 9 else None
    if user is not None:  # already has an account: joining asks the coordinator too
        return RedirectResponse(f"/programs/{chosen.id}/join" if chosen else "/programs", status_code=303)
    return _render(request, db, settings, chosen)


def _form(raw) -> signup.SignupForm:
    values = {name: raw.get(name) if isinstance(raw.get(name), str) else "" for name in FORM_FIELDS}
    site = raw.get("site_id") if isinstance(raw.get("site_id"), str) else ""
    return signup.SignupForm(**{k: v[:1024] for k, v in values.items()},
                             timezone_confirmed=bool(raw.get("timezone_confirmed")),
                             site_id=int(site) if site.isdigit() and len(site) <= 9 else None)


@router.post("/signup", response_class=HTMLResponse)
async def register(request: Request, db: SessionDep, settings: SettingsDep):
    raw = await request.form()
    program_id = raw.get("program_id")
    program = signup.public_program(db, int(program_id) if isinstance(program_id, str) and program_id.isdigit()
                                    and len(program_id) <= 9 else None)
    form = _form(raw)
    try:
        signup.register(db, settings, program, form, client=client_address(request))
    except TooManyAttempts as exc:
        db.commit()  # the attempt counts
        return _render(request, db, settings, program, form=form, message=exc.message, status_code=429)
    except InvalidInput as exc:
        db.commit()
        return _render(request, db, settings, program, form=form, errors=exc.fields, status_code=422)
    db.commit()
    context = {"program": program, "email": form.email.strip()}
    return templates.TemplateResponse(request, "signup/sent.html", context)


def _render_confirm(request: Request, user, token: str, *, errors: dict | None = None, message: str = "",
                    status_code: int = 200):
    context = {"user": user, "token": token, "errors": errors or {}, "message": message}
    return templates.TemplateResponse(request, "signup/confirm.html", context, status_code=status_code)


@router.get("/signup/verify/{token}", response_class=HTMLResponse)
def confirm_page(request: Request, token: str, db: SessionDep, settings: SettingsDep):
    """Where the e-mailed link leads: choose a password. Opening it changes nothing."""
    try:
        user = signup.pending_confirmation(settings, db, token)
    except InvalidInput as exc:
        return _render_confirm(request, None, token, message=exc.message, status_code=422)
    return _render_confirm(request, user, token)


@router.post("/signup/verify/{token}", response_class=HTMLResponse)
async def confirm(request: Request, token: str, db: SessionDep, settings: SettingsDep):
    raw = await request.form()
    password, again = (raw.get(name) if isinstance(raw.get(name), str) else "" for name in ("password", "confirm"))
    try:
        user = signup.confirm_email(db, settings, token, password=password[:1024], confirm=again[:1024])
    except InvalidInput as exc:
        if not exc.fields:  # the link itself is refused
            return _render_confirm(request, None, token, message=exc.message, status_code=422)
        user = signup.pending_confirmation(settings, db, token)
        return _render_confirm(request, user, token, errors=exc.fields, status_code=422)
    db.commit()
    start_session(request, user)
    return templates.TemplateResponse(request, "signup/verified.html", {"user": user})
