"""Self-registration for public programs: sign up, confirm the e-mail, wait for a coordinator.

A new account is created unconfirmed and without a password (it cannot sign in) with a request to
join the program; the request, not a membership, is all it has until a coordinator approves it, so
it sees no cases. The password is chosen on the page the e-mailed link opens, never at sign-up:
otherwise whoever signs up first with someone else's address would hold a password to the account
that person later confirms. Opening the link changes nothing (mail scanners open links); choosing
the password confirms the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from app import security
from app.config import Settings
from app.db import utcnow
from app.enums import ProgramRole, ProgramVisibility
from app.errors import InvalidInput, NotAuthenticated, NotFound, TooManyAttempts
from app.models import Membership, Program, SpokeSite, User
from app.models.user import MembershipRequest
from app.services import accounts, audit, outbox, throttle

VERIFY_PURPOSE = "email-verification"
VERIFY_MAX_AGE = 48 * 3600
HOUR = timedelta(hours=1)
TOO_MANY_SIGNUPS = "Too many sign-ups from this network. Try again in an hour."


@dataclass
class SignupForm:
    email: str = ""
    full_name: str = ""
    timezone: str = ""
    timezone_confirmed: bool = False
    site_id: int | None = None


def validate(form: SignupForm) -> dict[str, str]:
    errors = accounts.validate_profile(accounts.ProfileForm(full_name=form.full_name, timezone=form.timezone))
    email = accounts.normalise_email(form.email)
    if not (0 < len(email) <= 254 and "@" in email.strip("@") and " " not in email):
        errors["email"] = "Enter your e-mail address."
    if "timezone" not in errors and not form.timezone_confirmed:
        errors["timezone"] = "Check that this is your time zone, then tick the box."
    return errors


def public_program(db: Session, program_id: int | None) -> Program:
    program = db.get(Program, program_id) if program_id else None
    if program is None or program.visibility != ProgramVisibility.public:
        raise NotFound("No such public program.")
    return program


def public_or_sign_in(db: Session, program_id: int) -> Program:
    """A public program for a visitor; anything else asks them to sign in, as before (existence
    of private programs stays hidden)."""
    program = db.get(Program, program_id)
    if program is None or program.visibility != ProgramVisibility.public:
        raise NotAuthenticated("Please sign in.")
    return program


def register(db: Session, settings: Settings, program: Program, form: SignupForm, *, client: str) -> None:
    """Create the unconfirmed account, its request to join `program`, and the confirmation e-mail.

    An address that already has an account gets the same answer and nothing else (an unconfirmed
    one gets its link again), so sign-up does not tell anyone which addresses have accounts.
    """
    if not throttle.hit(db, f"signup-client:{client}", limit=settings.signup_per_client, window=HOUR):
        raise TooManyAttempts(TOO_MANY_SIGNUPS)
    errors = validate(form)
    if not errors and _site(db, program, form.site_id) is None and _has_sites(db, program):
        errors["site_id"] = "Choose your spoke site."
    if errors:
        raise InvalidInput(fields=errors)
    existing = accounts.get_by_email(db, form.email)
    if existing is not None:
        if existing.self_registered and existing.email_verified_at is None:  # the first link was lost
            outbox.enqueue(db, "email_verification", user_id=existing.id, program_id=program.id)
        return
    user = accounts.create_user(db, email=form.email, full_name=form.full_name.strip(), timezone=form.timezone)
    user.self_registered = True
    db.add(MembershipRequest(program_id=program.id, user_id=user.id, site_id=form.site_id))
    audit.record(db, actor=user, action="account.signed_up", obj=user, program_id=program.id)
    outbox.enqueue(db, "email_verification", user_id=user.id, program_id=program.id)
    db.flush()


def _site(db: Session, program: Program, site_id: int | None) -> SpokeSite | None:
    site = db.get(SpokeSite, site_id) if site_id else None
    return site if site is not None and site.program_id == program.id else None


def _has_sites(db: Session, program: Program) -> bool:
    return db.exec(select(SpokeSite.id).where(SpokeSite.program_id == program.id)).first() is not None


def verification_link(settings: Settings, user: User) -> str:
    token = security.make_token(settings.secret_key, VERIFY_PURPOSE, {"uid": user.id, "email": user.email})
    return f"{settings.base_url}/signup/verify/{token}"


def pending_confirmation(settings: Settings, db: Session, token: str) -> User:
    """The unconfirmed account a signed link was sent to; reading it changes nothing. Refuses a
    forged, expired or stale link, and one whose address is confirmed already (the link is no
    second way to set a password)."""
    claims = security.read_token(settings.secret_key, VERIFY_PURPOSE, token, max_age_seconds=VERIFY_MAX_AGE)
    user = db.get(User, claims["uid"]) if claims and isinstance(claims.get("uid"), int) else None
    if user is None or not user.is_active or user.email != claims.get("email"):
        raise InvalidInput("This link has expired or is not valid. Sign up again to get a new one.")
    if user.email_verified_at is not None:
        raise InvalidInput("This address is confirmed already. Sign in, or ask for a new password if you forgot it.")
    return user


def confirm_email(db: Session, settings: Settings, token: str, *, password: str, confirm: str) -> User:
    """Choose the password and so confirm the address the link was sent to."""
    user = pending_confirmation(settings, db, token)
    accounts.set_password(db, user, password, confirm, actor=user)
    user.email_verified_at = utcnow()
    audit.record(db, actor=user, action="account.email_verified", obj=user)
    db.flush()
    return user


def request_membership(db: Session, program: Program, user: User, *, site_id: int | None) -> MembershipRequest:
    """A self-registered person's join: a request for a coordinator (asked once per program)."""
    existing = db.exec(select(MembershipRequest).where(
        MembershipRequest.program_id == program.id, MembershipRequest.user_id == user.id)).first()
    if existing is not None:
        return existing
    if _site(db, program, site_id) is None and _has_sites(db, program):
        raise InvalidInput(fields={"site_id": "Choose your spoke site."})
    request = MembershipRequest(program_id=program.id, user_id=user.id, site_id=site_id)
    db.add(request)
    db.flush()
    return request


