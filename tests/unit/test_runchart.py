"""Run-chart rules (app.trends.runchart): worked examples after the literature, then each rule
firing and not firing on hand-made series."""

from __future__ import annotations

from app.trends.runchart import RUNS_LIMITS, analyse, median_of, runs_limits


def rules(values) -> dict[str, list[list[int]]]:
    found: dict[str, list[list[int]]] = {}
    for signal in analyse(values).signals:
        found.setdefault(signal.rule, []).append(signal.points)
    return found


# --- worked examples -------------------------------------------------------------------------

# Balestracci, "An underrated test for run charts", Quality Digest, October 2008: 16 monthly points
# after an intervention, runs of lengths 7 above, 7 below, 1 above and 1 below the median (4 runs),
# with observations 5 to 9 falling. The series below has exactly that shape.
BALESTRACCI = [30, 32, 29, 33, 34, 31, 28, 20, 18, 21, 19, 22, 20, 21, 27, 22]


def test_worked_example_balestracci_median_and_runs():
    chart = analyse(BALESTRACCI)
    assert (chart.median, chart.useful_observations, chart.runs) == (24.5, 16, 4)
    assert chart.runs_limits == (5, 13)  # Perla et al. Table 1 for 16 useful observations


def test_worked_example_balestracci_signals():
    found = rules(BALESTRACCI)
    assert found["runs"] == [list(range(16))]  # 4 runs: too few for 16 points
    assert found["shift"] == [[0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13]]
    assert found["trend"] == [[4, 5, 6, 7, 8]]  # observations 5 to 9 (1-based), falling
    assert "astronomical" not in found


def test_worked_example_points_on_median_do_not_count():
    # Little (iecodesign, 2019, sealants chart): 29 monthly values, 2 of them on the median, so
    # 27 useful observations in 6 runs; Perla's Table 1 expects at least 9 runs for 27.
    values = [40, 42, 38, 45, 41, 39, 43,           # 7 below
              60, 50, 62, 58,                      # 4 above (50 is the median)
              44, 41, 46, 40,                      # 4 below
              61, 65, 59, 63, 50,                  # 4 above, then the median again
              47, 43, 45,                          # 3 below
              66, 70, 68, 64, 69, 71]              # 6 above
    chart = analyse(values)
    assert (len(values), chart.median, chart.useful_observations, chart.runs) == (29, 50, 27, 6)
    assert chart.runs_limits == (9, 20)
    assert [s.rule for s in chart.signals if s.rule == "runs"] == ["runs"]


def test_runs_table_is_perla_table_1():
    assert (RUNS_LIMITS[10], RUNS_LIMITS[20], RUNS_LIMITS[30], RUNS_LIMITS[40]) == ((3, 9), (6, 16), (11, 22), (15, 27))
    assert runs_limits(9) is None


def test_runs_limits_beyond_the_table_use_the_normal_approximation():
    assert runs_limits(60, 30, 30) == (24, 38)
    assert runs_limits(41, 20, 21) == (16, 27)
    assert runs_limits(50, 50, 0) is None  # all on one side: no runs test, a shift says it all


# --- the median and gaps ---------------------------------------------------------------------

def test_median_ignores_gaps():
    assert median_of([5, None, 1, 3, None]) == 3
    assert median_of([4, 1, None, 3, 2]) == 2.5
    assert median_of([None, None]) is None


def test_all_gaps_give_no_median_and_no_signal():
    chart = analyse([None, None, None])
    assert (chart.median, chart.signals) == (None, [])


def test_gap_is_not_a_zero():
    values = [10, 11, None, 10, 12, 11, None, 10, 11, 12]
    chart = analyse(values)
    assert chart.median == 11
    assert chart.useful_observations == 5  # three 11s on the median, two gaps


# --- shift -------------------------------------------------------------------------------------

def test_shift_fires_at_six_points_on_one_side():
    assert rules([1, 9, 1, 9, 1, 9, 9, 9, 9, 9, 9, 1, 1, 1, 1, 1, 9, 1])["shift"] == [[5, 6, 7, 8, 9, 10]]


def test_shift_does_not_fire_at_five():
    assert "shift" not in rules([1, 9, 1, 9, 9, 9, 9, 9, 1, 1, 1, 9, 1, 1, 5])


