"""Calendar files (RFC 5545): one session, a program's series, a member's private feed."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import CurrentActor, CurrentUser, SessionDep, SettingsDep, load_program, load_session
from app.errors import NotFound
from app.permissions import can_download_calendar, is_member, require
from app.services import calendars
from app.templating import flash

router = APIRouter()
ICS = "text/calendar; charset=utf-8"


def ics_response(body: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-cache"}
    return Response(body, media_type=ICS, headers=headers)


@router.get("/api/v1/sessions/{session_id}/invite.ics", tags=["calendar"])
def session_invite(session_id: int, db: SessionDep, settings: SettingsDep, actor: CurrentActor) -> Response:
    session, program = load_session(db, session_id)
    require(can_download_calendar, actor, program)
    local = session.starts_at.astimezone(ZoneInfo(program.timezone))
    return ics_response(calendars.session_ics(db, settings, session, program, with_link=is_member(actor, program)),
                        f"{program.slug}-{local:%Y-%m-%d}.ics")


@router.get("/api/v1/programs/{program_id}/calendar.ics", tags=["calendar"])
def program_calendar(program_id: int, db: SessionDep, settings: SettingsDep, actor: CurrentActor) -> Response:
    program = load_program(db, program_id)
    require(can_download_calendar, actor, program)
    body = calendars.program_ics(db, settings, program, with_link=is_member(actor, program))
    return ics_response(body, f"{program.slug}.ics")


@router.get("/calendar/{token}.ics", tags=["calendar"])
@router.head("/calendar/{token}.ics", include_in_schema=False)
def private_feed(token: str, request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """The token is the credential: calendar apps cannot sign in.

    Calendar apps poll this every 15 minutes or so, so a poll must be cheap: the ETag is a digest
    of what the feed depends on, computed by two aggregate queries; a client that sends it back
    (If-None-Match) gets 304 without a single event being built, and the body itself is cached per
    ETag, gzipped once, for clients that do not. HEAD answers with the headers only."""
    user = calendars.user_for_feed_token(db, token)
    if user is None:
        raise NotFound("No such calendar.")
    since = calendars.feed_window_start()
    etag = f'"{calendars.feed_fingerprint(db, settings, user, since=since)}"'
    gzipped = "gzip" in request.headers.get("accept-encoding", "").lower()
    headers = {"ETag": etag, "Cache-Control": "private, max-age=900", "Vary": "Accept-Encoding"}
    if _etag_matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    body, compressed = _feed_body(db, settings, user, since, etag)
    if gzipped:
        body = compressed
        headers["Content-Encoding"] = "gzip"
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, media_type=ICS, headers=headers)
    return Response(body, media_type=ICS, headers=headers)


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: a weak comparison, any of a comma-separated list, or *."""
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


_FEED_CACHE: OrderedDict[tuple[int, str], tuple[bytes, bytes]] = OrderedDict()
_FEED_CACHE_LOCK = threading.Lock()
FEED_CACHE_ENTRIES = 2_000  # ~20 kB gzipped + raw per feed: a few tens of MB at most


def _feed_body(db, settings, user, since, etag: str) -> tuple[bytes, bytes]:
    """The feed's bytes and their gzip, built once per (user, ETag) in this process."""
    key = (user.id, etag)
    with _FEED_CACHE_LOCK:
        cached = _FEED_CACHE.get(key)
        if cached is not None:
            _FEED_CACHE.move_to_end(key)
            return cached
    body = calendars.feed_ics(db, settings, user, since=since)
    entry = (body, gzip.compress(body, compresslevel=6, mtime=0))
    with _FEED_CACHE_LOCK:
        _FEED_CACHE[key] = entry
        while len(_FEED_CACHE) > FEED_CACHE_ENTRIES:
            _FEED_CACHE.popitem(last=False)
    return entry


@router.post("/profile/calendar-token")
def issue_feed_token(request: Request, db: SessionDep, user: CurrentUser):
    calendars.new_feed_token(db, user, actor=user)
    db.commit()
    flash(request, "Your calendar link is ready. Any earlier link no longer works.", "success")
    return RedirectResponse("/profile#calendar", status_code=303)


@router.post("/profile/calendar-token/revoke")
def revoke_feed_token(request: Request, db: SessionDep, user: CurrentUser):
    calendars.revoke_feed_token(db, user, actor=user)
    db.commit()
    flash(request, "Your calendar link is revoked. Calendars subscribed to it stop updating.", "info")
    return RedirectResponse("/profile#calendar", status_code=303)
