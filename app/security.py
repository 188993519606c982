"""Passwords, signed API tokens and CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
from functools import lru_cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pwdlib import PasswordHash

CSRF_SESSION_KEY = "csrf"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@lru_cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """(valid, new_hash): new_hash is set when the stored hash should be upgraded."""
    if not password_hash:
        return False, None
    try:
        return _hasher().verify_and_update(password, password_hash)
    except Exception:  # a malformed stored hash must not become a 500 or a timing signal
        return False, None


@lru_cache
def dummy_hash() -> str:
    """A real argon2 hash to verify against when the e-mail is unknown (same response time)."""
    return hash_password(secrets.token_urlsafe(16))


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"telementor.{purpose}")


def make_token(secret_key: str, purpose: str, payload: dict) -> str:
    return _serializer(secret_key, purpose).dumps(payload)


def read_token(secret_key: str, purpose: str, token: str, *, max_age_seconds: int) -> dict | None:
    """The payload of a token we signed for this purpose, or None if forged, mangled or expired."""
    try:
        payload = _serializer(secret_key, purpose).loads(token, max_age=max_age_seconds)
    except (BadSignature, SignatureExpired):
        return None
    return payload if isinstance(payload, dict) else None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
