"""Credit arithmetic (AMA PRA style): 60 attended minutes = 1 credit, in quarter steps.

Rules, in order:
1. Threshold: no credit unless attended / session >= min_share. Exactly at the share
   counts; one second below does not. The comparison is exact (decimal arithmetic on the
   shortest decimal form of each number), so 0.8 means 0.8, not the binary float near it.
2. Rounding: attended hours rounded DOWN to the `step` (0.25 credit = 15 minutes), so credit
   never exceeds the time attended (#12): 90 minutes with a step of 1 earn 1.00, not 2.00;
   97.5 minutes in quarter steps earn 1.50. AMA asks learners to claim only the credit that
   matches their participation; rounding to the nearest step would award unattended minutes.
3. Cap: never more than `max_credits` (the per-session maximum).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

Number = Decimal | int | float | str
_MINUTES_PER_CREDIT = Decimal(60)


def _exact(value: Number, name: str) -> Decimal:
    """A Decimal of the number as written: floats via their shortest repr (0.1 -> 0.1)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, not a bool")
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number")
    return result


def meets_threshold(
    attended_minutes: Number, session_minutes: Number, *, min_share: Number = 0.75
) -> bool:
    """True when attended_minutes is at least min_share of session_minutes."""
    attended = _exact(attended_minutes, "attended_minutes")
    session = _exact(session_minutes, "session_minutes")
    share = _exact(min_share, "min_share")
    if session <= 0:
        raise ValueError("session_minutes must be positive")
    if attended < 0:
        raise ValueError("attended_minutes must not be negative")
    if not 0 <= share <= 1:
        raise ValueError("min_share must be between 0 and 1")
    return attended >= share * session


def credit_for(
    attended_minutes: Number,
    session_minutes: Number,
    *,
    max_credits: Number,
    min_share: Number = 0.75,
    step: Number = Decimal("0.25"),
) -> Decimal:
    """Credits earned for one session; see the module docstring for the exact rules.

    >>> credit_for(50, 60, max_credits=1)
    Decimal('0.75')
    """
    maximum = _exact(max_credits, "max_credits")
    increment = _exact(step, "step")
    if maximum < 0:
        raise ValueError("max_credits must not be negative")
    if increment <= 0:
        raise ValueError("step must be positive")
    if not meets_threshold(attended_minutes, session_minutes, min_share=min_share):
        return Decimal("0.00")
    hours = _exact(attended_minutes, "attended_minutes") / _MINUTES_PER_CREDIT
    steps = (hours / increment).to_integral_value(rounding=ROUND_FLOOR)
    credits = min(steps * increment, maximum)
    return credits.quantize(Decimal("0.01"))
