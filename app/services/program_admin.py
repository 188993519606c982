"""Running a program: its settings, spoke sites and members."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from app.enums import ProgramRole, ProgramVisibility
from app.errors import Conflict, InvalidInput, NotFound
from app.exports.accreditation import US_STATES
from app.models import Membership, Program, SpokeSite, User
from app.scheduling.recurrence import timezone_error
from app.services import accounts, audit, invites, outbox, phi_gate


@dataclass
class ProgramForm:
    name: str
    timezone: str
    description: str = ""
    video_url: str = ""
    default_duration_minutes: int = 60
    visibility: str = "private"

    def errors(self) -> dict[str, str]:
        errors = {}
        if not self.name.strip():
            errors["name"] = "Give the program a name."
        elif len(self.name.strip()) > 200:
            errors["name"] = "Use at most 200 characters."
        if zone_error := timezone_error(self.timezone[:64]):
            errors["timezone"] = f"{zone_error}."
        if self.video_url and not self.video_url.startswith(("https://", "http://")):
            errors["video_url"] = "Give a web address starting with https://"
        if not 15 <= self.default_duration_minutes <= 480:
            errors["default_duration_minutes"] = "A session lasts 15 to 480 minutes."
        if self.visibility not in set(ProgramVisibility):
            errors["visibility"] = "Choose public or private."
        return errors


def _slug(db: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "program"
    slug, n = base, 1
    while db.exec(select(Program.id).where(Program.slug == slug)).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _require_valid(form: ProgramForm) -> None:
    if errors := form.errors():
        raise InvalidInput(fields=errors)
    # Shown to every member and, for a public program, to anyone: a case must not be told here.
    phi_gate.require_clean_text({"description": form.description.strip()}, limit=phi_gate.MAX_FREE_TEXT)


def create_program(db: Session, form: ProgramForm, *, actor: User) -> Program:
    _require_valid(form)
    program = Program(slug=_slug(db, form.name), **_clean(form))
    db.add(program)
    db.flush()
    db.add(Membership(program_id=program.id, user_id=actor.id, role=ProgramRole.coordinator))
    audit.record(db, actor=actor, action="program.created", obj=program)
    db.flush()
    return program


def _clean(form: ProgramForm) -> dict:
    return {"name": form.name.strip(), "timezone": form.timezone, "description": form.description.strip(),
            "video_url": form.video_url.strip(), "default_duration_minutes": form.default_duration_minutes,
            "visibility": form.visibility}


def update_program(db: Session, program: Program, form: ProgramForm, *, actor: User) -> None:
    _require_valid(form)
    changed = {k: v for k, v in _clean(form).items() if getattr(program, k) != v}
    if "timezone" in changed:
        # Sessions keep their instants; only how new sessions are typed changes.
        audit.record(db, actor=actor, action="program.timezone_changed", obj=program,
                     old=program.timezone, new=changed["timezone"])
    for key, value in changed.items():
        setattr(program, key, value)
    audit.record(db, actor=actor, action="program.updated", obj=program, fields=sorted(changed))
    if "video_url" in changed:
        invites.program_link_changed(db, program)
    db.flush()


# How the rural flag is chosen on a page: not recorded, rural or urban (SpokeSite.rural None/True/False).
RURAL_CHOICES = {"": None, "rural": True, "urban": False}


def _site_values(organisation: str, city: str, state: str, county: str, rural: bool | None) -> dict:
    """A spoke site's fields, trimmed and checked; InvalidInput naming each wrong field."""
    errors = {}
    organisation, city, county = organisation.strip(), city.strip(), county.strip()
    state = state.strip().upper()
    if not organisation:
        errors["organisation"] = "Name the organisation."
    elif len(organisation) > 200:
        errors["organisation"] = "Use at most 200 characters."
    if len(city) > 120:
        errors["city"] = "Use at most 120 characters."
    if state and state not in US_STATES:
        errors["state"] = "Choose a US state, DC or a territory from the list."
    if len(county) > 120:
        errors["county"] = "Use at most 120 characters."
    if errors:
        raise InvalidInput(fields=errors)
    return {"organisation": organisation, "city": city, "state": state, "county": county, "rural": rural}


def add_site(db: Session, program: Program, *, organisation: str, city: str = "", state: str = "",
             county: str = "", rural: bool | None = None, actor: User) -> SpokeSite:
    site = SpokeSite(program_id=program.id, **_site_values(organisation, city, state, county, rural))
    db.add(site)
    db.flush()
    audit.record(db, actor=actor, action="site.added", obj=site)
    return site


