"""Retention and cohorts (app.trends.retention) on small hand-made attendance."""

from __future__ import annotations

from app.trends.retention import CohortRow, RetentionRow, cohorts, month_add, months_between, retention

JAN, FEB, MAR, APR, MAY, JUN = (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5), (2026, 6)

# ana: Jan, Mar        ben: Jan, Apr       cy: Feb, Feb (twice), May       dee: Apr
PAIRS = [("ana", JAN), ("ben", JAN), ("ana", MAR), ("cy", FEB), ("cy", FEB), ("ben", APR), ("cy", MAY),
         ("dee", APR)]


def test_month_arithmetic():
    assert month_add((2025, 11), 3) == (2026, 2)
    assert month_add((2026, 1), -1) == (2025, 12)
    assert months_between((2025, 12), (2026, 2)) == [(2025, 12), (2026, 1), (2026, 2)]


def test_retention_counts_who_came_back_within_two_months():
    rows = retention(PAIRS, current=JUN)
    assert rows == [
        RetentionRow(JAN, 2, 1, open=False),   # ana came back in March; ben only in April (3 months)
        RetentionRow(FEB, 1, 0, open=False),   # cy next came in May
        RetentionRow(MAR, 1, 0, open=False),
        RetentionRow(APR, 2, 0, open=True),    # June is not over: open
        RetentionRow(MAY, 1, 0, open=True),
        RetentionRow(JUN, 0, 0, open=True),
    ]
    assert [r.share for r in rows[:2]] == [0.5, 0.0]
    assert rows[-1].share is None


def test_retention_of_nobody_is_empty():
    assert retention([], current=JUN) == []


def test_cohorts_by_month_of_first_attendance():
    rows = cohorts(PAIRS, current=JUN, horizon=4)
    assert rows == [
        CohortRow(JAN, 2, [2, 0, 1, 1, 0]),  # ana and ben; Mar: ana; Apr: ben
        CohortRow(FEB, 1, [1, 0, 0, 1, 0]),  # cy; May is 3 months on; June (the current month) is the last
        CohortRow(APR, 1, [1, 0, 0]),        # dee
    ]


def test_cohort_counts_a_person_once_per_month():
    assert cohorts([("a", JAN), ("a", JAN), ("b", JAN)], current=FEB) == [CohortRow(JAN, 2, [2, 0])]
