"""E-mail through the outbox, delivered by the worker to a real local SMTP server (aiosmtpd)."""

import re
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
from tests.integration.live_server import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


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


class RefusingInbox(Inbox):
    """Refuses some recipients: 550 (never) or 451 (try later), as a real server would."""

    def __init__(self, refusals):
        super().__init__()
        self.refusals = refusals

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp():
    inbox = RefusingInbox({"gone@example.org": "550 5.1.1 No such mailbox",
                           "full@example.org": "451 4.2.2 Mailbox full, try later"})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


def queue_reset(db, user):
    outbox.enqueue(db, "password_reset", user_id=user.id)
    db.commit()


def outcome(db):
    db.expire_all()
    return {m.id: (m.status, m.attempts) for m in db.exec(select(OutboxMessage)).all()}


NAMES = ["Whitfield, Jenna", "Daniel <someone@outside.example>, K", 'José "Pepe" Núñez', "Jenna\nWhitfield",
         "Ann\r\nBcc: spy@outside.example"]


def test_display_names_are_quoted_and_never_add_recipients(db, settings, smtp):
    users = [make_user(db, email=f"person{i}@example.org", full_name=name) for i, name in enumerate(NAMES)]
    for user in users:
        queue_reset(db, user)
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (5, 0)
    assert sorted(rcpt for rcpt, _ in smtp.messages) == [[f"person{i}@example.org"] for i in range(5)]
    to = {m["To"].addresses[0].addr_spec: m["To"].addresses for _, m in smtp.messages}
    assert [[(a.display_name, a.addr_spec) for a in to[user.email]] for user in users] == [
        [("Whitfield, Jenna", "person0@example.org")],
        [("Daniel <someone@outside.example>, K", "person1@example.org")],
        [('José "Pepe" Núñez', "person2@example.org")],
        [("Jenna Whitfield", "person3@example.org")],
        [("Ann Bcc: spy@outside.example", "person4@example.org")],
    ]
    assert [m["Bcc"] for _, m in smtp.messages] == [None] * 5
    db.refresh(users[3])
    assert users[3].full_name == "Jenna\nWhitfield"  # stored as typed; only the header is folded


def test_every_message_has_a_date_and_a_message_id(db, settings, smtp):
    queue_reset(db, make_user(db, email="jenna@example.org"))
    settings.smtp_url = smtp.url
    before = utcnow().replace(microsecond=0)
    outbox.drain(db, settings)
    [(_, message)] = smtp.messages
    assert before <= message["Date"].datetime <= utcnow()
    assert re.fullmatch(r"<[^@<>\s]+@testserver>", message["Message-ID"])


def test_a_message_that_cannot_be_built_is_given_up_and_the_rest_are_sent(db, settings, smtp):
    jenna = make_user(db, email="jenna@example.org")
    broken_address = make_user(db, email="not an address")
    broken = outbox.enqueue(db, "password_reset", user_id=broken_address.id)
    no_user_id = OutboxMessage(kind="password_reset", payload={}, next_attempt_at=utcnow())
    unknown_kind = OutboxMessage(kind="retired_kind", payload={}, next_attempt_at=utcnow())
    db.add_all([no_user_id, unknown_kind])
    db.commit()
    queue_reset(db, jenna)
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (1, 3)
    assert [rcpt for rcpt, _ in smtp.messages] == [["jenna@example.org"]]
    given_up = {m.id: (m.status, m.attempts, m.last_error)
                for m in db.exec(select(OutboxMessage).where(OutboxMessage.status != "sent")).all()}
    assert given_up == {
        broken.id: ("dead", 1, "cannot build the message: InvalidHeaderDefect: addr-spec local part with no domain"),
        no_user_id.id: ("dead", 1, "cannot build the message: KeyError: 'user_id'"),
        unknown_kind.id: ("dead", 1,
                          "cannot build the message: LookupError: no renderer for outbox kind 'retired_kind'"),
    }
    assert outbox.drain(db, settings) == (0, 0)  # given up: not claimed again


def test_smtp_refusals_never_for_good_and_try_later_and_others_still_go(db, settings, refusing_smtp):
    gone, full, jenna = (make_user(db, email=f"{name}@example.org") for name in ("gone", "full", "jenna"))
    for user in (gone, full, jenna):
        queue_reset(db, user)
    settings.smtp_url = refusing_smtp.url
    assert outbox.drain(db, settings) == (1, 2)
    assert [rcpt for rcpt, _ in refusing_smtp.messages] == [["jenna@example.org"]]
    by_user = {m.payload["user_id"]: m for m in db.exec(select(OutboxMessage)).all()}
    assert [(by_user[u.id].status, by_user[u.id].attempts) for u in (gone, full, jenna)] == [
        ("dead", 1), ("pending", 1), ("sent", 1)]
    assert "550" in by_user[gone.id].last_error and "No such mailbox" in by_user[gone.id].last_error
    assert "451" in by_user[full.id].last_error
    assert by_user[full.id].next_attempt_at > utcnow() + timedelta(seconds=50)


