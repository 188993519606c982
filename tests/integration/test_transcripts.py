"""A learner's transcript: every valid certificate of the period by its local date, read in a fixed
number of queries however many certificates and programs there are (the credit settings joined
once, not read per row)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from app.models import Certificate, CreditSettings
from app.services.certificates import new_code
from tests.conftest import api_token
from tests.factories import PASSWORD, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session
from tests.integration.test_certificates_issue import pdf_text, unspaced
from tests.querycount import count_queries


def certify(db, learner, program, start: datetime, *, revoked: bool = False) -> Certificate:
    session = past_session(db, program, start=start, topic=f"Topic {start:%b %d}")
    certificate = Certificate(code=new_code(), session_id=session.id, user_id=learner.id, credit_type="ama_pra_1",
                              credits=Decimal("1.00"), learner_name=learner.full_name,
                              revoked_at=start + timedelta(days=2) if revoked else None)
    db.add(certificate)
    db.commit()
    return certificate


def programs_with_settings(db, count: int):
    made = []
    for index in range(count):
        program = make_program(db, name=f"ECHO Program {index}", timezone="America/Denver")
        db.add(CreditSettings(program_id=program.id, provider_name=f"Provider {index}"))
        made.append(program)
    db.commit()
    return made


@pytest.mark.parametrize("per_program", [1, 4])
def test_transcript_takes_a_fixed_number_of_queries(client, db, per_program):
    learner = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    codes = [certify(db, learner, program, datetime(2026, 2, 1 + index, 12, 0, tzinfo=DENVER)).code
             for program in programs_with_settings(db, 3) for index in range(per_program)]
    headers = api_token(client, learner.email, PASSWORD)

    with count_queries(client.app.state.engine) as counted:
        response = client.get("/api/v1/users/me/transcript.pdf?year=2026", headers=headers)

    assert response.status_code == 200
    text = unspaced(pdf_text(response.content))
    assert all(code in text for code in codes)
    # the actor, then the certificates with their sessions, programs and credit settings in one query
    assert counted.total <= 3, counted.statements


def test_transcript_goes_by_the_local_date_and_leaves_out_revoked_certificates(client, db):
    learner = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    [program] = programs_with_settings(db, 1)
    new_years_eve = certify(db, learner, program, datetime(2026, 12, 31, 20, 0, tzinfo=DENVER))  # 2027 in UTC
    new_year = certify(db, learner, program, datetime(2027, 1, 1, 9, 0, tzinfo=DENVER))
    revoked = certify(db, learner, program, datetime(2026, 6, 1, 12, 0, tzinfo=DENVER), revoked=True)
    headers = api_token(client, learner.email, PASSWORD)

    year_2026 = unspaced(pdf_text(client.get("/api/v1/users/me/transcript.pdf?year=2026", headers=headers).content))
    year_2027 = unspaced(pdf_text(client.get("/api/v1/users/me/transcript.pdf?year=2027", headers=headers).content))

    assert (new_years_eve.code in year_2026, new_year.code in year_2026) == (True, False)
    assert revoked.code not in year_2026
    assert (new_years_eve.code in year_2027, new_year.code in year_2027) == (False, True)
    assert "Provider0" in year_2026
