"""The evaluation opens when the session ends; learners see the credit waiting on an evaluation,
and are reminded by e-mail a day after the session, once (#12)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from app.config import Settings
from app.db import utcnow
from app.models import AttendanceRecord, CreditSettings, Evaluation, OutboxMessage
from app.services import credit, credit_reminders
from app.services.emails import RENDERERS
from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import past_session
from tests.querycount import count_queries

ANSWERS = {"relevance": 5, "intent_to_change": 4, "free_of_bias": 5}


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    db.add(CreditSettings(program_id=program.id, provider_name="Mountain West CME", max_credits=Decimal("1.5")))
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    add_member(db, program, jenna, "clinician")
    db.commit()
    return program, jenna


def attended(db, program, user, *, ended_ago: timedelta, minutes: int = 90):
    start = utcnow() - ended_ago - timedelta(minutes=minutes)
    session = past_session(db, program, start=start, minutes=minutes, topic=f"Topic {start:%H%M%S%f}")
    db.add(AttendanceRecord(session_id=session.id, user_id=user.id, computed_seconds=minutes * 60))
    db.commit()
    credit.recompute_session(db, session, program, actor=None, reason="")
    db.commit()
    return session


def test_evaluation_opens_only_when_the_session_ends(client, db, hub):
    program, jenna = hub
    session = attended(db, program, jenna, ended_ago=timedelta(minutes=-30))  # ends in 30 minutes
    headers = api_token(client, jenna.email, PASSWORD)
    early = client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers)
    assert early.status_code == 409
    assert early.json()["detail"].startswith("The evaluation opens when the session ends")
    assert db.exec(select(Evaluation)).all() == []
    sign_in(client, jenna.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/my-credit")
    assert "The evaluation opens when the session ends" in page.text
    assert 'action="/sessions/{}/evaluation"'.format(session.id) not in page.text
    session.ends_at = utcnow() - timedelta(seconds=1)
    db.add(session)
    db.commit()
    assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201


def test_certificates_page_says_what_waits_on_an_evaluation(client, db, hub):
    program, jenna = hub
    sessions = [attended(db, program, jenna, ended_ago=timedelta(days=d)) for d in (1, 8, 15)]
    attended(db, program, jenna, ended_ago=timedelta(minutes=-30))  # not over yet: not owed
    sign_in(client, jenna.email, PASSWORD)
    assert "3 sessions: complete the evaluation to claim 4.5 credits" in client.get("/certificates").text
    client.post(f"/api/v1/sessions/{sessions[0].id}/evaluation", json=ANSWERS,
                headers=api_token(client, jenna.email, PASSWORD))
    page = client.get("/certificates").text
    assert "2 sessions: complete the evaluation to claim 3 credits" in page
    assert f'href="/sessions/{sessions[1].id}/my-credit"' in page


def test_owed_costs_one_query_whatever_the_number_of_sessions(db, app, hub):
    program, jenna = hub
    attended(db, program, jenna, ended_ago=timedelta(days=1))
    with count_queries(app.state.engine) as one:
        assert credit.owed_for(db, jenna).credits == Decimal("1.5")
    for days in (2, 3, 4):
        attended(db, program, jenna, ended_ago=timedelta(days=days))
    with count_queries(app.state.engine) as four:
        owed = credit.owed_for(db, jenna)
    assert (len(owed.sessions), owed.credits, one.total, four.total) == (4, Decimal("6.0"), 1, 1)


def test_reminder_is_queued_a_day_after_the_session_once(db, hub, tmp_path):
    program, jenna = hub
    recent = attended(db, program, jenna, ended_ago=timedelta(hours=2))
    due = attended(db, program, jenna, ended_ago=timedelta(hours=25))
    done = attended(db, program, jenna, ended_ago=timedelta(hours=30))
    db.add(Evaluation(session_id=done.id, user_id=jenna.id, answers=ANSWERS))
    db.commit()
    assert credit_reminders.queue_due(db) == 1
    db.commit()
    assert credit_reminders.queue_due(db) == 0
    db.commit()
    messages = db.exec(select(OutboxMessage).where(OutboxMessage.kind == "evaluation_reminder")).all()
    assert [m.payload for m in messages] == [{"session_id": due.id, "user_id": jenna.id}]
    settings = Settings(env="test", secret_key="x" * 40, base_url="http://testserver", mail_dir=tmp_path)
    message = RENDERERS["evaluation_reminder"](db, settings, messages[0].payload)
    assert message["To"] == "Jenna Whitfield <jenna@clinic.example.org>"
    body = message.get_content()
    assert "1.5 AMA PRA Category 1 Credit" in body and f"http://testserver/sessions/{due.id}/my-credit" in body
    db.add(Evaluation(session_id=due.id, user_id=jenna.id, answers=ANSWERS))
    db.commit()
    assert RENDERERS["evaluation_reminder"](db, settings, messages[0].payload) is None  # evaluated meanwhile
    assert recent.id != due.id


def test_no_reminder_when_the_program_does_not_require_an_evaluation(db, hub):
    program, jenna = hub
    settings = db.exec(select(CreditSettings)).one()
    settings.evaluation_required = False
    db.add(settings)
    db.commit()
    attended(db, program, jenna, ended_ago=timedelta(hours=25))
    assert (credit_reminders.queue_due(db), credit.owed_for(db, jenna).sessions) == (0, [])
