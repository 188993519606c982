"""Calendar updates reach everyone invited on every change, and "E-mail invites" queues each member
once, even when clicked twice at the same moment. Real database, real SMTP server (aiosmtpd)."""

import threading
import time

from sqlmodel import Session, select

from app.models import EchoSession, Membership, OutboxMessage
from app.services import invites, outbox
from app.services.calendars import to_event
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.test_invites_mail import calendar_part
from tests.integration.test_outbox_mail import smtp  # noqa: F401  (the aiosmtpd fixture)


def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver", video_url="https://zoom.us/j/9")
    rosa = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@example.org", full_name="Whitfield, Jenna")
    add_member(db, program, rosa, "coordinator")
    add_member(db, program, jenna, "clinician")
    make_series(db, program, rosa, count=3)
    sessions = list(db.exec(select(EchoSession).order_by(EchoSession.starts_at)).all())
    return program, rosa, jenna, sessions


def events_to(smtp, email):  # noqa: F811
    found = []
    for rcpt, message in smtp.messages:
        if rcpt == [email]:
            method, calendar = calendar_part(message)
            [event] = calendar.walk("VEVENT")
            found.append((method, str(event["UID"]), int(event["SEQUENCE"]), str(event["SUMMARY"]),
                          str(event.get("LOCATION", ""))))  # no link to a member who has left
    return found


