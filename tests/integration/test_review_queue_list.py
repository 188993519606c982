"""The review queue page: filters where an empty choice means "any", a bounded session choice,
follow-ups due within a window and never closed, keyset pages and a constant number of queries."""

import re
from datetime import date, timedelta

import pytest

from app.db import utcnow
from app.models import CasePresentation, EchoSession
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.list_helpers import CASE_TEXT, make_cases, statements_of


@pytest.fixture
def queue_world(db):
    program = make_program(db, name="Hepatitis C")
    other = make_program(db, name="Diabetes")
    people = {name: make_user(db, email=f"{name}@example.org", full_name=name.title())
              for name in ("specialist", "presenter", "stranger")}
    add_member(db, program, people["specialist"], "specialist")
    add_member(db, program, people["presenter"], "clinician")
    add_member(db, other, people["stranger"], "specialist")
    return program, other, people


def sessions_at(db, program, days: list[int]) -> list[EchoSession]:
    now = utcnow()
    sessions = [EchoSession(program_id=program.id, starts_at=now + timedelta(days=d),
                            ends_at=now + timedelta(days=d, hours=1)) for d in days]
    db.add_all(sessions)
    db.commit()
    return sessions


def numbers(page: str) -> list[str]:
    return re.findall(r">(LIST-\d+)</a></td>", page)


def test_filter_with_every_default_choice_shows_the_waiting_cases(client, db, queue_world):
    program, _, people = queue_world
    make_cases(db, program, people["presenter"], 3)
    sign_in(client, "specialist@example.org", PASSWORD)

    response = client.get("/review", params={"program_id": "", "status": "", "session_id": "", "sort": ""})

    assert response.status_code == 200
    assert numbers(response.text) == ["LIST-1", "LIST-2", "LIST-3"]


def test_queue_takes_the_same_queries_for_5_or_60_cases_and_pages_by_50(client, db, queue_world):
    program, _, people = queue_world
    make_cases(db, program, people["presenter"], 5)
    sign_in(client, "specialist@example.org", PASSWORD)
    few, _ = statements_of(client, "/review")
    make_cases(db, program, people["presenter"], 55, start=5)

    many, page = statements_of(client, "/review")
    [next_url] = re.findall(r'href="([^"]+)" rel="next"', page.text)
    rest = client.get(next_url.replace("&amp;", "&")).text

    assert len(many) == len(few)
    assert numbers(page.text) + numbers(rest) == [f"LIST-{n}" for n in range(1, 61)]
    assert len(numbers(page.text)) == 50 and CASE_TEXT not in page.text
    assert not any("presenting_problem" in s for s in many)


def test_session_filter_offers_recent_and_upcoming_sessions_only(client, db, queue_world):
    program, _, people = queue_world
    old = sessions_at(db, program, [-400 + 7 * n for n in range(50)])  # a long history, each with a case
    for session, case in zip(old, make_cases(db, program, people["presenter"], 50, status="presented")):
        case.session_id = session.id
    recent = sessions_at(db, program, [-20, -6, 1, 8, 15])
    db.commit()
    sign_in(client, "specialist@example.org", PASSWORD)

    page = client.get("/review").text
    chosen_old = client.get("/review", params={"session_id": str(old[0].id), "status": "presented"}).text

    offered = [int(v) for v in re.findall(r'<option value="(\d+)"[^>]*>[^<]*— Hepatitis C', page)]
    assert offered == [s.id for s in recent]
    assert f'<option value="{old[0].id}" selected>' in chosen_old
    assert numbers(chosen_old) == ["LIST-1"]


def test_session_choices_are_at_most_40(client, db, queue_world):
    program, _, _ = queue_world
    sessions_at(db, program, list(range(1, 100)))
    sign_in(client, "specialist@example.org", PASSWORD)
    page = client.get("/review").text
    assert len(re.findall(r'<option value="\d+"[^>]*>[^<]*— Hepatitis C', page)) == 40


def test_follow_ups_due_are_open_cases_from_a_month_ago_to_two_weeks_ahead(client, db, queue_world):
    program, other, people = queue_world
    cases = make_cases(db, program, people["presenter"], 6, status="presented")
    today = date.today()
    for case, days in zip(cases, [-300, -31, -30, 3, 14, 15]):
        case.follow_up_on = today + timedelta(days=days)
    closed = make_cases(db, program, people["presenter"], 1, status="closed", start=10)[0]
    closed.follow_up_on = today + timedelta(days=2)
    elsewhere = make_cases(db, other, people["stranger"], 1, status="presented", start=20)[0]
    elsewhere.follow_up_on = today + timedelta(days=2)
    db.commit()
    sign_in(client, "specialist@example.org", PASSWORD)

    page = client.get("/review").text
    due = re.findall(r'<li><a href="/cases/\d+">(LIST-\d+)</a> — around', page)

    assert due == ["LIST-3", "LIST-4", "LIST-5"]


def test_a_status_not_in_the_list_is_a_clear_error(client, db, queue_world):
    sign_in(client, "specialist@example.org", PASSWORD)
    for params in [{"status": "lost"}, {"session_id": "soon"}, {"program_id": "1 OR 1"}]:
        response = client.get("/review", params=params)
        assert response.status_code == 422 and "Choose" in response.text, params


@pytest.mark.parametrize("who, status, sees", [
    ("anonymous", 303, None), ("presenter", 409, None), ("stranger", 200, []), ("specialist", 200, ["LIST-1"]),
])
def test_who_sees_the_queue(client, db, queue_world, who, status, sees):
    program, _, people = queue_world
    make_cases(db, program, people["presenter"], 1)
    if who != "anonymous":
        sign_in(client, f"{who}@example.org", PASSWORD)
    response = client.get("/review", params={"program_id": str(program.id)})
    assert response.status_code == status
    if sees is not None:
        assert numbers(response.text) == sees


def test_a_session_agenda_reads_no_case_text_beyond_its_one_line(client, db, queue_world):
    program, _, people = queue_world
    [session] = sessions_at(db, program, [3])
    cases = make_cases(db, program, people["presenter"], 2, status="scheduled")
    for case in cases:
        case.session_id = session.id
    db.commit()
    sign_in(client, "specialist@example.org", PASSWORD)

    statements, page = statements_of(client, f"/sessions/{session.id}")

    assert "LIST-1" in page.text and "Which dose?" in page.text
    assert not any("presenting_problem" in s for s in statements) and CASE_TEXT not in page.text
