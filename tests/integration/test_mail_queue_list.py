"""The mail queue page (/admin/outbox): found by recipient or subject, one status or any, newest
or oldest first or by recipient, keyset pages, and the same statements at any size."""

import re

import pytest

from app.db import utcnow
from app.models import OutboxMessage
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from tests.integration.list_helpers import statements_of


def queue(db, count: int, *, start: int = 0, status: str = "sent", subject: str = "Your certificate is ready"):
    db.add_all([OutboxMessage(kind="password_reset", payload={}, next_attempt_at=utcnow(), status=status,
                              recipient=f"person{n:03d}@example.org", subject=f"{subject} ({n:03d})")
                for n in range(start, start + count)])
    db.commit()


def recipients(html: str) -> list[str]:
    return re.findall(r"<td>(person\d+@example\.org)</td>", html)


def next_url(html: str) -> str | None:
    found = re.findall(r'href="([^"]+)" rel="next"', html)
    return found[0].replace("&amp;", "&") if found else None


@pytest.fixture
def admin(client, db):
    make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    sign_in(client, "admin@example.org", PASSWORD)


def test_the_queue_takes_the_same_statements_for_3_or_80_messages(client, db, admin):
    queue(db, 3)
    few, _ = statements_of(client, "/admin/outbox", params={"q": "person", "status": "sent"})
    queue(db, 77, start=3)

    many, page = statements_of(client, "/admin/outbox", params={"q": "person", "status": "sent"})

    assert len(many) == len(few)
    assert len(recipients(page.text)) == 50


def test_pages_follow_each_other_to_the_end_without_repeats(client, db, admin):
    queue(db, 23)
    pages = [client.get("/admin/outbox", params={"limit": "10"}).text]
    while url := next_url(pages[-1]):
        pages.append(client.get(url).text)

    assert [len(recipients(page)) for page in pages] == [10, 10, 3]
    assert sum((recipients(page) for page in pages), []) == [f"person{n:03d}@example.org" for n in range(22, -1, -1)]
    assert '<a href="/admin/outbox?limit=10">First page</a>' in pages[-1]


def test_search_finds_by_recipient_or_subject_and_keeps_to_its_status(client, db, admin):
    queue(db, 5, status="sent")
    queue(db, 2, start=5, status="dead", subject="Invitation to Hepatitis C")

    by_recipient = client.get("/admin/outbox", params={"q": "PERSON003"}).text
    by_subject = client.get("/admin/outbox", params={"q": "invitation"}).text
    dead_only = client.get("/admin/outbox", params={"status": "dead"}).text
    wildcard = client.get("/admin/outbox", params={"q": "%"}).text

    assert recipients(by_recipient) == ["person003@example.org"]
    assert recipients(by_subject) == ["person006@example.org", "person005@example.org"]
    assert recipients(dead_only) == ["person006@example.org", "person005@example.org"]
    assert recipients(wildcard) == [] and "No message matches these filters." in wildcard


def test_every_filter_left_empty_means_any(client, db, admin):
    queue(db, 2, status="pending")
    queue(db, 1, start=2, status="dead")

    response = client.get("/admin/outbox", params={"q": "", "status": "", "sort": "", "cursor": "", "limit": ""})

    assert response.status_code == 200
    assert recipients(response.text) == ["person002@example.org", "person001@example.org", "person000@example.org"]


def test_orders_oldest_first_and_by_recipient(client, db, admin):
    db.add_all([OutboxMessage(kind="password_reset", payload={}, next_attempt_at=utcnow(), status="sent",
                              recipient=address, subject="Reset")
                for address in ("person200@example.org", "person100@example.org", "person300@example.org")])
    db.commit()

    oldest = client.get("/admin/outbox", params={"sort": "oldest"}).text
    by_recipient = client.get("/admin/outbox", params={"sort": "recipient", "limit": "2"}).text
    rest = client.get(next_url(by_recipient)).text

    assert recipients(oldest) == ["person200@example.org", "person100@example.org", "person300@example.org"]
    assert recipients(by_recipient) + recipients(rest) == [
        "person100@example.org", "person200@example.org", "person300@example.org"]


def test_the_status_choices_carry_their_counts_and_the_chosen_one_is_selected(client, db, admin):
    queue(db, 4, status="sent")
    queue(db, 1, start=4, status="dead")

    html = client.get("/admin/outbox", params={"status": "dead"}).text

    options = re.findall(r'<option value="(\w*)" (selected)?\s*>([^<]+)</option>',
                         re.search(r'<select name="status">.*?</select>', html, re.S).group(0))
    assert options == [("", "", "Any"), ("pending", "", "Waiting (0)"), ("sending", "", "Sending (0)"),
                       ("sent", "", "Sent (4)"), ("dead", "selected", "Given up (1)")]
    assert "<label>Recipient or subject <input type=\"search\" name=\"q\"" in html


@pytest.mark.parametrize("params, field", [
    ({"status": "bounced"}, "status"), ({"sort": "size"}, "sort"), ({"limit": "1000"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"), ({"q": "x" * 101}, "q"),
])
def test_a_wrong_filter_is_a_page_that_names_it(client, db, admin, params, field):
    response = client.get("/admin/outbox", params=params)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert f"<strong>{field}</strong>" in response.text


def test_a_cursor_of_another_filter_is_refused(client, db, admin):
    queue(db, 5, status="sent")
    cursor = re.search(r"cursor=([^\"&]+)", client.get("/admin/outbox", params={"limit": "2"}).text).group(1)

    response = client.get("/admin/outbox", params={"limit": "2", "status": "sent", "cursor": cursor})

    assert response.status_code == 422 and "This page link is damaged" in response.text


def test_only_site_admins_open_the_queue(client, db):
    make_user(db, email="cme@example.org", is_cme_office=True)
    sign_in(client, "cme@example.org", PASSWORD)

    assert client.get("/admin/outbox", params={"q": "a"}).status_code == 403
