"""Recurring session schedules: validate a rule, expand it into UTC occurrences, describe it.

Pure: no database, no web. The rules follow iECHO's participant-group schedules
(DOMAIN.md §1.2): weekly every 1–3 weeks, or monthly every 1–6 months on the nth
(1st–4th or last) weekday, ending by a date or a count, at most 3 years out.

Decisions worth knowing:

* ``first_date`` must itself fall on the rule (weekday, and for monthly the nth
  weekday). A mismatch is a field error naming the first matching date, so the
  coordinator sees exactly the first session they get instead of a silent shift.
* Sessions keep their local wall time: each start is computed in the program's zone
  and then converted to UTC, so a noon session in America/Denver stays at noon
  across DST.
* DST edges follow PEP 495 with ``fold=0``: a nonexistent local time (in the
  spring-forward gap) is shifted forward by the gap (02:30 → 03:30), and an
  ambiguous one (in the fall-back overlap) is the first of the two instants.
* ``duration_minutes`` is elapsed time: a session that spans a DST change lasts its
  real length, so ``ends_at_utc - starts_at_utc`` is always the duration.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import InvalidInput

Kind = Literal["weekly", "monthly"]

WEEKDAY_NAMES = tuple(calendar.day_name)  # Monday first, matching date.weekday()
LAST_WEEK = -1
WEEKS_OF_MONTH = (1, 2, 3, 4, LAST_WEEK)
MAX_INTERVAL = {"weekly": 3, "monthly": 6}
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 480
MAX_SERIES_YEARS = 3
_SERIES_FIELDS = {"kind", "interval", "weekday", "week_of_month", "first_date", "until", "count"}
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", LAST_WEEK: "last"}


class RuleError(InvalidInput):
    """A rule that cannot be scheduled; ``errors`` maps each field to one message.

    It is an ``InvalidInput`` so the app's error handler answers 422 with ``fields``.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(fields=dict(errors))
        self.errors = dict(errors)


@dataclass(frozen=True, slots=True)
class Occurrence:
    starts_at_utc: datetime
    ends_at_utc: datetime
    local_date: date


@dataclass(frozen=True, slots=True)
class RecurrenceRule:
    """A validated schedule. Construction raises ``RuleError`` listing every bad field.

    ``weekday`` is 0 = Monday … 6 = Sunday. ``week_of_month`` is 1–4 or -1 (last)
    for monthly rules and must be None for weekly ones. Give ``until`` or ``count``.
    """

    kind: Kind
    first_date: date
    start_time: time
    duration_minutes: int
    timezone: str
    weekday: int
    interval: int = 1
    week_of_month: int | None = None
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        errors = _field_errors(self)
        # The series checks need only the date fields, so a bad time zone or duration
        # does not hide an end date that is too far out.
        if not errors.keys() & _SERIES_FIELDS:
            errors.update(_series_errors(self))
        if errors:
            raise RuleError(errors)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def latest_allowed_date(self) -> date:
        return add_years(self.first_date, MAX_SERIES_YEARS)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


_FORM_PARSERS = {
    "kind": str,
    "interval": int,
    "weekday": int,
    "week_of_month": int,
    "first_date": date.fromisoformat,
    "start_time": time.fromisoformat,
    "duration_minutes": int,
    "timezone": str.strip,
    "until": date.fromisoformat,
    "count": int,
}
_FORM_MESSAGES = {
    "interval": "Give a whole number",
    "weekday": "Choose a weekday",
    "week_of_month": "Choose a week of the month",
    "first_date": "Give a date as YYYY-MM-DD",
    "start_time": "Give a time as HH:MM",
    "duration_minutes": "Give the length in whole minutes",
    "until": "Give a date as YYYY-MM-DD",
    "count": "Give a whole number of sessions",
}


def rule_from_form(form: Mapping[str, str]) -> RecurrenceRule:
    """Build a rule from form or query strings; empty fields count as absent.

    Unparseable values are reported per field in one ``RuleError`` before the rule's
    own checks run.
    """
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field_name, parse in _FORM_PARSERS.items():
        raw = (form.get(field_name) or "").strip()
        if not raw:
            continue
        try:
            values[field_name] = parse(raw)
        except ValueError:
            errors[field_name] = _FORM_MESSAGES[field_name]
    for required in ("kind", "weekday", "first_date", "start_time", "duration_minutes", "timezone"):
        if required not in values and required not in errors:
            errors[required] = "This field is required"
    if errors:
        raise RuleError(errors)
    return RecurrenceRule(**values)  # type: ignore[arg-type]


# --- validation -------------------------------------------------------------------


