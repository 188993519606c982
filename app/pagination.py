"""Keyset ("seek") pagination for lists: the next page starts after the last row shown, found by an
index, never by counting and skipping rows (OFFSET reads every skipped row again, and a row added
meanwhile shifts every later page).

A list offers named sort orders, each a column (or expression) with a direction; the row's id breaks
ties so the order is total and stable. The cursor a page hands out is opaque to the client: the sort
name and the last row's (key, id), in URL-safe base64 JSON, with a short digest of the list's scope
(which list, which filters). A cursor is decoded strictly: anything that is not exactly what this list
and sort would have produced -- a damaged string, a cursor of another sort or filter, a value of the
wrong type -- is refused with one clear message (InvalidInput, 422) and nothing is read."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import tuple_
from sqlalchemy.sql import ColumnElement, Select

from app.errors import InvalidInput

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_CURSOR_LENGTH = 600
BAD_CURSOR = "This page link is damaged or belongs to another list or order. Start again from the first page."


@dataclass(frozen=True)
class SortOrder:
    """One way to order a list: `key` is the column or expression, `kind` the Python type of its
    values (str, int, datetime or date), and `id_column` breaks ties in the same direction."""

    key: ColumnElement
    id_column: ColumnElement
    kind: type
    descending: bool = False

    def order_by(self) -> list[ColumnElement]:
        if self.descending:
            return [self.key.desc(), self.id_column.desc()]
        return [self.key.asc(), self.id_column.asc()]

    def after(self, value: Any, last_id: int) -> ColumnElement:
        """Rows strictly after (value, last_id) in this order: one row-value comparison, which
        PostgreSQL and SQLite answer from an index on (key, id)."""
        pair = tuple_(self.key, self.id_column)
        return pair < (value, last_id) if self.descending else pair > (value, last_id)


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None


def page_size(raw: int | str | None) -> int:
    """The page size asked for, bounded: default 50, at most 200; anything else is an error."""
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    text = str(raw)
    if not (text.isdigit() and len(text) <= 4 and 1 <= int(text) <= MAX_PAGE_SIZE):
        raise InvalidInput(f"Ask for 1 to {MAX_PAGE_SIZE} rows a page.",
                           fields={"limit": f"Give a whole number from 1 to {MAX_PAGE_SIZE}."})
    return int(text)


def contains(column: ColumnElement, text: str) -> ColumnElement:
    """Case-insensitive "contains" for a search box: LIKE with its wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def search_text(raw: str | None) -> str:
    """What was typed in a search box, trimmed; over 100 characters is an error, not a slow query."""
    text = (raw or "").strip()
    if len(text) > 100 or "\x00" in text:
        raise InvalidInput("Search for at most 100 characters.", fields={"q": "Use at most 100 characters."})
    return text


def optional_id(raw: str | None, field: str) -> int | None:
    """A list filter's chosen id; an empty choice means "any"."""
    text = (raw or "").strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) <= 12):
        raise InvalidInput("Choose from the list.", fields={field: "Choose from the list."})
    return int(text)


def _relative(url) -> str:
    return f"{url.path}?{url.query}" if url.query else url.path


def next_link(url, cursor: str | None, *, absolute: bool = False) -> str | None:
    """The next page: this request's URL (its filters and sort) with the new cursor; a path for
    pages, the absolute URL for the API's Link header."""
    if not cursor:
        return None
    following = url.include_query_params(cursor=cursor)
    return str(following) if absolute else _relative(following)


def first_link(url) -> str:
    """This list's first page: the same filters and sort, no cursor."""
    return _relative(url.remove_query_params("cursor"))


def _scope_digest(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:12]


def _dump(value: Any, kind: type) -> Any:
    if kind is datetime:
        return value.astimezone(UTC).isoformat()
    if kind is date:
        return value.isoformat()
    return value


def _load(value: Any, kind: type) -> Any:
    """The key value from the cursor, of exactly the type the sort key has (or ValueError)."""
    if kind is datetime:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError("not an aware datetime")
        return parsed.astimezone(UTC)
    if kind is date:
        if not isinstance(value, str):
            raise ValueError("not a date")
        return date.fromisoformat(value)
    if kind is int:
        if type(value) is not int or abs(value) >= 2**63:
            raise ValueError("not an integer")
        return value
    if kind is str:
        if not isinstance(value, str) or len(value) > 300 or "\x00" in value:
            raise ValueError("not a short text")
        return value
    raise ValueError(f"unsupported sort key type {kind!r}")


def encode_cursor(scope: str, sort_name: str, order: SortOrder, value: Any, last_id: int) -> str:
    payload = [_scope_digest(scope), sort_name, _dump(value, order.kind), last_id]
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, scope: str, sort_name: str, order: SortOrder) -> tuple[Any, int]:
    """(key value, id) of a cursor this list made for this sort order, or InvalidInput."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        digest, name, value, last_id = json.loads(raw)
        if digest != _scope_digest(scope) or name != sort_name:
            raise ValueError("another list")
        if type(last_id) is not int or not 0 < last_id < 2**63:
            raise ValueError("bad id")
        return _load(value, order.kind), last_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise InvalidInput(BAD_CURSOR, fields={"cursor": BAD_CURSOR}) from None


@dataclass(frozen=True)
class Sorts:
    """The named sort orders of one list and the one used when none (or an unknown one) is asked."""

    orders: dict[str, SortOrder]
    default: str

    def choose(self, name: str | None) -> tuple[str, SortOrder]:
        if not name:
            return self.default, self.orders[self.default]
        if name not in self.orders:
            choices = ", ".join(self.orders)
            raise InvalidInput(f"Sort by one of: {choices}.", fields={"sort": f"Choose one of: {choices}."})
        return name, self.orders[name]


def paginate(db, statement: Select, sorts: Sorts, *, scope: str, sort: str | None = None,
             cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """Run `statement` (already filtered) as one page: ordered by the chosen sort, after the cursor,
    limit + 1 rows read to know whether there is a next page. The sort key and id are read with the
    rows (as the database computed them: lower() differs between databases and Python), so the next
    cursor repeats exactly what the database compares. A statement of one entity or column gives
    its rows as such, a wider one its result rows (named columns). Returns the sort name used and the page."""
    sort_name, order = sorts.choose(sort)
    if cursor:
        value, last_id = decode_cursor(cursor, scope, sort_name, order)
        statement = statement.where(order.after(value, last_id))
    width = len(statement.selected_columns)
    statement = (statement.add_columns(order.key.label("page_sort_key"), order.id_column.label("page_sort_id"))
                 .order_by(*order.order_by()).limit(limit + 1))
    rows = db.exec(statement).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(scope, sort_name, order, rows[-1][-2], rows[-1][-1]) if more else None
    return sort_name, Page([row[0] if width == 1 else row for row in rows], next_cursor)
