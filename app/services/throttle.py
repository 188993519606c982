"""Counters that parallel requests cannot outrun: sign-in failures and rate limits.

Each count is one UPDATE in the database, made before the work it limits and committed by the
caller before that work starts. A hundred guesses sent at once therefore queue on the row and
see each other's counts: exactly `login_max_failures` of them get a password check, the rest are
refused as locked. (Reading the count first and writing it after the slow argon2 check let 55-80
of 100 parallel guesses through.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, literal, or_, select, update
from sqlmodel import Session

from app.config import Settings
from app.db import UTCDateTime, insert_if_missing, utcnow
from app.errors import TooManyAttempts
from app.models.user import LoginThrottle, RateLimit

MAX_LOCK = timedelta(hours=1)
LOGIN = LoginThrottle.__table__
LIMITS = RateLimit.__table__


def lock_duration(settings: Settings, failures: int) -> timedelta:
    """1, 2, 4 ... times the first lock for every failure past the limit, at most an hour."""
    over = failures - settings.login_max_failures
    return min(timedelta(seconds=settings.login_lock_seconds * 2 ** min(over, 12)), MAX_LOCK)


def count_login_attempt(db: Session, settings: Settings, key: str) -> None:
    """Count one sign-in attempt for this e-mail key as a failure until its password proves right.

    Raises TooManyAttempts, counting nothing, while the key is locked. The attempt that reaches
    the limit sets the lock itself, before its password is checked, so none can slip in beside it.
    """
    now = utcnow()
    for _ in range(3):
        insert_if_missing(db, LOGIN, email_key=key, failures=0)
        failures = db.execute(
            update(LOGIN)
            .where(LOGIN.c.email_key == key, or_(LOGIN.c.locked_until.is_(None), LOGIN.c.locked_until <= now))
            .values(failures=LOGIN.c.failures + 1, last_failure_at=now)
            .returning(LOGIN.c.failures)
        ).scalar_one_or_none()
        if failures is not None:
            break
        locked_until = db.execute(select(LOGIN.c.locked_until).where(LOGIN.c.email_key == key)).scalar_one_or_none()
        if locked_until is not None and locked_until > now:
            raise TooManyAttempts(locked_message(locked_until, now))
        # The row went (a right password cleared it) or was unlocked between the two statements:
        # count the attempt again on the row as it is now.
    else:
        raise TooManyAttempts("Too many sign-ins for this e-mail at once. Try again in a moment.")
    if failures >= settings.login_max_failures:
        db.execute(update(LOGIN).where(LOGIN.c.email_key == key)
                   .values(locked_until=now + lock_duration(settings, failures)))


def locked_message(locked_until: datetime, now: datetime) -> str:
    wait_minutes = max(1, round((locked_until - now).total_seconds() / 60))
    return (f"Too many failed sign-ins for this e-mail. Try again in {wait_minutes} minute(s), "
            "or reset your password.")


def clear_login_failures(db: Session, key: str) -> None:
    db.execute(LOGIN.delete().where(LOGIN.c.email_key == key))


def hit(db: Session, key: str, *, limit: int, window: timedelta) -> bool:
    """Count one hit on `key` in a fixed window; True while the window holds at most `limit`."""
    now = literal(utcnow(), UTCDateTime())
    insert_if_missing(db, LIMITS, key=key[:300], hits=0, window_started_at=utcnow())
    expired = LIMITS.c.window_started_at <= utcnow() - window
    hits = db.execute(
        update(LIMITS)
        .where(LIMITS.c.key == key[:300])
        .values(hits=case((expired, 1), else_=LIMITS.c.hits + 1),
                window_started_at=case((expired, now), else_=LIMITS.c.window_started_at))
        .returning(LIMITS.c.hits)
    ).scalar_one()
    return hits <= limit
