"""Attended time from join/leave intervals: rejoins and overlaps count once, and only the
part inside the session window counts. Minutes come from the times, never from a report's
rounded-down minutes column."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Interval = tuple[datetime, datetime]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of the intervals, sorted; touching or overlapping intervals become one.

    Raises ValueError for an interval that ends before it starts. Naive and aware
    datetimes must not be mixed (Python refuses to compare them).
    """
    ordered = sorted(intervals)
    merged: list[Interval] = []
    for start, end in ordered:
        if end < start:
            raise ValueError(f"interval ends before it starts: {start} > {end}")
        if merged and start <= merged[-1][1]:
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def clip_intervals(
    intervals: Iterable[Interval], window_start: datetime, window_end: datetime
) -> list[Interval]:
    """Each interval cut to the window; intervals wholly outside it are dropped."""
    if window_end < window_start:
        raise ValueError("the window ends before it starts")
    clipped = []
    for start, end in intervals:
        if end < start:
            raise ValueError(f"interval ends before it starts: {start} > {end}")
        start, end = max(start, window_start), min(end, window_end)
        if start < end:
            clipped.append((start, end))
    return clipped


def attended_minutes(
    intervals: Iterable[Interval], window_start: datetime, window_end: datetime
) -> float:
    """Minutes inside [window_start, window_end] covered by at least one interval."""
    merged = merge_intervals(clip_intervals(intervals, window_start, window_end))
    seconds = sum((end - start).total_seconds() for start, end in merged)
    return seconds / 60
