"""The private calendar feed under polling: ETag and 304, HEAD, gzip, a time window, and a
statement count that does not grow with the number of sessions."""

import gzip
from datetime import date, timedelta

from icalendar import Calendar
from sqlmodel import select

from app.db import utcnow
from app.models import EchoSession
from app.services import calendars
from tests.factories import add_member, make_program, make_series, make_user
from tests.querycount import count_queries


def _feed_world(db, sessions: int = 3):
    program = make_program(db, name="Hepatitis C", timezone="America/Denver", video_url="https://zoom.us/j/111")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    member = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, member, "clinician")
    make_series(db, program, coordinator, weekday=1, first_date=date(2030, 2, 26), count=sessions)
    token = calendars.new_feed_token(db, member, actor=member)
    db.commit()
    return program, coordinator, member, token


def test_feed_sends_an_etag_and_answers_304_to_it(client, db):
    *_, token = _feed_world(db)
    first = client.get(f"/calendar/{token}.ics")
    assert first.status_code == 200 and first.headers["ETag"].startswith('"')
    again = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    listed = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": f'"other", W/{first.headers["ETag"]}'})
    assert listed.status_code == 304
    stale = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": '"not-the-tag"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_a_change_to_a_session_changes_the_etag_and_the_body(client, db):
    program, coordinator, member, token = _feed_world(db)
    before = client.get(f"/calendar/{token}.ics")
    session = db.exec(select(EchoSession).order_by(EchoSession.starts_at)).first()
    session.didactic_topic, session.sequence = "Fibrosis staging", session.sequence + 1
    session.updated_at = utcnow()
    db.commit()
    after = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"Fibrosis staging" in after.content and b"Fibrosis staging" not in before.content


def test_renaming_the_member_or_the_program_changes_the_etag(client, db):
    program, coordinator, member, token = _feed_world(db)
    tag = client.get(f"/calendar/{token}.ics").headers["ETag"]
    program.name = "Hepatitis C and Liver"
    db.commit()
    renamed = client.get(f"/calendar/{token}.ics").headers["ETag"]
    assert renamed != tag
    member.full_name = "Jenna Whitfield-Ortiz"
    db.commit()
    assert client.get(f"/calendar/{token}.ics").headers["ETag"] not in (tag, renamed)


def test_head_gives_the_headers_without_a_body(client, db):
    *_, token = _feed_world(db)
    got = client.get(f"/calendar/{token}.ics", headers={"Accept-Encoding": "identity"})
    head = client.head(f"/calendar/{token}.ics", headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == got.headers["ETag"]
    assert int(head.headers["Content-Length"]) == len(got.content)
    assert head.headers["Content-Type"].startswith("text/calendar")


def test_feed_is_gzipped_for_clients_that_accept_it(client, db):
    *_, token = _feed_world(db)
    plain = client.get(f"/calendar/{token}.ics", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    # Read the raw bytes (httpx would decode them) to see what went over the wire.
    with client.stream("GET", f"/calendar/{token}.ics", headers={"Accept-Encoding": "gzip"}) as raw:
        assert raw.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in raw.headers["Vary"]
        wire = b"".join(raw.iter_raw())
    assert gzip.decompress(wire) == plain.content
    assert len(wire) < len(plain.content)


def test_feed_holds_the_past_year_and_every_future_session(client, db):
    program, coordinator, member, token = _feed_world(db, sessions=2)
    now = utcnow()
    old = EchoSession(program_id=program.id, starts_at=now - timedelta(days=400),
                      ends_at=now - timedelta(days=400) + timedelta(hours=1), didactic_topic="Too old")
    recent = EchoSession(program_id=program.id, starts_at=now - timedelta(days=300),
                         ends_at=now - timedelta(days=300) + timedelta(hours=1), didactic_topic="Last spring")
    db.add_all([old, recent])
    db.commit()
    calendar = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    future = db.exec(select(EchoSession).where(EchoSession.starts_at > now)).all()
    assert uids == {str(s.uuid) for s in future} | {str(recent.uuid)}


def _statements_for_a_poll(client, db, engine, token, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    with count_queries(engine) as counted:
        response = client.get(f"/calendar/{token}.ics", headers=headers)
    assert response.status_code == (304 if etag else 200)
    return counted.total, response.headers["ETag"]


def test_a_poll_costs_the_same_statements_for_3_and_40_sessions(client, db, engine):
    *_, token = _feed_world(db, sessions=3)
    small, small_tag = _statements_for_a_poll(client, db, engine, token)
    small_304, _ = _statements_for_a_poll(client, db, engine, token, small_tag)
    db.exec(select(EchoSession)).all()
    program = make_program(db, name="Pediatric Asthma", timezone="America/Chicago")
    coordinator = make_user(db, email="coord2@example.org")
    add_member(db, program, coordinator, "coordinator")
    member = calendars.user_for_feed_token(db, token)
    add_member(db, program, member, "clinician")
    make_series(db, program, coordinator, weekday=1, first_date=date(2030, 3, 5), count=37)
    db.commit()
    large, large_tag = _statements_for_a_poll(client, db, engine, token)
    large_304, _ = _statements_for_a_poll(client, db, engine, token, large_tag)
    assert (small, small_304) == (large, large_304)
    assert small_304 <= 4   # the token, the programs, the session aggregate (and the app's own)


def test_unknown_token_is_404_for_head_too(client):
    assert client.head("/calendar/not-a-token.ics").status_code == 404