def test_mail_queue_page_shows_recipient_subject_tries_error_and_requeues_dead(client, db, settings, refusing_smtp):
    from tests.factories import PASSWORD

    make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    gone = make_user(db, email="gone@example.org", full_name="Whitfield, Jenna")
    queue_reset(db, gone)
    settings.smtp_url = refusing_smtp.url
    outbox.drain(db, settings)
    sign_in(client, "admin@example.org", PASSWORD)
    page = client.get("/admin/outbox?status=dead")
    assert page.status_code == 200
    cells = re.findall(r"<td>(.*?)</td>", page.text, flags=re.S)
    assert cells[1:5] == ["&#34;Whitfield, Jenna&#34; &lt;gone@example.org&gt;", "Reset your Telementor password",
                          "given up", "1"]
    assert "550 5.1.1 No such mailbox" in page.text
    [message] = db.exec(select(OutboxMessage)).all()
    assert client.post(f"/admin/outbox/{message.id}/requeue").status_code == 403  # no CSRF token
    form = {"csrf_token": csrf_of(client)}
    assert client.post(f"/admin/outbox/{message.id}/requeue", data=form).headers["location"] == "/admin/outbox"
    db.refresh(message)
    assert (message.status, message.attempts) == ("pending", 0)
    assert client.post(f"/admin/outbox/{message.id}/requeue", data=form).status_code == 409  # not dead any more
    refusing_smtp.refusals.clear()
    assert outbox.drain(db, settings) == (1, 0)
    assert [rcpt for rcpt, _ in refusing_smtp.messages] == [["gone@example.org"]]


def test_only_admins_see_the_mail_queue_or_requeue(client, db, settings):
    from tests.factories import PASSWORD

    make_user(db, email="rosa@example.org")
    message = OutboxMessage(kind="password_reset", payload={}, next_attempt_at=utcnow(), status="dead")
    db.add(message)
    db.commit()
    sign_in(client, "rosa@example.org", PASSWORD)
    assert client.get("/admin/outbox").status_code == 403
    assert client.post(f"/admin/outbox/{message.id}/requeue", data={"csrf_token": csrf_of(client)}).status_code == 403
    db.refresh(message)
    assert message.status == "dead"


def test_name_typed_in_the_profile_with_a_line_break_still_gets_password_resets(client, db, settings, smtp):
    from tests.conftest import api_token
    from tests.factories import PASSWORD

    jenna = make_user(db, email="jenna@example.org")
    headers = api_token(client, "jenna@example.org", PASSWORD)
    typed = 'Whitfield, "Jenna"\nDaniel <someone@outside.example>'
    assert client.put("/api/v1/users/me", headers=headers, json={"full_name": typed}).status_code == 200
    request_reset(client, "jenna@example.org")
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (1, 0)
    [(recipients, message)] = smtp.messages
    assert recipients == ["jenna@example.org"]
    [address] = message["To"].addresses
    assert (address.display_name, address.addr_spec) == (
        'Whitfield, "Jenna" Daniel <someone@outside.example>', "jenna@example.org")
    db.refresh(jenna)
    assert jenna.full_name == typed


def _queue_page_statements(client, url: str) -> tuple[int, str]:
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(client.app.state.engine, "before_cursor_execute", count)
    try:
        page = client.get(url)
    finally:
        event.remove(client.app.state.engine, "before_cursor_execute", count)
    assert page.status_code == 200
    return len(statements), page.text


def test_mail_queue_page_takes_the_same_queries_for_3_or_60_messages_and_pages_by_50(client, db, settings):
    from tests.factories import PASSWORD

    make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    people = [make_user(db, email=f"person{n}@example.org", full_name=f"Person {n}") for n in range(60)]
    sign_in(client, "admin@example.org", PASSWORD)
    for person in people[:3]:
        queue_reset(db, person)
    outbox.drain(db, settings)
    few, _ = _queue_page_statements(client, "/admin/outbox")
    for person in people[3:]:
        queue_reset(db, person)
    outbox.drain(db, settings)

    many, first_page = _queue_page_statements(client, "/admin/outbox")

    assert many == few  # no query per message: recipient and subject are stored when the worker builds it
    assert first_page.count("Reset your Telementor password") == 50
    assert "person59@example.org" in first_page and "person9@example.org" not in first_page
    [older] = re.findall(r'href="([^"]+)" rel="next"', first_page)
    second_page = client.get(older.replace("&amp;", "&")).text
    assert second_page.count("Reset your Telementor password") == 60 - 50
    assert "person0@example.org" in second_page and 'rel="next"' not in second_page


def test_a_message_not_built_yet_shows_its_kind_on_the_queue_page(client, db):
    from tests.factories import PASSWORD

    admin = make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    queue_reset(db, admin)
    sign_in(client, "admin@example.org", PASSWORD)

    page = client.get("/admin/outbox?status=pending")

    assert "(password_reset, not built yet)" in page.text
