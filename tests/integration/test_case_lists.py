"""The case lists (/cases and GET /api/v1/cases): keyset pages, search, sort, filters, the
columns they read, a constant number of queries, and who sees which cases."""

import re

import pytest

from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.list_helpers import CASE_TEXT, make_cases, statements_of


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C")
    other = make_program(db, name="Diabetes")
    people = {
        "admin": make_user(db, email="admin@example.org", is_admin=True),
        "specialist": make_user(db, email="spec@example.org"),
        "presenter": make_user(db, email="pres@example.org"),
        "outsider": make_user(db, email="out@example.org"),
        "cme": make_user(db, email="cme@example.org", is_cme_office=True),
    }
    add_member(db, program, people["specialist"], "specialist")
    add_member(db, program, people["presenter"], "clinician")
    add_member(db, other, people["outsider"], "specialist")
    return program, other, people


def test_case_list_page_takes_the_same_queries_for_5_or_60_cases(client, db, hub):
    program, _, people = hub
    make_cases(db, program, people["presenter"], 5)
    sign_in(client, "admin@example.org", PASSWORD)
    few, _ = statements_of(client, "/cases")
    make_cases(db, program, people["presenter"], 55, start=5)

    many, page = statements_of(client, "/cases")

    assert len(many) == len(few)
    assert page.text.count('href="/cases/') - page.text.count('href="/cases/new') == 50
    assert not any("presenting_problem" in s for s in many)  # lists never read case text
    assert CASE_TEXT not in page.text


def test_case_list_pages_on_to_the_last_case_and_back_to_the_first(client, db, hub):
    program, _, people = hub
    make_cases(db, program, people["presenter"], 60)
    sign_in(client, "spec@example.org", PASSWORD)

    first = client.get("/cases?limit=25").text
    [next_url] = re.findall(r'href="([^"]+)" rel="next"', first)
    second = client.get(next_url.replace("&amp;", "&")).text
    [third_url] = re.findall(r'href="([^"]+)" rel="next"', second)
    third = client.get(third_url.replace("&amp;", "&")).text

    numbers = [re.findall(r">(LIST-\d+)<", page) for page in (first, second, third)]
    assert [len(n) for n in numbers] == [25, 25, 10]
    assert sum(numbers, []) == [f"LIST-{n}" for n in range(60, 0, -1)]  # newest change first
    assert 'rel="next"' not in third and 'href="/cases?limit=25">First page' in third


def test_case_list_search_filter_and_sort(client, db, hub):
    program, other, people = hub
    make_cases(db, program, people["presenter"], 12)
    make_cases(db, program, people["presenter"], 2, status="approved", start=20)
    sign_in(client, "admin@example.org", PASSWORD)

    found = client.get("/cases", params={"q": "list-1", "sort": "number"}).text
    approved = client.get("/cases", params={"status": "approved", "program_id": str(program.id)}).text
    defaults = client.get("/cases", params={"status": "", "program_id": "", "q": "", "sort": ""})

    assert re.findall(r">(LIST-\d+)<", found) == ["LIST-1", "LIST-10", "LIST-11", "LIST-12"]
    assert re.findall(r">(LIST-\d+)<", approved) == ["LIST-22", "LIST-21"]
    assert defaults.status_code == 200 and len(re.findall(r">(LIST-\d+)<", defaults.text)) == 14


def test_a_damaged_cursor_or_size_is_a_clear_error_page(client, db, hub):
    sign_in(client, "admin@example.org", PASSWORD)
    for params, message in [({"cursor": "bm90IGEgY3Vyc29y"}, "This page link is damaged"),
                            ({"limit": "500"}, "Ask for 1 to 200 rows a page."),
                            ({"sort": "colour"}, "Sort by one of: updated, oldest, number, submitted."),
                            ({"program_id": "abc"}, "Choose from the list.")]:
        response = client.get("/cases", params=params)
        assert response.status_code == 422 and message in response.text, params
        assert response.headers["content-type"].startswith("text/html")


def test_case_list_api_pages_with_a_link_header(client, db, hub):
    program, _, people = hub
    make_cases(db, program, people["presenter"], 7)
    headers = api_token(client, "spec@example.org", PASSWORD)

    first = client.get("/api/v1/cases", params={"status": "submitted", "limit": "3"}, headers=headers)
    pages = [first]
    while "X-Next-Cursor" in pages[-1].headers:
        link = re.fullmatch(r'<(http://testserver[^>]+)>; rel="next"', pages[-1].headers["Link"]).group(1)
        pages.append(client.get(link, headers=headers))

    assert [len(p.json()) for p in pages] == [3, 3, 1]
    assert [c["number"] for p in pages for c in p.json()] == [f"LIST-{n}" for n in range(1, 8)]  # oldest submission first
    assert set(first.json()[0]) == {"id", "number", "program_id", "presenter_id", "status", "age_bracket",
                                    "sex_gender", "preferred_session_id", "submitted_at", "updated_at"}
    refused = client.get("/api/v1/cases", params={"cursor": "x"}, headers=headers)
    assert refused.status_code == 422 and refused.json()["detail"].startswith("This page link is damaged")


def test_case_list_api_takes_the_same_queries_for_5_or_60_cases(client, db, hub):
    program, _, people = hub
    headers = api_token(client, "admin@example.org", PASSWORD)
    make_cases(db, program, people["presenter"], 5)
    few, _ = statements_of(client, "/api/v1/cases", headers=headers)
    make_cases(db, program, people["presenter"], 55, start=5)
    many, response = statements_of(client, "/api/v1/cases", headers=headers)
    assert len(many) == len(few) and len(response.json()) == 50


def test_who_sees_which_cases_in_the_lists(client, db, hub):
    program, other, people = hub
    make_cases(db, program, people["presenter"], 2)
    make_cases(db, program, people["presenter"], 1, status="draft", start=10)
    make_cases(db, other, people["outsider"], 1, start=20)
    expected = {
        "admin": ["LIST-21", "LIST-2", "LIST-1"],  # every program's cases, no one's draft
        "specialist": ["LIST-2", "LIST-1"],  # the program's cases, not the draft
        "presenter": ["LIST-11", "LIST-2", "LIST-1"],  # their own, their draft too
        "outsider": ["LIST-21"],  # their own program only
        "cme": [],
    }
    for who, numbers in expected.items():
        client.cookies.clear()
        sign_in(client, people[who].email, PASSWORD)
        assert re.findall(r">(LIST-\d+)<", client.get("/cases").text) == numbers, who
        api = client.get("/api/v1/cases", headers=api_token(client, people[who].email, PASSWORD)).json()
        assert [c["number"] for c in api] == numbers, who
    client.cookies.clear()
    assert client.get("/cases").status_code == 303
    assert client.get("/api/v1/cases").status_code == 401
