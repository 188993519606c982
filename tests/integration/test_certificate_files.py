"""Certificate PDFs rendered by the worker and stored: issuing queues the job, the worker stores
the PDF, a download serves the stored bytes (or renders and stores them when the job has not run),
a revoked certificate is never served as valid, one bad job never stops the others, and the
session ZIP streams stored files in a fixed number of queries."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from app import worker
from app.db import utcnow
from app.models import Certificate, CertificateFile
from app.services import certificate_files
from app.services.certificates import new_code
from tests.conftest import api_token
from tests.factories import PASSWORD, make_user
from tests.integration.test_certificates_issue import evaluate_and_claim, hub, pdf_text  # noqa: F401
from tests.querycount import count_queries


def add_certificates(db, session, count: int, *, prefix: str = "Learner") -> list[Certificate]:
    """Issued certificates with their render jobs queued, as issuing leaves them."""
    made = []
    for index in range(count):
        learner = make_user(db, full_name=f"{prefix} {index} Okafor", degree="MD")
        certificate = Certificate(code=new_code(), session_id=session.id, user_id=learner.id, credit_type="ama_pra_1",
                                  credits=Decimal("1.00"), learner_name=learner.full_name)
        db.add(certificate)
        db.flush()
        db.add(CertificateFile(certificate_id=certificate.id, next_attempt_at=utcnow()))
        made.append(certificate)
    db.commit()
    return made


def file_of(db, certificate_id: int) -> CertificateFile:
    db.expire_all()
    return db.exec(select(CertificateFile).where(CertificateFile.certificate_id == certificate_id)).one()


def test_issuing_queues_a_render_job_and_the_worker_stores_the_pdf(client, db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    code = evaluate_and_claim(client, session, jenna)["code"]
    certificate = db.exec(select(Certificate).where(Certificate.code == code)).one()
    assert (file_of(db, certificate.id).status, file_of(db, certificate.id).pdf) == ("pending", None)

    assert worker.run(client.app.state.engine, settings, once=True) == 0

    stored = file_of(db, certificate.id)
    assert (stored.status, stored.attempts, stored.revoked) == ("stored", 1, False)
    assert "Jenna Whitfield, MD" in pdf_text(stored.pdf)


def test_download_serves_the_stored_pdf_without_rendering_it_again(client, db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    code = evaluate_and_claim(client, session, jenna)["code"]
    certificate_files.render_due(db, settings)
    certificate = db.exec(select(Certificate).where(Certificate.code == code)).one()
    stored = file_of(db, certificate.id)
    headers = api_token(client, jenna.email, PASSWORD)

    with count_queries(client.app.state.engine) as counted:
        response = client.get(f"/certificates/{code}.pdf", headers=headers)

    assert (response.status_code, response.content) == (200, stored.pdf)
    assert file_of(db, certificate.id).rendered_at == stored.rendered_at
    # the actor, the certificate by its code, its stored PDF (and the commit's nothing)
    assert counted.total <= 4, counted.statements


def test_download_before_the_worker_ran_renders_and_stores_the_pdf(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    code = evaluate_and_claim(client, session, jenna)["code"]
    certificate = db.exec(select(Certificate).where(Certificate.code == code)).one()

    response = client.get(f"/certificates/{code}.pdf", headers=api_token(client, jenna.email, PASSWORD))

    assert response.status_code == 200
    stored = file_of(db, certificate.id)
    assert (stored.status, stored.pdf) == ("stored", response.content)
    assert "Jenna Whitfield, MD" in pdf_text(response.content)


def test_certificate_issued_before_pdfs_were_stored_is_rendered_and_stored_on_download(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    [certificate] = add_certificates(db, session, 1)
    db.delete(file_of(db, certificate.id))  # as issued before migration 0013: no job, no file
    db.commit()

    response = client.get(f"/certificates/{certificate.code}.pdf", headers=api_token(client, cme.email, PASSWORD))

    assert response.status_code == 200
    assert file_of(db, certificate.id).pdf == response.content


def test_revoked_certificate_is_never_served_from_its_valid_pdf(client, db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    code = evaluate_and_claim(client, session, jenna)["code"]
    certificate_files.render_due(db, settings)
    certificate = db.exec(select(Certificate).where(Certificate.code == code)).one()
    assert "REVOKED" not in pdf_text(file_of(db, certificate.id).pdf)
    client.put(f"/api/v1/sessions/{session.id}/attendance/{jenna.id}", json={"minutes": 40, "reason": "Left early"},
               headers=api_token(client, coordinator.email, PASSWORD))

    response = client.get(f"/certificates/{code}.pdf", headers=api_token(client, cme.email, PASSWORD))

    assert response.status_code == 200
    assert "REVOKED" in pdf_text(response.content)
    stored = file_of(db, certificate.id)
    assert (stored.revoked, stored.pdf) == (True, response.content)


def test_a_job_that_cannot_render_is_retried_later_then_given_up_and_never_stops_the_others(client, db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    good, bad, also_good = add_certificates(db, session, 3)
    bad.credit_type = "not-a-credit-type"  # a row no template can print
    db.commit()

    assert certificate_files.render_due(db, settings) == (2, 1)

    assert [file_of(db, c.id).status for c in (good, bad, also_good)] == ["stored", "pending", "stored"]
    failed = file_of(db, bad.id)
    assert failed.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert "not-a-credit-type" in failed.last_error
    assert certificate_files.render_due(db, settings) == (0, 0)  # not due again yet
    failed.attempts, failed.next_attempt_at = certificate_files.MAX_ATTEMPTS - 1, utcnow()
    db.commit()
    assert certificate_files.render_due(db, settings) == (0, 1)
    assert file_of(db, bad.id).status == "dead"
    listed = client.get(f"/api/v1/sessions/{session.id}/certificates", headers=api_token(client, cme.email, PASSWORD))
    assert [(c["learner_name"], c["pdf_status"], "not-a-credit-type" in c["pdf_error"]) for c in listed.json()] == [
        ("Learner 0 Okafor", "stored", False), ("Learner 1 Okafor", "dead", True),
        ("Learner 2 Okafor", "stored", False)]


def test_a_claimed_job_whose_worker_died_is_claimed_again_after_the_claim_goes_stale(db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    [certificate] = add_certificates(db, session, 1)
    assert [job.certificate_id for job in certificate_files.claim_due(db)] == [certificate.id]
    assert certificate_files.claim_due(db) == []  # claimed, and the worker "died"
    job = file_of(db, certificate.id)
    job.claimed_at = utcnow() - certificate_files.STALE_CLAIM - timedelta(seconds=1)
    db.commit()
    assert certificate_files.render_due(db, settings) == (1, 0)
    assert file_of(db, certificate.id).status == "stored"


def read_zip(response) -> zipfile.ZipFile:
    assert (response.status_code, response.headers["content-type"]) == (200, "application/zip")
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.mark.parametrize("count", [2, 6])
def test_session_zip_streams_stored_pdfs_in_a_fixed_number_of_queries(client, db, hub, settings, count):
    program, session, coordinator, cme, jenna, nia = hub
    certificates = add_certificates(db, session, count)
    certificate_files.render_due(db, settings)
    headers = api_token(client, cme.email, PASSWORD)

    with count_queries(client.app.state.engine) as counted:
        archive = read_zip(client.get(f"/api/v1/sessions/{session.id}/certificates.zip", headers=headers))

    assert sorted(archive.namelist()) == sorted(f"Learner-{i}-Okafor.pdf" for i in range(count))
    for certificate in certificates:
        name = certificate.learner_name.replace(" ", "-") + ".pdf"
        assert archive.read(name) == file_of(db, certificate.id).pdf
    # actor, session, certificate list, one streamed read of the stored PDFs: not one per learner
    assert counted.total <= 6, counted.statements


def test_session_zip_renders_missing_pdfs_stores_them_and_names_those_it_cannot(client, db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    stored, missing, bad = add_certificates(db, session, 3)
    # only the first is stored before the download
    certificate_files.render_claimed(db, settings, certificate_files.claim_due(db, limit=1))
    bad.credit_type = "not-a-credit-type"
    db.commit()

    archive = read_zip(client.get(f"/api/v1/sessions/{session.id}/certificates.zip",
                                  headers=api_token(client, cme.email, PASSWORD)))

    assert sorted(archive.namelist()) == ["Learner-0-Okafor.pdf", "Learner-1-Okafor.pdf", "NOT-INCLUDED.txt"]
    assert "Learner 1 Okafor" in pdf_text(archive.read("Learner-1-Okafor.pdf"))
    assert file_of(db, missing.id).pdf == archive.read("Learner-1-Okafor.pdf")
    report = archive.read("NOT-INCLUDED.txt").decode()
    assert "Learner 2 Okafor" in report and bad.code in report and "Learner 1" not in report


def test_session_zip_leaves_out_revoked_certificates(client, db, hub, settings):
    program, session, coordinator, cme, jenna, nia = hub
    kept, revoked = add_certificates(db, session, 2)
    certificate_files.render_due(db, settings)
    revoked.revoked_at, revoked.revoke_reason = utcnow(), "Attendance was adjusted by a coordinator."
    db.commit()

    archive = read_zip(client.get(f"/api/v1/sessions/{session.id}/certificates.zip",
                                  headers=api_token(client, cme.email, PASSWORD)))

    assert archive.namelist() == ["Learner-0-Okafor.pdf"]


def test_session_certificate_list_is_paged_by_keyset_in_a_fixed_number_of_queries(client, db, hub):
    program, session, coordinator, cme, jenna, nia = hub
    certificates = add_certificates(db, session, 5)
    headers = api_token(client, cme.email, PASSWORD)

    with count_queries(client.app.state.engine) as counted:
        first = client.get(f"/api/v1/sessions/{session.id}/certificates?limit=2", headers=headers)
    assert [c["id"] for c in first.json()] == [c.id for c in certificates[:2]]
    next_url = first.headers["link"].split(">")[0].lstrip("<")
    second = client.get(next_url, headers=headers)
    third = client.get(second.headers["link"].split(">")[0].lstrip("<"), headers=headers)

    assert [c["id"] for c in second.json() + third.json()] == [c.id for c in certificates[2:]]
    assert "link" not in third.headers
    with count_queries(client.app.state.engine) as counted_again:
        client.get(f"/api/v1/sessions/{session.id}/certificates?limit=5", headers=headers)
    assert counted.total == counted_again.total
    bad = client.get(f"/api/v1/sessions/{session.id}/certificates?limit=0", headers=headers)
    assert bad.status_code == 422
