"""Retention and cohorts from who attended when: pure arithmetic on (person, month) pairs.

- Retention of a month M: of the people who attended in M, the share who attended again in one
  of the next two months (M+1 or M+2). A month whose two following months are not over yet is
  "open": its figure can still rise, and it is marked so rather than read as a drop.
- Cohorts: people grouped by the month of their first attendance; for each cohort, how many of
  them attended in the same month (all of them), the month after, two months after, and so on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Month = tuple[int, int]  # (year, month)

FOLLOW_UP_MONTHS = 2


def month_add(month: Month, count: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + count
    return index // 12, index % 12 + 1


def months_between(first: Month, last: Month) -> list[Month]:
    span = (last[0] - first[0]) * 12 + last[1] - first[1]
    return [month_add(first, k) for k in range(span + 1)]


@dataclass(frozen=True)
class RetentionRow:
    month: Month
    attended: int
    came_back: int
    open: bool  # the follow-up months are not over yet

    @property
    def share(self) -> float | None:
        return None if self.attended == 0 else self.came_back / self.attended


@dataclass(frozen=True)
class CohortRow:
    month: Month
    size: int
    attending: list[int]  # attending[k]: cohort members who attended k months after the first


def _by_month(pairs: Iterable[tuple[Hashable, Month]]) -> dict[Month, set]:
    people: dict[Month, set] = defaultdict(set)
    for person, month in pairs:
        people[month].add(person)
    return people


def retention(pairs: Iterable[tuple[Hashable, Month]], *, current: Month) -> list[RetentionRow]:
    """One row per month from the first attendance to `current`, months without sessions included."""
    people = _by_month(pairs)
    if not people:
        return []
    rows = []
    for month in months_between(min(people), current):
        attended = people.get(month, set())
        later = set().union(*(people.get(month_add(month, k), set()) for k in range(1, FOLLOW_UP_MONTHS + 1)))
        rows.append(RetentionRow(month, len(attended), len(attended & later),
                                 open=month_add(month, FOLLOW_UP_MONTHS) >= current))
    return rows


def cohorts(pairs: Iterable[tuple[Hashable, Month]], *, current: Month, horizon: int = 6) -> list[CohortRow]:
    """Cohorts by month of first attendance, followed for `horizon` months (not past `current`)."""
    people = _by_month(pairs)
    first: dict[Hashable, Month] = {}
    for month in sorted(people):
        for person in people[month]:
            first.setdefault(person, month)
    members: dict[Month, set] = defaultdict(set)
    for person, month in first.items():
        members[month].add(person)
    rows = []
    for month in sorted(members):
        cohort = members[month]
        span = min(horizon, (current[0] - month[0]) * 12 + current[1] - month[1])
        attending = [len(cohort & people.get(month_add(month, k), set())) for k in range(span + 1)]
        rows.append(CohortRow(month, len(cohort), attending))
    return rows
