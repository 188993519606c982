"""Calendar files read back by three independent parsers: python icalendar, vobject and
Mozilla's ical.js (under Node, as Thunderbird reads them)."""

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.exports.ical import Attendee, IcsEvent, build_calendar, vtimezone
from app.scheduling.recurrence import RecurrenceRule, expand
from tests.calendar_readers import (
    instants_by_icalendar,
    instants_by_icaljs,
    instants_by_vobject,
    read_with_vobject,
    utc_iso,
)

DTSTAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
VIDEO_LINK = "https://zoom.us/j/123456789?pwd=secret"


def expected_instants(events: list[IcsEvent]) -> list[tuple[str, str, str]]:
    return [(e.uid, utc_iso(e.starts_at), utc_iso(e.ends_at)) for e in events]


# --- inputs ---------------------------------------------------------------------------------


def session_event(index: int, starts_at: datetime, tzid: str, **changes) -> IcsEvent:
    fields = dict(
        uid=f"session-{index}@telementor.example.org",
        sequence=0,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        tzid=tzid,
        summary="Hepatitis C ECHO",
        description="Didactic: treatment in primary care\nCase 1: adherence",
        location=VIDEO_LINK,
        url=VIDEO_LINK,
        organizer_email="coordinator@example.org",
        organizer_name="Hub Coordinator",
    )
    fields.update(changes)
    return IcsEvent(**fields)


def series(tzid: str, first_date: date, count: int, *, prefix: str = "") -> list[IcsEvent]:
    rule = RecurrenceRule(
        kind="weekly",
        weekday=first_date.weekday(),
        first_date=first_date,
        start_time=time(12, 0),
        duration_minutes=90,
        timezone=tzid,
        count=count,
    )
    return [session_event(i, o.starts_at_utc, tzid, uid=f"{prefix}{i}@t.example.org")
            for i, o in enumerate(expand(rule))]


def denver_across_both_changes() -> list[IcsEvent]:
    # 3 March (MST) … 10 March (MDT) … 27 October (MDT) … 3 November (MST)
    return series("America/Denver", date(2026, 3, 3), 2, prefix="spring") + series(
        "America/Denver", date(2026, 10, 27), 2, prefix="fall"
    )


def new_york_across_both_changes() -> list[IcsEvent]:
    return series("America/New_York", date(2026, 3, 3), 2, prefix="ny-spring") + series(
        "America/New_York", date(2026, 10, 27), 2, prefix="ny-fall"
    )


# --- times across DST, three parsers -----------------------------------------------------------


@pytest.mark.parametrize("make_events", [denver_across_both_changes, new_york_across_both_changes])
def test_ics_dst_series_instants_icalendar(make_events):
    events = make_events()
    assert instants_by_icalendar(build_calendar(events, dtstamp=DTSTAMP)) == expected_instants(events)


@pytest.mark.parametrize("make_events", [denver_across_both_changes, new_york_across_both_changes])
def test_ics_dst_series_instants_vobject(make_events):
    events = make_events()
    assert instants_by_vobject(build_calendar(events, dtstamp=DTSTAMP)) == expected_instants(events)


@pytest.mark.parametrize("make_events", [denver_across_both_changes, new_york_across_both_changes])
def test_ics_dst_series_instants_icaljs(icaljs_reader, make_events):
    events = make_events()
    ics = build_calendar(events, dtstamp=DTSTAMP)
    assert instants_by_icaljs(icaljs_reader, ics) == expected_instants(events)


def test_ics_dst_series_keeps_noon_wall_time_in_the_file():
    ics = build_calendar(denver_across_both_changes(), dtstamp=DTSTAMP)
    assert re.findall(rb"DTSTART;TZID=America/Denver:(\d{8}T\d{6})", ics) == [
        b"20260303T120000", b"20260310T120000", b"20261027T120000", b"20261103T120000"
    ]


