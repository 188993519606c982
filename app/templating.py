"""Jinja2 environments: pages (HTML, autoescaped) and e-mails (plain text)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.security import CSRF_SESSION_KEY, new_csrf_token

TEMPLATE_DIR = Path(__file__).parent / "templates"


def localtime(value: datetime | None, zone: str, fmt: str = "%a %d %b %Y, %-I:%M %p %Z") -> str:
    """An aware datetime shown in a time zone (local time appears only at the edges)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = request.session[CSRF_SESSION_KEY] = new_csrf_token()
    return token


def _page_context(request: Request) -> dict:
    return {
        "csrf_token": csrf_token(request),
        "current_user": getattr(request.state, "user", None),
        "review_count": getattr(request.state, "review_count", None),
        "flashes": request.session.pop("flash", []),
        "settings": request.app.state.settings,
    }


templates = Jinja2Templates(directory=str(TEMPLATE_DIR), context_processors=[_page_context])
templates.env.filters["localtime"] = localtime
templates.env.undefined = StrictUndefined

email_env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR / "email")),
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
email_env.filters["localtime"] = localtime


def flash(request: Request, message: str, category: str = "info") -> None:
    request.session.setdefault("flash", []).append({"message": message, "category": category})
