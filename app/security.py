"""Passwords, signed API tokens, CSRF tokens and the installation's generated secret key."""

from __future__ import annotations

import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

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


def installation_secret(path: Path) -> str:
    """The secret key kept in `path`, made on first use: readable by this user only (0600) and
    created atomically, so two processes starting together end up with the same key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as draft_file:
            draft_file.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(draft, path)  # fails if another process made the key first: theirs is kept
        except FileExistsError:
            pass
    finally:
        draft.unlink(missing_ok=True)
    key = path.read_text().strip()
    if len(key) < 32:
        raise ValueError(f"{path} holds no usable secret key: delete it, or set TELEMENTOR_SECRET_KEY")
    return key