def test_point_on_median_neither_makes_nor_breaks_a_shift():
    # median 5: three above, one on the median, three above = a shift of six
    values = [8, 7, 8, 5, 7, 8, 9, 1, 2, 1, 5, 3, 2]
    assert median_of(values) == 5
    assert rules(values)["shift"] == [[0, 1, 2, 4, 5, 6]]
    # five above with one on the median does not make six
    assert "shift" not in rules([8, 7, 5, 8, 7, 8, 1, 2, 1, 2, 9, 3, 5, 1, 2])


def test_gap_neither_makes_nor_breaks_a_shift():
    values = [8, 9, 8, None, 9, 8, 9, 1, 2, 1, 2, 1, 2]
    assert rules(values)["shift"] == [[0, 1, 2, 4, 5, 6], [7, 8, 9, 10, 11, 12]]


# --- trend -------------------------------------------------------------------------------------

def test_trend_fires_at_five_rising():
    assert rules([5, 3, 4, 5, 6, 7, 2])["trend"] == [[1, 2, 3, 4, 5]]


def test_trend_fires_at_five_falling():
    assert rules([1, 9, 8, 7, 6, 5, 6])["trend"] == [[1, 2, 3, 4, 5]]


def test_trend_does_not_fire_at_four():
    assert "trend" not in rules([5, 3, 4, 5, 6, 2, 3, 4, 5, 1])


def test_equal_neighbours_neither_make_nor_break_a_trend():
    assert "trend" not in rules([1, 2, 2, 3, 4, 1])  # four distinct rising values
    assert rules([1, 2, 2, 3, 4, 5, 1])["trend"] == [[0, 1, 2, 3, 4, 5]]


def test_turning_point_belongs_to_both_trends():
    assert rules([1, 2, 3, 4, 5, 4, 3, 2, 1])["trend"] == [[0, 1, 2, 3, 4], [4, 5, 6, 7, 8]]


def test_gap_neither_makes_nor_breaks_a_trend():
    assert rules([1, 2, None, 3, 4, 5, 0])["trend"] == [[0, 1, 3, 4, 5]]


# --- runs ----------------------------------------------------------------------------------------

def test_too_many_runs():
    values = [1, 9] * 5  # 10 useful observations in 10 runs: more than 9
    chart = analyse(values)
    assert (chart.runs, chart.runs_limits) == (10, (3, 9))
    assert rules(values)["runs"] == [list(range(10))]


def test_too_few_runs():
    values = [1, 2, 1, 2, 1, 5, 8, 9, 8, 9, 8]  # median 5: 5 below, 5 above, one on it: 2 runs
    chart = analyse(values)
    assert (chart.median, chart.useful_observations, chart.runs) == (5, 10, 2)
    assert rules(values)["runs"] == [[0, 1, 2, 3, 4, 6, 7, 8, 9, 10]]


def test_runs_within_limits_do_not_fire():
    values = [3, 7, 8, 2, 4, 9, 1, 6, 5, 10, 2, 8]
    chart = analyse(values)
    assert chart.runs_limits == (3, 11)
    assert chart.runs_limits[0] <= chart.runs <= chart.runs_limits[1]
    assert "runs" not in rules(values)


def test_no_runs_test_under_ten_useful_observations():
    values = [1, 9] * 4 + [5]
    assert analyse(values).runs_limits is None
    assert "runs" not in rules(values)


# --- astronomical point ---------------------------------------------------------------------------

def test_astronomical_point_fires():
    assert rules([10, 11, 9, 10, 12, 10, 11, 9, 10, 40])["astronomical"] == [[9]]


def test_no_astronomical_point_in_ordinary_spread():
    assert "astronomical" not in rules([10, 11, 9, 10, 12, 10, 11, 9, 10, 14])


def test_astronomical_point_when_most_values_are_equal():
    # MAD is 0: the mean absolute deviation stands in
    assert rules([5, 5, 5, 5, 5, 5, 5, 5, 5, 50])["astronomical"] == [[9]]
    assert "astronomical" not in rules([5] * 12)


def test_a_cluster_after_a_shift_is_not_astronomical():
    # the low half is far from the median but not from each other: not "different from all others"
    assert "astronomical" not in rules([8, 9, 8, 9, 8, 9, 1, 2, 1, 2, 1, 2])
    assert "astronomical" not in rules([10, 11, 9, 10, 12, 10, 11, 9, 40, 41])


def test_astronomical_needs_eight_values():
    assert "astronomical" not in rules([10, 11, 9, 10, 12, 40])


def test_signal_dict_shape():
    signal = analyse([1, 2, 3, 4, 5, 6]).signals[0]
    assert signal.as_dict() == {"rule": "trend", "points": [0, 1, 2, 3, 4, 5]}
