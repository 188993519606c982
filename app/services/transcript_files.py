"""Transcript PDFs rendered once and kept (app.models.TranscriptFile) until what they print changes.

A download reads the transcript's data (one query), and serves the kept PDF when the data's
fingerprint is the one it was rendered from; otherwise it renders in a warm render process and
keeps the result. Issuing or revoking a certificate marks the learner's transcript of that
calendar year ``stale``, and the worker renders it ahead of the next download, so a learner or a
CME office opening a year's transcript gets stored bytes. The fingerprint, not the flag, decides
what is served: a kept PDF whose data changed in a way no flag caught is never handed out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from app.db import utcnow
from app.exports.pdf import TranscriptData, in_render_process, render_transcript
from app.models import Certificate, EchoSession, Program, TranscriptFile, User
from app.services.certificates import Period, local_date, transcript_data

log = logging.getLogger("telementor.certificates")

RENDER_BATCH = 20


def fingerprint(data: TranscriptData) -> str:
    """What the PDF shows, less the day it was printed."""
    printed = dataclasses.asdict(dataclasses.replace(data, issued_on=date.min))
    return hashlib.sha256(json.dumps(printed, default=str, sort_keys=True).encode()).hexdigest()


def _keep(db: Session, learner_id: int, period: Period, print_: str, pdf: bytes) -> None:
    now = utcnow()
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TranscriptFile.__table__).values(
        user_id=learner_id, period_start=period.start, period_end=period.end, fingerprint=print_, pdf=pdf,
        stale=False, rendered_at=now, created_at=now)
    db.execute(statement.on_conflict_do_update(
        index_elements=["user_id", "period_start", "period_end"],
        set_={"fingerprint": print_, "pdf": pdf, "stale": False, "rendered_at": now}))


def transcript_pdf(db: Session, learner: User, period: Period, *, workers: int | None = None) -> bytes:
    """The learner's transcript of the period: as kept when its data is unchanged, else rendered
    now (in a warm render process) and kept. The caller commits."""
    data = transcript_data(db, learner, period)
    print_ = fingerprint(data)
    kept = db.exec(select(TranscriptFile.fingerprint, TranscriptFile.pdf).where(
        TranscriptFile.user_id == learner.id, TranscriptFile.period_start == period.start,
        TranscriptFile.period_end == period.end)).first()
    if kept is not None and kept.pdf is not None and kept.fingerprint == print_:
        return kept.pdf
    pdf = in_render_process(render_transcript, data, workers=workers)
    _keep(db, learner.id, period, print_, pdf)
    return pdf


def mark_stale(db: Session, certificate_ids: list[int]) -> int:
    """Ask the worker to render again the calendar-year transcript of each certificate's learner
    and local session year (one query to find them, one statement to mark them)."""
    if not certificate_ids:
        return 0
    found = db.exec(select(Certificate.user_id, EchoSession.starts_at, Program.timezone)
                    .join(EchoSession, EchoSession.id == Certificate.session_id)
                    .join(Program, Program.id == EchoSession.program_id)
                    .where(Certificate.id.in_(certificate_ids))).all()
    wanted = {(row.user_id, local_date(row.starts_at, row).year) for row in found}
    if not wanted:
        return 0
    now = utcnow()
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TranscriptFile.__table__).values([
        {"user_id": user_id, "period_start": period.start, "period_end": period.end, "fingerprint": "",
         "pdf": None, "stale": True, "rendered_at": None, "created_at": now}
        for user_id, period in ((user_id, Period.of_year(value)) for user_id, value in sorted(wanted))])
    db.execute(statement.on_conflict_do_update(index_elements=["user_id", "period_start", "period_end"],
                                               set_={"stale": True}))
    return len(wanted)


def render_stale(db: Session, *, limit: int = RENDER_BATCH) -> tuple[int, int]:
    """The worker's step: render the transcripts marked stale, a batch at a time, in this process
    (the worker's renderer stays warm). Each is claimed (unmarked and committed) before it is
    rendered, so no transaction stays open across a render and two workers do not render the
    same one. A transcript that fails to render is left for its next download. Returns
    (rendered, failed)."""
    rendered = failed = 0
    while True:
        statement = select(TranscriptFile).where(TranscriptFile.stale.is_(True)).order_by(TranscriptFile.id).limit(limit)
        if db.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        claimed = list(db.exec(statement).all())
        for row in claimed:
            row.stale = False
        db.commit()
        learners = {user.id: user for user in db.exec(
            select(User).where(User.id.in_([row.user_id for row in claimed]))).all()} if claimed else {}
        for row in claimed:
            learner = learners.get(row.user_id)
            if learner is None:
                continue
            try:
                transcript_pdf(db, learner, Period(row.period_start, row.period_end), workers=0)
                db.commit()
                rendered += 1
            except SQLAlchemyError:
                raise
            except Exception as exc:  # noqa: BLE001 - one bad transcript never stops the others
                db.rollback()
                failed += 1
                log.warning("transcript %s could not be rendered ahead: %s: %s", row.id, type(exc).__name__, exc)
        if len(claimed) < limit:
            return rendered, failed
