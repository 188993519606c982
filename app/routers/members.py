"""A program's spoke sites and members: pages and JSON API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.atomic import commit_or_retry_once
from app.confirmation import Confirmation, confirmed, render_confirmation
from app.deps import CurrentActor, SessionDep, load_program
from app.errors import Conflict, InvalidInput
from app.exports.accreditation import US_STATES
from app.models import SpokeSite, User
from app.pagination import first_link, next_link, page_size, search_text
from app.permissions import Actor, can_manage_program, can_view_program_members, require
from app.routers import schemas
from app.services import people, program_admin, signup
from app.services import programs as program_service
from app.templating import flash, templates

router = APIRouter()


@router.get("/api/v1/programs/{program_id}/sites", tags=["api"])
def list_sites_api(program_id: int, db: SessionDep, actor: CurrentActor) -> list[schemas.SiteOut]:
    program = load_program(db, program_id)
    require(can_view_program_members, actor, program)
    return [schemas.SiteOut(**s.model_dump()) for s in program_service.sites(db, program)]


@router.post("/api/v1/programs/{program_id}/sites", status_code=201, tags=["api"])
def add_site_api(program_id: int, body: schemas.SiteIn, db: SessionDep, actor: CurrentActor) -> schemas.SiteOut:
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    site = program_admin.add_site(db, program, **body.model_dump(), actor=actor.user)
    db.commit()
    return schemas.SiteOut(**site.model_dump())


@router.put("/api/v1/programs/{program_id}/sites/{site_id}", tags=["api"])
def change_site_api(program_id: int, site_id: int, body: schemas.SiteIn, db: SessionDep,
                    actor: CurrentActor) -> schemas.SiteOut:
    """Replace a spoke site's name and place (every field; `rural` null means not recorded)."""
    program = load_program(db, program_id)
    site = program_admin.load_site(db, program, site_id)
    require(can_manage_program, actor, program)
    program_admin.change_site(db, program, site, **body.model_dump(), actor=actor.user)
    db.commit()
    return schemas.SiteOut(**site.model_dump())


@router.get("/api/v1/programs/{program_id}/members", tags=["api"])
def list_members_api(program_id: int, request: Request, response: Response, db: SessionDep, actor: CurrentActor,
                     sort: str = "", cursor: str = "", limit: str = "") -> list[schemas.MemberOut]:
    """The program's members a page at a time (default 50, `limit` up to 200). The next page is in
    the `Link` header (rel="next") and its cursor in `X-Next-Cursor`; no header on the last page.
    `sort`: name (default), role, newest. No search here: members who do not manage the program
    must not find people by e-mail."""
    program = load_program(db, program_id)
    require(can_view_program_members, actor, program)
    _, page = people.member_page(db, program, sort=sort or None, cursor=cursor or None, limit=page_size(limit))
    if url := next_link(request.url, page.next_cursor, absolute=True):
        response.headers["Link"] = f'<{url}>; rel="next"'
        response.headers["X-Next-Cursor"] = page.next_cursor
    return [schemas.MemberOut(id=row.id, user_id=row.user_id, full_name=row.full_name, degree=row.degree,
                              role=row.role, site_id=row.site_id, is_facilitator=row.is_facilitator)
            for row in page.rows]


@router.post("/api/v1/programs/{program_id}/members", status_code=201, tags=["api"])
def add_member_api(program_id: int, body: schemas.MemberIn, db: SessionDep, actor: CurrentActor) -> schemas.MemberOut:
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    # Added twice at once: the retry finds the member (409), and an invited person is created once.
    membership = commit_or_retry_once(db, lambda: program_admin.add_member(db, program, **body.model_dump(),
                                                                           actor=actor.user))
    user = db.get(User, membership.user_id)
    return schemas.MemberOut(id=membership.id, user_id=user.id, full_name=user.full_name, degree=user.degree,
                             role=membership.role, site_id=membership.site_id,
                             is_facilitator=membership.is_facilitator)


@router.delete("/api/v1/programs/{program_id}/members/{membership_id}", status_code=204, tags=["api"])
def remove_member_api(program_id: int, membership_id: int, db: SessionDep, actor: CurrentActor) -> Response:
    program = load_program(db, program_id)
    membership = program_admin.load_membership(db, program, membership_id)
    require(can_manage_program, actor, program)
    program_admin.remove_member(db, program, membership, actor=actor.user)
    db.commit()
    return Response(status_code=204)