def change_site(db: Session, program: Program, site: SpokeSite, *, organisation: str, city: str, state: str,
                county: str, rural: bool | None, actor: User) -> list[str]:
    """Edit a site's name and place (the trends page counts reach by its state, county and rural flag).
    Returns the names of the fields that changed; the audit event keeps their old and new values."""
    values = _site_values(organisation, city, state, county, rural)
    changed = sorted(name for name, value in values.items() if getattr(site, name) != value)
    if changed:
        audit.record(db, actor=actor, action="site.changed", obj=site,
                     old={name: getattr(site, name) for name in changed}, new={name: values[name] for name in changed})
        for name in changed:
            setattr(site, name, values[name])
        db.flush()
    return changed


def load_site(db: Session, program: Program, site_id: int) -> SpokeSite:
    site = db.get(SpokeSite, site_id)
    if site is None or site.program_id != program.id:
        raise NotFound("No such spoke site.")
    return site


def _site_in(db: Session, program: Program, site_id: int | None) -> SpokeSite | None:
    if site_id is None:
        return None
    site = db.get(SpokeSite, site_id)
    if site is None or site.program_id != program.id:
        raise InvalidInput(fields={"site_id": "Choose one of this program's spoke sites."})
    return site


def add_member(db: Session, program: Program, *, email: str, full_name: str, role: str,
               site_id: int | None, actor: User) -> Membership:
    """Add an existing account, or invite a new person (they get an e-mail to set a password)."""
    if role not in set(ProgramRole):
        raise InvalidInput(fields={"role": "Choose coordinator, specialist or clinician."})
    site = _site_in(db, program, site_id)
    user = accounts.get_by_email(db, email)
    if user is None:
        address = accounts.normalise_email(email)
        if "@" not in address or "." not in address.partition("@")[2] or not full_name.strip():
            raise InvalidInput(fields={"email": "This e-mail has no account yet: give a valid e-mail and the "
                                                "person's full name to invite them."})
        user = accounts.create_user(db, email=address, full_name=full_name.strip()[:200])
        outbox.enqueue(db, "account_invitation", user_id=user.id, invited_by=actor.id)
    existing = db.exec(select(Membership).where(Membership.program_id == program.id,
                                                Membership.user_id == user.id)).first()
    if existing is not None:
        raise Conflict(f"{user.full_name} is already a member of this program.")
    membership = Membership(program_id=program.id, user_id=user.id, role=role, site_id=site.id if site else None)
    db.add(membership)
    db.flush()
    audit.record(db, actor=actor, action="member.added", obj=membership, user_id=user.id, role=role)
    return membership


def change_member(db: Session, program: Program, membership: Membership, *, role: str, site_id: int | None,
                  is_facilitator: bool, actor: User) -> None:
    if role not in set(ProgramRole):
        raise InvalidInput(fields={"role": "Choose coordinator, specialist or clinician."})
    site = _site_in(db, program, site_id)
    if membership.role == ProgramRole.coordinator and role != ProgramRole.coordinator:
        _keep_a_coordinator(db, program, membership)
    membership.role, membership.site_id = role, site.id if site else None
    membership.is_facilitator = is_facilitator and role != ProgramRole.clinician
    audit.record(db, actor=actor, action="member.changed", obj=membership, role=role)
    db.flush()


def remove_member(db: Session, program: Program, membership: Membership, *, actor: User) -> None:
    if membership.role == ProgramRole.coordinator:
        _keep_a_coordinator(db, program, membership)
    audit.record(db, actor=actor, action="member.removed", obj=membership, user_id=membership.user_id)
    db.delete(membership)
    invites.member_removed(db, program, membership.user_id)
    db.flush()


def _keep_a_coordinator(db: Session, program: Program, leaving: Membership) -> None:
    others = db.exec(select(Membership.id).where(
        Membership.program_id == program.id, Membership.role == ProgramRole.coordinator,
        Membership.id != leaving.id)).first()
    if others is None:
        raise Conflict("A program needs at least one coordinator. Add another coordinator first.")


def join(db: Session, program: Program, *, site_id: int | None, actor: User) -> Membership:
    """A clinician registers for a public program and picks their spoke site."""
    site = _site_in(db, program, site_id)
    if site is None and program_sites_exist(db, program):
        raise InvalidInput(fields={"site_id": "Choose your spoke site."})
    membership = Membership(program_id=program.id, user_id=actor.id, role=ProgramRole.clinician,
                            site_id=site.id if site else None)
    db.add(membership)
    db.flush()
    audit.record(db, actor=actor, action="member.joined", obj=membership)
    return membership


def program_sites_exist(db: Session, program: Program) -> bool:
    return db.exec(select(SpokeSite.id).where(SpokeSite.program_id == program.id)).first() is not None


def load_membership(db: Session, program: Program, membership_id: int) -> Membership:
    membership = db.get(Membership, membership_id)
    if membership is None or membership.program_id != program.id:
        raise NotFound("No such member.")
    return membership
