"""Dependencies as Annotated aliases (SessionDep, SettingsDep, OptionalUser, CurrentUser,
CurrentActor) and the load-or-404 helpers every router shares (load_program, load_session,
load_case): not found comes before forbidden, so routers load first and check permission after."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session, select

from app import security
from app.config import Settings
from app.db import get_session
from app.errors import Forbidden, NotAuthenticated, NotFound
from app.models import CasePresentation, EchoSession, Membership, Program, User
from app.permissions import Actor

SessionDep = Annotated[Session, Depends(get_session)]
API_TOKEN_PURPOSE = "api"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
CSRF_EXEMPT_PATHS = {"/api/v1/auth/token"}


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _user_from_request(request: Request, db: Session, settings: Settings) -> User | None:
    token = bearer_token(request)
    if token is not None:
        claims = security.read_token(
            settings.secret_key, API_TOKEN_PURPOSE, token, max_age_seconds=settings.api_token_hours * 3600
        )
    else:
        claims = {"uid": request.session.get("uid"), "epoch": request.session.get("epoch")}
    if not claims or not isinstance(claims.get("uid"), int):
        return None
    user = db.get(User, claims["uid"])
    if user is None or not user.is_active or user.auth_epoch != claims.get("epoch"):
        return None
    return user


def get_optional_user(request: Request, db: SessionDep, settings: SettingsDep) -> User | None:
    if not hasattr(request.state, "user"):
        request.state.user = _user_from_request(request, db, settings)
    return request.state.user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise NotAuthenticated("Please sign in.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def load_actor(user: User, db: Session) -> Actor:
    rows = db.exec(select(Membership.program_id, Membership.role).where(Membership.user_id == user.id)).all()
    return Actor(user=user, roles={program_id: role for program_id, role in rows})


def get_actor(request: Request, user: CurrentUser, db: SessionDep) -> Actor:
    actor = load_actor(user, db)
    if any(actor.is_hub(program_id) for program_id in actor.roles):
        from app.services.reviews import queue_count

        request.state.review_count = queue_count(db, actor)  # shown in the navigation
    return actor


CurrentActor = Annotated[Actor, Depends(get_actor)]


async def csrf_protect(request: Request) -> None:
    """Every unsafe request riding on the session cookie carries the session's CSRF token.

    Bearer-token requests are exempt: the token is not ambient, a cross-site page cannot send it.
    """
    if request.method in SAFE_METHODS or request.url.path in CSRF_EXEMPT_PATHS:
        return
    if bearer_token(request) is not None:
        return
    if request.url.path.startswith("/api/") and "uid" not in request.session:
        return  # no session to ride on: the route answers 401 itself
    given = request.headers.get(security.CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if given is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(security.CSRF_FORM_FIELD)
        given = value if isinstance(value, str) else None
    if not security.csrf_tokens_match(request.session.get(security.CSRF_SESSION_KEY), given):
        raise Forbidden("This form has expired or came from another site. Reload the page and try again.")


def load_program(db: Session, program_id: int) -> Program:
    program = db.get(Program, program_id)
    if program is None:
        raise NotFound("No such program.")
    return program


def load_session(db: Session, session_id: int) -> tuple[EchoSession, Program]:
    session = db.get(EchoSession, session_id)
    if session is None:
        raise NotFound("No such session.")
    return session, db.get(Program, session.program_id)


def load_case(db: Session, case_id: int) -> CasePresentation:
    case = db.get(CasePresentation, case_id)
    if case is None:
        raise NotFound("No such case.")
    return case
