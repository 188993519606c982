"""The service's log: what an operator reads, and one line per request.

WeasyPrint and fontTools log dozens of INFO lines for every PDF; they are kept to warnings.
Each request is logged once, when its response has been sent, with its method, its path, its
status and the time it took. The path is the route's pattern where one matched
(``/calendar/{token}.ics``, never the token itself) and never carries the query string, which
can hold tokens too; a path no route matched is cut to its first segment. Nothing a person typed,
no token and no PHI reaches the line.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("telementor.request")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Third-party loggers that speak at INFO about every document they render.
QUIET_LOGGERS = ("weasyprint", "fontTools")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def loggable_path(scope: Scope) -> str:
    route = scope.get("route")
    pattern = getattr(route, "path", None)
    if isinstance(pattern, str) and pattern and hasattr(route, "endpoint"):
        return pattern
    if route is not None and isinstance(pattern, str) and pattern:  # a mount: /static/…
        return pattern + "/…"
    first = scope.get("path", "/").split("/")[1][:40]
    return f"/{first}/… (no route)" if first else "/"


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts: an exception escaped every handler

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            milliseconds = (time.perf_counter() - started) * 1000
            log.info("%s %s %d %.1f ms", scope["method"], loggable_path(scope), status, milliseconds)
