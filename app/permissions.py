"""Who may do what: small named predicates over an Actor, in one place.

Routers look an object up first (404 when missing), then call `require(predicate, actor, obj)`
(403 when not allowed), so that existence never leaks through a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.enums import ProgramRole, ProgramVisibility
from app.errors import Forbidden
from app.models import Program, User


@dataclass
class Actor:
    """The signed-in user and their role in each program, loaded once per request."""

    user: User
    roles: dict[int, ProgramRole] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.user.id

    def role_in(self, program_id: int) -> ProgramRole | None:
        return self.roles.get(program_id)

    def is_hub(self, program_id: int) -> bool:
        return self.roles.get(program_id) in {ProgramRole.coordinator, ProgramRole.specialist}

    def coordinates(self, program_id: int) -> bool:
        return self.roles.get(program_id) == ProgramRole.coordinator

    @property
    def coordinates_any(self) -> bool:
        return ProgramRole.coordinator in self.roles.values()


def require(predicate: Callable[..., bool], actor: Actor, *objects: Any) -> None:
    if not predicate(actor, *objects):
        raise Forbidden("You do not have permission to do this.")


def can_view_program(actor: Actor, program: Program) -> bool:
    return (
        actor.user.is_admin
        or actor.user.is_cme_office
        or program.id in actor.roles
        or program.visibility == ProgramVisibility.public
    )


def can_view_program_members(actor: Actor, program: Program) -> bool:
    return actor.user.is_admin or program.id in actor.roles


def can_download_calendar(actor: Actor, program: Program) -> bool:
    """Calendar files carry the video link: members (and the hub's staff) only."""
    return actor.user.is_admin or actor.user.is_cme_office or program.id in actor.roles


def can_join_program(actor: Actor, program: Program) -> bool:
    return program.visibility == ProgramVisibility.public and program.id not in actor.roles


def can_manage_program(actor: Actor, program: Program) -> bool:
    return actor.user.is_admin or actor.coordinates(program.id)


def can_create_program(actor: Actor) -> bool:
    return actor.user.is_admin or actor.coordinates_any


def can_manage_users(actor: Actor) -> bool:
    return actor.user.is_admin


def can_view_user_profile(actor: Actor, user: User) -> bool:
    return actor.user.id == user.id or actor.user.is_admin


def can_view_outbox(actor: Actor) -> bool:
    return actor.user.is_admin
