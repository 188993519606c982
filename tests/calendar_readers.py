"""Three independent readers of .ics files: python icalendar, vobject and Mozilla's ical.js
(under Node, as Thunderbird reads them). Each returns (UID, UTC start, UTC end) per VEVENT."""

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import vobject
from icalendar import Calendar

ICALJS_DIR = Path(__file__).resolve().parent / "icaljs"


def icaljs_read_function():
    """A function that reads .ics bytes with ical.js, or None when node is missing."""
    node = shutil.which("node")
    if node is None:
        return None
    if not (ICALJS_DIR / "node_modules" / "ical.js").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ICALJS_DIR, check=True)

    def read(ics: bytes) -> dict:
        completed = subprocess.run(
            [node, str(ICALJS_DIR / "read_ics.mjs")], input=ics, capture_output=True, check=True
        )
        return json.loads(completed.stdout)

    return read


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def instants_by_icalendar(ics: bytes) -> list[tuple[str, str, str]]:
    events = Calendar.from_ical(ics).walk("VEVENT")
    return [(str(e["UID"]), utc_iso(e.start), utc_iso(e.end)) for e in events]


def read_with_vobject(ics: bytes):
    """vobject keeps every VTIMEZONE it has seen in a process-wide map and prefers the first one
    with a TZID; forget them so that each file is read with its own VTIMEZONEs."""
    vars(vobject.icalendar)["__tzidMap"].clear()
    return vobject.readOne(ics.decode())


def instants_by_vobject(ics: bytes) -> list[tuple[str, str, str]]:
    # vobject resolves TZID through the VTIMEZONE in the file, not through its own zone data.
    calendar = read_with_vobject(ics)
    return [
        (e.uid.value, utc_iso(e.dtstart.value), utc_iso(e.dtend.value))
        for e in calendar.vevent_list
    ]


def instants_by_icaljs(read, ics: bytes) -> list[tuple[str, str, str]]:
    return [(e["uid"], e["start_utc"], e["end_utc"]) for e in read(ics)["events"]]


