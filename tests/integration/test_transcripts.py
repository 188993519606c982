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
    # the actor, the certificates with their sessions, programs and credit settings in one query,
    # the kept transcript (none yet), and keeping the one rendered now
    assert counted.total <= 5, counted.statements
    with count_queries(client.app.state.engine) as again:
        assert client.get("/api/v1/users/me/transcript.pdf?year=2026", headers=headers).content == response.content
    assert again.total <= 4, again.statements


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


@pytest.fixture
def renders(monkeypatch):
    """The transcripts rendered (by learner name) while the test runs."""
    from app.services import transcript_files

    rendered = []
    real = transcript_files.in_render_process

    def counting(function, data, **kwargs):
        rendered.append(data.learner_name)
        return real(function, data, **kwargs)

    monkeypatch.setattr(transcript_files, "in_render_process", counting)
    return rendered


def test_a_kept_transcript_is_served_until_what_it_prints_changes(client, db, renders):
    learner = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    [program] = programs_with_settings(db, 1)
    first = certify(db, learner, program, datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    second = certify(db, learner, program, datetime(2026, 3, 18, 12, 0, tzinfo=DENVER))
    headers = api_token(client, learner.email, PASSWORD)
    url = "/api/v1/users/me/transcript.pdf?year=2026"

    kept = client.get(url, headers=headers).content
    assert client.get(url, headers=headers).content == kept
    assert renders == ["Jenna Whitfield"]  # rendered once, then served as kept

    second.revoked_at = datetime(2026, 4, 1, tzinfo=DENVER)  # changed behind the cache's back: no flag set
    db.add(second)
    db.commit()
    text = unspaced(pdf_text(client.get(url, headers=headers).content))
    assert (first.code in text, second.code in text) == (True, False)

    learner.full_name = "Jenna Whitfield-Okafor"
    db.add(learner)
    db.commit()
    assert "JennaWhitfield-Okafor" in unspaced(pdf_text(client.get(url, headers=headers).content))
    assert len(renders) == 3


def test_the_worker_renders_a_learners_year_ahead_once_a_certificate_is_stored(client, db, settings, renders):
    from sqlmodel import select

    from app import worker
    from app.models import CertificateFile, TranscriptFile
    from app.db import utcnow

    learner = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    [program] = programs_with_settings(db, 1)
    certificate = certify(db, learner, program, datetime(2026, 12, 31, 20, 0, tzinfo=DENVER))  # 2027 in UTC
    db.add(CertificateFile(certificate_id=certificate.id, next_attempt_at=utcnow()))
    db.commit()

    assert worker.render_once(client.app.state.engine, settings) == (1, 0)

    db.expire_all()
    [kept] = db.exec(select(TranscriptFile)).all()
    assert (kept.user_id, kept.period_start.isoformat(), kept.period_end.isoformat(), kept.stale) == (
        learner.id, "2026-01-01", "2026-12-31", False)  # the session's local year, not its UTC one
    assert renders == ["Jenna Whitfield"]
    response = client.get("/api/v1/users/me/transcript.pdf?year=2026", headers=api_token(client, learner.email, PASSWORD))
    assert response.content == kept.pdf and renders == ["Jenna Whitfield"]
    assert certificate.code in unspaced(pdf_text(response.content))
