"""Calendar files (RFC 5545): one session, a program's series, a member's private feed."""

from __future__ import annotations

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
def private_feed(token: str, db: SessionDep, settings: SettingsDep) -> Response:
    """The token is the credential: calendar apps cannot sign in."""
    user = calendars.user_for_feed_token(db, token)
    if user is None:
        raise NotFound("No such calendar.")
    return Response(calendars.feed_ics(db, settings, user), media_type=ICS,
                    headers={"Cache-Control": "private, max-age=900"})


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
