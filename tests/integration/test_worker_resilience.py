"""The worker keeps going: a message that cannot be built and one the SMTP server refuses are given
up with their reasons while the others go, and when the database goes away (connections killed,
the table unreachable) and comes back, the worker logs, backs off and sends again without exiting.
Real SQLite or PostgreSQL, a real SMTP server (aiosmtpd)."""

import logging
import threading
import time

from sqlalchemy import text

from app import worker
from app.db import make_engine, utcnow
from app.models import OutboxMessage
from app.services import outbox
from tests.factories import make_user
from tests.integration.test_outbox_mail import refusing_smtp  # noqa: F401  (aiosmtpd, refusing some)


def wait_for(condition, *, seconds=15.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def take_database_away(engine) -> None:
    """The outbox table disappears and, on PostgreSQL, every other connection is killed (as a
    server restart does to the worker's pooled connections)."""
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE outbox_message RENAME TO outbox_message_away"))
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"))


def bring_database_back(engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE outbox_message_away RENAME TO outbox_message"))


def database_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "telementor.worker" and r.levelno == logging.WARNING]


def test_worker_survives_a_broken_message_a_refusing_server_and_a_database_outage(
        db, settings, database_url, refusing_smtp, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="telementor")
    settings.smtp_url = refusing_smtp.url
    first, gone, second = (make_user(db, email=f"{name}@example.org") for name in ("first", "gone", "second"))
    broken = OutboxMessage(kind="password_reset", payload={}, next_attempt_at=utcnow())
    db.add(broken)
    refused = outbox.enqueue(db, "password_reset", user_id=gone.id)
    outbox.enqueue(db, "password_reset", user_id=first.id)
    db.commit()
    worker_engine, admin_engine = make_engine(database_url), make_engine(database_url)
    stop = threading.Event()
    result = []
    thread = threading.Thread(target=lambda: result.append(
        worker.run(worker_engine, settings, interval=0.05, max_pause=0.4, stop=stop)))
    thread.start()
    try:
        wait_for(lambda: len(refusing_smtp.messages) == 1)
        take_database_away(admin_engine)
        wait_for(lambda: len(database_errors(caplog)) >= 4)
        assert thread.is_alive()
        bring_database_back(admin_engine)
        outbox.enqueue(db, "password_reset", user_id=second.id)
        db.commit()
        wait_for(lambda: len(refusing_smtp.messages) == 2)
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=10)
        worker_engine.dispose()
        admin_engine.dispose()
    assert result == [0]
    assert [rcpt for rcpt, _ in refusing_smtp.messages] == [["first@example.org"], ["second@example.org"]]
    db.expire_all()
    given_up = [db.get(OutboxMessage, broken.id), db.get(OutboxMessage, refused.id)]
    assert [(m.status, m.last_error) for m in given_up] == [
        ("dead", "cannot build the message: KeyError: 'user_id'"),
        ("dead", "550 5.1.1 No such mailbox (refused gone@example.org)")]
    errors = database_errors(caplog)
    assert all(e.startswith("database error (") for e in errors)
    pauses = [float(e.split("retrying in ")[1].split(" s")[0]) for e in errors[:4]]
    assert pauses == [0.05, 0.1, 0.2, 0.4]  # doubling, capped
    assert any(r.getMessage().startswith("database reachable again") for r in caplog.records)


def test_worker_once_reports_an_unreachable_database_instead_of_crashing(settings, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'no.db'}")
    assert worker.run(engine, settings, once=True) == 1
    engine.dispose()


def test_error_pause_doubles_up_to_the_cap():
    assert [worker.error_pause(5.0, n) for n in range(1, 7)] == [5.0, 10.0, 20.0, 40.0, 60.0, 60.0]
