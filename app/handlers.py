"""One place that turns errors into responses: JSON under /api, friendly pages elsewhere.

Responses never carry internals (tracebacks, SQL, submitted values).
"""

from __future__ import annotations

import logging
import traceback
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import DomainError, InvalidInput, NotAuthenticated
from app.templating import templates

log = logging.getLogger("telementor")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith(".ics")


def error_response(request: Request, status: int, title: str, message: str, fields: dict | None = None,
                   extra: dict | None = None) -> Response:
    if wants_json(request):
        body = {"detail": message}
        if fields:
            body["fields"] = fields
        body.update(extra or {})
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    template = "errors/404.html" if status == 404 else "errors/error.html"
    context = {"status": status, "title": title, "message": message, "fields": fields or {}}
    return templates.TemplateResponse(request, template, context, status_code=status)


async def domain_error(request: Request, exc: DomainError) -> Response:
    if isinstance(exc, NotAuthenticated) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    # A refusal with no field to correct (an expired link, say) is not titled as if one were highlighted.
    title = "Request not accepted" if isinstance(exc, InvalidInput) and not exc.fields else exc.title
    return error_response(request, exc.status_code, title, exc.message, exc.fields, exc.extra)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    titles = {404: "Page not found", 405: "Method not allowed", 401: "Sign-in required", 413: "Request too large"}
    title = titles.get(exc.status_code, "Request not accepted")
    message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else title
    return error_response(request, exc.status_code, title, message)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    # Name the field and the problem; never echo the submitted value (it may carry PHI).
    fields = {}
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form")]
        fields[".".join(location) or "request"] = error.get("msg", "invalid value")
    return error_response(request, 422, "Please correct the highlighted fields", "Some fields are invalid.", fields)


# SQLSTATEs of values PostgreSQL cannot hold: 22003 numeric, 22008 datetime overflow, 22007 bad datetime.
OUT_OF_RANGE_STATES = {"22003", "22008", "22007"}


def value_refused(request: Request, exc: Exception) -> Response:
    """A value the database cannot hold (an id beyond its integer range, a NUL character, a year
    beyond 9999) is the caller's mistake: 422 naming the kind of value, never the value."""
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if isinstance(exc, OverflowError) or state in OUT_OF_RANGE_STATES:
        message = "A number or a date is out of the range this service accepts."
    elif "NUL" in str(getattr(exc, "orig", "")):
        message = "Text may not contain NUL (zero) characters."
    else:
        message = "A value was not accepted: check the numbers, dates and text you sent."
    log.info("refused value (%s) on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_response(request, 422, "Please correct the request", message)


def write_collided(request: Request, exc: IntegrityError) -> Response:
    """Two requests wrote the same unique thing at once and this one lost (see app.atomic)."""
    log.info("write collided on %s %s", request.method, request.url.path)
    return error_response(request, 409, "This changed at the same moment",
                          "Someone made the same change at the same moment. Reload the page and check the result.")


def server_error(request: Request, exc: Exception) -> Response:
    # The frames, never the message: an exception's text can quote submitted values.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method, request.url.path, frames)
    return error_response(request, 500, "Something went wrong", "An unexpected error occurred. It has been logged.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DataError, value_refused)
    app.add_exception_handler(OverflowError, value_refused)
    app.add_exception_handler(IntegrityError, write_collided)


async def guard(request: Request, call_next) -> Response:
    """Answer every unexpected error with the 500 page and security headers on every response.

    Catching here, rather than in a handler for Exception, keeps the server from logging the
    exception again with its message.
    """
    try:
        response = await call_next(request)
    except Exception as exc:  # noqa: BLE001
        response = server_error(request, exc)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.url.path.startswith(("/docs", "/redoc")):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
    if request.app.state.settings.is_production:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