def multi_zone_feed() -> list[IcsEvent]:
    return (
        series("America/Denver", date(2026, 10, 27), 3, prefix="den")
        + series("Europe/London", date(2026, 10, 20), 3, prefix="lon")
        + series("Australia/Sydney", date(2026, 3, 31), 3, prefix="syd")
        + series("Asia/Kolkata", date(2026, 6, 1), 2, prefix="kol")
        + series("America/Santiago", date(2027, 3, 30), 3, prefix="scl")
        # Chile's April change falls on the 1st Sunday until 2028, the 2nd in 2029: RRULE + UNTIL
        + series("America/Santiago", date(2029, 4, 3), 2, prefix="scl-2029")
    )


def test_ics_multi_zone_feed_instants_in_all_three_parsers(icaljs_reader):
    events = multi_zone_feed()
    ics = build_calendar(events, dtstamp=DTSTAMP)
    expected = expected_instants(events)
    assert (
        instants_by_icalendar(ics), instants_by_vobject(ics), instants_by_icaljs(icaljs_reader, ics)
    ) == (expected, expected, expected)


def test_ics_second_of_two_equal_wall_times_is_written_in_utc(icaljs_reader):
    # 00:30 MDT + 2 h ends at 01:30 MST on 1 November, a wall time that happens twice.
    start = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    event = session_event(1, start, "America/Denver", ends_at=start + timedelta(hours=2))
    ics = build_calendar([event], dtstamp=DTSTAMP)
    expected = expected_instants([event])
    assert (b"DTEND:20261101T083000Z" in ics, instants_by_icalendar(ics), instants_by_vobject(ics),
            instants_by_icaljs(icaljs_reader, ics)) == (True, expected, expected, expected)


@pytest.mark.parametrize(("start", "hours", "lines"), [
    # 01:30 MDT, the first of two 01:30s on 1 November, to 02:30 MST: the start is in the repeated hour.
    (datetime(2026, 11, 1, 7, 30, tzinfo=UTC), 2, (b"DTSTART:20261101T073000Z", b"DTEND:20261101T093000Z")),
    # 00:30 MDT to 01:30 MDT, the first 01:30: the end is in the repeated hour.
    (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), 1, (b"DTSTART:20261101T063000Z", b"DTEND:20261101T073000Z")),
    # 00:30 MDT to 01:30 MST, the second 01:30.
    (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), 2, (b"DTSTART:20261101T063000Z", b"DTEND:20261101T083000Z")),
])
def test_ics_session_touching_the_repeated_hour_has_both_ends_in_utc(icaljs_reader, start, hours, lines):
    event = session_event(1, start, "America/Denver", ends_at=start + timedelta(hours=hours))
    ics = build_calendar([event], dtstamp=DTSTAMP)
    vevent = ics.split(b"BEGIN:VEVENT")[1].replace(b"\r\n", b"\n")
    written = tuple(re.findall(rb"^DT(?:START|END)[;:].*$", vevent, flags=re.M))
    expected = expected_instants([event])
    assert (written, instants_by_icalendar(ics), instants_by_vobject(ics),
            instants_by_icaljs(icaljs_reader, ics)) == (lines, expected, expected, expected)


def test_ics_session_next_to_the_repeated_hour_keeps_its_zone():
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # 02:00 MST, just after the repeated hour
    ics = build_calendar([session_event(1, start, "America/Denver")], dtstamp=DTSTAMP)
    assert b"DTSTART;TZID=America/Denver:20261101T020000\r\n" in ics
    assert b"DTEND;TZID=America/Denver:20261101T033000\r\n" in ics


# --- VTIMEZONE ------------------------------------------------------------------------------------


def test_ics_has_one_vtimezone_per_tzid(icaljs_reader):
    ics = build_calendar(multi_zone_feed(), dtstamp=DTSTAMP)
    expected = ["America/Denver", "America/Santiago", "Asia/Kolkata", "Australia/Sydney", "Europe/London"]
    tzids = [str(tz["TZID"]) for tz in Calendar.from_ical(ics).walk("VTIMEZONE")]
    assert (tzids, icaljs_reader(ics)["timezones"]) == (expected, expected)


