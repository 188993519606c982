"""Accounts: sign-in with throttling, profiles and passwords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from app import security
from app.config import Settings
from app.db import utcnow
from app.errors import InvalidInput, TooManyAttempts
from app.models import LoginThrottle, User
from app.scheduling.recurrence import timezone_error
from app.services import audit

MAX_LOCK = timedelta(hours=1)
MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(db: Session, settings: Settings, *, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None.

    Unknown e-mails cost the same argon2 verification as known ones, and failures are counted
    per e-mail whether or not an account exists, so neither timing nor lockout reveals accounts.
    """
    key = normalise_email(email)
    throttle = db.exec(select(LoginThrottle).where(LoginThrottle.email_key == key)).first()
    now = utcnow()
    if throttle and throttle.locked_until and throttle.locked_until > now:
        wait_minutes = max(1, round((throttle.locked_until - now).total_seconds() / 60))
        raise TooManyAttempts(
            f"Too many failed sign-ins for this e-mail. Try again in {wait_minutes} minute(s), "
            "or reset your password."
        )
    user = get_by_email(db, key)
    valid, new_hash = security.verify_password(
        password, user.password_hash if user and user.is_active else security.dummy_hash()
    )
    if not (valid and user and user.is_active):
        _record_failure(db, settings, throttle, key)
        return None
    if new_hash:
        user.password_hash = new_hash
    if throttle:
        db.delete(throttle)
    db.flush()
    return user


def _record_failure(db: Session, settings: Settings, throttle: LoginThrottle | None, key: str) -> None:
    if throttle is None:
        throttle = LoginThrottle(email_key=key[:254])
        db.add(throttle)
    now = utcnow()
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - settings.login_max_failures
    if over >= 0:
        # The lock doubles with every further failure: 1, 2, 4 ... minutes, at most an hour.
        lock = timedelta(seconds=settings.login_lock_seconds * 2 ** min(over, 12))
        throttle.locked_until = now + min(lock, MAX_LOCK)
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
