from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from app.attendance import attended_minutes, credit_for, meets_threshold


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 1, 10, hour, minute, second)


SESSION = (at(10), at(11))  # a 60-minute session designated for 1 credit


def credit_of(intervals, *, max_credits=1, min_share=0.75) -> Decimal:
    minutes = attended_minutes(intervals, *SESSION)
    return credit_for(minutes, 60, max_credits=max_credits, min_share=min_share)


def test_credit_full_attendance_is_full_credit():
    assert credit_of([SESSION]) == Decimal("1.00")


def test_credit_exactly_at_threshold_counts():
    assert credit_of([(at(10, 15), at(11))]) == Decimal("0.75")


def test_credit_one_second_below_threshold_is_zero():
    assert credit_of([(at(10, 15, 1), at(11))]) == Decimal("0.00")


def test_credit_rejoin_gaps_are_not_counted():
    # 10:00-10:30 and 10:40-11:00: 50 minutes -> 0.8333 h -> 0.75
    assert credit_of([(at(10), at(10, 30)), (at(10, 40), at(11))]) == Decimal("0.75")


def test_credit_overlapping_devices_are_not_counted_twice():
    # laptop 10:00-10:40 and phone 10:20-10:50 cover 50 minutes, not 70
    assert credit_of([(at(10), at(10, 40)), (at(10, 20), at(10, 50))]) == Decimal("0.75")


def test_credit_late_join_below_threshold():
    assert credit_of([(at(10, 20), at(11))]) == Decimal("0.00")


def test_credit_early_leave_below_threshold():
    assert credit_of([(at(10), at(10, 40))]) == Decimal("0.00")


def test_credit_time_outside_session_is_not_counted():
    assert credit_of([(at(9), at(10, 44, 59))]) == Decimal("0.00")


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (90, "1.50"),
        (97.4, "1.50"),
        (97.5, "1.50"),  # 1.625 h: never more than attended, so down to 1.50
        (105, "1.75"),
        (112.4, "1.75"),
        (112.5, "1.75"),  # 1.875 h -> 1.75
        (119.99, "1.75"),
        (120, "2.00"),
    ],
)
def test_credit_is_attended_hours_rounded_down_to_the_step(minutes, expected):
    assert credit_for(minutes, 120, max_credits=3, min_share=0) == Decimal(expected)


def test_credit_ninety_minutes_with_a_step_of_one_is_one_credit_not_two():
    assert credit_for(90, 90, max_credits=2, step=1) == Decimal("1.00")


def test_credit_capped_at_max_credits():
    assert credit_for(120, 120, max_credits=Decimal("1.5")) == Decimal("1.50")


def test_credit_other_step_sizes():
    assert credit_for(80, 90, max_credits=2, step=Decimal("0.5")) == Decimal("1.00")  # 1.33 h
    assert credit_for(90, 90, max_credits=2, step=Decimal("0.5")) == Decimal("1.50")


def test_credit_threshold_uses_exact_decimal_share():
    # 0.8 as a binary float is slightly above 0.8; 48 of 60 must still count
    assert meets_threshold(48, 60, min_share=0.8) is True
    assert meets_threshold(47.99, 60, min_share=0.8) is False


def test_credit_accepts_decimal_and_string_inputs():
    assert credit_for(Decimal("67.5"), 90, max_credits="1.5") == Decimal("1.00")  # 1.125 h


def test_credit_zero_threshold_gives_credit_for_each_full_step():
    assert credit_for(10, 60, max_credits=1, min_share=0) == Decimal("0.00")  # less than 15 minutes
    assert credit_for(15, 60, max_credits=1, min_share=0) == Decimal("0.25")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"attended_minutes": 10, "session_minutes": 0, "max_credits": 1},
        {"attended_minutes": -1, "session_minutes": 60, "max_credits": 1},
        {"attended_minutes": 10, "session_minutes": 60, "max_credits": -1},
        {"attended_minutes": 10, "session_minutes": 60, "max_credits": 1, "step": 0},
        {"attended_minutes": 10, "session_minutes": 60, "max_credits": 1, "min_share": 1.5},
        {"attended_minutes": float("nan"), "session_minutes": 60, "max_credits": 1},
    ],
)
def test_credit_invalid_arguments_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        credit_for(**kwargs)