def pending_requests(db: Session, program: Program) -> list[tuple[MembershipRequest, User, SpokeSite | None]]:
    """Requests of confirmed, active accounts, oldest first (unconfirmed ones are not shown)."""
    rows = db.exec(
        select(MembershipRequest, User, SpokeSite)
        .join(User, User.id == MembershipRequest.user_id)
        .join(SpokeSite, SpokeSite.id == MembershipRequest.site_id, isouter=True)
        .where(MembershipRequest.program_id == program.id, User.email_verified_at.is_not(None), User.is_active)
        .order_by(MembershipRequest.created_at, MembershipRequest.id)
    ).all()
    return [(request, user, site) for request, user, site in rows]


def load_request(db: Session, program: Program, request_id: int) -> MembershipRequest:
    request = db.get(MembershipRequest, request_id)
    if request is None or request.program_id != program.id:
        raise NotFound("No such membership request.")
    return request


def decide(db: Session, program: Program, request: MembershipRequest, *, approve: bool, actor: User) -> None:
    """Approve (the person becomes a clinician member) or decline; the request is gone either way."""
    user = db.get(User, request.user_id)
    if approve:
        if user.email_verified_at is None:
            raise InvalidInput("This person has not confirmed their e-mail address yet.")
        site = _site(db, program, request.site_id)
        membership = Membership(program_id=program.id, user_id=user.id, role=ProgramRole.clinician,
                                site_id=site.id if site else None)
        db.add(membership)
        db.flush()
        audit.record(db, actor=actor, action="member.approved", obj=membership)
    else:
        audit.record(db, actor=actor, action="member.declined", obj=user, program_id=program.id)
    db.delete(request)
    db.flush()
