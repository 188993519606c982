"""A program's upcoming sessions page: every session that has not ended (one under way too), the
soonest first, in keyset pages of the same few queries however long the schedule; who may open it
is who may open the past sessions page; the program page links to it when it shows only some."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.db import utcnow
from app.models import EchoSession
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.querycount import count_queries


@pytest.fixture
def program_world(db):
    program = make_program(db, name="Hepatitis C", visibility="private", video_url="https://zoom.example/j/1")
    member = make_user(db, email="member@example.org")
    outsider = make_user(db, email="outsider@example.org")
    add_member(db, program, member, "clinician")
    add_member(db, make_program(db, name="Other"), outsider, "coordinator")
    return program, member


def upcoming_sessions(db, program, count: int, *, start: int = 0) -> list[EchoSession]:
    """`count` sessions a week apart from tomorrow on, Topic 01 the soonest."""
    now = utcnow()
    sessions = [EchoSession(program_id=program.id, starts_at=now + timedelta(days=1 + 7 * (start + n)),
                            ends_at=now + timedelta(days=1 + 7 * (start + n), hours=1),
                            didactic_topic=f"Topic {start + n + 1:02d}", video_url="https://zoom.example/j/2")
                for n in range(count)]
    db.add_all(sessions)
    db.commit()
    return sessions


def url_of(program, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/programs/{program.id}/sessions/upcoming" + (f"?{query}" if query else "")


def topics(page: str) -> list[str]:
    return re.findall(r"<td>(Topic \d+)</td>", page)


def next_url(page: str) -> str | None:
    found = re.findall(r'href="([^"]+)" rel="next"', page)
    return found[0].replace("&amp;", "&") if found else None


def all_pages(client, url: str) -> list[str]:
    pages = [client.get(url)]
    while link := next_url(pages[-1].text):
        pages.append(client.get(link))
    assert all(page.status_code == 200 for page in pages)
    return [page.text for page in pages]


def test_pages_through_60_upcoming_sessions_exactly_once_soonest_first(client, db, program_world):
    program, _ = program_world
    upcoming_sessions(db, program, 60)
    sign_in(client, "member@example.org", PASSWORD)

    default = all_pages(client, url_of(program))
    small = all_pages(client, url_of(program, limit=7))

    everything = [f"Topic {n:02d}" for n in range(1, 61)]
    assert [len(topics(page)) for page in default] == [50, 10]
    assert [topic for page in default for topic in topics(page)] == everything
    assert [len(topics(page)) for page in small] == [7] * 8 + [4]
    assert [topic for page in small for topic in topics(page)] == everything
    assert all("60 sessions ahead" in page for page in default)
    assert "First page" not in default[0] and "First page" in default[1]


def test_running_session_is_upcoming_and_ended_ones_are_not(client, db, program_world):
    program, _ = program_world
    now = utcnow()
    db.add_all([
        EchoSession(program_id=program.id, starts_at=now - timedelta(days=7), ends_at=now - timedelta(days=7, hours=-1),
                    didactic_topic="Topic 97"),
        EchoSession(program_id=program.id, starts_at=now - timedelta(hours=1), ends_at=now - timedelta(minutes=1),
                    didactic_topic="Topic 98"),
        EchoSession(program_id=program.id, starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(minutes=30),
                    didactic_topic="Topic 00"),
    ])
    db.commit()
    upcoming_sessions(db, program, 2)
    other = make_program(db, name="Diabetes")
    upcoming_sessions(db, other, 3, start=10)
    sign_in(client, "member@example.org", PASSWORD)

    page = client.get(url_of(program)).text

    assert topics(page) == ["Topic 00", "Topic 01", "Topic 02"]
    assert "3 sessions ahead" in page and 'rel="next"' not in page


def test_rows_show_program_time_status_and_session_link_but_no_video_link(client, db, program_world):
    program, _ = program_world
    first, second, third = upcoming_sessions(db, program, 3)
    first.starts_at, first.ends_at = datetime(2099, 1, 5, 17, 0, tzinfo=UTC), datetime(2099, 1, 5, 18, 0, tzinfo=UTC)
    second.status = "cancelled"
    third.original_starts_at = third.starts_at - timedelta(days=1)
    db.commit()
    sign_in(client, "member@example.org", PASSWORD)

    page = client.get(url_of(program)).text

    local = first.starts_at.astimezone(ZoneInfo("America/Denver")).strftime("%a %d %b %Y, %-I:%M %p %Z")
    assert f'<a href="/sessions/{first.id}">{local}</a>' in page and "10:00 AM MST" in local
    assert re.findall(r"<td>(Topic \d+)</td>\s*<td>(?:<mark[^>]*>)?(\w+)", page) == [
        ("Topic 02", "Cancelled"), ("Topic 03", "Moved"), ("Topic 01", "Scheduled")]
    assert f'href="/sessions/{second.id}"' in page and f'href="/sessions/{third.id}"' in page
    assert "zoom.example" not in page


def test_upcoming_sessions_take_the_same_queries_for_3_or_60_sessions(client, db, program_world):
    program, _ = program_world
    upcoming_sessions(db, program, 3)
    sign_in(client, "member@example.org", PASSWORD)
    with count_queries(client.app.state.engine) as few:
        small = client.get(url_of(program))
    upcoming_sessions(db, program, 57, start=3)

    with count_queries(client.app.state.engine) as many:
        large = client.get(url_of(program))
    with count_queries(client.app.state.engine) as later:
        second = client.get(next_url(large.text))

    assert small.status_code == large.status_code == second.status_code == 200
    assert many.total == few.total == later.total
    assert len(topics(small.text)) == 3 and len(topics(large.text)) == 50 and len(topics(second.text)) == 10


@pytest.mark.parametrize("cursor", ["not-a-cursor", "e30", "W10", "%00"])
def test_a_bad_cursor_or_page_size_is_refused(client, db, program_world, cursor):
    program, _ = program_world
    upcoming_sessions(db, program, 3)
    sign_in(client, "member@example.org", PASSWORD)

    assert client.get(f"/programs/{program.id}/sessions/upcoming?cursor={cursor}").status_code == 422
    assert client.get(url_of(program, limit="0")).status_code == 422
    assert client.get(url_of(program, limit="201")).status_code == 422


def test_a_cursor_of_the_past_list_is_refused(client, db, program_world):
    program, _ = program_world
    now = utcnow()
    db.add_all([EchoSession(program_id=program.id, starts_at=now - timedelta(days=n),
                            ends_at=now - timedelta(days=n, hours=-1)) for n in range(1, 4)])
    db.commit()
    sign_in(client, "member@example.org", PASSWORD)
    past = client.get(f"/programs/{program.id}/sessions/past", params={"limit": "1", "sort": "oldest"}).text
    cursor = re.search(r"cursor=([^&\"]+)", next_url(past)).group(1)

    assert client.get(url_of(program, cursor=cursor)).status_code == 422


@pytest.mark.parametrize("who, status", [("anonymous", 303), ("outsider@example.org", 403),
                                         ("member@example.org", 200)])
def test_who_may_open_the_upcoming_sessions(client, db, program_world, who, status):
    program, _ = program_world
    if who != "anonymous":
        sign_in(client, who, PASSWORD)
    assert client.get(f"/programs/{program.id}/sessions/upcoming").status_code == status
    assert client.get("/programs/999999/sessions/upcoming").status_code == (303 if who == "anonymous" else 404)


@pytest.mark.parametrize("who, status", [("anonymous", 303), ("outsider@example.org", 200),
                                         ("member@example.org", 200)])
def test_a_public_program_shows_its_upcoming_sessions_as_the_program_page_does(client, db, program_world, who, status):
    """A signed-in visitor of a public program sees its schedule on the program page, so here too (no
    video links); a signed-out one gets the sign-up page there, with no schedule, and the sign-in page here."""
    program, _ = program_world
    program.visibility = "public"
    db.commit()
    upcoming_sessions(db, program, 12)
    if who != "anonymous":
        sign_in(client, who, PASSWORD)

    response = client.get(url_of(program))
    program_page = client.get(f"/programs/{program.id}").text

    assert response.status_code == status
    if who == "anonymous":
        assert response.headers["location"].startswith("/login") and "Topic 01" not in program_page
    else:
        assert len(topics(response.text)) == 12 and "zoom.example" not in response.text
        assert topics(program_page) == topics(response.text)[:10]


def test_program_page_links_to_the_upcoming_sessions_only_when_it_shows_some_of_them(client, db, program_world):
    program, _ = program_world
    upcoming_sessions(db, program, 10)
    sign_in(client, "member@example.org", PASSWORD)
    link = f'href="/programs/{program.id}/sessions/upcoming"'

    all_shown = client.get(f"/programs/{program.id}").text
    upcoming_sessions(db, program, 1, start=10)
    some_shown = client.get(f"/programs/{program.id}").text

    assert link not in all_shown and "The next " not in all_shown
    assert "The next 10 of 11 upcoming sessions." in some_shown and link in some_shown
