"""RFC 5545 calendar files for sessions: a series, a private feed, or one iMIP invite.

Pure: plain data in (``IcsEvent``), bytes out. Facts behind the choices are in
DOMAIN.md §5.

* Times are written in the program's zone with ``TZID`` plus a VTIMEZONE built here
  from yearly RRULEs (Outlook shifts events by an hour when a VTIMEZONE uses RDATE-only
  rules; icalendar's ``Timezone.from_tzinfo`` writes RDATEs, and writes the spring
  onset as 03:00 where RFC 5545 wants 02:00, the wall time before the change).
  A session that starts or ends inside the hour repeated at a fall-back change has
  both DTSTART and DTEND written in UTC instead (TZID cannot tell the two equal wall
  times apart).
* The envelope and the VTIMEZONEs are icalendar components. VEVENTs go through a
  small writer that produces exactly the bytes icalendar's ``Event.to_ical()`` would
  (same property order, escaping and folding) about 40× faster; the unit tests
  compare the two byte for byte. icalendar alone needs 0.7–1 s for 1,000 events
  (``python benchmarks/ics_files.py``).
* One deliberate difference from icalendar: a literal ``\\N`` in text stays a
  backslash and an N (icalendar turns it into a line break).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Parameters, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress
from icalendar.parser import Contentline

from app.scheduling.timezones import Observance, observances, transitions_in_year

PRODID = "-//Telementor//Telementor//EN"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
Status = Literal["CONFIRMED", "CANCELLED"]

_LINE_OCTETS = 74  # icalendar folds a line before it would reach 75 octets
# C0 and C1 controls (keeping TAB, LF, CR for the callers to map) and lone surrogates,
# which cannot be written as UTF-8 at all.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_LINE_BREAKS_AND_TABS = re.compile("[\t\r\n]+")


@dataclass(frozen=True, slots=True)
class Attendee:
    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class IcsEvent:
    """One session as the calendar file shows it. ``starts_at``/``ends_at`` are aware."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    tzid: str
    summary: str
    description: str = ""
    location: str = ""  # the video link
    url: str = ""
    conference: str = ""  # the video link again, as RFC 7986 CONFERENCE (clients that offer a Join button)
    organizer_email: str = ""
    organizer_name: str = ""
    status: Status = "CONFIRMED"
    last_modified: datetime | None = None
    categories: tuple[str, ...] = ()
    attendees: tuple[Attendee, ...] = ()  # for iMIP invites; empty in files and feeds


# --- text hygiene ---------------------------------------------------------------------


def clean_line(text: str) -> str:
    """Single-line text: line breaks and tabs become one space, other controls go."""
    if text.isprintable():  # the common case, and much cheaper than the regexes
        return text.strip()
    return _CONTROL_CHARS.sub("", _LINE_BREAKS_AND_TABS.sub(" ", text)).strip()


