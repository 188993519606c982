"""Writes that race: "check, then insert" made safe by the database's unique constraints.

Two requests can both check that a row is missing and both insert it. The unique constraint lets
only one commit; the other gets an IntegrityError. Rolled back and run once more, the loser's
work then sees the winner's row and does what it would have done had it come second: the claim
returns the existing certificate, a second "add member" is refused as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

T = TypeVar("T")


def commit_or_retry_once(db: Session, work: Callable[[], T]) -> T:
    """Run work() and commit; after a unique-constraint race, roll back and run it once more.

    A second IntegrityError is not a race this can settle; it goes to the error handler (409).
    """
    try:
        result = work()
        db.commit()
        return result
    except IntegrityError:
        db.rollback()
    result = work()
    db.commit()
    return result
