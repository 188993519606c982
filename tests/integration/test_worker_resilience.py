"""The worker outlives the database: it goes away (connections killed, the table unreachable) and
comes back, and the worker logs, backs off and sends again without exiting. Real SQLite or
PostgreSQL, a real SMTP server."""

import logging
import threading
import time

from sqlalchemy import text

from app import worker
from app.db import make_engine
from app.services import outbox
from tests.factories import make_user
from tests.integration.test_outbox_mail import smtp  # noqa: F401  (the aiosmtpd fixture)


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


def test_worker_backs_off_through_a_database_outage_and_then_sends(
        db, settings, database_url, smtp, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="telementor")
    settings.smtp_url = smtp.url
    first, second = make_user(db, email="first@example.org"), make_user(db, email="second@example.org")
    outbox.enqueue(db, "password_reset", user_id=first.id)
    db.commit()
    db.close()
    worker_engine, admin_engine = make_engine(database_url), make_engine(database_url)
    stop = threading.Event()
    result = []
    thread = threading.Thread(target=lambda: result.append(
        worker.run(worker_engine, settings, interval=0.05, max_pause=0.4, stop=stop)))
    thread.start()
    try:
        wait_for(lambda: len(smtp.messages) == 1)
        take_database_away(admin_engine)
        wait_for(lambda: len(database_errors(caplog)) >= 4)
        assert thread.is_alive()
        bring_database_back(admin_engine)
        outbox.enqueue(db, "password_reset", user_id=second.id)
        db.commit()
        wait_for(lambda: len(smtp.messages) == 2)
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=10)
        worker_engine.dispose()
        admin_engine.dispose()
    assert result == [0]
    assert [rcpt for rcpt, _ in smtp.messages] == [["first@example.org"], ["second@example.org"]]
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