def _field_errors(rule: RecurrenceRule) -> dict[str, str]:
    """Checks of single fields (and of fields that only make sense together)."""
    errors: dict[str, str] = {}
    if rule.kind not in MAX_INTERVAL:
        errors["kind"] = f"Choose weekly or monthly, not {rule.kind!r}"
    elif not _is_int_between(rule.interval, 1, MAX_INTERVAL[rule.kind]):
        unit = "weeks" if rule.kind == "weekly" else "months"
        errors["interval"] = f"Repeat every 1 to {MAX_INTERVAL[rule.kind]} {unit}"
    if not _is_int_between(rule.weekday, 0, 6):
        errors["weekday"] = "Choose a weekday (0 = Monday … 6 = Sunday)"
    if rule.kind == "monthly" and rule.week_of_month not in WEEKS_OF_MONTH:
        errors["week_of_month"] = "Choose the 1st, 2nd, 3rd, 4th or last week of the month"
    if rule.kind == "weekly" and rule.week_of_month is not None:
        errors["week_of_month"] = "A weekly series has no week of the month"
    if not _is_int_between(rule.duration_minutes, MIN_DURATION_MINUTES, MAX_DURATION_MINUTES):
        errors["duration_minutes"] = (
            f"A session lasts {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes"
        )
    if not isinstance(rule.start_time, time):
        errors["start_time"] = "Give the local start time as HH:MM"
    elif rule.start_time.tzinfo is not None:
        errors["start_time"] = "Give the local start time without a time zone"
    if not _is_plain_date(rule.first_date):
        errors["first_date"] = "Give the date of the first session"
    if zone_error := timezone_error(rule.timezone):
        errors["timezone"] = zone_error
    errors.update(_end_errors(rule))
    return errors


def _end_errors(rule: RecurrenceRule) -> dict[str, str]:
    if rule.until is not None and rule.count is not None:
        return {"until": "Give either an end date or a number of sessions, not both"}
    if rule.until is None and rule.count is None:
        return {"until": "Give an end date or a number of sessions"}
    # no upper bound here: the 3-year check names how many sessions fit
    if rule.count is not None and not _is_int_between(rule.count, 1, 1 << 31):
        return {"count": "Give a number of sessions of at least 1"}
    if rule.until is not None and not _is_plain_date(rule.until):
        return {"until": "Give the date of the last possible session"}
    return {}


def timezone_error(name: object) -> str | None:
    """Why ``name`` is not a usable IANA time zone, or None when it is."""
    if not isinstance(name, str) or not name.strip():
        return "Choose a time zone"
    # ZoneInfo also accepts paths like "../x"; only plain IANA keys are allowed.
    if name.startswith(("/", ".")) or ".." in name:
        return f"Unknown time zone {name!r}"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return f"Unknown time zone {name!r}"
    return None


def _series_errors(rule: RecurrenceRule) -> dict[str, str]:
    """Checks that need a well-formed rule: first date on the rule, series length."""
    if not _date_matches(rule, rule.first_date):
        first_match = _first_matching_date_on_or_after(rule, rule.first_date)
        return {
            "first_date": (
                f"{rule.first_date.isoformat()} is not {_day_phrase(rule)}; "
                f"the first such date is {first_match.isoformat()}"
            )
        }
    limit = rule.latest_allowed_date
    if rule.until is not None and rule.until < rule.first_date:
        return {"until": "The end date is before the first session"}
    if rule.until is not None and rule.until > limit:
        return {"until": f"The series may run at most {MAX_SERIES_YEARS} years (until {limit})"}
    if rule.count is not None:
        dates = _local_dates(rule, last_date=limit, count=rule.count)
        if len(dates) < rule.count:
            return {
                "count": (
                    f"The series may run at most {MAX_SERIES_YEARS} years (until {limit}): "
                    f"at most {len(dates)} sessions fit"
                )
            }
    return {}


def _is_plain_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_int_between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# --- calendar arithmetic ----------------------------------------------------------


def nth_weekday_of_month(year: int, month: int, weekday: int, week_of_month: int) -> date:
    """The 1st–4th (or last, -1) given weekday of a month. Every month has four of each."""
    if week_of_month == LAST_WEEK:
        last_day = date(year, month, calendar.monthrange(year, month)[1])
        return last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
    first_day = date(year, month, 1)
    first_match = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
    return first_match + timedelta(weeks=week_of_month - 1)


def _date_matches(rule: RecurrenceRule, day: date) -> bool:
    if rule.kind == "weekly":
        return day.weekday() == rule.weekday
    assert rule.week_of_month is not None
    return day == nth_weekday_of_month(day.year, day.month, rule.weekday, rule.week_of_month)


