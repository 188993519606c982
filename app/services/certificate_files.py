"""Certificate PDFs rendered once and stored (app.models.CertificateFile), then served as stored.

Issuing a certificate writes its render job (a ``pending`` CertificateFile) in the same
transaction. ``telementor worker`` claims due jobs (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL, so several workers share the queue), renders them as one batch and stores each PDF.
A job that fails is tried again after a growing pause and given up (``dead``, with the reason,
shown on the session's certificate list) after MAX_ATTEMPTS; it never holds up the others.

A download serves the stored bytes; a certificate whose job has not run yet (or that was issued
before PDFs were stored) is rendered on demand in a warm render process and stored then. A
revoked certificate is never served from a PDF printed while it was valid: it is rendered again,
marked revoked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, or_, select

from app.config import Settings
from app.db import utcnow
from app.exports.pdf import in_render_process, render_certificate, render_certificates_batch
from app.models import Certificate, CertificateFile
from app.services import transcript_files
from app.services.certificates import certificate_data_many

log = logging.getLogger("telementor.certificates")

MAX_ATTEMPTS = 5
# A job claimed by a worker that died is claimed again after this long.
STALE_CLAIM = timedelta(minutes=10)
CLAIM_BATCH = 25


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes between tries, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=1))


# --- storing ----------------------------------------------------------------------------------


def store(db: Session, rendered: Iterable[tuple[Certificate, bytes]]) -> None:
    """Store PDFs (one statement for all): a certificate without a job row gets one, already done."""
    now = utcnow()
    rows = [{"certificate_id": certificate.id, "status": "stored", "attempts": 0, "next_attempt_at": now,
             "last_error": "", "pdf": pdf, "revoked": certificate.revoked, "rendered_at": now, "created_at": now}
            for certificate, pdf in rendered]
    if not rows:
        return
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(CertificateFile.__table__).values(rows)
    excluded = statement.excluded
    db.execute(statement.on_conflict_do_update(
        index_elements=["certificate_id"],
        set_={"status": "stored", "pdf": excluded.pdf, "revoked": excluded.revoked,
              "rendered_at": excluded.rendered_at, "last_error": "", "claimed_at": None}))


def certificate_pdf(db: Session, certificate: Certificate, *, base_url: str, workers: int | None = None) -> bytes:
    """The certificate's PDF as stored, or rendered (in a warm render process) and stored now."""
    stored = db.exec(select(CertificateFile.pdf, CertificateFile.revoked)
                     .where(CertificateFile.certificate_id == certificate.id,
                            CertificateFile.status == "stored")).first()
    if stored is not None and stored.pdf is not None and stored.revoked == certificate.revoked:
        return stored.pdf
    data = certificate_data_many(db, [certificate], base_url=base_url)[0]
    pdf = in_render_process(render_certificate, data, workers=workers)
    store(db, [(certificate, pdf)])
    return pdf


# --- the worker's render jobs -------------------------------------------------------------------


