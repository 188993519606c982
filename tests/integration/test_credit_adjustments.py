"""Corrections of credit (#12): a learner whose certificate is revoked is told why by e-mail;
adjustments are kept as history, their reason audited, clearable, and raising credit beyond the
report waits for the CME office's approval when the program says so."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from app.config import Settings
from app.models import AttendanceRecord, AuditEvent, Certificate, CreditSettings, Evaluation, OutboxMessage
from app.models.credit import AttendanceAdjustment
from app.services import certificates, credit
from app.services.emails import RENDERERS
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report

ANSWERS = {"relevance": 5, "intent_to_change": 4, "free_of_bias": 5}


@pytest.fixture
def hub(client, db):
    """Jenna attended 60 minutes and Nia 40 of a 60-minute session, per the Zoom report; both evaluated."""
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    db.add(CreditSettings(program_id=program.id, provider_name="Mountain West CME"))
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    nia = make_user(db, email="nia@clinic.example.org", full_name="Nia Okafor", degree="MD")
    add_member(db, program, coordinator, "coordinator")
    for learner in (jenna, nia):
        add_member(db, program, learner, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    db.add_all(Evaluation(session_id=session.id, user_id=u.id, answers=ANSWERS) for u in (jenna, nia))
    db.commit()
    report = zoom_report(session, [("Jenna Whitfield", jenna.email, 0, 60), ("Nia Okafor", nia.email, 0, 40)])
    response = client.post(f"/api/v1/sessions/{session.id}/attendance/import", files={"file": ("z.csv", report, "text/csv")},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code in (200, 201), response.text
    db.expire_all()
    return program, session, coordinator, cme, jenna, nia


def settings_for_mail(tmp_path) -> Settings:
    return Settings(env="test", secret_key="x" * 40, base_url="http://testserver", mail_dir=tmp_path)


def test_revoked_certificate_is_explained_to_the_learner_by_email(db, hub, tmp_path):
    program, session, coordinator, cme, jenna, nia = hub
    certificate = certificates.claim(db, session, program, actor=jenna)
    db.commit()
    record = db.exec(select(AttendanceRecord).where(AttendanceRecord.user_id == jenna.id)).one()
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


def adjust(client, session, user, who, **body):
    return client.post(f"/api/v1/sessions/{session.id}/adjustments/{user.id}", json=body,
                       headers=api_token(client, who.email, PASSWORD))


def test_each_adjustment_is_kept_with_its_reason_audited_and_can_be_cleared(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    first = adjust(client, session, jenna, coordinator, minutes=30, reason="Left early, per her message.")
    second = adjust(client, session, jenna, coordinator, minutes=45, reason="Rejoined by phone for 15 minutes.")
    assert (first.status_code, second.status_code) == (201, 201)
    assert credit.award_of(db, session, jenna).credits == Decimal("0.75")
    cleared = client.post(f"/api/v1/sessions/{session.id}/adjustments/{jenna.id}/clear",
                          json={"reason": "The phone log was another learner's."},
                          headers=api_token(client, coordinator.email, PASSWORD))
    assert cleared.status_code == 201
    db.expire_all()
    assert credit.award_of(db, session, jenna).credits == Decimal("1.00")  # back to the report's 60 minutes
    history = client.get(f"/api/v1/sessions/{session.id}/adjustments",
                         headers=api_token(client, coordinator.email, PASSWORD)).json()
    assert [(h["kind"], h["minutes"], h["reported_minutes"], h["status"]) for h in history] == [
        ("set", 30, 60, "applied"), ("set", 45, 60, "applied"), ("clear", None, 60, "applied")]
    events = db.exec(select(AuditEvent).where(AuditEvent.action.like("attendance.adjust%"))
                     .order_by(AuditEvent.id)).all()
    assert [(e.action, e.details["reason"]) for e in events] == [
        ("attendance.adjusted", "Left early, per her message."),
        ("attendance.adjusted", "Rejoined by phone for 15 minutes."),
        ("attendance.adjustment_cleared", "The phone log was another learner's.")]


def test_adjustment_needs_a_reason_and_changes_nothing_without_one(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    response = adjust(client, session, jenna, coordinator, minutes=20, reason="  ")
    nothing = client.post(f"/api/v1/sessions/{session.id}/adjustments/{jenna.id}/clear", json={"reason": "No."},
                          headers=api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, response.json()["fields"]) == (422, {"reason": "Say why; the reason is kept in the audit trail."})
    assert nothing.status_code == 409
    assert db.exec(select(AttendanceAdjustment)).all() == []


def test_raise_beyond_the_report_waits_for_the_cme_office_when_the_program_says_so(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    settings = db.exec(select(CreditSettings)).one()
    settings.raise_needs_approval = True
    db.add(settings)
    db.commit()
    lower = adjust(client, session, nia, coordinator, minutes=30, reason="Camera off after 30 minutes.")
    assert lower.json()["status"] == "applied"  # lowering needs nobody's approval
    raised = adjust(client, session, nia, coordinator, minutes=60, reason="Attended from a colleague's laptop.")
    assert (raised.status_code, raised.json()["status"]) == (201, "pending")
    db.expire_all()
    assert credit.award_of(db, session, nia).credits == Decimal("0.00")  # 30 minutes stand until approved
    decision = f"/api/v1/sessions/{session.id}/adjustments/{nia.id}/decision"
    assert client.post(decision, json={"approve": True},
                       headers=api_token(client, coordinator.email, PASSWORD)).status_code == 403
    approved = client.post(decision, json={"approve": True}, headers=api_token(client, cme.email, PASSWORD))
    assert (approved.status_code, approved.json()["status"], approved.json()["decided_by_id"]) == (200, "applied", cme.id)
    db.expire_all()
    assert credit.award_of(db, session, nia).credits == Decimal("1.00")
    assert client.post(decision, json={"approve": True}, headers=api_token(client, cme.email, PASSWORD)).status_code == 404


def test_adjustment_routes_refuse_outsiders(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    stranger = make_user(db, email="stranger@example.org")
    assert adjust(client, session, jenna, jenna, minutes=60, reason="I was there.").status_code == 403
    assert adjust(client, session, jenna, stranger, minutes=60, reason="I was there.").status_code == 403
    assert client.get(f"/api/v1/sessions/{session.id}/adjustments",
                      headers=api_token(client, jenna.email, PASSWORD)).status_code == 403
    assert client.post(f"/api/v1/sessions/{session.id}/adjustments/{jenna.id}", json={}).status_code == 401
    assert client.post(f"/api/v1/sessions/999999/adjustments/{jenna.id}", json={},
                       headers=api_token(client, coordinator.email, PASSWORD)).status_code == 404


def test_a_decision_on_an_adjustment_decided_meanwhile_changes_nothing(client, db, hub, monkeypatch):
    """Two approvals sent at once: the one that read the adjustment as pending before the other
    decided it must not decide it again (nor apply a rejected one)."""
    from app.services import credit_adjustments
    from sqlmodel import Session

    program, session, coordinator, cme, jenna, nia = hub
    settings = db.exec(select(CreditSettings)).one()
    settings.raise_needs_approval = True
    db.add(settings)
    db.commit()
    assert adjust(client, session, nia, coordinator, minutes=60, reason="From a colleague's laptop.").status_code == 201
    real_pending = credit_adjustments._pending

    def pending_then_rejected_by_another_request(reader, *args):
        found = real_pending(reader, *args)
        with Session(client.app.state.engine) as other:
            waiting = other.get(AttendanceAdjustment, found.id)
            waiting.status, waiting.decided_by_id = "rejected", cme.id
            other.add(waiting)
            other.commit()
        return found

    monkeypatch.setattr(credit_adjustments, "_pending", pending_then_rejected_by_another_request)
    late = client.post(f"/api/v1/sessions/{session.id}/adjustments/{nia.id}/decision", json={"approve": True},
                       headers=api_token(client, cme.email, PASSWORD))
    assert late.status_code == 409, late.text
    db.expire_all()
    assert [a.status for a in db.exec(select(AttendanceAdjustment)).all()] == ["rejected"]
    assert credit.award_of(db, session, nia).credits == Decimal("0.00")  # the report's 40 of 60 minutes stand
