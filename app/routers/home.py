"""The home page: what matters to this person, by role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func
from sqlmodel import select

from app.deps import OptionalUser, SessionDep, get_actor
from app.models import OutboxMessage, Program, User
from app.services import dashboard, integrations, scheduling
from app.services.calendars import video_link
from app.services import programs as program_service
from app.templating import templates

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: SessionDep, user: OptionalUser):
    if user is None:
        return RedirectResponse("/login", status_code=303)
    actor = get_actor(request, user, db)
    programs = program_service.visible_programs(db, actor)
    program_of = {p.id: p for p in programs}
    coming_up = scheduling.coming_up(db, list(actor.roles))
    context = {
        "actor": actor,
        "my_programs": [p for p in programs if p.id in actor.roles],
        "public_programs": [p for p in programs if p.id not in actor.roles and p.visibility == "public"],
        "counts": program_service.member_counts(db, [p.id for p in programs]),
        "admin_stats": _admin_stats(db) if user.is_admin else None,
        "all_programs": programs if (user.is_admin or user.is_cme_office) else [],
        "meeting_alerts": integrations.alerts(db, None if user.is_admin else
                                              [p for p, role in actor.roles.items() if role == "coordinator"]),
        # What is waiting for a member: the next sessions of their programs (with the join link,
        # which members see, and when the first one takes check-ins), then what each of their roles
        # has waiting (app.services.dashboard), every item linking to where it is done.
        "coming_up": coming_up,
        "checkin": dashboard.checkin_window(coming_up[0][0]) if coming_up else None,
        "dash": dashboard.for_actor(db, actor, program_of),
        "program_of": program_of,
    }
    context["video_link"] = video_link
    return templates.TemplateResponse(request, "home/index.html", context)


def _admin_stats(db) -> dict[str, int]:
    outbox = dict(db.exec(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.status.in_(("pending", "sending", "dead"))).group_by(OutboxMessage.status)).all())
    return {
        "users": db.exec(select(func.count()).select_from(User)).one(),
        "programs": db.exec(select(func.count()).select_from(Program)).one(),
        "mail_pending": outbox.get("pending", 0) + outbox.get("sending", 0),
        "mail_dead": outbox.get("dead", 0),
    }
