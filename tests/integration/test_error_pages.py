"""A page route that refuses answers with an HTML page whose title says what went wrong, never JSON
(issue #11): a missing object, a malformed id or query, a forbidden page, a wrong method, a form
sent back with its errors, an expired or forged link, a stale form."""

import re

import pytest

from tests.conftest import csrf_of, sign_in
from tests.factories import PASSWORD, make_program, make_user

TITLE = re.compile(r"<title>(.*?) · Telementor</title>")


@pytest.fixture
def signed_in(client, db):
    make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    program = make_program(db, visibility="public")
    sign_in(client, "jenna@example.org", PASSWORD)
    return program


def page_title(response) -> str:
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    return TITLE.search(response.text).group(1)


@pytest.mark.parametrize(("method", "path", "status", "title"), [
    ("GET", "/programs/2000000000", 404, "Not found"),
    ("GET", "/programs/not-a-number", 422, "Please correct the highlighted fields"),
    ("GET", "/sessions/99999999999999999999999", 422, "Please correct the request"),
    ("GET", "/programs/{program}/sessions/past?limit=many", 422, "Please correct the highlighted fields"),
    ("GET", "/admin/users", 403, "Forbidden"),
    ("GET", "/logout", 405, "Method not allowed"),
    ("GET", "/no/such/page", 404, "Not found"),
])
def test_refused_page_is_html_with_a_title_that_says_why(client, signed_in, method, path, status, title):
    response = client.request(method, path.format(program=signed_in.id))
    assert (response.status_code, page_title(response)) == (status, title)


def test_malformed_id_page_names_the_field(client, signed_in):
    response = client.get("/programs/not-a-number")
    assert "<strong>program_id</strong>" in response.text


def test_form_sent_back_with_errors_has_error_in_its_title(client, signed_in):
    response = client.post("/profile", data={"full_name": "", "timezone": "America/Denver",
                                             "csrf_token": csrf_of(client)})
    assert (response.status_code, page_title(response)) == (422, "Error: Your profile")


def test_form_without_errors_has_no_error_in_its_title(client, signed_in):
    assert page_title(client.get("/profile")) == "Your profile"


def test_stale_form_is_a_forbidden_page_that_says_reload(client, signed_in):
    response = client.post("/profile", data={"full_name": "Jenna", "timezone": "America/Denver",
                                             "csrf_token": "not-the-token"})
    assert (response.status_code, page_title(response)) == (403, "Forbidden")
    assert "Reload the page and try again." in response.text


@pytest.mark.parametrize(("path", "title"), [
    ("/password/set/forged-link", "Request not accepted"),  # no field to correct: not "highlighted fields"
    ("/signup/verify/forged-link", "This link cannot be used"),
])
def test_forged_link_page_says_the_link_is_refused(client, path, title):
    response = client.get(path)
    assert (response.status_code, page_title(response)) == (422, title)
