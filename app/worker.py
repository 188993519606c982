"""`telementor worker`: drains the outbox until stopped, and outlives the database.

A database error (a restart, a dropped connection, a locked SQLite file) is logged and the
worker tries again after a growing pause; it never exits because of one. Messages it had
claimed when the error struck are claimed again once their claim goes stale
(``outbox.STALE_CLAIM``). One message that cannot be built or sent never blocks the others
(see ``outbox.send_one``).
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.config import Settings
from app.services import certificate_files, credit_reminders, outbox, transcript_files

log = logging.getLogger("telementor.worker")

MAX_PAUSE_SECONDS = 60.0
# Sent e-mail past its retention is deleted this often (and once when the worker starts).
PRUNE_EVERY_SECONDS = 3600.0


def error_pause(interval: float, failures: int, *, max_pause: float = MAX_PAUSE_SECONDS) -> float:
    """Seconds to wait after the n-th error in a row: the poll interval, doubled each time, capped."""
    return min(interval * 2 ** max(failures - 1, 0), max_pause)


def remind_once(engine: Engine) -> int:
    """Queue the evaluation reminders now due (a day after each session), before sending."""
    with Session(engine) as db:
        queued = credit_reminders.queue_due(db)
        db.commit()
    return queued


def drain_once(engine: Engine, settings: Settings) -> tuple[int, int]:
    """Send the due mail, then make the due Zoom/Teams calls (their own counts are logged there)."""
    with Session(engine) as db:
        sent_failed = outbox.drain(db, settings)
    from app.integrations import jobs  # imported here: httpx clients only where the worker runs

    jobs.run_due(engine, settings)
    return sent_failed


def render_once(engine: Engine, settings: Settings) -> tuple[int, int]:
    """Render and store the certificate PDFs that are due (issued since the last poll, or due
    again after a failure). Returns (stored, failed); a failed one never holds up the others."""
    with Session(engine) as db:
        stored, failed = certificate_files.render_due(db, settings)
    with Session(engine) as db:
        # Then the transcripts those certificates (or revocations) changed, ahead of their download;
        # one that fails is rendered when it is downloaded instead, so it counts as no failure here.
        ahead, not_ahead = transcript_files.render_stale(db)
    if ahead or not_ahead:
        log.info("rendered %d transcript(s) ahead, %d could not be", ahead, not_ahead)
    return stored, failed


def prune_once(engine: Engine, settings: Settings) -> int:
    with Session(engine) as db:
        deleted = outbox.prune_sent(db, settings)
    if deleted:
        log.info("deleted %d sent message(s) older than %d days", deleted, settings.mail_retention_days)
    return deleted


def run(engine: Engine, settings: Settings, *, once: bool = False, interval: float = 5.0,
        max_pause: float = MAX_PAUSE_SECONDS, stop: threading.Event | None = None) -> int:
    """Send what is due every ``interval`` seconds until ``stop`` is set (or once).

    Returns 0, or 1 when ``once`` found messages it could not send or could not reach the database.
    """
    stop = stop or threading.Event()
    failures = 0
    next_prune = 0.0
    while not stop.is_set():
        try:
            remind_once(engine)
            sent, failed = drain_once(engine, settings)
            rendered, render_failed = render_once(engine, settings)
            if time.monotonic() >= next_prune:
                prune_once(engine, settings)
                next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
        except SQLAlchemyError as exc:
            failures += 1
            pause = error_pause(interval, failures, max_pause=max_pause)
            log.warning("database error (%s), try %d; retrying in %g s: %s", type(exc).__name__, failures, pause,
                        str(exc).splitlines()[0][:300] if str(exc) else "")
        except Exception:  # noqa: BLE001  a bug must not stop all mail; it is logged with its traceback
            failures += 1
            pause = error_pause(interval, failures, max_pause=max_pause)
            log.exception("worker error, try %d; retrying in %g s", failures, pause)
        else:
            if failures:
                log.info("database reachable again after %d error(s)", failures)
            failures, pause = 0, interval
            if sent or failed:
                log.info("sent %d message(s), %d failed (retried later, or given up after %d tries)",
                         sent, failed, outbox.MAX_ATTEMPTS)
            if rendered or render_failed:
                log.info("stored %d certificate PDF(s), %d failed (retried later, or given up after %d tries)",
                         rendered, render_failed, certificate_files.MAX_ATTEMPTS)
            if once:
                return 0 if failed == 0 and render_failed == 0 else 1
        if once:
            return 1
        stop.wait(pause)
    return 0
