"""`telementor demo`: a realistic demo hub, built idempotently (run it twice, get one hub)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from app import security
from app.config import Settings
from app.demo.attendance import build_attendance
from app.demo.cases import build_cases
from app.demo.measures import build_measures
from app.demo.data import DEMO_USERS, MEMBERSHIPS, OTHER_USERS, PROGRAMS
from app.demo.schedule import build_schedule
from app.demo.trends import build_history
from app.models import EchoSession, Membership, Program, SpokeSite, User

DEMO_EMAILS = [row[0] for row in DEMO_USERS]


def build(db: Session, settings: Settings, *, password: str) -> str:
    password_hash = security.hash_password(password)
    users = _users(db, password_hash)
    programs, sites = _programs(db)
    _memberships(db, users, programs, sites)
    for program in programs.values():
        build_schedule(db, program, users["coordinator@example.org"])
    build_cases(db, programs, users)
    for program in programs.values():
        build_attendance(db, program, coordinator=users["coordinator@example.org"], cme=users["cme@example.org"])
    build_history(db, programs, users["coordinator@example.org"])
    build_measures(db, programs)
    db.flush()
    sessions = db.exec(select(func.count()).select_from(EchoSession)).one()
    return (f"Demo hub ready: {len(programs)} programs, {sum(len(s) for s in sites.values())} spoke sites, "
            f"{len(users)} demo people, {sessions} sessions.")


def _users(db: Session, password_hash: str) -> dict[str, User]:
    rows = [(e, n, d, p, tz, flags) for e, n, d, p, tz, flags in DEMO_USERS]
    rows += [(e, n, d, p, tz, {}) for e, n, d, p, tz in OTHER_USERS]
    users = {}
    for email, name, degree, profession, zone, flags in rows:
        user = db.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, full_name=name, degree=degree, profession=profession, timezone=zone, **flags)
            db.add(user)
        user.password_hash = password_hash  # the password given this time signs everyone in
        user.is_active = True
        users[email] = user
    db.flush()
    return users


def _programs(db: Session) -> tuple[dict[str, Program], dict[str, list[SpokeSite]]]:
    programs, sites = {}, {}
    for spec in PROGRAMS:
        fields = {k: v for k, v in spec.items() if k != "sites"}
        program = db.exec(select(Program).where(Program.slug == spec["slug"])).first()
        if program is None:
            program = Program(**fields)
            db.add(program)
            db.flush()
        programs[spec["slug"]] = program
        sites[spec["slug"]] = [_site(db, program, *site) for site in spec["sites"]]
    return programs, sites


def _site(db: Session, program: Program, organisation: str, city: str, state: str) -> SpokeSite:
    site = db.exec(
        select(SpokeSite).where(SpokeSite.program_id == program.id, SpokeSite.organisation == organisation)
    ).first()
    if site is None:
        site = SpokeSite(program_id=program.id, organisation=organisation, city=city, state=state)
        db.add(site)
        db.flush()
    return site


def _memberships(db, users, programs, sites) -> None:
    for slug, rows in MEMBERSHIPS.items():
        program = programs[slug]
        for email, role, site_index, facilitator in rows:
            user = users[email]
            membership = db.exec(
                select(Membership).where(Membership.program_id == program.id, Membership.user_id == user.id)
            ).first()
            if membership is None:
                membership = Membership(program_id=program.id, user_id=user.id, role=role)
                db.add(membership)
            membership.site_id = sites[slug][site_index].id if site_index is not None else None
            membership.is_facilitator = facilitator
    db.flush()