def _render(request, db, actor: Actor, program, *, errors=None, form=None, status_code=200, q: str = "",
            sort: str = "", cursor: str = "", limit: str = ""):
    sort_name, page = people.member_page(db, program, search=search_text(q), sort=sort or None,
                                         cursor=cursor or None, limit=page_size(limit))
    context = {"program": program, "actor": actor, "members": page.rows, "total": people.member_count(db, program),
               "requests": signup.pending_requests(db, program),
               "sites": program_service.sites(db, program), "states": US_STATES, "errors": errors or {},
               "form": form or {},
               "filters": {"q": q.strip(), "sort": sort_name}, "sorts": people.MEMBER_SORT_LABELS,
               "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
               "first_page": bool(cursor)}
    return templates.TemplateResponse(request, "programs/members.html", context, status_code=status_code)


@router.get("/programs/{program_id}/members", response_class=HTMLResponse)
def members_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor, q: str = "",
                 sort: str = "", cursor: str = "", limit: str = ""):
    """A program's members, 50 a page, found by one search box (name or e-mail)."""
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    return _render(request, db, actor, program, q=q, sort=sort, cursor=cursor, limit=limit)


def _optional_int(raw: str | None, field: str) -> int | None:
    if not raw:
        return None
    if not (raw.isdigit() and len(raw) <= 9):
        raise InvalidInput(fields={field: "Choose from the list."})
    return int(raw)


async def _members_action(request: Request, db, actor: Actor, program_id: int, action, success: str):
    program = load_program(db, program_id)
    require(can_manage_program, actor, program)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        commit_or_retry_once(db, lambda: action(program, form))
    except (InvalidInput, Conflict) as exc:
        db.rollback()
        errors = exc.fields or {"form": exc.message}
        return _render(request, db, actor, program, errors=errors, form=form, status_code=exc.status_code)
    flash(request, success() if callable(success) else success, "success")
    return RedirectResponse(f"/programs/{program.id}/members", status_code=303)


def _site_fields(form: dict) -> dict:
    """A site form's fields for program_admin; a rural choice not in the list is a field error."""
    rural = form.get("rural", "")
    if rural not in program_admin.RURAL_CHOICES:
        raise InvalidInput(fields={"rural": "Choose rural, urban or not recorded."})
    return {"organisation": form.get("organisation", ""), "city": form.get("city", ""),
            "state": form.get("state", ""), "county": form.get("county", ""),
            "rural": program_admin.RURAL_CHOICES[rural]}


