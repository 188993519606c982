"""The program page and the members API stay the same size however long a program runs: the page
shows the next sessions, the latest ones held, the hub team and how many members there are (counted
by the database); the members API pages by keyset like the case list."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.db import utcnow
from app.models import EchoSession, Membership, User
from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user
from tests.integration.list_helpers import statements_of


@pytest.fixture
def program_world(db):
    program = make_program(db, name="Hepatitis C")
    other = make_program(db, name="Diabetes")
    site = make_site(db, program, "Valley Clinic")
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    specialist = make_user(db, email="spec@example.org", full_name="Sam Specialist")
    clinician = make_user(db, email="clin@example.org", full_name="Cli Nician")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, specialist, "specialist")
    add_member(db, program, clinician, "clinician", site)
    add_member(db, other, make_user(db, email="other@example.org", full_name="Otto Other"), "coordinator")
    add_sessions(db, other, 4, kind="Elsewhere")
    return program, site


def add_sessions(db, program, count: int, *, kind: str, start: int = 0) -> None:
    """`count` sessions a week apart: upcoming ones from tomorrow on (Upcoming 01 the soonest),
    past ones back from yesterday (Past 01 the latest)."""
    now = utcnow()
    step = 1 if kind != "Past" else -1
    db.add_all([EchoSession(program_id=program.id,
                            starts_at=now + step * timedelta(days=1 + 7 * (start + n)),
                            ends_at=now + step * timedelta(days=1 + 7 * (start + n)) + timedelta(hours=1),
                            didactic_topic=f"{kind} {start + n + 1:02d}") for n in range(count)])
    db.commit()


def add_people(db, program, count: int, site, start: int = 0) -> None:
    users = [User(email=f"person{start + n:03d}@example.org", full_name=f"Person {start + n:03d}",
                  password_hash="x") for n in range(count)]
    db.add_all(users)
    db.commit()
    db.add_all([Membership(program_id=program.id, user_id=u.id, role="clinician", site_id=site.id) for u in users])
    db.commit()


def topics(page: str, kind: str) -> list[str]:
    return re.findall(rf"<td>({kind} \d+)</td>", page)


def test_program_page_takes_the_same_queries_for_3_or_60_sessions_and_members(client, db, program_world):
    program, site = program_world
    add_sessions(db, program, 3, kind="Upcoming")
    add_sessions(db, program, 3, kind="Past")
    add_people(db, program, 3, site)
    sign_in(client, "coord@example.org", PASSWORD)
    few, small = statements_of(client, f"/programs/{program.id}")
    add_sessions(db, program, 57, kind="Upcoming", start=3)
    add_sessions(db, program, 57, kind="Past", start=3)
    add_people(db, program, 57, site, start=3)

    many, page = statements_of(client, f"/programs/{program.id}")

    assert len(many) == len(few)
    assert topics(small.text, "Upcoming") == ["Upcoming 01", "Upcoming 02", "Upcoming 03"]
    assert topics(small.text, "Past") == ["Past 01", "Past 02", "Past 03"]
    assert topics(page.text, "Upcoming") == [f"Upcoming {n:02d}" for n in range(1, 11)]
    assert topics(page.text, "Past") == [f"Past {n:02d}" for n in range(1, 6)]
    assert "The next 10 of 60 upcoming sessions." in page.text and "Past sessions (60)" in page.text
    assert "Upcoming 60" not in page.text and "Past 60" not in page.text and "Elsewhere" not in page.text
    assert "Members (63)" in page.text and "Person 0" not in page.text
    assert f'href="/programs/{program.id}/members">All members' in page.text
    assert re.findall(r"<li>([^<]+) — (\w+)", page.text) == [("Cora Coordinator", "coordinator"),
                                                              ("Sam Specialist", "specialist")]


def test_program_page_gives_a_member_the_count_without_the_manager_link(client, db, program_world):
    program, site = program_world
    add_people(db, program, 2, site)
    sign_in(client, "clin@example.org", PASSWORD)

    page = client.get(f"/programs/{program.id}").text

    assert "Members (5)" in page and "5 people belong to this program" in page
    assert f'href="/programs/{program.id}/members"' not in page
    assert "The next " not in page and "Past sessions (0)" in page


def test_program_page_counts_a_running_session_as_upcoming(client, db, program_world):
    program, _ = program_world
    now = utcnow()
    db.add(EchoSession(program_id=program.id, starts_at=now - timedelta(minutes=30),
                       ends_at=now + timedelta(minutes=30), didactic_topic="Upcoming 00"))
    db.commit()
    add_sessions(db, program, 1, kind="Past")
    sign_in(client, "clin@example.org", PASSWORD)

    page = client.get(f"/programs/{program.id}").text

    assert topics(page, "Upcoming") == ["Upcoming 00"] and topics(page, "Past") == ["Past 01"]
    assert "Past sessions (1)" in page


def member_pages(client, url: str, headers: dict, **params) -> list:
    pages = [client.get(url, params=params, headers=headers)]
    while "X-Next-Cursor" in pages[-1].headers:
        link = re.fullmatch(r'<(http://testserver[^>]+)>; rel="next"', pages[-1].headers["Link"]).group(1)
        assert pages[-1].headers["X-Next-Cursor"] in link
        pages.append(client.get(link, headers=headers))
    assert all(page.status_code == 200 for page in pages)
    return pages


def test_members_api_pages_through_every_member_exactly_once(client, db, program_world):
    program, site = program_world
    add_people(db, program, 60, site)
    headers = api_token(client, "clin@example.org", PASSWORD)
    url = f"/api/v1/programs/{program.id}/members"

    pages = member_pages(client, url, headers, limit="7")
    by_role = member_pages(client, url, headers, limit="50", sort="role")
    default = client.get(url, headers=headers)

    ids = [m["id"] for page in pages for m in page.json()]
    expected = db.exec(select(Membership.id).where(Membership.program_id == program.id)).all()
    assert [len(page.json()) for page in pages] == [7] * 9
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids)) == 63
    names = [m["full_name"] for page in pages for m in page.json()]
    assert names == sorted(names)  # by name, the default
    assert [len(page.json()) for page in by_role] == [50, 13]
    assert [m["role"] for page in by_role for m in page.json()][:3] == ["clinician"] * 3
    assert len(default.json()) == 50 and "X-Next-Cursor" in default.headers
    assert set(default.json()[0]) == {"id", "user_id", "full_name", "degree", "role", "site_id", "is_facilitator"}


def test_members_api_refuses_a_damaged_cursor_or_limit(client, db, program_world):
    program, _ = program_world
    headers = api_token(client, "clin@example.org", PASSWORD)
    url = f"/api/v1/programs/{program.id}/members"
    cursor = client.get(url, params={"limit": "1"}, headers=headers).headers["X-Next-Cursor"]

    damaged = client.get(url, params={"cursor": "x"}, headers=headers)
    other_sort = client.get(url, params={"cursor": cursor, "sort": "newest"}, headers=headers)
    too_many = client.get(url, params={"limit": "201"}, headers=headers)
    not_a_number = client.get(url, params={"limit": "ten"}, headers=headers)

    for refused in (damaged, other_sort):
        assert refused.status_code == 422 and refused.json()["detail"].startswith("This page link is damaged")
    for refused in (too_many, not_a_number):
        assert (refused.status_code, refused.json()["detail"]) == (422, "Ask for 1 to 200 rows a page.")


def test_members_api_takes_the_same_queries_for_5_or_60_members(client, db, program_world):
    program, site = program_world
    headers = api_token(client, "coord@example.org", PASSWORD)
    url = f"/api/v1/programs/{program.id}/members"
    add_people(db, program, 2, site)
    few, _ = statements_of(client, url, headers=headers)
    add_people(db, program, 58, site, start=2)

    many, response = statements_of(client, url, headers=headers)

    assert len(many) == len(few) and len(response.json()) == 50


def test_members_api_cursor_belongs_to_its_program(client, db, program_world):
    program, site = program_world
    other = make_program(db, name="Asthma")
    coordinator = db.exec(select(User).where(User.email == "coord@example.org")).one()
    add_member(db, other, coordinator, "coordinator")
    add_people(db, other, 3, make_site(db, other, "Hill Clinic"))
    headers = api_token(client, "coord@example.org", PASSWORD)
    cursor = client.get(f"/api/v1/programs/{other.id}/members", params={"limit": "1"},
                        headers=headers).headers["X-Next-Cursor"]

    refused = client.get(f"/api/v1/programs/{program.id}/members", params={"cursor": cursor}, headers=headers)

    assert refused.status_code == 422