def test_vtimezone_denver_is_two_yearly_rules():
    assert vtimezone("America/Denver", 2026, 2028).to_ical() == (
        b"BEGIN:VTIMEZONE\r\nTZID:America/Denver\r\n"
        b"BEGIN:DAYLIGHT\r\nDTSTART:20250309T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
        b"TZNAME:MDT\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0600\r\nEND:DAYLIGHT\r\n"
        b"BEGIN:STANDARD\r\nDTSTART:20251102T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"
        b"TZNAME:MST\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0700\r\nEND:STANDARD\r\n"
        b"END:VTIMEZONE\r\n"
    )


def test_vtimezone_london_uses_last_sunday():
    rules = [str(c["RRULE"].to_ical(), "ascii") for c in vtimezone("Europe/London", 2026, 2027).subcomponents]
    assert rules == ["FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"]


def test_vtimezone_zone_without_dst_is_one_standard_observance():
    assert vtimezone("Asia/Kolkata", 2026, 2028).to_ical() == (
        b"BEGIN:VTIMEZONE\r\nTZID:Asia/Kolkata\r\n"
        b"BEGIN:STANDARD\r\nDTSTART:20250101T000000\r\nTZNAME:IST\r\n"
        b"TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


def hours_to_check(zone, first: datetime, last: datetime) -> list[datetime]:
    """Every 6 hours, and every hour inside a 6-hour window where the offset changes."""
    moments = []
    window = timedelta(hours=6)
    moment = first
    while moment < last:
        if moment.astimezone(zone).utcoffset() != (moment + window).astimezone(zone).utcoffset():
            moments += [moment + timedelta(hours=h) for h in range(6)]
        else:
            moments.append(moment)
        moment += window
    return moments


@pytest.mark.parametrize("tzid", [
    "America/Denver", "America/New_York", "America/Phoenix", "America/Santiago", "Europe/London",
    "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Jerusalem",
    "Pacific/Auckland", "America/Sao_Paulo",
])
def test_vtimezone_offsets_match_zoneinfo(tzid):
    # vobject turns the VTIMEZONE into a tzinfo of its own; it must agree with the tz database.
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + vtimezone(tzid, 2026, 2028).to_ical().decode()
    from_file = read_with_vobject((text + "END:VCALENDAR\r\n").encode()).vtimezone.gettzinfo()
    zone = ZoneInfo(tzid)
    moments = hours_to_check(zone, datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC))
    mismatches = [m for m in moments if m.astimezone(from_file).utcoffset() != m.astimezone(zone).utcoffset()]
    assert mismatches == []


def test_vtimezone_has_no_rdate_only_rules():
    # Outlook shifts events by an hour when the rules are RDATE lists (DOMAIN.md §5).
    ics = build_calendar(multi_zone_feed(), dtstamp=DTSTAMP)
    assert (b"RDATE" in ics, ics.count(b"RRULE:FREQ=YEARLY"), ics.count(b";UNTIL=")) == (False, 9, 1)


# --- properties ------------------------------------------------------------------------------------


def test_ics_calendar_properties(icaljs_reader):
    ics = build_calendar(denver_across_both_changes(), calname="Hep C ECHO", dtstamp=DTSTAMP)
    read = icaljs_reader(ics)
    assert (read["prodid"], read["version"], read["method"], read["calname"]) == (
        "-//Telementor//Telementor//EN", "2.0", "PUBLISH", "Hep C ECHO"
    )


def test_ics_calendar_name_is_escaped_text():
    # TEXT as Apple and Google read it (icalendar and ical.js hand X- properties over unescaped).
    name = "Pain; Opioids, and more \\ more"
    ics = build_calendar([], calname=name, dtstamp=DTSTAMP)
    assert b"X-WR-CALNAME:Pain\\; Opioids\\, and more \\\\ more\r\n" in ics
    assert read_with_vobject(ics).contents["x-wr-calname"][0].value == name


