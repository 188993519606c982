"""Who gets a certificate, and when (#12): only after the session has ended."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from app.db import utcnow
from app.models import Certificate, CreditAward, EchoSession
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.test_credit_rules import SETTINGS


def test_no_certificate_is_issued_before_the_session_ends(client, db):
    program = make_program(db, name="Hepatitis C ECHO")
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    add_member(db, program, jenna, "clinician")
    assert client.put(f"/api/v1/programs/{program.id}/credit-settings", json={**SETTINGS, "evaluation_required": False},
                      headers=api_token(client, cme.email, PASSWORD)).status_code == 200
    started = utcnow() - timedelta(minutes=50)
    session = EchoSession(program_id=program.id, starts_at=started, ends_at=started + timedelta(minutes=60))
    db.add(session)
    db.commit()
    # Checked in at the start and credited as if present to the end: the session is still running.
    db.add(CreditAward(session_id=session.id, user_id=jenna.id, credit_type="ama_pra_1", credits=Decimal("1.00"),
                       attended_seconds=3600))
    db.commit()

    claimed = client.post(f"/api/v1/sessions/{session.id}/certificate",
                          headers=api_token(client, jenna.email, PASSWORD))
    issued = client.post(f"/api/v1/sessions/{session.id}/certificates", headers=api_token(client, cme.email, PASSWORD))

    assert (claimed.status_code, claimed.json()["detail"]) == (409, "Certificates are issued after the session ends.")
    assert (issued.status_code, issued.json()) == (201, [])
    assert db.exec(select(Certificate)).all() == []

    session.starts_at, session.ends_at = started - timedelta(minutes=20), utcnow() - timedelta(seconds=1)
    db.commit()
    after = client.post(f"/api/v1/sessions/{session.id}/certificate", headers=api_token(client, jenna.email, PASSWORD))
    assert (after.status_code, after.json()["credits"]) == (201, "1.00")


