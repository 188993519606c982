"""The home page tells a member what is waiting for them: the next sessions of their programs with
the join link, and the credit they can claim by evaluating, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.db import utcnow
from app.models import CreditAward, CreditSettings, EchoSession
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import past_session
from tests.querycount import count_queries


def ahead(db, program, days: float, *, topic: str, cancelled: bool = False) -> EchoSession:
    starts_at = utcnow() + timedelta(days=days)
    session = EchoSession(program_id=program.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                          didactic_topic=topic, status="cancelled" if cancelled else "scheduled")
    db.add(session)
    db.commit()
    return session


@pytest.fixture
def world(db):
    hcv = make_program(db, name="Hepatitis C ECHO")
    hcv.video_url = "https://zoom.example/j/111"
    other = make_program(db, name="Pain ECHO")
    db.add(hcv)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield")
    add_member(db, hcv, jenna, "clinician")
    db.commit()
    return hcv, other, jenna


def test_a_member_sees_the_next_sessions_of_her_programs_with_the_join_link(client, db, world):
    hcv, other, jenna = world
    ahead(db, hcv, 9, topic="Fibrosis staging")
    ahead(db, hcv, 2, topic="Cancelled one", cancelled=True)
    ahead(db, hcv, 1, topic="Treatment in pregnancy")
    ahead(db, hcv, 16, topic="Reinfection")
    ahead(db, hcv, 23, topic="Fourth one ahead")
    ahead(db, other, 1, topic="Another program's session")
    past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=3), topic="Already held")
    sign_in(client, jenna.email, PASSWORD)

    page = client.get("/").text

    coming = page[page.index("Coming up"):]
    assert [topic for topic in ("Treatment in pregnancy", "Fibrosis staging", "Reinfection") if topic in coming] == [
        "Treatment in pregnancy", "Fibrosis staging", "Reinfection"]
    assert coming.index("Treatment in pregnancy") < coming.index("Fibrosis staging") < coming.index("Reinfection")
    for absent in ("Fourth one ahead", "Cancelled one", "Another program's session", "Already held"):
        assert absent not in page
    assert 'href="https://zoom.example/j/111"' in coming


def test_credit_waiting_on_an_evaluation_is_on_the_home_page(client, db, world):
    hcv, other, jenna = world
    db.add(CreditSettings(program_id=hcv.id, provider_name="Mountain West CME", evaluation_required=True))
    held = past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=2))
    db.add(CreditAward(session_id=held.id, user_id=jenna.id, credit_type="ama_pra_1", credits=Decimal("1.00"),
                       attended_seconds=3600))
    db.commit()
    sign_in(client, jenna.email, PASSWORD)
    page = client.get("/").text
    assert "Credit waiting for you" in page and f'href="/sessions/{held.id}/my-credit"' in page


def test_someone_in_no_program_sees_neither(client, db, world):
    hcv, other, jenna = world
    ahead(db, hcv, 1, topic="Treatment in pregnancy")
    outsider = make_user(db, email="outsider@example.org")
    sign_in(client, outsider.email, PASSWORD)
    page = client.get("/").text
    assert "Coming up" not in page and "Treatment in pregnancy" not in page and "zoom.example" not in page


def test_the_home_page_takes_the_same_queries_for_2_or_40_sessions_ahead(client, db, world):
    hcv, other, jenna = world
    sign_in(client, jenna.email, PASSWORD)
    counts = []
    made = 0
    for total in (2, 40):
        while made < total:
            made += 1
            ahead(db, hcv, made, topic="Session")
        with count_queries(client.app.state.engine) as counted:
            assert client.get("/").status_code == 200
        counts.append(counted.total)
    assert counts[0] == counts[1], counts
