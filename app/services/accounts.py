"""Accounts: sign-in with throttling, profiles and passwords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from app import security
from app.config import Settings
from app.errors import InvalidInput, NotAuthenticated
from app.models import User
from app.scheduling.recurrence import timezone_error
from app.services import audit, outbox, throttle

MIN_PASSWORD_LENGTH = 10
HOUR = timedelta(hours=1)


class NotVerified(NotAuthenticated):
    """A self-registered person gave the right password before confirming their e-mail address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalise_email(email))).first()


def begin_sign_in(db: Session, settings: Settings, *, email: str) -> User | None:
    """Count this attempt before its password is checked, and load the account (if any).

    Raises TooManyAttempts while the e-mail is locked. The caller commits before finish_sign_in,
    so parallel guesses see the count. Failures are counted per e-mail whether or not an account
    exists, so lockout reveals nothing about accounts.
    """
    throttle.count_login_attempt(db, settings, normalise_email(email)[:254])
    return get_by_email(db, email)


def finish_sign_in(db: Session, user: User | None, *, email: str, password: str) -> User | None:
    """The active `user` if `password` is theirs, else None.

    Unknown e-mails cost the same argon2 verification as known ones. A right password clears
    the e-mail's failures; a wrong one leaves the attempt counted. Reads nothing: on SQLite a
    write after a read made before the slow check could meet a newer snapshot and fail.
    """
    valid, new_hash = security.verify_password(
        password, user.password_hash if user and user.is_active else security.dummy_hash()
    )
    if not (valid and user and user.is_active):
        return None
    if user.self_registered and user.email_verified_at is None:
        raise NotVerified("Confirm your e-mail address first: follow the link we sent you when you signed up.")
    throttle.clear_login_failures(db, normalise_email(email)[:254])
    if new_hash:
        user.password_hash = new_hash
    db.flush()
    return user


def request_password_reset(db: Session, settings: Settings, *, email: str, client: str) -> bool:
    """Queue a reset link for an active account with this e-mail; False when over a limit.

    Both limits count every request, known address or not, so a refusal reveals nothing either.
    """
    key = normalise_email(email)[:254]
    per_client = throttle.hit(db, f"forgot-client:{client}", limit=settings.password_reset_per_client, window=HOUR)
    per_email = throttle.hit(db, f"forgot-email:{key}", limit=settings.password_reset_per_email, window=HOUR)
    if not (per_client and per_email):
        return False
    user = get_by_email(db, key)
    if user is not None and user.is_active:
        outbox.enqueue(db, "password_reset", user_id=user.id)
    return True


def sign_out_everywhere(db: Session, user: User) -> None:
    """Every cookie and API token of this user stops working (they carry the old epoch)."""
    user.auth_epoch += 1
    db.flush()


@dataclass
class ProfileForm:
    full_name: str
    degree: str = ""
    profession: str = ""
    timezone: str = "America/New_York"


def validate_profile(form: ProfileForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.full_name.strip():
        errors["full_name"] = "Enter your name as it should appear on certificates."
    elif len(form.full_name.strip()) > 200:
        errors["full_name"] = "Use at most 200 characters."
    if len(form.degree.strip()) > 40:
        errors["degree"] = "Use at most 40 characters."
    if len(form.profession.strip()) > 80:
        errors["profession"] = "Use at most 80 characters."
    if zone_error := timezone_error(form.timezone[:64]):
        errors["timezone"] = f"{zone_error}."
    return errors


def update_profile(db: Session, user: User, form: ProfileForm, *, actor: User) -> None:
    errors = validate_profile(form)
    if errors:
        raise InvalidInput(fields=errors)
    changed = {}
    for name in ("full_name", "degree", "profession", "timezone"):
        value = getattr(form, name).strip()
        if getattr(user, name) != value:
            changed[name] = True
            setattr(user, name, value)
    if changed:
        audit.record(db, actor=actor, action="profile.updated", obj=user, fields=sorted(changed))
    db.flush()


def validate_new_password(password: str, confirm: str) -> dict[str, str]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return {"password": f"Use at least {MIN_PASSWORD_LENGTH} characters."}
    if password != confirm:
        return {"confirm": "The two passwords differ."}
    return {}


def set_password(db: Session, user: User, password: str, confirm: str, *, actor: User | None) -> None:
    errors = validate_new_password(password, confirm)
    if errors:
        raise InvalidInput(fields=errors)
    user.password_hash = security.hash_password(password)
    user.auth_epoch += 1  # sign out every other browser and token
    audit.record(db, actor=actor or user, action="password.changed", obj=user)
    db.flush()


def create_user(
    db: Session,
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    degree: str = "",
    profession: str = "",
    timezone: str = "America/New_York",
    is_admin: bool = False,
    is_cme_office: bool = False,
) -> User:
    user = User(
        email=normalise_email(email),
        full_name=full_name,
        degree=degree,
        profession=profession,
        timezone=timezone,
        is_admin=is_admin,
        is_cme_office=is_cme_office,
        password_hash=security.hash_password(password) if password else "",
    )
    db.add(user)
    db.flush()
    return user