def claim_due(db: Session, *, limit: int = CLAIM_BATCH) -> list[CertificateFile]:
    now = utcnow()
    statement = (
        select(CertificateFile)
        .where(or_((CertificateFile.status == "pending") & (CertificateFile.next_attempt_at <= now),
                   (CertificateFile.status == "rendering") & (CertificateFile.claimed_at < now - STALE_CLAIM)))
        .order_by(CertificateFile.next_attempt_at, CertificateFile.certificate_id)
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    jobs = list(db.exec(statement).all())
    for job in jobs:
        job.status, job.claimed_at, job.attempts = "rendering", now, job.attempts + 1
    db.commit()
    return jobs


def render_claimed(db: Session, settings: Settings, jobs: list[CertificateFile]) -> tuple[int, int]:
    """Render the claimed jobs as one batch (one by one if the batch fails, to find the bad one)
    and store each PDF. Returns (stored, failed). Database errors propagate: the worker backs
    off and the claims go stale, so the jobs are tried again."""
    db.expire_all()  # render from the certificates as they are now
    by_id = {c.id: c for c in db.exec(select(Certificate).where(
        Certificate.id.in_([job.certificate_id for job in jobs]))).all()}
    certificates = [by_id[job.certificate_id] for job in jobs]
    # The worker is itself a long-lived process: it renders in process, its renderer stays warm.
    pdfs = render_many(db, certificates, base_url=settings.base_url, workers=0)
    stored = failed = 0
    now = utcnow()
    for job, certificate, pdf in zip(jobs, certificates, pdfs, strict=True):
        if isinstance(pdf, bytes):
            job.pdf, job.revoked, job.status = pdf, certificate.revoked, "stored"
            job.rendered_at, job.last_error = now, ""
            stored += 1
        else:
            _failed(job, pdf)
            failed += 1
    # The learners' transcripts of those years now print one more certificate: render them ahead.
    transcript_files.mark_stale(db, [certificate.id for certificate in certificates])
    db.commit()
    return stored, failed


def render_many(db: Session, certificates: list[Certificate], *, base_url: str,
                workers: int | None) -> list[bytes | str]:
    """Each certificate's PDF, or why it could not be rendered: the batch in one document, and
    when that fails, each certificate alone, so one bad certificate fails only itself."""
    try:
        return render_certificates_batch(certificate_data_many(db, certificates, base_url=base_url), workers=workers)
    except SQLAlchemyError:
        raise
    except Exception:  # noqa: BLE001
        if len(certificates) == 1:
            return [_error_of(db, certificates[0], base_url=base_url, workers=workers)]
        return [render_many(db, [certificate], base_url=base_url, workers=workers)[0] for certificate in certificates]


def _error_of(db: Session, certificate: Certificate, *, base_url: str, workers: int | None) -> bytes | str:
    try:
        data = certificate_data_many(db, [certificate], base_url=base_url)
        return render_certificates_batch(data, workers=workers)[0]
    except SQLAlchemyError:
        raise
    except Exception as exc:  # noqa: BLE001
        return f"cannot render: {type(exc).__name__}: {exc}"


def _failed(job: CertificateFile, error: str) -> None:
    job.last_error = error[:500]
    if job.attempts >= MAX_ATTEMPTS:
        job.status = "dead"
    else:
        job.status, job.next_attempt_at = "pending", utcnow() + backoff(job.attempts)
    log.warning("certificate PDF %s failed, try %s%s: %s", job.certificate_id, job.attempts,
                " (given up)" if job.status == "dead" else "", job.last_error)


def render_due(db: Session, settings: Settings, *, limit: int = CLAIM_BATCH) -> tuple[int, int]:
    """Render what is due now, batch after batch. Returns (stored, failed)."""
    stored = failed = 0
    while jobs := claim_due(db, limit=limit):
        done, not_done = render_claimed(db, settings, jobs)
        stored, failed = stored + done, failed + not_done
        if len(jobs) < limit:
            break
    return stored, failed


@dataclass(frozen=True)
class FileState:
    status: str  # "stored", "pending", "rendering", "dead", or "missing" (issued before PDFs were stored)
    error: str


def states_of(db: Session, certificate_ids: list[int]) -> dict[int, FileState]:
    """The render state of each certificate's PDF, in one query."""
    found = {row.certificate_id: FileState(row.status, row.last_error) for row in db.exec(
        select(CertificateFile.certificate_id, CertificateFile.status, CertificateFile.last_error)
        .where(CertificateFile.certificate_id.in_(certificate_ids))).all()} if certificate_ids else {}
    return {cid: found.get(cid, FileState("missing", "")) for cid in certificate_ids}


def stored_pdfs(db: Session, certificate_ids: list[int], *, per_fetch: int = 20) -> Iterator[tuple[int, bytes]]:
    """(certificate id, PDF) of the stored, valid PDFs among the ids: one query, rows fetched a few
    at a time (a server-side cursor on PostgreSQL), so memory does not grow with their number."""
    if not certificate_ids:
        return
    result = db.exec(
        select(CertificateFile.certificate_id, CertificateFile.pdf)
        .where(CertificateFile.certificate_id.in_(certificate_ids), CertificateFile.status == "stored",
               CertificateFile.revoked.is_(False), CertificateFile.pdf.is_not(None))
        .execution_options(yield_per=per_fetch))
    for row in result:
        yield row.certificate_id, row.pdf
