from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.attendance import attended_minutes, merge_intervals


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 1, 10, hour, minute, second, tzinfo=UTC)


WINDOW = (at(10), at(11, 30))


def test_merge_intervals_overlap_counts_once():
    merged = merge_intervals([(at(10, 20), at(11)), (at(10), at(10, 30))])
    assert merged == [(at(10), at(11))]


def test_merge_intervals_touching_become_one():
    assert merge_intervals([(at(10), at(10, 30)), (at(10, 30), at(11))]) == [(at(10), at(11))]


def test_merge_intervals_gap_stays_apart_and_sorted():
    merged = merge_intervals([(at(11), at(11, 10)), (at(10), at(10, 30))])
    assert merged == [(at(10), at(10, 30)), (at(11), at(11, 10))]


def test_merge_intervals_contained_interval_disappears():
    assert merge_intervals([(at(10), at(12)), (at(10, 30), at(11))]) == [(at(10), at(12))]


def test_merge_intervals_empty_input():
    assert merge_intervals([]) == []


def test_merge_intervals_reversed_interval_is_refused():
    with pytest.raises(ValueError):
        merge_intervals([(at(11), at(10))])


def test_attended_minutes_rejoin_adds_both_parts():
    intervals = [(at(10), at(10, 40)), (at(10, 50), at(11, 30))]
    assert attended_minutes(intervals, *WINDOW) == 80.0


def test_attended_minutes_overlapping_devices_count_once():
    intervals = [(at(10), at(11)), (at(10, 30), at(11, 15))]  # laptop and phone
    assert attended_minutes(intervals, *WINDOW) == 75.0


def test_attended_minutes_late_join_and_early_leave():
    assert attended_minutes([(at(10, 25), at(11, 5))], *WINDOW) == 40.0


def test_attended_minutes_clipped_to_window():
    assert attended_minutes([(at(9, 30), at(12))], *WINDOW) == 90.0


def test_attended_minutes_outside_window_is_zero():
    assert attended_minutes([(at(12), at(13))], *WINDOW) == 0.0


def test_attended_minutes_counts_seconds():
    assert attended_minutes([(at(10), at(10, 1, 30))], *WINDOW) == 1.5


def test_attended_minutes_works_with_naive_local_times():
    naive = [(datetime(2026, 1, 10, 10), datetime(2026, 1, 10, 10, 45))]
    window = (datetime(2026, 1, 10, 10), datetime(2026, 1, 10, 11))
    assert attended_minutes(naive, *window) == 45.0