def test_ics_event_properties_in_icalendar():
    event = session_event(7, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver", sequence=3,
                          categories=("ECHO", "Hepatitis C"),
                          last_modified=datetime(2026, 2, 1, 8, 0, tzinfo=UTC))
    parsed = Calendar.from_ical(build_calendar([event], dtstamp=DTSTAMP)).walk("VEVENT")[0]
    assert (
        str(parsed["UID"]), parsed["SEQUENCE"], str(parsed["STATUS"]), str(parsed["LOCATION"]),
        str(parsed["URL"]), str(parsed["ORGANIZER"]), str(parsed["ORGANIZER"].params["CN"]),
        parsed["DTSTAMP"].dt, parsed["LAST-MODIFIED"].dt, parsed.categories,
    ) == (
        "session-7@telementor.example.org", 3, "CONFIRMED", VIDEO_LINK, VIDEO_LINK,
        "mailto:coordinator@example.org", "Hub Coordinator", DTSTAMP,
        datetime(2026, 2, 1, 8, 0, tzinfo=UTC), ["ECHO", "Hepatitis C"],
    )


def test_ics_event_properties_in_icaljs(icaljs_reader):
    event = session_event(7, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver", sequence=3,
                          organizer_name="Dr. Ruiz, MD")
    read = icaljs_reader(build_calendar([event], dtstamp=DTSTAMP))["events"][0]
    assert {k: read[k] for k in ("uid", "sequence", "status", "location", "url", "organizer",
                                 "organizer_cn", "tzid", "description")} == {
        "uid": "session-7@telementor.example.org",
        "sequence": 3,
        "status": "CONFIRMED",
        "location": VIDEO_LINK,
        "url": VIDEO_LINK,
        "organizer": "mailto:coordinator@example.org",
        "organizer_cn": "Dr. Ruiz, MD",
        "tzid": "America/Denver",
        "description": f"Didactic: treatment in primary care\nCase 1: adherence\n\nJoin: {VIDEO_LINK}",
    }


def test_ics_description_already_holding_the_link_is_left_alone():
    event = session_event(1, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver",
                          description=f"Join at {VIDEO_LINK}")
    parsed = Calendar.from_ical(build_calendar([event], dtstamp=DTSTAMP)).walk("VEVENT")[0]
    assert str(parsed["DESCRIPTION"]) == f"Join at {VIDEO_LINK}"


def test_ics_cancelled_session_stays_in_a_published_file(icaljs_reader):
    start = datetime(2026, 3, 3, 19, tzinfo=UTC)
    events = [session_event(1, start, "America/Denver"),
              session_event(2, start + timedelta(weeks=1), "America/Denver", status="CANCELLED", sequence=1)]
    ics = build_calendar(events, dtstamp=DTSTAMP)
    by_icalendar = [(str(e["UID"]), str(e["STATUS"])) for e in Calendar.from_ical(ics).walk("VEVENT")]
    by_icaljs = [(e["uid"], e["status"]) for e in icaljs_reader(ics)["events"]]
    expected = [("session-1@telementor.example.org", "CONFIRMED"),
                ("session-2@telementor.example.org", "CANCELLED")]
    assert (by_icalendar, by_icaljs) == (expected, expected)


# --- text hygiene and line format ------------------------------------------------------------------


def dirty_event() -> IcsEvent:
    return session_event(
        1, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver",
        summary="Hep\x00 C\x07 ECHO\r\nweekly\x1b\ud800",
        description="Line one\x0b\r\nLine\ttwo\x7f\rLine three\x9b",
        location=f"{VIDEO_LINK}\x00",
        organizer_name="Hub\x08 Coordinator",
    )


def test_ics_control_characters_are_stripped(icaljs_reader):
    ics = build_calendar([dirty_event()], dtstamp=DTSTAMP)
    read = icaljs_reader(ics)["events"][0]
    expected_description = f"Line one\nLine two\nLine three\n\nJoin: {VIDEO_LINK}"
    assert (read["summary"], read["description"], read["location"], read["organizer_cn"]) == (
        "Hep C ECHO weekly", expected_description, VIDEO_LINK, "Hub Coordinator"
    )


def test_ics_bytes_hold_no_control_characters_but_crlf():
    ics = build_calendar([dirty_event()], dtstamp=DTSTAMP)
    assert re.findall(rb"[\x00-\x1f\x7f]", ics.replace(b"\r\n", b"")) == []


