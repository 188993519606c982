"""What both platforms' APIs need from a client: an access token fetched with the app's
credentials and cached until shortly before it expires, one fresh token after a 401, waits on 429
as Retry-After says, backoff on 5xx and dropped connections, and errors that say what the platform
said (never the secret: every message is scrubbed of it)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

log = logging.getLogger("telementor.integrations")

MAX_TRIES = 4
BACKOFF_SECONDS = 1.0
# Longer waits are not slept through in the worker: the job is tried again later instead.
MAX_INLINE_WAIT = 30.0
TOKEN_MARGIN = 60.0  # a cached token is replaced this many seconds before it expires
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class ApiError(Exception):
    """The platform refused or failed. ``transient`` errors are worth trying again later."""

    def __init__(self, platform: str, status: int | None, message: str, *, code: str = "",
                 transient: bool = False, retry_after: float | None = None) -> None:
        self.platform, self.status, self.code, self.transient = platform, status, code, transient
        self.retry_after = retry_after
        self.message = " ".join(message.split())[:300]
        super().__init__(self.describe())

    def describe(self) -> str:
        status = f" ({self.status}{', ' + self.code if self.code else ''})" if self.status else ""
        return f"{self.platform}{status}: {self.message}"


class ReportNotReady(Exception):
    """The platform has no attendance report for the meeting yet."""


@dataclass
class Token:
    value: str
    expires_at: float
    granted: str = ""  # Zoom: the scopes; Teams: the application roles, space-separated


_cache: dict[tuple, Token] = {}
_cache_lock = threading.Lock()


def forget_tokens() -> None:
    with _cache_lock:
        _cache.clear()


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)


class Caller:
    """Authenticated calls to one platform with one app's credentials."""

    platform = ""

    def __init__(self, http: httpx.Client, *, secret: str, cache_key: tuple,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.http, self._secret, self._cache_key, self._sleep = http, secret, cache_key, sleep

    # Subclasses: fetch a new token (raising ApiError), and read an error body.
    def fetch_token(self) -> Token:
        raise NotImplementedError

    def error_of(self, response: httpx.Response) -> tuple[str, str]:
        raise NotImplementedError

    def scrub(self, text: str) -> str:
        return text.replace(self._secret, "[client secret]") if self._secret else text

    def token(self, *, fresh: bool = False) -> Token:
        with _cache_lock:
            cached = _cache.get(self._cache_key)
        if cached is not None and not fresh and cached.expires_at - TOKEN_MARGIN > time.time():
            return cached
        token = self.fetch_token()
        with _cache_lock:
            _cache[self._cache_key] = token
        return token

    def fail(self, response: httpx.Response, *, transient: bool = False) -> ApiError:
        code, message = self.error_of(response)
        return ApiError(self.platform, response.status_code, self.scrub(message or response.reason_phrase),
                        code=code, transient=transient or response.status_code == 429 or response.status_code >= 500,
                        retry_after=retry_after_seconds(response.headers.get("retry-after")))

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        """One API call; 2xx and 4xx other than 401/429 are returned for the caller to judge."""
        refreshed = False
        for attempt in range(1, MAX_TRIES + 1):
            token = self.token(fresh=refreshed)
            try:
                response = self.http.request(method, url, headers={"Authorization": f"Bearer {token.value}"},
                                             timeout=TIMEOUT, **kwargs)
            except httpx.TransportError as exc:
                if attempt == MAX_TRIES:
                    raise ApiError(self.platform, None, f"cannot reach the platform: {type(exc).__name__}",
                                   transient=True) from exc
                self._sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
                continue
            log.info("%s %s %s -> %s", self.platform, method, httpx.URL(url).path, response.status_code)
            if response.status_code == 401 and not refreshed:
                refreshed = True  # expired or revoked: one new token, then the answer stands
                continue
            if response.status_code == 429 or response.status_code >= 500:
                wait = retry_after_seconds(response.headers.get("retry-after"))
                wait = BACKOFF_SECONDS * 2 ** (attempt - 1) if wait is None else wait
                if attempt == MAX_TRIES or wait > MAX_INLINE_WAIT:
                    raise self.fail(response, transient=True)
                self._sleep(wait)
                continue
            if response.status_code == 401:
                raise self.fail(response)
            return response
        raise AssertionError("unreachable")

    def json_or_fail(self, response: httpx.Response, *ok: int) -> dict:
        if response.status_code not in ok:
            raise self.fail(response)
        try:
            return response.json() if response.content else {}
        except ValueError as exc:
            raise ApiError(self.platform, response.status_code, "the answer is not JSON", transient=True) from exc
