"""The lists of people: every account (site administration) and a program's members. One query a
page, keyset-paginated, searchable by name or e-mail; only the columns the lists show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Membership, Program, SpokeSite, User
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, contains, paginate

USER_COLUMNS = (User.id, User.email, User.full_name, User.degree, User.is_active, User.is_admin, User.is_cme_office)
USER_SORTS = Sorts({
    "name": SortOrder(User.full_name, User.id, str),
    "email": SortOrder(User.email, User.id, str),
    "newest": SortOrder(User.created_at, User.id, datetime, descending=True),
}, default="name")
USER_SORT_LABELS = {"name": "Name", "email": "E-mail", "newest": "Newest account first"}

MEMBER_COLUMNS = (
    Membership.id, Membership.user_id, Membership.role, Membership.site_id, Membership.is_facilitator,
    User.full_name, User.degree, User.email, SpokeSite.organisation.label("site_name"),
)
MEMBER_SORTS = Sorts({
    "name": SortOrder(User.full_name, Membership.id, str),
    "role": SortOrder(Membership.role, Membership.id, str),
    "newest": SortOrder(Membership.created_at, Membership.id, datetime, descending=True),
}, default="name")
MEMBER_SORT_LABELS = {"name": "Name", "role": "Role", "newest": "Newest member first"}


def _name_or_email(search: str):
    return contains(User.full_name, search) | contains(User.email, search)


def user_page(db: Session, *, search: str = "", sort: str | None = None, cursor: str | None = None,
              limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    statement = select(*USER_COLUMNS)
    if search:
        statement = statement.where(_name_or_email(search))
    return paginate(db, statement, USER_SORTS, scope=f"users|{search}", sort=sort, cursor=cursor, limit=limit)


def user_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(User)).one()


def member_page(db: Session, program: Program, *, search: str = "", sort: str | None = None,
                cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """One page of a program's members with their spoke site's name."""
    statement = (select(*MEMBER_COLUMNS).join(User, User.id == Membership.user_id)
                 .join(SpokeSite, SpokeSite.id == Membership.site_id, isouter=True)
                 .where(Membership.program_id == program.id))
    if search:
        statement = statement.where(_name_or_email(search))
    scope = f"members|{program.id}|{search}"
    return paginate(db, statement, MEMBER_SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def member_count(db: Session, program: Program) -> int:
    return db.exec(select(func.count()).select_from(Membership).where(Membership.program_id == program.id)).one()
