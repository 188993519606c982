"""A time zone's offset changes as yearly rules, read from the tz database (zoneinfo).

Calendar files need them (a VTIMEZONE of yearly RRULEs, as Outlook wants), and so does
anything that tells a coordinator when a series crosses a clock change. Pure and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

_BYDAY_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of UTC offset."""

    at_utc: datetime
    local_onset: datetime  # naive wall time in the offset *before* the change (RFC 5545)
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the abbreviation after the change, e.g. "MDT"
    is_daylight: bool

    def byday_codes(self) -> set[str]:
        """Every RFC 5545 BYDAY code naming this onset's date: "2SU", plus "-1SU" if last."""
        day = self.local_onset.date()
        weekday = _BYDAY_WEEKDAYS[day.weekday()]
        codes = {f"{(day.day - 1) // 7 + 1}{weekday}"}
        if (day + timedelta(weeks=1)).month != day.month:
            codes.add(f"-1{weekday}")
        return codes

    def same_rule_as(self, other: Transition) -> bool:
        return (self.is_daylight, self.offset_from, self.offset_to, self.name,
                self.local_onset.month, self.local_onset.time()) == (
            other.is_daylight, other.offset_from, other.offset_to, other.name,
            other.local_onset.month, other.local_onset.time())


@dataclass(frozen=True, slots=True)
class YearlyRule:
    month: int
    byday: str  # e.g. "2SU", "-1SU"
    until_utc: datetime | None  # the last onset, or None while the rule is in force


@dataclass(frozen=True, slots=True)
class Observance:
    """A VTIMEZONE STANDARD or DAYLIGHT part: its first onset and, if it repeats, its rule."""

    first: Transition
    yearly: YearlyRule | None


@lru_cache(maxsize=2048)
def transitions_in_year(tzid: str, year: int) -> tuple[Transition, ...]:
    """Offset changes during one UTC calendar year, found day by day then to the second."""
    zone = ZoneInfo(tzid)
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        next_day = moment + timedelta(days=1)
        if next_day.astimezone(zone).utcoffset() != offset:
            found.append(_transition_between(zone, moment, next_day))
            offset = found[-1].offset_to
        moment = next_day
    return tuple(found)


def transitions(tzid: str, first_year: int, last_year: int) -> list[Transition]:
    return [t for year in range(first_year, last_year + 1) for t in transitions_in_year(tzid, year)]


def _transition_between(zone: tzinfo, before: datetime, after: datetime) -> Transition:
    offset_from = before.astimezone(zone).utcoffset()
    while after - before > timedelta(seconds=1):  # bisect to the exact second
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == offset_from:
            before = middle
        else:
            after = middle
    local_after = after.astimezone(zone)
    return Transition(
        at_utc=after,
        local_onset=(after + offset_from).replace(tzinfo=None),
        offset_from=offset_from,
        offset_to=local_after.utcoffset(),
        name=local_after.tzname(),
        is_daylight=bool(local_after.dst()),
    )


def _runs_of_yearly_changes(changes: list[Transition]) -> list[tuple[list[Transition], str]]:
    """Runs of one change per consecutive year that one BYDAY code describes."""
    runs: list[tuple[list[Transition], set[str]]] = []
    for change in changes:
        for members, codes in runs:
            shared = codes & change.byday_codes()
            if (shared and change.same_rule_as(members[-1])
                    and change.at_utc.year == members[-1].at_utc.year + 1):
                members.append(change)
                codes.intersection_update(shared)
                break
        else:
            runs.append(([change], change.byday_codes()))
    # prefer "-1SU" (last Sunday): the way such rules are usually written
    return [(members, min(codes, key=lambda code: (not code.startswith("-"), code)))
            for members, codes in runs]


def _steady_state(tzid: str, year: int) -> Transition:
    """The offset in force on 1 January, written as a change from and to itself."""
    local = datetime(year, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(tzid))
    return Transition(
        at_utc=datetime(year, 1, 1, tzinfo=UTC),
        local_onset=datetime(year, 1, 1),
        offset_from=local.utcoffset(),
        offset_to=local.utcoffset(),
        name=local.tzname(),
        is_daylight=bool(local.dst()),
    )


def observances(tzid: str, first_year: int, last_year: int) -> list[Observance]:
    """The observances that describe ``tzid`` for events from ``first_year`` to ``last_year``.

    Each run of yearly changes becomes one yearly rule, open-ended for the rule in force
    at the end, with its last onset as UNTIL for older ones; a one-off change has no rule.
    They start the year before ``first_year`` so the first event has an onset before it;
    a zone without such a change gets its steady offset from 1 January of that year.
    """
    changes = transitions(tzid, first_year - 1, last_year)
    result = []
    if not changes or changes[0].at_utc.year >= first_year:
        result.append(Observance(_steady_state(tzid, first_year - 1), None))
    for members, byday in _runs_of_yearly_changes(changes):
        last = members[-1]
        if len(members) == 1 and last.at_utc.year < last_year:
            result.append(Observance(last, None))
            continue
        until = last.at_utc if last.at_utc.year < last_year else None
        result.append(Observance(members[0], YearlyRule(members[0].local_onset.month, byday, until)))
    return result
