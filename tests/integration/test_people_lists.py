"""People lists: /admin/users and a program's members page, one search box each, keyset pages,
a constant number of queries, and who may open them."""

import re

import pytest

from app.models import Membership, User
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user
from tests.integration.list_helpers import statements_of


def add_people(db, count: int, start: int = 0) -> list[User]:
    users = [User(email=f"person{start + n:03d}@example.org", full_name=f"Person {start + n:03d}",
                  password_hash="x") for n in range(count)]
    db.add_all(users)
    db.commit()
    return users


@pytest.fixture
def program_world(db):
    program = make_program(db, name="Hepatitis C")
    other = make_program(db, name="Diabetes")
    site = make_site(db, program, "Valley Clinic")
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    clinician = make_user(db, email="clin@example.org", full_name="Cli Nician")
    other_coordinator = make_user(db, email="othercoord@example.org", full_name="Otto Other")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, clinician, "clinician", site)
    add_member(db, other, other_coordinator, "coordinator")
    return program, site


def enrol(db, program, users, site=None):
    db.add_all([Membership(program_id=program.id, user_id=u.id, role="clinician", site_id=site.id if site else None)
                for u in users])
    db.commit()


def test_people_page_takes_the_same_queries_for_5_or_60_people_and_pages_by_50(client, db, program_world):
    add_people(db, 5)
    sign_in(client, "admin@example.org", PASSWORD)
    few, _ = statements_of(client, "/admin/users")
    add_people(db, 55, start=5)

    many, page = statements_of(client, "/admin/users")
    [next_url] = re.findall(r'href="([^"]+)" rel="next"', page.text)
    second = client.get(next_url.replace("&amp;", "&")).text

    assert len(many) == len(few)
    names = re.findall(r"<td>(Person \d+|Ada Admin|Cli Nician|Cora Coordinator|Otto Other)", page.text)
    later = re.findall(r"<td>(Person \d+|Otto Other)", second)
    assert len(names) == 50 and names[:5] == ["Ada Admin", "Cli Nician", "Cora Coordinator", "Otto Other", "Person 000"]
    assert later == [f"Person {n:03d}" for n in range(46, 60)]
    assert "64 people have an account." in page.text


def test_people_page_finds_by_name_or_email_and_sorts(client, db, program_world):
    add_people(db, 30)
    sign_in(client, "admin@example.org", PASSWORD)

    by_name = client.get("/admin/users", params={"q": "person 01"}).text
    by_email = client.get("/admin/users", params={"q": "OTHERCOORD@"}).text
    newest = client.get("/admin/users", params={"sort": "newest", "limit": "2"}).text
    nobody = client.get("/admin/users", params={"q": "zz%"}).text

    assert re.findall(r"<td>(Person \d+)", by_name) == [f"Person {n:03d}" for n in range(10, 20)]
    assert re.findall(r"<td>(Otto Other)", by_email) == ["Otto Other"]
    assert re.findall(r"<td>(Person \d+)", newest) == ["Person 029", "Person 028"]
    assert "No one matches “zz%”." in nobody


def test_an_invitation_with_errors_shows_the_first_page_again(client, db, program_world):
    from tests.conftest import csrf_of

    sign_in(client, "admin@example.org", PASSWORD)
    response = client.post("/admin/users", data={"email": "nope", "full_name": "", "csrf_token": csrf_of(client)})
    assert response.status_code == 422 and "Enter the person&#39;s name." in response.text
    assert "Ada Admin" in response.text


def test_members_page_takes_the_same_queries_for_5_or_60_members(client, db, program_world):
    program, site = program_world
    enrol(db, program, add_people(db, 5), site)
    sign_in(client, "coord@example.org", PASSWORD)
    few, _ = statements_of(client, f"/programs/{program.id}/members")
    enrol(db, program, add_people(db, 55, start=5), site)

    many, page = statements_of(client, f"/programs/{program.id}/members")

    assert len(many) == len(few)
    assert page.text.count('aria-label="Role of ') == 50
    assert "Members (62)" in page.text


def test_members_page_searches_and_pages_to_the_end(client, db, program_world):
    program, site = program_world
    enrol(db, program, add_people(db, 60), site)
    sign_in(client, "coord@example.org", PASSWORD)

    pages = [client.get(f"/programs/{program.id}/members", params={"q": "person05", "limit": "4"}).text]
    while next_url := re.findall(r'href="([^"]+)" rel="next"', pages[-1]):
        pages.append(client.get(next_url[0].replace("&amp;", "&")).text)

    names = [re.findall(r'aria-label="Role of (Person \d+)"', page) for page in pages]
    assert names == [[f"Person {n:03d}" for n in range(first, min(first + 4, 60))] for first in (50, 54, 58)]


def test_member_search_keeps_its_filter_in_the_cursor(client, db, program_world):
    program, _ = program_world
    enrol(db, program, add_people(db, 10))
    sign_in(client, "coord@example.org", PASSWORD)
    page = client.get(f"/programs/{program.id}/members", params={"q": "person", "limit": "3"}).text
    cursor = re.search(r'cursor=([^"&]+)', page).group(1)

    refused = client.get(f"/programs/{program.id}/members", params={"q": "cora", "cursor": cursor})

    assert refused.status_code == 422 and "This page link is damaged" in refused.text


@pytest.mark.parametrize("who, users_status, members_status", [
    ("anonymous", 303, 303), ("clin@example.org", 403, 403), ("othercoord@example.org", 403, 403),
    ("coord@example.org", 403, 200), ("admin@example.org", 200, 200),
])
def test_who_may_open_the_people_lists(client, db, program_world, who, users_status, members_status):
    program, _ = program_world
    if who != "anonymous":
        sign_in(client, who, PASSWORD)
    assert client.get("/admin/users", params={"q": "a"}).status_code == users_status
    assert client.get(f"/programs/{program.id}/members", params={"q": "a"}).status_code == members_status
