"""Bounded input: request bodies and headers are limited before they are read.

One anonymous 200 MB POST once took the server from 137 to 740 MB. Now a declared Content-Length
over the route's limit is answered 413 at once, without reading a byte of the body; a body sent
without a length (chunked) is counted as it streams in and refused as soon as it passes the limit.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB, MIB = 1024, 1024 * 1024
UPLOAD_LIMIT = 5 * MIB + 64 * KIB  # a 5 MB attendance report plus its multipart envelope
JSON_LIMIT = 1 * MIB
FORM_LIMIT = 256 * KIB  # pages' forms, and anything else
HEADER_LIMIT = 16 * KIB
UPLOAD_PATH = re.compile(r"^(/api/v1)?/sessions/[^/]+/attendance/import$")


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so that FastAPI's body parsing passes
    it on as it is (it turns other errors into 400) and the HTTP error handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))
        self.limit = limit


def body_limit(path: str, content_type: str) -> int:
    if content_type.startswith("multipart/form-data") and UPLOAD_PATH.match(path):
        return UPLOAD_LIMIT
    if content_type.startswith("application/json"):
        return JSON_LIMIT
    return FORM_LIMIT


def too_large_message(limit: int) -> str:
    return f"The request is too large: at most {limit // KIB:,} kB is accepted here."


class BodyLimitMiddleware:
    """Pure ASGI (no buffering): refuses by the declared length, else counts what streams in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope["headers"]}
        if sum(len(name) + len(value) for name, value in scope["headers"]) > HEADER_LIMIT:
            await self._refuse(scope, receive, send, 431, "The request's headers are too large.")
            return
        limit = body_limit(scope["path"], headers.get(b"content-type", b"").decode("latin-1").lower())
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, 413, too_large_message(limit))
            return
        await self.app(scope, _counting(receive, limit), send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
        from app.handlers import error_response

        response = error_response(Request(scope), status, "Request too large", message)
        response.headers["Connection"] = "close"  # the unread body is not drained
        await response(scope, receive, send)


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return counted
