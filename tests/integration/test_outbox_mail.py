"""E-mail through the outbox, delivered by the worker to a real local SMTP server (aiosmtpd)."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from app.db import utcnow
from app.models import OutboxMessage
from app.services import outbox
from tests.conftest import csrf_of, sign_in
from tests.factories import make_user


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


def request_reset(client, email):
    return client.post("/password/forgot", data={"email": email, "csrf_token": csrf_of(client)})


def test_password_reset_mail_arrives_and_link_works(client, db, settings, smtp):
    make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    assert "a link to choose a new password is on its way" in request_reset(client, "jenna@example.org").text
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (1, 0)
    [(recipients, message)] = smtp.messages
    assert recipients == ["jenna@example.org"]
    assert message["Subject"] == "Reset your Telementor password"
    link = re.search(r"http://testserver(/password/set/\S+)", message.get_content()).group(1)
    form = {"password": "a new long passphrase", "confirm": "a new long passphrase", "csrf_token": csrf_of(client)}
    assert client.post(link, data=form).headers["location"] == "/"
    client.cookies.clear()
    assert sign_in(client, "jenna@example.org", "a new long passphrase").status_code == 303
    assert client.get(link).status_code == 422  # used once, never again


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, db, settings, smtp):
    response = request_reset(client, "nobody@example.org")
    assert "a link to choose a new password is on its way" in response.text
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (0, 0)
    assert smtp.messages == []


def test_failed_delivery_is_retried_later_then_given_up(client, db, settings):
    make_user(db, email="jenna@example.org")
    request_reset(client, "jenna@example.org")
    settings.smtp_url = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    assert outbox.drain(db, settings) == (0, 1)
    message = db.exec(select(OutboxMessage)).one()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert outbox.drain(db, settings) == (0, 0)  # not due yet
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        message.next_attempt_at = utcnow()
        db.commit()
        outbox.drain(db, settings)
    db.refresh(message)
    assert (message.status, message.attempts) == ("dead", outbox.MAX_ATTEMPTS)


def test_retry_after_server_comes_back_sends_once(client, db, settings, smtp):
    make_user(db, email="jenna@example.org")
    request_reset(client, "jenna@example.org")
    settings.smtp_url = f"smtp://127.0.0.1:{free_port()}"
    outbox.drain(db, settings)
    message = db.exec(select(OutboxMessage)).one()
    message.next_attempt_at = utcnow()
    db.commit()
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (1, 0)
    assert outbox.drain(db, settings) == (0, 0)
    assert len(smtp.messages) == 1


def test_without_smtp_mail_is_written_to_folder(client, db, settings):
    make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    request_reset(client, "jenna@example.org")
    assert outbox.drain(db, settings) == (1, 0)
    [path] = list(settings.mail_dir.glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert (message["To"], message["Subject"]) == ("Jenna Whitfield <jenna@example.org>", "Reset your Telementor password")


def test_outbox_rolled_back_change_sends_nothing(db, settings):
    user = make_user(db, email="jenna@example.org")
    outbox.enqueue(db, "password_reset", user_id=user.id)
    db.rollback()
    assert outbox.drain(db, settings) == (0, 0)


def test_stale_claim_is_reclaimed(db, settings):
    user = make_user(db, email="jenna@example.org")
    outbox.enqueue(db, "password_reset", user_id=user.id)
    db.commit()
    [message] = outbox.claim_due(db)
    assert outbox.claim_due(db) == []  # claimed by a worker that then died
    message.claimed_at = utcnow() - outbox.STALE_CLAIM - timedelta(seconds=1)
    db.commit()
    assert [m.id for m in outbox.claim_due(db)] == [message.id]


def test_admin_invitation_is_queued_and_delivered(client, db, settings, smtp):
    make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    from tests.factories import PASSWORD

    sign_in(client, "admin@example.org", PASSWORD)
    form = {"email": "New.Person@Clinic.org", "full_name": "New Person", "degree": "RN", "csrf_token": csrf_of(client)}
    assert client.post("/admin/users", data=form).status_code == 303
    duplicate = client.post("/admin/users", data=form)
    assert duplicate.status_code == 422 and "already has an account" in duplicate.text
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (1, 0)
    [(recipients, message)] = smtp.messages
    assert recipients == ["new.person@clinic.org"]
    assert "Alex Morgan has invited you to Telementor" in message.get_content()
