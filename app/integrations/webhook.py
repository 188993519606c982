"""Zoom webhook requests: every call carries x-zm-signature = "v0=" + hex HMAC-SHA256 of
"v0:{x-zm-request-timestamp}:{raw body}" under the event subscription's Secret Token; the URL
validation challenge is answered with HMAC-SHA256(Secret Token, plainToken)."""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 300  # older (or as far in the future) is a replay


class WebhookRefused(Exception):
    pass


def signature(secret: str, timestamp: str, body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> None:
    """Raise WebhookRefused unless the call is signed with ``secret`` within the last 5 minutes."""
    given = headers.get("x-zm-signature") or ""
    timestamp = headers.get("x-zm-request-timestamp") or ""
    if not secret:
        raise WebhookRefused("Zoom webhooks are not configured (TELEMENTOR_ZOOM_WEBHOOK_SECRET)")
    if not given or not timestamp:
        raise WebhookRefused("unsigned request")
    if not timestamp.isdigit():
        raise WebhookRefused("malformed timestamp")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE_SECONDS:
        raise WebhookRefused("the request is older than 5 minutes")
    if not hmac.compare_digest(given.encode(), signature(secret, timestamp, body).encode()):
        raise WebhookRefused("the signature does not match")


def validation_answer(secret: str, plain_token: str) -> dict[str, str]:
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}