def _first_matching_date_on_or_after(rule: RecurrenceRule, day: date) -> date:
    if rule.kind == "weekly":
        return day + timedelta(days=(rule.weekday - day.weekday()) % 7)
    assert rule.week_of_month is not None
    year, month = day.year, day.month
    while (match := nth_weekday_of_month(year, month, rule.weekday, rule.week_of_month)) < day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return match


def _candidate_dates(rule: RecurrenceRule) -> Iterator[date]:
    """Every date of the rule from ``first_date`` on, without an end."""
    if rule.kind == "weekly":
        step = timedelta(weeks=rule.interval)
        day = rule.first_date
        while True:
            yield day
            day += step
    assert rule.week_of_month is not None
    month_index = rule.first_date.year * 12 + rule.first_date.month - 1
    while True:
        year, month_zero_based = divmod(month_index, 12)
        yield nth_weekday_of_month(year, month_zero_based + 1, rule.weekday, rule.week_of_month)
        month_index += rule.interval


def _local_dates(rule: RecurrenceRule, *, last_date: date, count: int | None) -> list[date]:
    dates: list[date] = []
    for day in _candidate_dates(rule):
        if day > last_date or (count is not None and len(dates) == count):
            break
        dates.append(day)
    return dates


def session_dates(rule: RecurrenceRule) -> list[date]:
    """The local date of every session of the series."""
    last_date = rule.until if rule.until is not None else rule.latest_allowed_date
    return _local_dates(rule, last_date=last_date, count=rule.count)


# --- expansion --------------------------------------------------------------------


def local_to_utc(local_date: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall time in a zone as aware UTC. fold=0 (the default) gives PEP 495's answer at DST
    edges: a time in the spring gap moves forward, a repeated fall-back time is the first one."""
    return datetime.combine(local_date, clock, tzinfo=zone).astimezone(UTC)


def to_occurrence(rule: RecurrenceRule, local_date: date, zone: ZoneInfo) -> Occurrence:
    starts_at_utc = local_to_utc(local_date, rule.start_time, zone)
    ends_at_utc = starts_at_utc + timedelta(minutes=rule.duration_minutes)
    return Occurrence(starts_at_utc, ends_at_utc, local_date)


def expand(rule: RecurrenceRule) -> list[Occurrence]:
    """Every session of the series, in order, with aware UTC start and end."""
    zone = rule.zone
    return [to_occurrence(rule, day, zone) for day in session_dates(rule)]


def expand_from(rule: RecurrenceRule, from_date: date) -> list[Occurrence]:
    """The sessions on or after ``from_date`` (local): "this session and the following"."""
    zone = rule.zone
    return [to_occurrence(rule, day, zone) for day in session_dates(rule) if day >= from_date]


def rule_from(rule: RecurrenceRule, from_date: date) -> RecurrenceRule | None:
    """The rest of the series as its own rule, starting at the first session on or after
    ``from_date``; None if no session is left. Edit it (``dataclasses.replace``) to
    change "this and following sessions"; a count shrinks by the sessions before.
    """
    dates = session_dates(rule)
    remaining = [day for day in dates if day >= from_date]
    if not remaining:
        return None
    count = None if rule.count is None else len(remaining)
    return replace(rule, first_date=remaining[0], count=count)


# --- English ----------------------------------------------------------------------


def _day_phrase(rule: RecurrenceRule) -> str:
    weekday_name = WEEKDAY_NAMES[rule.weekday]
    if rule.kind == "weekly":
        return f"a {weekday_name}"
    return f"the {_ORDINALS[rule.week_of_month]} {weekday_name} of its month"


def format_clock(moment: time) -> str:
    """12-hour clock as people in US programs read it: "12:00 PM", "7:30 AM"."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def describe(rule: RecurrenceRule) -> str:
    """E.g. "Every 2 weeks on Tuesday at 12:00 PM America/Denver, 26 sessions"."""
    unit = "week" if rule.kind == "weekly" else "month"
    every = f"Every {unit}" if rule.interval == 1 else f"Every {rule.interval} {unit}s"
    weekday_name = WEEKDAY_NAMES[rule.weekday]
    if rule.kind == "monthly":
        weekday_name = f"the {_ORDINALS[rule.week_of_month]} {weekday_name}"
    if rule.count is not None:
        end = f"{rule.count} session" + ("" if rule.count == 1 else "s")
    else:
        end = f"until {rule.until.isoformat()}"
    return f"{every} on {weekday_name} at {format_clock(rule.start_time)} {rule.timezone}, {end}"
