"""Site administration: people and the mail queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.deps import CurrentActor, SessionDep
from app.errors import InvalidInput, NotFound
from app.models import OutboxMessage, User
from app.pagination import first_link, next_link, page_size, search_text
from app.permissions import can_manage_users, can_view_outbox, require
from app.services import accounts, audit, mail_queue, outbox, people
from app.templating import flash, templates

router = APIRouter(prefix="/admin")


def _render_users(request: Request, db, *, q: str = "", sort: str = "", cursor: str = "", limit: str = "",
                  errors: dict | None = None, form: dict | None = None, status_code: int = 200):
    sort_name, page = people.user_page(db, search=search_text(q), sort=sort or None, cursor=cursor or None,
                                       limit=page_size(limit))
    context = {
        "users": page.rows, "total": people.user_count(db), "errors": errors or {}, "form": form or {},
        "filters": {"q": q.strip(), "sort": sort_name}, "sorts": people.USER_SORT_LABELS,
        "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
        "first_page": bool(cursor),
    }
    return templates.TemplateResponse(request, "admin/users.html", context, status_code=status_code)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, db: SessionDep, actor: CurrentActor, q: str = "", sort: str = "",
               cursor: str = "", limit: str = ""):
    """Every account, 50 a page, searchable by name or e-mail."""
    require(can_manage_users, actor)
    return _render_users(request, db, q=q, sort=sort, cursor=cursor, limit=limit)


@router.post("/users", response_class=HTMLResponse)
def invite_user(
    request: Request, db: SessionDep, actor: CurrentActor,
    email: Annotated[str, Form(max_length=254)] = "", full_name: Annotated[str, Form(max_length=200)] = "",
    degree: Annotated[str, Form(max_length=40)] = "", is_cme_office: Annotated[bool, Form()] = False,
    is_admin: Annotated[bool, Form()] = False,
):
    require(can_manage_users, actor)
    form = {"email": email, "full_name": full_name, "degree": degree}
    errors = _invite_errors(db, email, full_name)
    if errors:
        return _render_users(request, db, errors=errors, form=form, status_code=422)
    user = accounts.create_user(db, email=email, full_name=full_name.strip(), degree=degree.strip(),
                                is_admin=is_admin, is_cme_office=is_cme_office)
    audit.record(db, actor=actor.user, action="user.invited", obj=user)
    outbox.enqueue(db, "account_invitation", user_id=user.id, invited_by=actor.id)
    db.commit()
    flash(request, f"Invitation sent to {user.email}.", "success")
    return RedirectResponse("/admin/users", status_code=303)


def _invite_errors(db, email: str, full_name: str) -> dict[str, str]:
    errors = {}
    address = accounts.normalise_email(email)
    local, _, domain = address.partition("@")
    if not local or "." not in domain or " " in address:
        errors["email"] = "Enter an e-mail address such as name@clinic.org."
    elif accounts.get_by_email(db, address):
        errors["email"] = "Someone already has an account with this e-mail."
    if not full_name.strip():
        errors["full_name"] = "Enter the person's name."
    return errors


@router.post("/users/{user_id}/roles")
def set_site_roles(
    request: Request, user_id: int, db: SessionDep, actor: CurrentActor,
    is_admin: Annotated[bool, Form()] = False, is_cme_office: Annotated[bool, Form()] = False,
    is_active: Annotated[bool, Form()] = False,
):
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    require(can_manage_users, actor)
    if user.id == actor.id and not (is_admin and is_active):
        raise InvalidInput("You cannot remove your own administrator rights or deactivate yourself.")
    old = {"is_admin": user.is_admin, "is_cme_office": user.is_cme_office, "is_active": user.is_active}
    user.is_admin, user.is_cme_office, user.is_active = is_admin, is_cme_office, is_active
    if not is_active:
        user.auth_epoch += 1  # sign them out everywhere
    audit.record(db, actor=actor.user, action="user.roles_changed", obj=user, old=old,
                 new={"is_admin": is_admin, "is_cme_office": is_cme_office, "is_active": is_active})
    db.commit()
    flash(request, f"Saved {user.full_name}'s site roles.", "success")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(request: Request, db: SessionDep, actor: CurrentActor, q: str = "", status: str = "",
                sort: str = "", cursor: str = "", limit: str = ""):
    """The mail queue, 50 a page: found by recipient or subject, of one status or any (empty)."""
    require(can_view_outbox, actor)
    search, chosen = search_text(q), mail_queue.status_choice(status)
    sort_name, page = mail_queue.page(db, search=search, status=chosen, sort=sort or None, cursor=cursor or None,
                                      limit=page_size(limit))
    context = {"messages": page.rows, "counts": mail_queue.status_counts(db), "statuses": mail_queue.STATUS_LABELS,
               "filters": {"q": search, "status": chosen or "", "sort": sort_name}, "sorts": mail_queue.SORT_LABELS,
               "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
               "first_page": bool(cursor), "max_attempts": outbox.MAX_ATTEMPTS}
    return templates.TemplateResponse(request, "admin/outbox.html", context)


@router.post("/outbox/{message_id}/requeue")
def requeue_message(request: Request, message_id: int, db: SessionDep, actor: CurrentActor):
    message = db.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("No such message.")
    require(can_view_outbox, actor)
    outbox.requeue(db, message, actor=actor.user)
    db.commit()
    flash(request, f"Message {message.id} is queued again; the worker sends it on its next round.", "success")
    return RedirectResponse("/admin/outbox", status_code=303)
