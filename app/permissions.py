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
from app.models import CasePresentation, Program, User


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


def require(predicate: Callable[..., bool], actor: Actor, *objects: Any, message: str = "") -> None:
    """`message`, where given, says who can grant the access (shown instead of the generic advice)."""
    if not predicate(actor, *objects):
        raise Forbidden(message or "You do not have permission to do this.")


def can_view_program(actor: Actor, program: Program) -> bool:
    return (
        actor.user.is_admin
        or actor.user.is_cme_office
        or program.id in actor.roles
        or program.visibility == ProgramVisibility.public
    )


def is_member(actor: Actor, program: Program) -> bool:
    """A member of the program in any role, or a site admin: who may see its video link."""
    return program.id in actor.roles or actor.user.is_admin


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


def can_manage_integrations(actor: Actor) -> bool:
    """Zoom and Teams connections hold an account's credentials: site administrators only."""
    return actor.user.is_admin


def can_present_case(actor: Actor, program: Program) -> bool:
    """Spoke clinicians present cases to their program's hub."""
    return actor.role_in(program.id) == ProgramRole.clinician


def can_view_case(actor: Actor, case: CasePresentation) -> bool:
    """The presenter always; the program's hub team and site admins once it is submitted.
    The CME office never sees case text."""
    if case.presenter_id == actor.id:
        return True
    if case.status == "draft":
        return False
    return actor.is_hub(case.program_id) or actor.user.is_admin


def can_edit_case(actor: Actor, case: CasePresentation) -> bool:
    return case.presenter_id == actor.id and case.status in {"draft", "returned"}


# --- attendance, credit and certificates ------------------------------------------------


def can_manage_attendance(actor: Actor, program: Program) -> bool:
    """Import reports, reconcile rows, adjust attendance, show the check-in code."""
    return actor.user.is_admin or actor.coordinates(program.id)


def can_view_attendance(actor: Actor, program: Program) -> bool:
    """The CME office sees attendance and credit (never case text)."""
    return can_manage_attendance(actor, program) or actor.user.is_cme_office


def can_attend(actor: Actor, program: Program) -> bool:
    """Check in, evaluate, claim credit: any member of the program."""
    return program.id in actor.roles


def can_configure_credit(actor: Actor) -> bool:
    return actor.user.is_admin or actor.user.is_cme_office


def can_view_credit_reports(actor: Actor) -> bool:
    """Who earned what, with the learners' reporting identifiers."""
    return actor.user.is_admin or actor.user.is_cme_office


def can_manage_certificates(actor: Actor, program: Program) -> bool:
    """Issue a program's certificates in bulk, list them, download them one by one or as a ZIP:
    the CME office, and the program's coordinators when the program allows it."""
    return can_view_credit_reports(actor) or (program.coordinators_manage_credit and actor.coordinates(program.id))


CREDIT_CONFIGURE_DENIED = "Only the CME office and site admins configure credit."
CREDIT_VIEW_DENIED = ("A program's credit pages and reports are open to the CME office and site admins; "
                      "the CME office can open them to the program's coordinators in the program's credit settings.")


def can_view_program_credit(actor: Actor, program: Program, settings) -> bool:
    """Who earned what in one program: the CME office and admins, and the program's coordinators
    when the program allows it (the same setting as for its certificates: `can_manage_certificates`).
    `settings` (the program's credit settings, may be None) is not needed for the decision."""
    return can_view_credit_reports(actor) or bool(program.coordinators_manage_credit and actor.coordinates(program.id))


def can_download_certificate(actor: Actor, certificate) -> bool:
    return certificate.user_id == actor.id or actor.user.is_admin or actor.user.is_cme_office


def can_review_case(actor: Actor, case: CasePresentation) -> bool:
    """The program's hub team (specialists and coordinators) reviews and answers cases."""
    return case.status != "draft" and actor.is_hub(case.program_id)


def can_assign_case(actor: Actor, case: CasePresentation) -> bool:
    return case.status != "draft" and (actor.coordinates(case.program_id) or actor.user.is_admin)


def can_read_recommendations(actor: Actor, case: CasePresentation, final: bool) -> bool:
    """The hub (and site admins) always; the presenter once they are final."""
    return actor.is_hub(case.program_id) or actor.user.is_admin or (final and case.presenter_id == actor.id)


def can_view_case_audit(actor: Actor, case: CasePresentation) -> bool:
    return actor.coordinates(case.program_id) or actor.user.is_admin


# --- trends and improvement measures ------------------------------------------------------


def can_view_trends(actor: Actor, program: Program) -> bool:
    """Program-level run charts: every member of the program, and site admins."""
    return actor.user.is_admin or program.id in actor.roles


def can_view_trend_names(actor: Actor, program: Program) -> bool:
    """Who wrote a note, which site reported what: the hub team and site admins."""
    return actor.user.is_admin or actor.is_hub(program.id)


def can_annotate_trends(actor: Actor, program: Program) -> bool:
    return actor.user.is_admin or actor.coordinates(program.id)


# --- improvement measures (#11) ---------------------------------------------------------


def can_view_measures(actor: Actor, program: Program) -> bool:
    """A learning collaborative's measures and every site's series: members and site admins."""
    return actor.user.is_admin or program.id in actor.roles


def can_manage_measures(actor: Actor, program: Program) -> bool:
    """Define, edit and archive measures, choose whether sites are anonymised, report for any site."""
    return actor.user.is_admin or actor.coordinates(program.id)


def can_report_measures(actor: Actor, program: Program) -> bool:
    """Members report for their own spoke site (checked against the site by the service)."""
    return can_manage_measures(actor, program) or program.id in actor.roles


def sees_measure_site_names(actor: Actor, program: Program) -> bool:
    """Coordinators and site admins see every site by name, even when members see them anonymised."""
    return not program.anonymise_measure_sites or can_manage_measures(actor, program)
