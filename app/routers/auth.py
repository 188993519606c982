"""Sign-in and sign-out (pages), API tokens (OAuth2 password flow), password reset."""

from __future__ import annotations

import re
import time
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm

from app import security
from app.deps import API_TOKEN_PURPOSE, CurrentUser, OptionalUser, SessionDep, SettingsDep
from app.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from app.enums import ProgramVisibility
from app.models import Program, User
from app.services import accounts
from app.templating import flash, templates

router = APIRouter(tags=["auth"])
from app.services.emails import PASSWORD_RESET_PURPOSE as RESET_PURPOSE
RESET_MAX_AGE = 24 * 3600
BAD_LOGIN = "Incorrect e-mail or password."
PROGRAM_PATH = re.compile(r"^/programs/(\d{1,9})(?:/|$)")
# Every "forgot password" answer takes at least this long, so timing tells no one whether the
# address has an account (queuing the e-mail takes a few milliseconds more than not).
FORGOT_ANSWER_SECONDS = 0.25
TOO_MANY_RESETS = "Too many requests for a new password. Try again in an hour."


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login is a phishing tool."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/"
    return target


def start_session(request: Request, user: User) -> None:
    request.session.clear()  # a fresh session (and CSRF token) on sign-in: no fixation
    request.session.update({"uid": user.id, "epoch": user.auth_epoch, "csrf": security.new_csrf_token()})


def signup_program(db, next: str) -> int | None:
    """The public program a visitor was on their way to, for the sign-up link."""
    match = PROGRAM_PATH.match(next)
    program = db.get(Program, int(match.group(1))) if match else None
    return program.id if program is not None and program.visibility == ProgramVisibility.public else None


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, db: SessionDep, user: OptionalUser, next: str = "/"):
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    context = {"next": safe_next(next), "email": "", "error": None, "signup_program": signup_program(db, next)}
    return templates.TemplateResponse(request, "auth/login.html", context)


def sign_in(db, settings, *, email: str, password: str) -> User | None:
    """The attempt is counted and committed before the slow password check: a burst of parallel
    guesses gets exactly login_max_failures checks; the rest are refused as locked."""
    user = accounts.begin_sign_in(db, settings, email=email)
    db.commit()
    user = accounts.finish_sign_in(db, user, email=email, password=password)
    db.commit()
    return user


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request, db: SessionDep, settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "", password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form()] = "/",
):
    try:
        user = sign_in(db, settings, email=email, password=password)
        error = None if user else BAD_LOGIN
    except (TooManyAttempts, accounts.NotVerified) as exc:
        user, error = None, exc.message
    if user is None:
        context = {"next": safe_next(next), "email": email, "error": error, "signup_program": None}
        return templates.TemplateResponse(request, "auth/login.html", context, status_code=401)
    start_session(request, user)
    flash(request, f"Welcome, {user.full_name}.", "success")
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, db: SessionDep, user: OptionalUser):
    """Signing out ends every session and API token of the account: a copied cookie dies too."""
    if user is not None:
        accounts.sign_out_everywhere(db, user)
        db.commit()
    request.session.clear()
    flash(request, "You have signed out.", "info")
    return RedirectResponse("/login", status_code=303)


@router.post("/api/v1/auth/token", tags=["api"])
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], db: SessionDep, settings: SettingsDep
) -> dict:
    """OAuth2 password flow: `username` is the e-mail address."""
    user = sign_in(db, settings, email=form.username, password=form.password)
    if user is None:
        raise NotAuthenticated(BAD_LOGIN)
    token = security.make_token(settings.secret_key, API_TOKEN_PURPOSE, {"uid": user.id, "epoch": user.auth_epoch})
    return {"access_token": token, "token_type": "bearer", "expires_in": settings.api_token_hours * 3600}


@router.post("/api/v1/auth/logout", status_code=204, tags=["api"])
def revoke_tokens(db: SessionDep, user: CurrentUser) -> Response:
    """Ends every API token and browser session of the account, like signing out in a browser."""
    accounts.sign_out_everywhere(db, user)
    db.commit()
    return Response(status_code=204)


@router.get("/password/forgot", response_class=HTMLResponse)
def forgot_page(request: Request):
    return templates.TemplateResponse(request, "auth/forgot.html", {"sent": False})


def client_address(request: Request) -> str:
    """The client's IP (the proxy's X-Forwarded-For only when uvicorn trusts that proxy)."""
    return request.client.host if request.client else "unknown"


@router.post("/password/forgot", response_class=HTMLResponse)
def forgot(request: Request, db: SessionDep, settings: SettingsDep,
           email: Annotated[str, Form(max_length=254)] = ""):
    answer_at = time.monotonic() + FORGOT_ANSWER_SECONDS
    allowed = accounts.request_password_reset(db, settings, email=email, client=client_address(request))
    db.commit()
    # The same answer, no sooner than the same moment, whether or not the account exists.
    time.sleep(max(0.0, answer_at - time.monotonic()))
    if not allowed:
        context = {"sent": False, "error": TOO_MANY_RESETS}
        return templates.TemplateResponse(request, "auth/forgot.html", context, status_code=429)
    return templates.TemplateResponse(request, "auth/forgot.html", {"sent": True})


def _reset_user(db, settings, token: str) -> User:
    claims = security.read_token(settings.secret_key, RESET_PURPOSE, token, max_age_seconds=RESET_MAX_AGE)
    user = db.get(User, claims["uid"]) if claims and isinstance(claims.get("uid"), int) else None
    if user is None or not user.is_active or user.auth_epoch != claims.get("epoch"):
        raise InvalidInput("This link has expired or was already used. Ask for a new one.")
    return user


@router.get("/password/set/{token}", response_class=HTMLResponse)
def set_password_page(request: Request, token: str, db: SessionDep, settings: SettingsDep):
    user = _reset_user(db, settings, token)
    return templates.TemplateResponse(request, "auth/set_password.html", {"token": token, "email": user.email, "errors": {}})


@router.post("/password/set/{token}", response_class=HTMLResponse)
def set_password(
    request: Request, token: str, db: SessionDep, settings: SettingsDep,
    password: Annotated[str, Form(max_length=1024)] = "", confirm: Annotated[str, Form(max_length=1024)] = "",
):
    user = _reset_user(db, settings, token)
    try:
        accounts.set_password(db, user, password, confirm, actor=user)
    except InvalidInput as exc:
        context = {"token": token, "email": user.email, "errors": exc.fields}
        return templates.TemplateResponse(request, "auth/set_password.html", context, status_code=422)
    db.commit()
    start_session(request, user)
    flash(request, "Your password is set. You are signed in.", "success")
    return RedirectResponse("/", status_code=303)


# Sign-up pages live in their own module and are served with these (they use start_session above).
from app.routers.signup import router as signup_router  # noqa: E402

router.include_router(signup_router)
