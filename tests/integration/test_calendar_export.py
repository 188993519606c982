"""Calendar downloads and the private feed, read back by three independent parsers and compared
with the database, across a DST change."""

from datetime import UTC, date

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.models import EchoSession, User
from tests.calendar_readers import (
    instants_by_icalendar,
    instants_by_icaljs,
    instants_by_vobject,
    utc_iso,
)
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user


@pytest.fixture
def hub(db):
    denver = make_program(db, name="Hepatitis C", timezone="America/Denver", video_url="https://zoom.us/j/111")
    chicago = make_program(db, name="Pediatric Asthma", timezone="America/Chicago", video_url="https://zoom.us/j/222")
    hidden = make_program(db, name="Chronic Pain", timezone="America/New_York")
    rosa = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    for program in (denver, chicago, hidden):
        add_member(db, program, rosa, "coordinator")
    add_member(db, denver, jenna, "clinician")
    add_member(db, chicago, jenna, "clinician")
    # Biweekly Tuesdays at noon from February into April 2030: DST begins on 10 March.
    make_series(db, denver, rosa, interval=2, weekday=1, first_date=date(2030, 2, 26), count=4)
    make_series(db, chicago, rosa, kind="monthly", weekday=1, week_of_month=2,
                first_date=date(2030, 2, 12), count=3)
    make_series(db, hidden, rosa, count=2)
    return denver, chicago, hidden, rosa, jenna


def expected(db, program_ids):
    sessions = db.exec(select(EchoSession).where(EchoSession.program_id.in_(program_ids))
                       .order_by(EchoSession.starts_at)).all()
    return [(str(s.uuid), utc_iso(s.starts_at), utc_iso(s.ends_at)) for s in sessions]


def read_all(ics, icaljs_reader):
    return instants_by_icalendar(ics), instants_by_vobject(ics), instants_by_icaljs(icaljs_reader, ics)


def test_series_download_matches_database_in_three_parsers(client, db, hub, icaljs_reader):
    denver, *_ , jenna = hub
    response = client.get(f"/api/v1/programs/{denver.id}/calendar.ics", headers=api_token(client, jenna.email, PASSWORD))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    want = expected(db, [denver.id])
    assert [w[1] for w in want] == ["2030-02-26T19:00:00Z", "2030-03-12T18:00:00Z", "2030-03-26T18:00:00Z",
                                    "2030-04-09T18:00:00Z"]
    for parsed in read_all(response.content, icaljs_reader):
        assert parsed == want


def test_series_file_carries_method_timezone_organizer_and_link(client, db, hub):
    denver, _, _, rosa, jenna = hub
    ics = client.get(f"/api/v1/programs/{denver.id}/calendar.ics", headers=api_token(client, jenna.email, PASSWORD)).content
    calendar = Calendar.from_ical(ics)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Denver"]
    event = calendar.walk("VEVENT")[0]
    assert (str(event["ORGANIZER"]), event["ORGANIZER"].params["CN"]) == ("mailto:no-reply@localhost", denver.name)
    assert str(event["LOCATION"]) == "https://zoom.us/j/111"
    assert str(event["URL"]) == "https://zoom.us/j/111"   # the join link (#15), for members
    assert event["DTSTART"].params["TZID"] == "America/Denver"
    assert "Case presentations: 2" in str(event["DESCRIPTION"])


def test_cancel_and_move_show_in_export_with_higher_sequence(client, db, hub, icaljs_reader):
    denver, _, _, rosa, jenna = hub
    first, second, *_ = db.exec(select(EchoSession).where(EchoSession.program_id == denver.id)
                                .order_by(EchoSession.starts_at)).all()
    headers = api_token(client, rosa.email, PASSWORD)
    client.post(f"/api/v1/sessions/{first.id}/cancel", json={"reason": "Holiday"}, headers=headers)
    client.patch(f"/api/v1/sessions/{second.id}", headers=headers,
                 json={"local_date": "2030-03-13", "start_time": "09:00", "duration_minutes": 60})
    ics = client.get(f"/api/v1/programs/{denver.id}/calendar.ics", headers=headers).content
    events = {e["uid"]: e for e in icaljs_reader(ics)["events"]}
    assert (events[str(first.uuid)]["status"], events[str(first.uuid)]["sequence"]) == ("CANCELLED", 1)
    moved = events[str(second.uuid)]
    assert (moved["start_utc"], moved["sequence"]) == ("2030-03-13T15:00:00Z", 1)
    db.expire_all()
    for parsed in read_all(ics, icaljs_reader):
        assert parsed == expected(db, [denver.id])


def test_single_session_invite(client, db, hub, icaljs_reader):
    denver, _, _, _, jenna = hub
    session = db.exec(select(EchoSession).where(EchoSession.program_id == denver.id)).first()
    response = client.get(f"/api/v1/sessions/{session.id}/invite.ics", headers=api_token(client, jenna.email, PASSWORD))
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    want = [(str(session.uuid), utc_iso(session.starts_at), utc_iso(session.ends_at))]
    for parsed in read_all(response.content, icaljs_reader):
        assert parsed == want


def test_private_feed_lists_exactly_the_members_sessions(client, db, hub, icaljs_reader):
    denver, chicago, hidden, _, jenna = hub
    sign_in(client, jenna.email, PASSWORD)
    assert client.post("/profile/calendar-token", data={"csrf_token": csrf_of(client)}).status_code == 303
    db.expire_all()
    token = db.get(User, jenna.id).calendar_token
    assert f"webcal://testserver/calendar/{token}.ics" in client.get("/profile").text
    client.cookies.clear()
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["America/Chicago", "America/Denver"]
    for parsed in read_all(feed.content, icaljs_reader):
        assert parsed == expected(db, [denver.id, chicago.id])
    assert len(expected(db, [denver.id, chicago.id])) == 7


def test_revoked_feed_token_stops_working(client, db, hub):
    *_, jenna = hub
    sign_in(client, jenna.email, PASSWORD)
    client.post("/profile/calendar-token", data={"csrf_token": csrf_of(client)})
    db.expire_all()
    old = db.get(User, jenna.id).calendar_token
    client.post("/profile/calendar-token", data={"csrf_token": csrf_of(client)})
    db.expire_all()
    new = db.get(User, jenna.id).calendar_token
    assert old != new
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    client.post("/profile/calendar-token/revoke", data={"csrf_token": csrf_of(client)})
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_unknown_feed_token_is_404(client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_dtstart_keeps_local_noon_across_dst(client, db, hub):
    denver, *_, jenna = hub
    ics = client.get(f"/api/v1/programs/{denver.id}/calendar.ics", headers=api_token(client, jenna.email, PASSWORD)).content
    starts = [e.start for e in Calendar.from_ical(ics).walk("VEVENT")]
    assert [(s.hour, s.minute, s.utcoffset().total_seconds() / 3600) for s in starts] == [
        (12, 0, -7.0), (12, 0, -6.0), (12, 0, -6.0), (12, 0, -6.0)]
    assert all(s.astimezone(UTC).tzinfo is UTC for s in starts)