def test_ics_lines_are_crlf_and_at_most_75_octets():
    long_text = "Caso clínico: paciente con hepatitis C crónica 🩺 — revisión del tratamiento; " * 6
    event = session_event(1, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver",
                          summary=long_text, description=long_text + "\n" + long_text,
                          organizer_name="Coordinadora Ñúñez " * 5)
    ics = build_calendar([event], calname=long_text, dtstamp=DTSTAMP)
    lines = ics.split(b"\r\n")
    assert (lines[-1], b"\n" in ics.replace(b"\r\n", b""), max(len(line) for line in lines)) == (b"", False, 75)
    assert Calendar.from_ical(ics).walk("VEVENT")[0]["SUMMARY"] == long_text.strip()


def test_ics_literal_backslash_n_survives():
    event = session_event(1, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver",
                          summary=r"Files in C:\New\Notes")
    ics = build_calendar([event], dtstamp=DTSTAMP)
    assert (str(Calendar.from_ical(ics).walk("VEVENT")[0]["SUMMARY"]),
            read_with_vobject(ics).vevent.summary.value) == (r"Files in C:\New\Notes",) * 2


# --- iMIP invites -------------------------------------------------------------------------------------


def invite_event(**changes) -> IcsEvent:
    changes.setdefault("attendees", (Attendee("spoke@example.org", "Spoke Clinician"),))
    return session_event(1, datetime(2026, 3, 3, 19, tzinfo=UTC), "America/Denver", **changes)


def test_ics_request_invite(icaljs_reader):
    ics = build_calendar([invite_event(sequence=2)], method="REQUEST", dtstamp=DTSTAMP)
    read = icaljs_reader(ics)
    attendee = Calendar.from_ical(ics).walk("VEVENT")[0]["ATTENDEE"]
    assert (read["method"], read["events"][0]["sequence"], read["events"][0]["status"],
            str(attendee), str(attendee.params["CN"])) == (
        "REQUEST", 2, "CONFIRMED", "mailto:spoke@example.org", "Spoke Clinician"
    )


def test_ics_cancel_invite_forces_status_cancelled(icaljs_reader):
    ics = build_calendar([invite_event(sequence=3)], method="CANCEL", dtstamp=DTSTAMP)
    read = icaljs_reader(ics)
    assert (read["method"], [(e["uid"], e["sequence"], e["status"]) for e in read["events"]]) == (
        "CANCEL", [("session-1@telementor.example.org", 3, "CANCELLED")]
    )


def test_ics_invite_with_two_events_is_refused():
    with pytest.raises(ValueError) as caught:
        build_calendar([invite_event(), invite_event()], method="REQUEST")
    assert str(caught.value) == "a REQUEST invite carries exactly one event, not 2"


def test_ics_invite_without_organizer_is_refused():
    with pytest.raises(ValueError) as caught:
        build_calendar([invite_event(organizer_email="")], method="CANCEL")
    assert str(caught.value) == "a CANCEL invite needs an organizer (RFC 5546)"


def test_ics_invite_without_attendees_is_refused():
    with pytest.raises(ValueError) as caught:
        build_calendar([invite_event(attendees=())], method="REQUEST")
    assert str(caught.value) == "a REQUEST invite needs its attendees (RFC 5546)"


def test_ics_unknown_method_is_refused():
    with pytest.raises(ValueError) as caught:
        build_calendar([invite_event()], method="ADD")
    assert str(caught.value) == "method must be one of PUBLISH, REQUEST, CANCEL, not 'ADD'"


def test_ics_naive_datetime_is_refused():
    with pytest.raises(ValueError) as caught:
        build_calendar([replace(invite_event(), starts_at=datetime(2026, 3, 3, 12))])
    assert str(caught.value) == "event 'session-1@telementor.example.org' has a naive datetime"


def test_ics_unknown_time_zone_is_refused():
    with pytest.raises(ValueError) as caught:
        build_calendar([replace(invite_event(), tzid="Mars/Olympus")])
    assert str(caught.value) == "event 'session-1@telementor.example.org' has an unknown time zone 'Mars/Olympus'"
