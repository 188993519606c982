"""Run charts: a measure in time order against its median, read with the four standard rules.

Source: Perla RJ, Provost LP, Murray SK. "The run chart: a simple analytical tool for learning
from variation in healthcare processes." BMJ Qual Saf 2011;20:46-51.

- A point is a number or None. None is a gap (a cancelled session, a period nobody reported): it
  is drawn as a gap and takes no part in the median or in any rule; it neither makes nor breaks a
  run, a shift or a trend. Signals still name points by their index in the full list.
- The median is that of the values that are not None.
- "Useful observations" are the points not on the median.
- Shift: 6 or more consecutive useful observations on one side of the median. Points on the
  median neither make nor break a shift (they are skipped).
- Trend: 5 or more consecutive points all going up or all going down. When neighbours are equal,
  the repeated value is counted once: it neither makes nor breaks a trend.
- Runs: a run is one or more consecutive useful observations on one side of the median. Too few
  or too many runs for the number of useful observations signals non-random variation. Limits for
  10 to 40 useful observations: Perla et al. 2011, Table 1 (derived from Swed & Eisenhart 1943,
  about 5% in all). Above 40 the same test by the Swed-Eisenhart normal approximation (expected
  runs +/- 1.96 standard deviations, from the actual counts above and below), which gives the
  table's own 15-27 at 40. Fewer than 10 useful observations: no runs test.
- Astronomical point: Perla et al. leave this to judgement ("a data point that is blatantly
  different from all others"). Made objective here with the modified z-score of Iglewicz and
  Hoaglin (1993): |x - median| / (1.4826 * MAD) > 3.5, where MAD is the median absolute deviation
  from the median; when MAD is 0 (more than half the points equal), the mean absolute deviation
  scaled by 1.2533 stands in. "Different from all others" is taken literally too: the point must
  also be that far (3.5 robust standard deviations) from every other point, so the lower half of
  a chart with a large shift is not one cluster of "astronomical" points. Needs at least 8 values;
  with no spread at all nothing is flagged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median as _median

SHIFT_LENGTH = 6
TREND_LENGTH = 5
ASTRONOMICAL_Z = 3.5
ASTRONOMICAL_MIN_VALUES = 8
RUNS_TABLE_MIN = 10

# Perla, Provost & Murray 2011, Table 1: useful observations -> (lowest, highest) number of runs
# expected from random variation. Fewer than the lower limit or more than the upper is a signal.
RUNS_LIMITS: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12), 16: (5, 13),
    17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17),
    24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (9, 20), 28: (10, 20), 29: (10, 21), 30: (11, 22),
    31: (11, 22), 32: (11, 23), 33: (11, 24), 34: (12, 24), 35: (12, 25), 36: (13, 25),
    37: (13, 26), 38: (14, 26), 39: (14, 27), 40: (15, 27),
}

Value = float | int | None


@dataclass(frozen=True)
class Signal:
    rule: str  # shift | trend | runs | astronomical
    points: list[int]
    detail: str = ""

    def as_dict(self) -> dict:
        return {"rule": self.rule, "points": list(self.points)}


@dataclass
class RunChart:
    values: list[Value]
    median: float | None
    useful_observations: int
    runs: int
    runs_limits: tuple[int, int] | None
    signals: list[Signal] = field(default_factory=list)

    def signal_points(self, rule: str) -> set[int]:
        return {i for s in self.signals if s.rule == rule for i in s.points}


def median_of(values: Sequence[Value]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return float(_median(present)) if present else None


def runs_limits(useful: int, above: int | None = None, below: int | None = None) -> tuple[int, int] | None:
    """The (low, high) number of runs expected from chance, or None under 10 useful points."""
    if useful < RUNS_TABLE_MIN:
        return None
    if useful in RUNS_LIMITS:
        return RUNS_LIMITS[useful]
    above = useful // 2 if above is None else above
    below = useful - above if below is None else below
    if above == 0 or below == 0:
        return None
    mean = 1 + 2 * above * below / useful
    variance = 2 * above * below * (2 * above * below - useful) / (useful ** 2 * (useful - 1))
    sd = math.sqrt(variance)
    return math.ceil(mean - 1.96 * sd), math.floor(mean + 1.96 * sd)


def _sides(values: Sequence[Value], centre: float) -> list[tuple[int, int]]:
    """(index, +1 above / -1 below) for every useful observation, in order."""
    return [(i, 1 if v > centre else -1) for i, v in enumerate(values) if v is not None and v != centre]


def _groups(sides: list[tuple[int, int]]) -> list[list[int]]:
    """The runs: consecutive useful observations on one side, as lists of indexes."""
    groups: list[list[int]] = []
    previous = 0
    for index, side in sides:
        if side != previous:
            groups.append([])
            previous = side
        groups[-1].append(index)
    return groups


def shifts(values: Sequence[Value], centre: float) -> list[Signal]:
    return [Signal("shift", run, f"{len(run)} points in a row on one side of the median")
            for run in _groups(_sides(values, centre)) if len(run) >= SHIFT_LENGTH]


def trends(values: Sequence[Value]) -> list[Signal]:
    """Stretches of 5+ points going one way. Equal neighbours form one block counted once: they
    neither make nor break a trend (the whole block is marked)."""
    blocks: list[tuple[float, list[int]]] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if blocks and blocks[-1][0] == float(value):
            blocks[-1][1].append(index)
        else:
            blocks.append((float(value), [index]))
    found: list[Signal] = []
    start = 0
    while start < len(blocks) - 1:
        direction = _direction(blocks[start][0], blocks[start + 1][0])
        end = start + 1
        while end + 1 < len(blocks) and _direction(blocks[end][0], blocks[end + 1][0]) == direction:
            end += 1
        counted = end - start + 1
        if counted >= TREND_LENGTH:
            word = "rising" if direction > 0 else "falling"
            points = [i for _, indexes in blocks[start:end + 1] for i in indexes]
            found.append(Signal("trend", points, f"{counted} points {word}"))
        start = end  # the turning point starts the next stretch
    return found


def _direction(a: float, b: float) -> int:
    return (b > a) - (b < a)


def runs_signal(values: Sequence[Value], centre: float) -> tuple[int, int, tuple[int, int] | None, Signal | None]:
    sides = _sides(values, centre)
    groups = _groups(sides)
    above = sum(1 for _, side in sides if side > 0)
    limits = runs_limits(len(sides), above, len(sides) - above)
    signal = None
    if limits is not None and not limits[0] <= len(groups) <= limits[1]:
        word = "few" if len(groups) < limits[0] else "many"
        signal = Signal("runs", [i for i, _ in sides],
                        f"{len(groups)} runs: too {word} for {len(sides)} points (expected {limits[0]}-{limits[1]})")
    return len(sides), len(groups), limits, signal


def astronomical(values: Sequence[Value], centre: float) -> list[Signal]:
    present = [float(v) for v in values if v is not None]
    if len(present) < ASTRONOMICAL_MIN_VALUES:
        return []
    deviations = [abs(v - centre) for v in present]
    scale = 1.4826 * _median(deviations)
    if scale == 0:
        scale = 1.2533 * sum(deviations) / len(deviations)
    if scale == 0:
        return []
    limit = ASTRONOMICAL_Z * scale
    found = []
    for index, value in enumerate(values):
        if value is None or abs(float(value) - centre) <= limit:
            continue
        others = [float(v) for i, v in enumerate(values) if v is not None and i != index]
        if min(abs(float(value) - other) for other in others) > limit:
            found.append(Signal("astronomical", [index], "far from the median and from every other point"))
    return found


def analyse(values: Sequence[Value]) -> RunChart:
    """The median and every signal of one series (None = a gap)."""
    values = list(values)
    centre = median_of(values)
    if centre is None:
        return RunChart(values=values, median=None, useful_observations=0, runs=0, runs_limits=None)
    useful, runs, limits, runs_found = runs_signal(values, centre)
    signals = [*shifts(values, centre), *trends(values)]
    if runs_found is not None:
        signals.append(runs_found)
    signals.extend(astronomical(values, centre))
    return RunChart(values=values, median=centre, useful_observations=useful, runs=runs, runs_limits=limits,
                    signals=signals)
