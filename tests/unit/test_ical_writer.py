"""The fast VEVENT writer in app.exports.ical must give exactly the bytes icalendar gives.

The reference below builds the same file from icalendar's own types (Event, vCalAddress,
vText …) and serialises it with ``Calendar.to_ical()``; the files must be equal byte for byte.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, vCalAddress, vText
from icalendar.parser import Contentline

from app.exports.ical import (
    PRODID,
    Attendee,
    IcsEvent,
    build_calendar,
    clean_line,
    clean_multiline,
    description_with_link,
    fold,
    vtimezone,
)

DTSTAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def repeated(moment: datetime, tzid: str) -> bool:
    local = moment.astimezone(ZoneInfo(tzid))
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def times_for_icalendar(event: IcsEvent) -> tuple[datetime, datetime]:
    """Both ends in UTC when either is in a fall-back repeated hour, else both in the zone."""
    if repeated(event.starts_at, event.tzid) or repeated(event.ends_at, event.tzid):
        return event.starts_at.astimezone(UTC), event.ends_at.astimezone(UTC)
    zone = ZoneInfo(event.tzid)
    return event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)


def address(email: str, name: str, **params: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{clean_line(email)}")
    if clean_line(name):
        value.params["CN"] = clean_line(name)
    value.params.update(params)
    return value


def reference_event(event: IcsEvent, status: str) -> Event:
    location = clean_line(event.location)
    component = Event()
    component.add("summary", clean_line(event.summary))
    starts_at, ends_at = times_for_icalendar(event)
    component.add("dtstart", starts_at)
    component.add("dtend", ends_at)
    component.add("dtstamp", DTSTAMP)
    component.add("uid", clean_line(event.uid))
    component.add("sequence", event.sequence)
    for attendee in event.attendees:
        component.add("attendee", address(attendee.email, attendee.name, RSVP="FALSE"))
    categories = [c for c in map(clean_line, event.categories) if c]
    if categories:
        component.add("categories", categories)
    description = description_with_link(clean_multiline(event.description), location)
    if description:
        component.add("description", description)
    if event.last_modified:
        component.add("last-modified", event.last_modified)
    if location:
        component.add("location", location)
    if event.organizer_email:
        component.add("organizer", address(event.organizer_email, event.organizer_name))
    component.add("status", status)
    if clean_line(event.url):
        component.add("url", clean_line(event.url))
    return component


def reference_file(events: list[IcsEvent], *, method: str, calname: str | None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if calname and clean_line(calname):
        calendar.add("x-wr-calname", vText(clean_line(calname)))
    tzids = sorted({e.tzid for e in events})
    for tzid in tzids:
        years = [m.astimezone(ZoneInfo(tzid)).year for e in events if e.tzid == tzid
                 for m in (e.starts_at, e.ends_at)]
        calendar.add_component(vtimezone(tzid, min(years), max(years)))
    for event in events:
        calendar.add_component(reference_event(event, "CANCELLED" if method == "CANCEL" else event.status))
    return calendar.to_ical()


# Text without "\N" once cleaned: icalendar turns that pair into a line break, the writer keeps
# it.  Cleaning drops control characters, so "\\\x00N" becomes the pair too (hypothesis found it).
texts = st.text(max_size=300).filter(
    lambda text: "\\N" not in clean_line(text) and "\\N" not in clean_multiline(text))
instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31),
                        timezones=st.just(UTC))
events = st.builds(
    IcsEvent,
    uid=st.uuids().map(lambda u: f"{u}@telementor.example.org"),
    sequence=st.integers(0, 50),
    starts_at=instants.map(lambda moment: moment.replace(microsecond=0)),
    ends_at=st.just(None),
    tzid=st.sampled_from(["America/Denver", "America/New_York", "Europe/London", "Asia/Kolkata"]),
    summary=texts,
    description=texts,
    location=texts,
    url=st.sampled_from(["", "https://zoom.us/j/1?pwd=a,b;c", "https://meet.example.org/x"]),
    organizer_email=st.sampled_from(["", "coordinator@example.org"]),
    organizer_name=texts,
    status=st.sampled_from(["CONFIRMED", "CANCELLED"]),
    last_modified=st.none() | instants.map(lambda moment: moment.replace(microsecond=0)),
    categories=st.lists(texts, max_size=3).map(tuple),
    attendees=st.lists(st.builds(Attendee, email=st.emails(), name=texts), max_size=2).map(tuple),
).map(lambda e: IcsEvent(**{**{f: getattr(e, f) for f in e.__slots__},
                            "ends_at": e.starts_at + timedelta(minutes=90)}))


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(events, min_size=1, max_size=4), st.none() | texts)
def test_writer_published_file_equals_icalendar(event_list, calname):
    assert build_calendar(event_list, calname=calname, dtstamp=DTSTAMP) == reference_file(
        event_list, method="PUBLISH", calname=calname
    )


@settings(max_examples=100, deadline=None, database=None)
@given(events, st.sampled_from(["REQUEST", "CANCEL"]))
def test_writer_invite_equals_icalendar(event, method):
    event = IcsEvent(**{**{f: getattr(event, f) for f in event.__slots__},
                        "organizer_email": "coordinator@example.org",
                        "attendees": event.attendees or (Attendee("spoke@example.org"),)})
    assert build_calendar([event], method=method, dtstamp=DTSTAMP) == reference_file(
        [event], method=method, calname=None
    )


@settings(max_examples=1000, deadline=None, database=None)
@given(st.text(alphabet=st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=400))
def test_writer_fold_equals_icalendar(line):
    assert fold(line) == Contentline(line).to_ical()


def test_writer_keeps_a_backslash_before_n_that_cleaning_brings_together():
    # "\\", a control character, "N": cleaning drops the control, and the backslash typed stays a
    # backslash ("\\\\N"), not the line break icalendar would make of "\\N".
    event = IcsEvent(uid="u@example.org", sequence=0, starts_at=datetime(2026, 3, 3, 17, tzinfo=UTC),
                     ends_at=datetime(2026, 3, 3, 18, tzinfo=UTC), tzid="America/Denver", summary="a\\\x00Nb")
    assert b"SUMMARY:a\\\\Nb\r\n" in build_calendar([event], dtstamp=DTSTAMP)


def test_writer_fold_keeps_escapes_on_one_line():
    line = "DESCRIPTION:" + "x" * 61 + "\\,y"
    assert (fold(line), fold(line) == Contentline(line).to_ical()) == (
        b"DESCRIPTION:" + b"x" * 61 + b"\r\n \\,y",
        True,
    )


def test_writer_fold_of_a_75_octet_line_matches_icalendar():
    assert fold("A" * 75) == b"A" * 74 + b"\r\n A"


@pytest.mark.parametrize("text", ["\ufeff", "\ufeffZoom", "Zoom\ufeff"])
def test_writer_drops_byte_order_marks_like_icalendar(text):
    event = IcsEvent(uid="bom@telementor.example.org", sequence=0, starts_at=datetime(2026, 3, 1, 19, tzinfo=UTC),
                     ends_at=datetime(2026, 3, 1, 20, tzinfo=UTC), tzid="America/Denver", summary="s", location=text)
    written = build_calendar([event], dtstamp=DTSTAMP)
    assert (written == reference_file([event], method="PUBLISH", calname=None), "\ufeff".encode() in written) == (
        True, False)
