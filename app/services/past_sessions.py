"""A program's past sessions as a list people work with: keyset pages, a search on the topic, and
how many people attended each (counted by the database in the same query)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app.db import utcnow
from app.models import AttendanceRecord, EchoSession, Program
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, contains, paginate

# People (members and guests) with more than zero minutes, as the trends count attendance.
attendance_count = (
    select(func.count()).select_from(AttendanceRecord)
    .where(AttendanceRecord.session_id == EchoSession.id,
           func.coalesce(AttendanceRecord.adjusted_seconds, AttendanceRecord.computed_seconds) > 0)
    .correlate(EchoSession).scalar_subquery()
)
COLUMNS = (EchoSession.id, EchoSession.starts_at, EchoSession.status, EchoSession.didactic_topic,
           EchoSession.original_starts_at, attendance_count.label("attended"))
SORTS = Sorts({
    "newest": SortOrder(EchoSession.starts_at, EchoSession.id, datetime, descending=True),
    "oldest": SortOrder(EchoSession.starts_at, EchoSession.id, datetime),
    "attendance": SortOrder(attendance_count, EchoSession.id, int, descending=True),
}, default="newest")
SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "attendance": "Most attended first"}


def past_page(db: Session, program: Program, *, search: str = "", sort: str | None = None,
              cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """One page of the program's sessions that have ended (cancelled ones too, marked), each with its
    attendance count: one query whatever the page's length."""
    statement = select(*COLUMNS).where(EchoSession.program_id == program.id, EchoSession.ends_at <= utcnow())
    if search:
        statement = statement.where(contains(EchoSession.didactic_topic, search))
    scope = f"past|{program.id}|{search}"
    return paginate(db, statement, SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def past_count(db: Session, program: Program) -> int:
    return db.exec(select(func.count()).select_from(EchoSession).where(
        EchoSession.program_id == program.id, EchoSession.ends_at <= utcnow())).one()