def clean_multiline(text: str) -> str:
    """DESCRIPTION keeps its line breaks (as LF); tabs become spaces, other controls go."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.replace("\n", "").isprintable():
        return text.strip()
    return _CONTROL_CHARS.sub("", text).strip()


def _escape_text(text: str) -> str:
    # icalendar's TEXT escaping (RFC 5545 §3.3.11) minus its "\N" → newline step.
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def fold(line: str) -> bytes:
    """UTF-8 bytes of one content line folded as icalendar folds it.

    Each physical line holds at most 74 octets of content (plus the leading space on
    continuations), never splits a UTF-8 sequence, and does not end a segment with
    ``\\`` or ``^`` so an escape stays on one line (icalendar issue #1501).
    """
    encoded = line.encode()
    if len(encoded) <= _LINE_OCTETS:
        return encoded
    segments = []
    start = 0
    while len(encoded) - start > _LINE_OCTETS:
        end = start + _LINE_OCTETS
        while encoded[end] & 0xC0 == 0x80:  # continuation byte: back off to its lead
            end -= 1
        if encoded[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        segments.append(encoded[start:end])
        start = end
    segments.append(encoded[start:])
    return b"\r\n ".join(segments)


# --- VTIMEZONE ----------------------------------------------------------------------------


def _observance_component(observance: Observance) -> TimezoneStandard | TimezoneDaylight:
    first = observance.first
    component = TimezoneDaylight() if first.is_daylight else TimezoneStandard()
    component.add("dtstart", first.local_onset)
    if observance.yearly is not None:
        rule = {"freq": "yearly", "bymonth": observance.yearly.month, "byday": observance.yearly.byday}
        if observance.yearly.until_utc is not None:
            rule["until"] = observance.yearly.until_utc  # UTC, as RFC 5545 §3.3.10 requires here
        component.add("rrule", rule)
    component.add("tzoffsetfrom", first.offset_from)
    component.add("tzoffsetto", first.offset_to)
    component.add("tzname", first.name)
    return component


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE valid for events from ``first_year`` to ``last_year`` (local years).

    Yearly RRULEs (see ``app.scheduling.timezones.observances``); each DTSTART is the
    onset's wall time before the change, as RFC 5545 §3.6.5 wants. Cached: callers
    must not modify the component.
    """
    component = Timezone()
    component.add("tzid", tzid)
    for observance in observances(tzid, first_year, last_year):
        component.add_component(_observance_component(observance))
    return component


def clear_caches() -> None:
    """Forget cached VTIMEZONEs and lines (for benchmarks, or after a tzdata update)."""
    for cached in (transitions_in_year, vtimezone, _vtimezone_bytes, _text_line,
                   _description_line, _categories_line, _uri_line, _address_line, _conference_line):
        cached.cache_clear()


@lru_cache(maxsize=256)
def _vtimezone_bytes(tzid: str, first_year: int, last_year: int) -> bytes:
    return vtimezone(tzid, first_year, last_year).to_ical()


# --- VEVENT writer ---------------------------------------------------------------------------


def _basic_format(moment: datetime) -> str:
    # %-formatting: this runs three times per event, and strftime is twice as slow
    return "%04d%02d%02dT%02d%02d%02d" % (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
    )


def _utc_stamp(moment: datetime) -> str:
    return _basic_format(moment.astimezone(UTC)) + "Z"


def in_repeated_hour(local: datetime) -> bool:
    """True for a wall time that happens twice (the hour repeated when clocks fall back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _time_lines(event: IcsEvent) -> tuple[bytes, bytes]:
    """DTSTART and DTEND in the program's zone, or both in UTC when either falls in a repeated
    hour: TZID names only the first of two equal wall times, and clients disagree on which one
    they pick, so such a session is written as instants (and its two ends never disagree)."""
    zone = ZoneInfo(event.tzid)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    if in_repeated_hour(start) or in_repeated_hour(end):
        return (f"DTSTART:{_utc_stamp(event.starts_at)}".encode(), f"DTEND:{_utc_stamp(event.ends_at)}".encode())
    return (fold(f"DTSTART;TZID={event.tzid}:{_basic_format(start)}"),
            fold(f"DTEND;TZID={event.tzid}:{_basic_format(end)}"))


# The sessions of one program repeat their title, link, organizer and often their agenda,
# so the finished lines are cached by their raw input.


@lru_cache(maxsize=4096)
def _text_line(name: str, raw: str) -> bytes:
    """A single-line TEXT property, or b"" when nothing is left after cleaning."""
    text = clean_line(raw)
    return fold(f"{name}:{_escape_text(text)}") if text else b""


@lru_cache(maxsize=4096)
def _description_line(raw_description: str, raw_location: str) -> bytes:
    description = description_with_link(clean_multiline(raw_description), clean_line(raw_location))
    return fold(f"DESCRIPTION:{_escape_text(description)}") if description else b""


@lru_cache(maxsize=1024)
def _categories_line(raw_categories: tuple[str, ...]) -> bytes:
    categories = [_escape_text(c) for c in map(clean_line, raw_categories) if c]
    return fold("CATEGORIES:" + ",".join(categories)) if categories else b""


@lru_cache(maxsize=1024)
def _uri_line(name: str, raw: str) -> bytes:
    uri = clean_line(raw)  # URI values are not TEXT: no backslash escapes
    return fold(f"{name}:{uri}") if uri else b""


@lru_cache(maxsize=1024)
def _conference_line(raw: str) -> bytes:
    """RFC 7986 §5.11: VALUE=URI is required; FEATURE and LABEL tell clients it is a video call."""
    uri = clean_line(raw)
    return fold(f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Video link:{uri}") if uri else b""


@lru_cache(maxsize=1024)
def _address_line(property_name: str, email: str, name: str) -> bytes:
    # Parameter quoting (RFC 6868 and friends) is icalendar's, not ours.
    address = vCalAddress(f"mailto:{clean_line(email)}")
    params = Parameters()
    if clean_line(name):
        params["CN"] = clean_line(name)
    if property_name == "ATTENDEE":
        params["RSVP"] = "FALSE"
    return fold(Contentline.from_parts(property_name, params, address))


def description_with_link(description: str, location: str) -> str:
    """The agenda, followed by the video link unless the agenda already has it:
    Outlook and several phone apps do not show LOCATION or URL as a link."""
    if location and location not in description:
        return f"{description}\n\nJoin: {location}" if description else f"Join: {location}"
    return description


def _render_event(event: IcsEvent, *, dtstamp_line: bytes, status: Status | None = None) -> bytes:
    """One VEVENT in icalendar's canonical property order (tested byte for byte)."""
    lines = [
        b"BEGIN:VEVENT",
        _text_line("SUMMARY", event.summary) or b"SUMMARY:",
        *_time_lines(event),
        dtstamp_line,
        fold(f"UID:{_escape_text(clean_line(event.uid))}"),
        b"SEQUENCE:%d" % event.sequence,
        # The rest alphabetically, as icalendar sorts properties outside its canonical order.
        *(_address_line("ATTENDEE", a.email, a.name) for a in event.attendees),
        _categories_line(event.categories),
        _conference_line(event.conference),
        _description_line(event.description, event.location),
        f"LAST-MODIFIED:{_utc_stamp(event.last_modified)}".encode() if event.last_modified else b"",
        _text_line("LOCATION", event.location),
        _address_line("ORGANIZER", event.organizer_email, event.organizer_name)
        if event.organizer_email else b"",
        b"STATUS:" + (status or event.status).encode(),
        _uri_line("URL", event.url),
        b"END:VEVENT\r\n",
    ]
    return b"\r\n".join(line for line in lines if line)


# --- the file ----------------------------------------------------------------------------------


def _check_method(events: Sequence[IcsEvent], method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if method == "PUBLISH":
        return
    if len(events) != 1:
        # Outlook duplicates events from multi-event invites (DOMAIN.md §5).
        raise ValueError(f"a {method} invite carries exactly one event, not {len(events)}")
    if not events[0].organizer_email:
        raise ValueError(f"a {method} invite needs an organizer (RFC 5546)")
    if not events[0].attendees:
        raise ValueError(f"a {method} invite needs its attendees (RFC 5546)")


def _is_naive(moment: datetime | None) -> bool:
    return moment is not None and moment.tzinfo is None


def _check_event(event: IcsEvent) -> None:
    # astimezone() would read a naive datetime as the server's local time: refuse it.
    if _is_naive(event.starts_at) or _is_naive(event.ends_at) or _is_naive(event.last_modified):
        raise ValueError(f"event {event.uid!r} has a naive datetime")
    if event.status not in ("CONFIRMED", "CANCELLED"):
        raise ValueError(f"event {event.uid!r} has an unknown status {event.status!r}")
    if not isinstance(event.sequence, int) or event.sequence < 0:
        raise ValueError(f"event {event.uid!r} has a bad sequence {event.sequence!r}")
    try:
        ZoneInfo(event.tzid)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"event {event.uid!r} has an unknown time zone {event.tzid!r}") from None


def _envelope(method: str, calname: str | None) -> tuple[bytes, bytes]:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    serialized = calendar.to_ical()
    end_line = b"END:VCALENDAR\r\n"
    assert serialized.endswith(end_line)
    header = serialized[: -len(end_line)]
    name = clean_line(calname or "")
    if name:  # TEXT, escaped like SUMMARY (icalendar writes X- properties as they come)
        header += fold(f"X-WR-CALNAME:{_escape_text(name)}") + b"\r\n"
    return header, end_line


def _year_span_per_zone(events: Iterable[IcsEvent]) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for event in events:
        zone = ZoneInfo(event.tzid)
        first = event.starts_at.astimezone(zone).year
        last = event.ends_at.astimezone(zone).year
        low, high = spans.get(event.tzid, (first, last))
        spans[event.tzid] = (min(low, first), max(high, last))
    return spans


def build_calendar(
    events: Sequence[IcsEvent],
    *,
    method: str = "PUBLISH",
    calname: str | None = None,
    dtstamp: datetime | None = None,
) -> bytes:
    """The .ics bytes: one VEVENT per session and one VTIMEZONE per TZID used.

    ``PUBLISH`` for downloads and feeds (cancelled sessions stay, STATUS:CANCELLED).
    ``REQUEST``/``CANCEL`` for a single-event iMIP invite; the caller raises
    ``sequence`` for every update and for the cancellation, and CANCEL forces
    STATUS:CANCELLED. Send it as ``text/calendar; method=<method>`` (RFC 6047).
    """
    _check_method(events, method)
    for event in events:
        _check_event(event)
    if _is_naive(dtstamp):
        raise ValueError("dtstamp must be an aware datetime")
    dtstamp_line = f"DTSTAMP:{_utc_stamp(dtstamp or datetime.now(UTC))}".encode()
    status: Status | None = "CANCELLED" if method == "CANCEL" else None
    header, footer = _envelope(method, calname)
    parts = [header]
    for tzid, (first_year, last_year) in sorted(_year_span_per_zone(events).items()):
        parts.append(_vtimezone_bytes(tzid, first_year, last_year))
    parts.extend(_render_event(event, dtstamp_line=dtstamp_line, status=status) for event in events)
    parts.append(footer)
    return b"".join(parts)