def test_double_click_on_email_invites_queues_each_member_once(client, db):
    program, rosa, jenna, [session, *_] = hub(db)
    headers = api_token(client, rosa.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/invites", headers=headers).json() == {"queued": 2}
    assert client.post(f"/api/v1/sessions/{session.id}/invites", headers=headers).json() == {"queued": 0}
    newcomer = make_user(db, email="new@example.org")
    add_member(db, program, newcomer, "clinician")
    assert client.post(f"/api/v1/sessions/{session.id}/invites", headers=headers).json() == {"queued": 1}
    payloads = sorted(m.payload["user_id"] for m in db.exec(select(OutboxMessage)).all())
    assert payloads == sorted([rosa.id, jenna.id, newcomer.id])


def test_two_clicks_at_the_same_moment_queue_each_member_once(db, engine):
    program, rosa, jenna, [session, *_] = hub(db)
    counts = {}
    with Session(engine) as first:
        counts["first"] = invites.send_invites(first, first.get(EchoSession, session.id),
                                               actor=first.get(type(rosa), rosa.id))

        def second_click():
            with Session(engine) as second:
                counts["second"] = invites.send_invites(second, second.get(EchoSession, session.id),
                                                        actor=second.get(type(rosa), rosa.id))
                second.commit()

        thread = threading.Thread(target=second_click)
        thread.start()
        time.sleep(0.3)  # the second click is now waiting for the first one's lock
        assert "second" not in counts
        first.commit()
    thread.join(timeout=10)
    assert counts == {"first": 2, "second": 0}
    assert len(db.exec(select(OutboxMessage)).all()) == 2


def test_new_agenda_or_video_link_raises_sequence_and_updates_everyone(client, db, settings, smtp):  # noqa: F811
    program, rosa, jenna, [session, *_] = hub(db)
    headers = api_token(client, rosa.email, PASSWORD)
    client.post(f"/api/v1/sessions/{session.id}/invites", headers=headers)
    agenda = {"didactic_topic": "DAA regimens", "didactic_presenter": "Dr. Ruiz", "case_slots": 2}
    assert client.put(f"/api/v1/sessions/{session.id}/agenda", headers=headers, json=agenda).status_code == 200
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (4, 0)
    edit = {"name": program.name, "timezone": program.timezone, "video_url": "https://zoom.us/j/10"}
    assert client.put(f"/api/v1/programs/{program.id}", headers=headers, json=edit).status_code == 200
    assert outbox.drain(db, settings) == (2, 0)  # all three sessions use the link; only the first was invited
    uid = str(session.uuid)
    for email in ("rosa@example.org", "jenna@example.org"):
        assert events_to(smtp, email) == [
            ("REQUEST", uid, 1, "Hepatitis C ECHO: DAA regimens", "https://zoom.us/j/9"),
            ("REQUEST", uid, 1, "Hepatitis C ECHO: DAA regimens", "https://zoom.us/j/9"),
            ("REQUEST", uid, 2, "Hepatitis C ECHO: DAA regimens", "https://zoom.us/j/10"),
        ]
    db.expire_all()
    assert [s.sequence for s in db.exec(select(EchoSession).order_by(EchoSession.starts_at))] == [2, 1, 1]


def test_removed_member_gets_a_cancel_for_every_session_they_were_invited_to(client, db, settings, smtp):  # noqa: F811
    program, rosa, jenna, [first, second, third] = hub(db)
    headers = api_token(client, rosa.email, PASSWORD)
    client.post(f"/api/v1/sessions/{first.id}/invites", headers=headers)
    client.post(f"/api/v1/sessions/{second.id}/invites", headers=headers)
    settings.smtp_url = smtp.url
    outbox.drain(db, settings)
    smtp.messages.clear()
    membership = db.exec(select(Membership).where(Membership.user_id == jenna.id)).one()
    assert client.delete(f"/api/v1/programs/{program.id}/members/{membership.id}", headers=headers).status_code == 204
    assert outbox.drain(db, settings) == (2, 0)
    assert [(method, uid, seq) for method, uid, seq, *_ in events_to(smtp, "jenna@example.org")] == [
        ("CANCEL", str(first.uuid), 0), ("CANCEL", str(second.uuid), 0)]
    assert events_to(smtp, "rosa@example.org") == []
    [(_, message), _] = smtp.messages
    assert message["Subject"].startswith("Cancelled: Hepatitis C ECHO")
    assert "You are no longer a member of Hepatitis C ECHO" in message.get_body(preferencelist=("plain",)).get_content()


def test_organizer_keeps_one_address_and_never_gets_its_own_request(client, db, settings, smtp):  # noqa: F811
    program, rosa, jenna, [session, *_] = hub(db)
    settings.organizer_email = "Rosa@Example.org"
    client.post(f"/api/v1/sessions/{session.id}/invites", headers=api_token(client, rosa.email, PASSWORD))
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (2, 0)
    assert [rcpt for rcpt, _ in smtp.messages] == [["jenna@example.org"]]
    [(_, message)] = smtp.messages
    _, calendar = calendar_part(message)
    organizer = calendar.walk("VEVENT")[0]["ORGANIZER"]
    assert (str(organizer), organizer.params["CN"]) == ("mailto:rosa@example.org", "Hepatitis C ECHO")


def test_uid_does_not_depend_on_the_base_url(db, settings):
    program, _, _, [session, *_] = hub(db)
    moved = settings.model_copy(update={"base_url": "https://telementor.example.org"})
    assert to_event(settings, session, program).uid == to_event(moved, session, program).uid == str(session.uuid)


def test_line_break_in_a_program_name_neither_breaks_nor_blocks_invites(client, db, settings, smtp):  # noqa: F811
    program, rosa, jenna, [session, *_] = hub(db)
    program.name = "Hepatitis C\nECHO"
    db.add(program)
    db.commit()
    client.post(f"/api/v1/sessions/{session.id}/invites", headers=api_token(client, rosa.email, PASSWORD))
    settings.smtp_url = smtp.url
    assert outbox.drain(db, settings) == (2, 0)
    subjects = sorted(message["Subject"] for _, message in smtp.messages)
    assert subjects == ["Hepatitis C ECHO — Wed 2 Jan 2030, 12:00 PM MST"] * 2


def test_double_click_on_the_page_button_says_everyone_already_has_an_invite(client, db):
    from tests.conftest import csrf_of, sign_in

    program, rosa, jenna, [session, *_] = hub(db)
    sign_in(client, rosa.email, PASSWORD)
    form = {"csrf_token": csrf_of(client)}
    pages = []
    for _ in range(2):
        response = client.post(f"/sessions/{session.id}/invite", data=form)
        assert response.status_code == 303
        pages.append(client.get(response.headers["location"]).text)
    assert "Invites are on their way to 2 member(s)" in pages[0]
    assert "Every member already has an invite to this session" in pages[1]
    assert len(db.exec(select(OutboxMessage)).all()) == 2
