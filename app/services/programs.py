"""Programs as their members see them (the schedule and management build on this)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from app.enums import ProgramRole, ProgramVisibility
from app.models import Membership, Program, SpokeSite, User
from app.permissions import Actor


def visible_programs(db: Session, actor: Actor) -> list[Program]:
    statement = select(Program).order_by(Program.name)
    if not (actor.user.is_admin or actor.user.is_cme_office):
        statement = statement.where(
            Program.id.in_(list(actor.roles)) | (Program.visibility == ProgramVisibility.public)
        )
    return list(db.exec(statement).all())


def member_counts(db: Session, program_ids: list[int]) -> dict[int, int]:
    rows = db.exec(
        select(Membership.program_id, func.count()).where(Membership.program_id.in_(program_ids))
        .group_by(Membership.program_id)
    ).all()
    return dict(rows)


def membership_of(db: Session, program: Program, user: User) -> Membership | None:
    return db.exec(select(Membership).where(Membership.program_id == program.id, Membership.user_id == user.id)).first()


@dataclass
class MemberRow:
    user: User
    membership: Membership
    site: SpokeSite | None


def _member_rows(db: Session, program: Program, *conditions) -> list[MemberRow]:
    rows = db.exec(
        select(User, Membership, SpokeSite)
        .join(Membership, Membership.user_id == User.id)
        .join(SpokeSite, SpokeSite.id == Membership.site_id, isouter=True)
        .where(Membership.program_id == program.id, *conditions)
        .order_by(Membership.role, User.full_name)
    ).all()
    return [MemberRow(user, membership, site) for user, membership, site in rows]


def members(db: Session, program: Program) -> list[MemberRow]:
    return _member_rows(db, program)


HUB_ROLES = (ProgramRole.coordinator, ProgramRole.specialist)


def hub_team(rows: list[MemberRow]) -> list[MemberRow]:
    return [r for r in rows if r.membership.role in HUB_ROLES]


def hub_team_of(db: Session, program: Program) -> list[MemberRow]:
    """The program's coordinators and specialists, read by themselves: a few people, however many
    clinicians the program has."""
    return _member_rows(db, program, Membership.role.in_(HUB_ROLES))


def sites(db: Session, program: Program) -> list[SpokeSite]:
    return list(db.exec(select(SpokeSite).where(SpokeSite.program_id == program.id).order_by(SpokeSite.organisation)).all())
