"""How long building calendar files takes.

    python benchmarks/ics_files.py [--runs N]

Prints the median (and fastest, slowest) of N runs for:
  * one program's series file with 1,000 weekly sessions (target: under 100 ms), warm
    (built before: VTIMEZONE and repeated lines cached) and cold (all caches emptied,
    as for the first file after start-up);
  * a member's private feed over 20 programs × 52 sessions in 8 time zones;
  * for comparison, the same 1,000-session file built entirely from icalendar objects
    (the reference the unit tests compare the fast writer with).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import icalendar  # noqa: E402

from app.exports import ical  # noqa: E402
from app.exports.ical import IcsEvent, build_calendar  # noqa: E402

TARGET_MS = 100
ZONES = ["America/Denver", "America/New_York", "America/Chicago", "America/Los_Angeles",
         "Europe/London", "Asia/Kolkata", "Australia/Sydney", "Africa/Johannesburg"]
AGENDA = (
    "Didactic (20 min): Managing hepatitis C in primary care: when to treat, "
    "which regimen, and how to monitor adherence.\n"
    "Case 1: 54-year-old with cirrhosis, prior non-response.\n"
    "Case 2: Adherence barriers in a rural clinic; transport and pharmacy access.\n"
    "Please submit cases by Friday. Continuing education credit is available."
)


def program_sessions(program: int, count: int, tzid: str, first: datetime) -> list[IcsEvent]:
    link = f"https://zoom.us/j/9{program:08d}?pwd=Xk3v9{program}"
    return [
        IcsEvent(
            uid=f"6f1c2d3e-{program:04d}-4000-8000-{index:012d}@telementor.example.org",
            sequence=index % 3,
            starts_at=first + timedelta(weeks=index),
            ends_at=first + timedelta(weeks=index, minutes=90),
            tzid=tzid,
            summary=f"Program {program} ECHO: session {index + 1}",
            # a different agenda per session, so the writer's line cache does not flatter it
            description=f"Session {index + 1} of program {program}.\n{AGENDA}",
            location=link,
            url=f"https://telementor.example.org/sessions/{program}-{index}",
            organizer_email="coordinator@example.org",
            organizer_name="Hub Coordinator",
            status="CANCELLED" if index % 25 == 24 else "CONFIRMED",
            last_modified=datetime(2026, 1, 5, 10, 0, tzinfo=UTC),
            categories=("Project ECHO",),
        )
        for index in range(count)
    ]


def timings_ms(build: Callable[[], bytes], runs: int, before_each: Callable[[], None] = lambda: None):
    results = []
    for _ in range(runs):
        before_each()
        start = time.perf_counter()
        build()
        results.append((time.perf_counter() - start) * 1000)
    return results


def report(label: str, results: list[float], size: int) -> float:
    median = statistics.median(results)
    print(f"{label:<52} median {median:7.1f} ms   min {min(results):7.1f}   "
          f"max {max(results):7.1f}   ({size / 1024:.0f} KiB)")
    return median


def icalendar_only(events: list[IcsEvent]) -> bytes:
    from tests.unit.test_ical_writer import reference_file

    return reference_file(events, method="PUBLISH", calname="Program 1 ECHO")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    stamp = datetime(2026, 1, 5, 12, tzinfo=UTC)

    series = program_sessions(1, 1000, "America/Denver", datetime(2026, 1, 6, 19, tzinfo=UTC))
    series_file = build_calendar(series, calname="Program 1 ECHO", dtstamp=stamp)
    feed = [event for program in range(20) for event in program_sessions(
        program, 52, ZONES[program % len(ZONES)], datetime(2026, 1, 5 + program % 5, 15, tzinfo=UTC))]
    feed_file = build_calendar(feed, calname="My ECHO sessions", dtstamp=stamp)

    print(f"Python {sys.version.split()[0]}, icalendar {icalendar.__version__}, {runs} runs each\n")
    warm = report("series, 1,000 sessions (warm: built before)",
                  timings_ms(lambda: build_calendar(series, calname="Program 1 ECHO", dtstamp=stamp), runs),
                  len(series_file))
    report("series, 1,000 sessions (cold: caches emptied)",
           timings_ms(lambda: build_calendar(series, calname="Program 1 ECHO", dtstamp=stamp), runs,
                      ical.clear_caches), len(series_file))
    report("private feed, 20 programs x 52 sessions, 8 zones",
           timings_ms(lambda: build_calendar(feed, calname="My ECHO sessions", dtstamp=stamp), runs),
           len(feed_file))
    report("series, 1,000 sessions, icalendar objects only",
           timings_ms(lambda: icalendar_only(series), max(3, runs // 5)), len(series_file))
    verdict = "OK" if warm < TARGET_MS else "TOO SLOW"
    print(f"\ntarget: 1,000-session file under {TARGET_MS} ms -> {verdict}")
    return 0 if warm < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