@router.post("/programs/{program_id}/sites", response_class=HTMLResponse)
async def add_site(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    added = []

    def action(program, form):
        added.append(program_admin.add_site(db, program, **_site_fields(form), actor=actor.user))
    return await _members_action(request, db, actor, program_id, action,
                                 lambda: f"Added the spoke site {added[-1].organisation}.")


def _render_site(request, program, site, *, form: dict | None = None, errors=None, status_code=200):
    if form is None:
        rural = {None: "", True: "rural", False: "urban"}[site.rural]
        form = {"organisation": site.organisation, "city": site.city, "state": site.state, "county": site.county,
                "rural": rural}
    context = {"program": program, "site": site, "form": form, "errors": errors or {},
               "states": US_STATES}
    return templates.TemplateResponse(request, "programs/site_edit.html", context, status_code=status_code)


@router.get("/programs/{program_id}/sites/{site_id}/edit", response_class=HTMLResponse)
def edit_site_page(request: Request, program_id: int, site_id: int, db: SessionDep, actor: CurrentActor):
    """A spoke site's name and place: state from a list, county, and whether it is rural."""
    program = load_program(db, program_id)
    site = program_admin.load_site(db, program, site_id)
    require(can_manage_program, actor, program)
    return _render_site(request, program, site)


@router.post("/programs/{program_id}/sites/{site_id}/edit", response_class=HTMLResponse)
async def edit_site(request: Request, program_id: int, site_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    site = program_admin.load_site(db, program, site_id)
    require(can_manage_program, actor, program)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        changed = program_admin.change_site(db, program, site, **_site_fields(form), actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_site(request, program, site, form=form, errors=exc.fields, status_code=422)
    db.commit()
    message = f"Saved {site.organisation}." if changed else f"Nothing changed for {site.organisation}."
    flash(request, message, "success")
    return RedirectResponse(f"/programs/{program.id}/members#sites-h", status_code=303)


@router.post("/programs/{program_id}/members", response_class=HTMLResponse)
async def add_member(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    def action(program, form):
        program_admin.add_member(db, program, email=form.get("email", ""), full_name=form.get("full_name", ""),
                                 role=form.get("role", ""), site_id=_optional_int(form.get("site_id"), "site_id"),
                                 actor=actor.user)
    return await _members_action(request, db, actor, program_id, action, "Member added.")


@router.post("/programs/{program_id}/members/{membership_id}", response_class=HTMLResponse)
async def change_member(request: Request, program_id: int, membership_id: int, db: SessionDep, actor: CurrentActor):
    if (await request.form()).get("remove"):
        # A Remove button of an older page: removing asks first, on its own page.
        program = load_program(db, program_id)
        require(can_manage_program, actor, program)
        membership = program_admin.load_membership(db, program, membership_id)
        return RedirectResponse(f"/programs/{program.id}/members/{membership.id}/remove", status_code=303)
    names = []

    def action(program, form):
        membership = program_admin.load_membership(db, program, membership_id)
        program_admin.change_member(db, program, membership, role=form.get("role", ""),
                                    site_id=_optional_int(form.get("site_id"), "site_id"),
                                    is_facilitator=bool(form.get("is_facilitator")), actor=actor.user)
        names.append(db.get(User, membership.user_id).full_name)
    return await _members_action(request, db, actor, program_id, action,
                                 lambda: f"Saved {names[-1]}'s role, site and facilitation.")


ROLE_LABELS = {"clinician": "Spoke clinician", "specialist": "Hub specialist", "coordinator": "Coordinator"}


def _removal(db, program, membership, person: User) -> Confirmation:
    details = [("Name", person.full_name), ("E-mail", person.email),
               ("Role", ROLE_LABELS.get(membership.role, membership.role))]
    if membership.site_id and (site := db.get(SpokeSite, membership.site_id)):
        details.append(("Spoke site", site.organisation))
    return Confirmation(
        title=f"Remove {person.full_name} · {program.name}", question=f"Remove {person.full_name} from {program.name}?",
        action=f"/programs/{program.id}/members/{membership.id}/remove", word="remove",
        button=f"Remove {person.full_name}", cancel_url=f"/programs/{program.id}/members", cancel_label="Keep them",
        details=details,
        consequences=[
            "They no longer see this program's sessions, agenda or members. Upcoming sessions they were invited "
            "to are cancelled in their calendar.",
            "Their attendance, credit, certificates and the cases they presented stay. To undo this, add them again."])


@router.get("/programs/{program_id}/members/{membership_id}/remove", response_class=HTMLResponse)
def remove_member_page(request: Request, program_id: int, membership_id: int, db: SessionDep, actor: CurrentActor):
    """Asks before a member is removed, and says what removing does."""
    program = load_program(db, program_id)
    membership = program_admin.load_membership(db, program, membership_id)
    require(can_manage_program, actor, program)
    return render_confirmation(request, _removal(db, program, membership, db.get(User, membership.user_id)))


@router.post("/programs/{program_id}/members/{membership_id}/remove", response_class=HTMLResponse)
async def remove_member(request: Request, program_id: int, membership_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    membership = program_admin.load_membership(db, program, membership_id)
    require(can_manage_program, actor, program)
    person = db.get(User, membership.user_id)
    if not confirmed(await request.form(), "remove"):
        return render_confirmation(request, _removal(db, program, membership, person), status_code=422,
                                   error=f"Confirm that {person.full_name} is to be removed.")
    name, program_name = person.full_name, program.name
    return await _members_action(request, db, actor, program.id,
                                 lambda p, form: program_admin.remove_member(
                                     db, p, program_admin.load_membership(db, p, membership_id), actor=actor.user),
                                 f"Removed {name} from {program_name}.")


@router.post("/programs/{program_id}/requests/{request_id}", response_class=HTMLResponse)
async def decide_request(request: Request, program_id: int, request_id: int, db: SessionDep, actor: CurrentActor):
    """Approve or decline a self-registered person's request to join."""
    approve = (await request.form()).get("decision") == "approve"

    def action(program, form):
        signup.decide(db, program, signup.load_request(db, program, request_id), approve=approve, actor=actor.user)
    success = "Membership approved." if approve else "Membership request declined."
    return await _members_action(request, db, actor, program_id, action, success)
