"""Calendar invites by e-mail (iMIP): a REQUEST per member, then updates and a CANCEL with the
same UID and a higher SEQUENCE, delivered to a real SMTP server."""

from icalendar import Calendar
from sqlmodel import select

from app.models import EchoSession
from app.services import outbox
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.test_outbox_mail import smtp  # noqa: F401  (the aiosmtpd fixture)


def calendar_part(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_param("method"), Calendar.from_ical(part.get_content())


def test_invites_then_move_then_cancel_reach_members(client, db, settings, smtp):  # noqa: F811
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver", video_url="https://zoom.us/j/9")
    rosa = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield", timezone="America/Chicago")
    add_member(db, program, rosa, "coordinator")
    add_member(db, program, jenna, "clinician")
    make_series(db, program, rosa, count=2)
    session = db.exec(select(EchoSession).order_by(EchoSession.starts_at)).first()
    headers = api_token(client, rosa.email, PASSWORD)
    settings.smtp_url = smtp.url

    assert client.post(f"/api/v1/sessions/{session.id}/invites", headers=headers).json() == {"queued": 2}
    client.patch(f"/api/v1/sessions/{session.id}", headers=headers,
                 json={"local_date": "2030-01-03", "start_time": "12:00", "duration_minutes": 60})
    client.post(f"/api/v1/sessions/{session.id}/cancel", headers=headers, json={"reason": "Snow day"})
    assert outbox.drain(db, settings) == (6, 0)

    to_jenna = [m for rcpt, m in smtp.messages if rcpt == ["jenna@example.org"]]
    seen = []
    for message in to_jenna:
        method, calendar = calendar_part(message)
        [event] = calendar.walk("VEVENT")
        assert str(calendar["METHOD"]) == method
        assert str(event["ATTENDEE"]) == "mailto:jenna@example.org"
        assert str(event["ORGANIZER"]) == "mailto:no-reply@localhost"  # TELEMENTOR_MAIL_FROM's address
        seen.append((method, str(event["UID"]), int(event["SEQUENCE"]), str(event.get("STATUS"))))
    uid = str(session.uuid)
    # Each message is rendered when sent, from the session as it is then: the latest state.
    assert seen == [("CANCEL", uid, 2, "CANCELLED")] * 3
    assert to_jenna[0]["Subject"].startswith("Cancelled: Hepatitis C ECHO")
    assert "Snow day" in to_jenna[0].get_body(preferencelist=("plain",)).get_content()


def test_invite_text_gives_both_zones_and_the_link(client, db, settings, smtp):  # noqa: F811
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver", video_url="https://zoom.us/j/9")
    rosa = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield", timezone="America/Chicago")
    add_member(db, program, rosa, "coordinator")
    add_member(db, program, jenna, "clinician")
    make_series(db, program, rosa, count=1)
    session = db.exec(select(EchoSession)).one()
    client.post(f"/api/v1/sessions/{session.id}/invites", headers=api_token(client, rosa.email, PASSWORD))
    settings.smtp_url = smtp.url
    outbox.drain(db, settings)
    [message] = [m for rcpt, m in smtp.messages if rcpt == ["jenna@example.org"]]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Wednesday 2 January 2030, 12:00 PM–1:00 PM MST (1:00 PM CST your time)" in text
    assert "Join: https://zoom.us/j/9" in text
    method, calendar = calendar_part(message)
    assert (method, int(calendar.walk("VEVENT")[0]["SEQUENCE"])) == ("REQUEST", 0)


def test_invites_for_a_past_session_are_refused(client, db):
    from datetime import UTC, datetime

    program = make_program(db)
    rosa = make_user(db, email="rosa@example.org")
    add_member(db, program, rosa, "coordinator")
    past = EchoSession(program_id=program.id, starts_at=datetime(2020, 1, 1, 19, tzinfo=UTC),
                       ends_at=datetime(2020, 1, 1, 20, tzinfo=UTC))
    db.add(past)
    db.commit()
    response = client.post(f"/api/v1/sessions/{past.id}/invites", headers=api_token(client, rosa.email, PASSWORD))
    assert response.status_code == 409
    assert db.exec(select(EchoSession.invited_at)).one() is None
