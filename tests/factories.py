"""Test data builders: real rows through the same code paths the app uses."""

from __future__ import annotations

from functools import lru_cache
from itertools import count

from sqlmodel import Session

from app import security
from app.models import Membership, Program, SpokeSite, User

PASSWORD = "correct horse battery staple"
_serial = count(1)


@lru_cache
def _password_hash() -> str:
    return security.hash_password(PASSWORD)  # argon2 is slow on purpose; hash once per run


def make_user(db: Session, *, email: str | None = None, full_name: str = "Test Person", **fields) -> User:
    user = User(email=email or f"user{next(_serial)}@example.org", full_name=full_name,
                password_hash=_password_hash(), **fields)
    db.add(user)
    db.commit()
    return user


def make_program(db: Session, *, name: str = "Hepatitis C", visibility: str = "private",
                 timezone: str = "America/Denver", **fields) -> Program:
    program = Program(name=name, slug=f"program-{next(_serial)}", timezone=timezone, visibility=visibility, **fields)
    db.add(program)
    db.commit()
    return program


def make_site(db: Session, program: Program, organisation: str = "Valley Clinic", state: str = "NM") -> SpokeSite:
    site = SpokeSite(program_id=program.id, organisation=organisation, city="Grants", state=state)
    db.add(site)
    db.commit()
    return site


def add_member(db: Session, program: Program, user: User, role: str, site: SpokeSite | None = None) -> Membership:
    membership = Membership(program_id=program.id, user_id=user.id, role=role, site_id=site.id if site else None)
    db.add(membership)
    db.commit()
    return membership


def make_series(db: Session, program: Program, coordinator: User, **rule_fields):
    """A real series through the scheduling service (rule fields override a weekly default)."""
    from datetime import date, time

    from app.scheduling.recurrence import RecurrenceRule
    from app.services import scheduling

    fields = {"kind": "weekly", "interval": 1, "weekday": 2, "first_date": date(2030, 1, 2),
              "start_time": time(12, 0), "duration_minutes": 60, "count": 4, **rule_fields}
    series = scheduling.create_series(db, program, RecurrenceRule(**fields, timezone=program.timezone),
                                      actor=coordinator)
    db.commit()
    return series
