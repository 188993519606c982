"""Keyset pagination: cursors, page sizes and the seek condition (app/pagination.py)."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert, select
from sqlmodel import Session

from app.errors import InvalidInput
from app.pagination import (
    BAD_CURSOR, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SortOrder, Sorts, contains, decode_cursor, encode_cursor,
    page_size, paginate, search_text,
)

metadata = MetaData()
person = Table("person", metadata, Column("id", Integer, primary_key=True), Column("name", String(50)),
               Column("seen_at", DateTime(timezone=True)))
SORTS = Sorts({
    "name": SortOrder(person.c.name, person.c.id, str),
    "newest": SortOrder(person.c.seen_at, person.c.id, datetime, descending=True),
}, default="name")
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    metadata.create_all(engine)
    # Ties on purpose: three people per name and per time, so only the id keeps the order total.
    rows = [{"id": n, "name": f"name {n // 3:02d}", "seen_at": START + timedelta(hours=n // 3)} for n in range(1, 61)]
    with engine.begin() as connection:
        connection.execute(insert(person), rows)
    with Session(engine) as session:
        yield session
    engine.dispose()


def all_pages(db, sort, limit, scope="people"):
    ids, cursor, pages = [], None, 0
    while True:
        _, page = paginate(db, select(person.c.id), SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)
        ids += page.rows
        pages += 1
        if page.next_cursor is None:
            return ids, pages
        cursor = page.next_cursor


def test_pages_by_name_visit_every_row_once_in_name_then_id_order(db):
    ids, pages = all_pages(db, "name", 7)
    assert ids == list(range(1, 61))
    assert pages == 9  # 8 full pages of 7 and one of 4


def test_pages_newest_first_break_ties_by_descending_id(db):
    ids, _ = all_pages(db, "newest", 5)
    assert ids == list(range(60, 0, -1))


def test_a_page_exactly_full_has_no_next_cursor(db):
    _, page = paginate(db, select(person.c.id), SORTS, scope="people", limit=60)
    assert (len(page.rows), page.next_cursor) == (60, None)


def test_rows_added_before_the_cursor_do_not_shift_later_pages(db):
    _, first = paginate(db, select(person.c.id), SORTS, scope="people", limit=10)
    db.execute(insert(person).values(id=100, name="name 00", seen_at=START))
    _, second = paginate(db, select(person.c.id), SORTS, scope="people", cursor=first.next_cursor, limit=10)
    assert second.rows == list(range(11, 21))


def test_a_wide_select_gives_named_rows(db):
    _, page = paginate(db, select(person.c.id, person.c.name), SORTS, scope="people", limit=2)
    assert [(row.id, row.name) for row in page.rows] == [(1, "name 00"), (2, "name 00")]


def test_cursor_round_trips_a_datetime_key():
    order = SORTS.orders["newest"]
    cursor = encode_cursor("people", "newest", order, START, 42)
    assert decode_cursor(cursor, "people", "newest", order) == (START, 42)


def forged(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not base64 at all!", "", "AAAA", forged({"a": 1}), forged(["x", "name", "a", 1]),
    "é" * 10, "A" * 700,
])
def test_damaged_cursors_are_refused_with_one_message(cursor):
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor, "people", "name", SORTS.orders["name"])
    assert (refused.value.message, refused.value.status_code) == (BAD_CURSOR, 422)


def test_a_cursor_of_another_filter_or_sort_is_refused():
    order = SORTS.orders["name"]
    cursor = encode_cursor("people|q=ann", "name", order, "Ann", 3)
    for scope, sort in [("people|q=bob", "name"), ("people|q=ann", "newest")]:
        with pytest.raises(InvalidInput):
            decode_cursor(cursor, scope, sort, SORTS.orders[sort])


def test_a_cursor_with_a_value_of_the_wrong_type_is_refused():
    digest_cursor = encode_cursor("people", "name", SORTS.orders["name"], "Ann", 3)
    digest = json.loads(base64.urlsafe_b64decode(digest_cursor + "=" * (-len(digest_cursor) % 4)))[0]
    for value, last_id in [(5, 3), ("Ann", "3"), ("Ann", -1), ("Ann", True), ("Ann", 2**64)]:
        with pytest.raises(InvalidInput):
            decode_cursor(forged([digest, "name", value, last_id]), "people", "name", SORTS.orders["name"])
    with pytest.raises(InvalidInput):  # a naive time where the key is an aware datetime
        decode_cursor(forged([digest, "newest", "2026-01-01T00:00:00", 3]), "people", "newest", SORTS.orders["newest"])


def test_a_bad_cursor_reads_nothing(db):
    statements = []
    from sqlalchemy import event

    event.listen(db.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
    with pytest.raises(InvalidInput):
        paginate(db, select(person.c.id), SORTS, scope="people", cursor="garbage")
    assert statements == []


def test_page_size_defaults_to_50_and_stops_at_200():
    assert (page_size(None), page_size(""), page_size("1"), page_size(200)) == (DEFAULT_PAGE_SIZE, 50, 1, MAX_PAGE_SIZE)
    for raw in ["0", "201", "-5", "ten", "1e3", "99999"]:
        with pytest.raises(InvalidInput) as refused:
            page_size(raw)
        assert refused.value.fields == {"limit": "Give a whole number from 1 to 200."}


def test_an_unknown_sort_names_the_choices():
    with pytest.raises(InvalidInput) as refused:
        SORTS.choose("age")
    assert refused.value.message == "Sort by one of: name, newest."
    assert SORTS.choose("") == ("name", SORTS.orders["name"])


def test_search_matches_wildcards_literally(db):
    db.execute(insert(person).values(id=200, name="50% off_sale", seen_at=START))
    found = db.execute(select(person.c.id).where(contains(person.c.name, "0% OFF_"))).scalars().all()
    assert found == [200]
    assert db.execute(select(person.c.id).where(contains(person.c.name, "_"))).scalars().all() == [200]


def test_search_text_is_trimmed_and_bounded():
    assert search_text("  HCV-1 ") == "HCV-1"
    with pytest.raises(InvalidInput):
        search_text("x" * 101)
