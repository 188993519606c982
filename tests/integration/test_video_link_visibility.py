"""The video link of a session reaches members of its program (and site admins) only: not the CME
office, not a visitor of a public program, not a member who has left — in calendar files and on the
program page as well as on the session page and in the API (test_agenda_visibility.py)."""

from __future__ import annotations

import icalendar
import pytest
from sqlmodel import select

from app.models import EchoSession, Membership
from app.services import outbox
from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.test_invites_mail import calendar_part
from tests.integration.test_outbox_mail import smtp  # noqa: F401  (the aiosmtpd fixture)

PROGRAM_LINK = "https://zoom.example.org/j/81234567890"
SESSION_LINK = "https://zoom.example.org/j/89999999999"


@pytest.fixture
def hub(client, db):
    program = make_program(db, name="Hepatitis C", visibility="public", video_url=PROGRAM_LINK)
    people = {who: make_user(db, email=f"{who}@example.org") for who in ("coordinator", "clinician", "visitor")}
    people["cme"] = make_user(db, email="cme@example.org", is_cme_office=True)
    people["admin"] = make_user(db, email="admin@example.org", is_admin=True)
    add_member(db, program, people["coordinator"], "coordinator")
    add_member(db, program, people["clinician"], "clinician")
    make_series(db, program, people["coordinator"], count=2)
    first = db.exec(select(EchoSession).where(EchoSession.program_id == program.id)
                    .order_by(EchoSession.starts_at)).first()
    first.video_url = SESSION_LINK
    db.add(first)
    db.commit()
    return program, first, people


def links_in(body: bytes) -> set[str]:
    """Every place a calendar app could show the video link: LOCATION, DESCRIPTION, URL, CONFERENCE."""
    found = set()
    for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        text = " ".join(str(event.get(name, "")) for name in ("LOCATION", "DESCRIPTION", "URL", "CONFERENCE"))
        found |= {link for link in (PROGRAM_LINK, SESSION_LINK) if link in text}
    return found


@pytest.mark.parametrize(("who", "links"), [
    ("cme", set()), ("clinician", {PROGRAM_LINK, SESSION_LINK}), ("admin", {PROGRAM_LINK, SESSION_LINK}),
])
def test_program_calendar_carries_the_video_link_to_members_only(client, hub, who, links):
    program, _, people = hub
    response = client.get(f"/api/v1/programs/{program.id}/calendar.ics",
                          headers=api_token(client, people[who].email, PASSWORD))
    assert response.status_code == 200
    assert links_in(response.content) == links


@pytest.mark.parametrize(("who", "links"), [("cme", set()), ("clinician", {SESSION_LINK}), ("admin", {SESSION_LINK})])
def test_session_invite_carries_the_video_link_to_members_only(client, hub, who, links):
    _, session, people = hub
    response = client.get(f"/api/v1/sessions/{session.id}/invite.ics",
                          headers=api_token(client, people[who].email, PASSWORD))
    assert response.status_code == 200
    assert links_in(response.content) == links
    assert (b"LOCATION" in response.content) == bool(links)


@pytest.mark.parametrize(("who", "shown"), [("cme", False), ("visitor", False), ("clinician", True),
                                            ("admin", True)])
def test_program_page_shows_the_video_link_to_members_only(client, hub, who, shown):
    program, _, people = hub
    sign_in(client, people[who].email, PASSWORD)
    page = client.get(f"/programs/{program.id}")
    assert page.status_code == 200
    assert (PROGRAM_LINK in page.text) == shown


def test_member_who_left_gets_a_cancel_without_the_video_link(client, db, settings, hub, smtp):  # noqa: F811
    program, session, people = hub
    headers = api_token(client, people["coordinator"].email, PASSWORD)
    client.post(f"/api/v1/sessions/{session.id}/invites", headers=headers)
    settings.smtp_url = smtp.url
    outbox.drain(db, settings)
    invites = [calendar_part(message) for rcpt, message in smtp.messages if rcpt == ["clinician@example.org"]]
    assert [(method, links_in(calendar.to_ical())) for method, calendar in invites] == [("REQUEST", {SESSION_LINK})]
    smtp.messages.clear()
    membership = db.exec(select(Membership).where(Membership.user_id == people["clinician"].id)).one()
    assert client.delete(f"/api/v1/programs/{program.id}/members/{membership.id}", headers=headers).status_code == 204
    outbox.drain(db, settings)
    [(rcpt, message)] = smtp.messages
    method, calendar = calendar_part(message)
    assert (rcpt, method, links_in(calendar.to_ical())) == (["clinician@example.org"], "CANCEL", set())
    parts = [part.get_payload(decode=True) or b"" for part in message.walk() if not part.is_multipart()]
    assert [part for part in parts if SESSION_LINK.encode() in part] == []
