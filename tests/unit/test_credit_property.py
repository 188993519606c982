"""Property (#12): for any set of join/leave intervals, the credit never exceeds the hours
attended, and it is those hours rounded down to the step (then capped at the maximum)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.attendance import attended_minutes, credit_for

SESSION_START = datetime(2026, 1, 10, 10, 0)
STEPS = [Decimal("0.25"), Decimal("0.5"), Decimal(1)]

intervals = st.lists(
    st.tuples(st.integers(-3600, 4 * 3600), st.integers(0, 3 * 3600)).map(
        lambda pair: (SESSION_START + timedelta(seconds=pair[0]),
                      SESSION_START + timedelta(seconds=pair[0] + pair[1]))),
    max_size=8)


@given(intervals=intervals, length=st.integers(15, 240), step=st.sampled_from(STEPS),
       maximum=st.sampled_from([Decimal("0.25"), Decimal(1), Decimal("1.5"), Decimal(4), Decimal(24)]),
       share=st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("0.75"), Decimal(1)]))
def test_credit_never_exceeds_attended_hours(intervals, length, step, maximum, share):
    end = SESSION_START + timedelta(minutes=length)
    minutes = attended_minutes(intervals, SESSION_START, end)
    credits = credit_for(minutes, length, max_credits=maximum, min_share=share, step=step)
    hours = Decimal(repr(minutes)) / 60
    assert credits * 60 <= Decimal(repr(minutes))
    assert credits <= maximum
    assert credits % step == 0 or credits == maximum
    if credits and credits < maximum:
        assert hours - credits < step  # rounded down, by less than one step
