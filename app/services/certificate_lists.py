"""Certificates as lists people work with: a learner's own (/certificates) and every certificate
for the CME office (/credit/certificates). Keyset pages of one query each, searchable, only the
columns the pages show."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Certificate, EchoSession, Program, User
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, contains, paginate

MINE_COLUMNS = (Certificate.id, Certificate.code, Certificate.credits, Certificate.credit_type,
                Certificate.revoked_at, EchoSession.starts_at, Program.name.label("program_name"),
                Program.timezone)
MINE_SORTS = Sorts({
    "newest": SortOrder(EchoSession.starts_at, Certificate.id, datetime, descending=True),
    "oldest": SortOrder(EchoSession.starts_at, Certificate.id, datetime),
    "program": SortOrder(Program.name, Certificate.id, str),
}, default="newest")
MINE_SORT_LABELS = {"newest": "Newest session first", "oldest": "Oldest session first", "program": "Program (A–Z)"}


def _joined(statement):
    return (statement.select_from(Certificate).join(EchoSession, EchoSession.id == Certificate.session_id)
            .join(Program, Program.id == EchoSession.program_id))


def mine_page(db: Session, user: User, *, search: str = "", sort: str | None = None, cursor: str | None = None,
              limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """One page of the learner's certificates (revoked ones too, marked), found by program name."""
    statement = _joined(select(*MINE_COLUMNS)).where(Certificate.user_id == user.id)
    if search:
        statement = statement.where(contains(Program.name, search))
    scope = f"my-certificates|{user.id}|{search}"
    return paginate(db, statement, MINE_SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def mine_count(db: Session, user: User) -> int:
    return db.exec(select(func.count()).select_from(Certificate).where(Certificate.user_id == user.id)).one()


def transcript_years(db: Session, user: User) -> list[int]:
    """The calendar years (in each program's time zone) in which the learner has a certificate,
    newest first, in one query of a few rows: the earliest and latest session per program time zone
    and year. Within one zone and year the sessions fall in at most two local years (the offset
    moves New Year one way), so the earliest and the latest name them all."""
    year = func.extract("year", EchoSession.starts_at)
    rows = db.exec(_joined(select(Program.timezone, func.min(EchoSession.starts_at), func.max(EchoSession.starts_at)))
                   .where(Certificate.user_id == user.id).group_by(Program.timezone, year)).all()
    years = {moment.astimezone(ZoneInfo(zone)).year for zone, first, last in rows for moment in (first, last)}
    return sorted(years, reverse=True)


# --- every certificate, for the CME office -------------------------------------------------------

ALL_COLUMNS = (Certificate.id, Certificate.code, Certificate.learner_name, Certificate.credits,
               Certificate.credit_type, Certificate.issued_at, Certificate.revoked_at, Certificate.user_id,
               User.full_name, User.email, EchoSession.id.label("session_id"), EchoSession.starts_at,
               Program.name.label("program_name"), Program.timezone)
# Each order walks an index: certificate ids (issue order), sessions by start, accounts by name.
ALL_SORTS = Sorts({
    "issued": SortOrder(Certificate.id, Certificate.id, int, descending=True),
    "session": SortOrder(EchoSession.starts_at, Certificate.id, datetime, descending=True),
    "learner": SortOrder(User.full_name, Certificate.id, str),
}, default="issued")
ALL_SORT_LABELS = {"issued": "Newest issued first", "session": "Latest session first", "learner": "Learner (A–Z)"}
STATES = {"valid": "Valid", "revoked": "Revoked"}
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{16}")  # certificates.new_code: 16 URL-safe characters


def all_page(db: Session, *, search: str = "", program_id: int | None = None, state: str | None = None,
             sort: str | None = None, cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """One page of every program's certificates, found by the learner's name or e-mail or by the
    certificate's code; of one program and one state (valid or revoked) or any. A name search finds
    the accounts first (a scan of people, not of certificates) and reads their certificates by
    index: of 300,000 certificates, a page in ~8 ms on PostgreSQL, where matching each
    certificate's printed name or code as well walked all of them (~270 ms a page). The code is
    compared only when the text has a code's shape."""
    statement = _joined(select(*ALL_COLUMNS)).join(User, User.id == Certificate.user_id)
    if search:
        found = Certificate.user_id.in_(
            select(User.id).where(contains(User.full_name, search) | contains(User.email, search)))
        if CODE_SHAPE.fullmatch(search):
            found = found | (Certificate.code == search)
        statement = statement.where(found)
    if program_id is not None:
        statement = statement.where(EchoSession.program_id == program_id)
    if state == "valid":
        statement = statement.where(Certificate.revoked_at.is_(None))
    elif state == "revoked":
        statement = statement.where(Certificate.revoked_at.is_not(None))
    scope = f"certificates|{search}|{program_id or ''}|{state or ''}"
    return paginate(db, statement, ALL_SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def program_choices(db: Session) -> list[tuple[int, str]]:
    return [(row.id, row.name) for row in db.exec(select(Program.id, Program.name).order_by(Program.name)).all()]
