"""Corrections of credit (#12): a learner whose certificate is revoked is told why by e-mail;
adjustments are kept as history, their reason audited, clearable, and raising credit beyond the
report waits for the CME office's approval when the program says so."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from app.config import Settings
from app.models import AttendanceRecord, Certificate, CreditSettings, Evaluation, OutboxMessage
from app.services import certificates, credit
from app.services.emails import RENDERERS
from tests.factories import add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session

ANSWERS = {"relevance": 5, "intent_to_change": 4, "free_of_bias": 5}


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    db.add(CreditSettings(program_id=program.id, provider_name="Mountain West CME"))
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, jenna, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    db.add(AttendanceRecord(session_id=session.id, user_id=jenna.id, computed_seconds=60 * 60))
    db.add(Evaluation(session_id=session.id, user_id=jenna.id, answers=ANSWERS))
    db.commit()
    credit.recompute_session(db, session, program, actor=None, reason="")
    db.commit()
    return program, session, coordinator, cme, jenna


def settings_for_mail(tmp_path) -> Settings:
    return Settings(env="test", secret_key="x" * 40, base_url="http://testserver", mail_dir=tmp_path)


def test_revoked_certificate_is_explained_to_the_learner_by_email(db, hub, tmp_path):
    program, session, coordinator, cme, jenna = hub
    certificate = certificates.claim(db, session, program, actor=jenna)
    db.commit()
    record = db.exec(select(AttendanceRecord)).one()
    record.computed_seconds = 50 * 60
    db.add(record)
    credit.recompute_session(db, session, program, actor=coordinator, reason="The Zoom report showed 50 minutes.")
    db.commit()
    messages = db.exec(select(OutboxMessage).where(OutboxMessage.kind == "certificate_revoked")).all()
    assert [m.payload for m in messages] == [{"certificate_id": certificate.id}]
    email = RENDERERS["certificate_revoked"](db, settings_for_mail(tmp_path), messages[0].payload)
    body = email.get_content()
    assert email["To"] == "Jenna Whitfield <jenna@clinic.example.org>"
    assert "Why: The Zoom report showed 50 minutes." in body
    assert "The credit that holds now is 0.75 AMA PRA Category 1 Credit™" in body
    assert "http://testserver/sessions/{}/my-credit".format(session.id) in body
    assert db.get(Certificate, certificate.id).revoked and credit.award_of(db, session, jenna).credits == Decimal("0.75")
