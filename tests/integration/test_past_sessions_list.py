"""A program's past sessions page: keyset pages, the attendance count of each session counted in
the same query, a topic search, and who may open it."""

import re
from datetime import timedelta

import pytest

from app.db import utcnow
from app.models import AttendanceRecord, EchoSession, User
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.list_helpers import statements_of


@pytest.fixture
def program_world(db):
    program = make_program(db, name="Hepatitis C", visibility="private")
    member = make_user(db, email="member@example.org")
    outsider = make_user(db, email="outsider@example.org")
    add_member(db, program, member, "clinician")
    add_member(db, make_program(db, name="Other"), outsider, "coordinator")
    return program, member


def past_sessions(db, program, count: int, *, start: int = 0, attendees: int = 3) -> list[EchoSession]:
    now = utcnow()
    sessions = [EchoSession(program_id=program.id, starts_at=now - timedelta(days=7 * (start + n + 1)),
                            ends_at=now - timedelta(days=7 * (start + n + 1), hours=-1),
                            didactic_topic=f"Topic {start + n + 1:02d}") for n in range(count)]
    db.add_all(sessions)
    db.commit()
    people = [User(email=f"att{start}-{k}@example.org", full_name=f"Att {k}", password_hash="x") for k in range(attendees)]
    db.add_all(people)
    db.commit()
    records = [AttendanceRecord(session_id=s.id, user_id=p.id, computed_seconds=1800) for s in sessions for p in people]
    db.add_all(records)
    db.commit()
    return sessions


def rows(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<td>(Topic \d+)</td>.*?<td class="numeric">([^<]+)</td>', page, re.S)


def test_past_sessions_take_the_same_queries_for_5_or_60_sessions(client, db, program_world):
    program, _ = program_world
    past_sessions(db, program, 5)
    sign_in(client, "member@example.org", PASSWORD)
    few, _ = statements_of(client, f"/programs/{program.id}/sessions/past")
    past_sessions(db, program, 55, start=5)

    many, page = statements_of(client, f"/programs/{program.id}/sessions/past")

    assert len(many) == len(few)
    assert rows(page.text)[:2] == [("Topic 01", "3"), ("Topic 02", "3")] and len(rows(page.text)) == 50
    assert "60 sessions so far." in page.text


def test_attendance_counts_people_with_minutes_and_skips_future_sessions(client, db, program_world):
    program, member = program_world
    held, quiet, cancelled = past_sessions(db, program, 3, attendees=0)
    guest = AttendanceRecord(session_id=held.id, guest_name="Dr Guest", computed_seconds=600)
    zero = AttendanceRecord(session_id=held.id, user_id=member.id, computed_seconds=900, adjusted_seconds=0)
    db.add_all([guest, zero, AttendanceRecord(session_id=quiet.id, user_id=member.id, computed_seconds=0,
                                              adjusted_seconds=1200)])
    cancelled.status = "cancelled"
    db.add(EchoSession(program_id=program.id, starts_at=utcnow() + timedelta(days=1),
                       ends_at=utcnow() + timedelta(days=1, hours=1), didactic_topic="Topic 99"))
    db.commit()
    sign_in(client, "member@example.org", PASSWORD)

    page = client.get(f"/programs/{program.id}/sessions/past").text
    by_attendance = client.get(f"/programs/{program.id}/sessions/past", params={"sort": "attendance"}).text

    assert rows(page) == [("Topic 01", "1"), ("Topic 02", "1"), ("Topic 03", "—")]
    assert [topic for topic, _ in rows(by_attendance)] == ["Topic 02", "Topic 01", "Topic 03"]  # ties: newer id first


def test_past_sessions_page_by_attendance_and_search_topic(client, db, program_world):
    program, _ = program_world
    past_sessions(db, program, 4, attendees=2)
    past_sessions(db, program, 4, start=4, attendees=5)
    sign_in(client, "member@example.org", PASSWORD)

    pages = [client.get(f"/programs/{program.id}/sessions/past", params={"sort": "attendance", "limit": "3"}).text]
    while next_url := re.findall(r'href="([^"]+)" rel="next"', pages[-1]):
        pages.append(client.get(next_url[0].replace("&amp;", "&")).text)
    found = client.get(f"/programs/{program.id}/sessions/past", params={"q": "topic 0"}).text

    counts = [int(count) for page in pages for _, count in rows(page)]
    assert [len(rows(page)) for page in pages] == [3, 3, 2] and counts == [5, 5, 5, 5, 2, 2, 2, 2]
    assert [topic for topic, _ in rows(found)] == [f"Topic 0{n}" for n in range(1, 9)]


@pytest.mark.parametrize("who, status", [("anonymous", 303), ("outsider@example.org", 403),
                                         ("member@example.org", 200)])
def test_who_may_open_the_past_sessions(client, db, program_world, who, status):
    program, _ = program_world
    if who != "anonymous":
        sign_in(client, who, PASSWORD)
    assert client.get(f"/programs/{program.id}/sessions/past").status_code == status
    assert client.get("/programs/999999/sessions/past").status_code == (303 if who == "anonymous" else 404)
