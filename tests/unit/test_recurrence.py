"""Session schedules: validation per field, expansion with exact dates and UTC instants."""

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from app.scheduling.recurrence import (
    RecurrenceRule,
    RuleError,
    describe,
    expand,
    expand_from,
    nth_weekday_of_month,
    rule_from,
    rule_from_form,
)

TUESDAY, FRIDAY, SUNDAY, MONDAY, THURSDAY = 1, 4, 6, 0, 3


def weekly(**changes) -> RecurrenceRule:
    fields = dict(
        kind="weekly",
        weekday=TUESDAY,
        first_date=date(2026, 3, 3),
        start_time=time(12, 0),
        duration_minutes=90,
        timezone="America/Denver",
        count=5,
    )
    fields.update(changes)
    return RecurrenceRule(**fields)


def rule_errors(**changes) -> dict[str, str]:
    with pytest.raises(RuleError) as caught:
        weekly(**changes)
    return caught.value.errors


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- validation ---------------------------------------------------------------------


def test_rule_unknown_timezone_is_a_field_error():
    assert rule_errors(timezone="Mars/Olympus") == {
        "timezone": "Unknown time zone 'Mars/Olympus'"
    }


def test_rule_timezone_path_is_refused():
    assert rule_errors(timezone="../../etc/passwd") == {
        "timezone": "Unknown time zone '../../etc/passwd'"
    }


def test_rule_several_bad_fields_are_reported_together():
    assert rule_errors(timezone="Mars/Olympus", count=None, until=date(2030, 1, 1)) == {
        "timezone": "Unknown time zone 'Mars/Olympus'",
        "until": "The series may run at most 3 years (until 2029-03-03)",
    }


def test_rule_weekly_interval_above_three_is_refused():
    assert rule_errors(interval=4) == {"interval": "Repeat every 1 to 3 weeks"}


def test_rule_monthly_interval_above_six_is_refused():
    with pytest.raises(RuleError) as caught:
        weekly(kind="monthly", interval=7, week_of_month=1, first_date=date(2026, 3, 3))
    assert caught.value.errors == {"interval": "Repeat every 1 to 6 months"}


def test_rule_monthly_without_week_of_month_is_refused():
    assert rule_errors(kind="monthly") == {
        "week_of_month": "Choose the 1st, 2nd, 3rd, 4th or last week of the month"
    }


def test_rule_monthly_fifth_week_is_refused():
    assert rule_errors(kind="monthly", week_of_month=5) == {
        "week_of_month": "Choose the 1st, 2nd, 3rd, 4th or last week of the month"
    }


def test_rule_weekly_with_week_of_month_is_refused():
    assert rule_errors(week_of_month=2) == {
        "week_of_month": "A weekly series has no week of the month"
    }


@pytest.mark.parametrize("minutes", [14, 481, 0])
def test_rule_duration_out_of_range_is_refused(minutes):
    assert rule_errors(duration_minutes=minutes) == {
        "duration_minutes": "A session lasts 15 to 480 minutes"
    }


@pytest.mark.parametrize("minutes", [15, 480])
def test_rule_duration_bounds_are_accepted(minutes):
    assert weekly(duration_minutes=minutes).duration_minutes == minutes


def test_rule_weekday_out_of_range_is_refused():
    assert rule_errors(weekday=7) == {"weekday": "Choose a weekday (0 = Monday … 6 = Sunday)"}


def test_rule_first_date_off_the_weekday_names_the_first_match():
    assert rule_errors(first_date=date(2026, 3, 4)) == {
        "first_date": "2026-03-04 is not a Tuesday; the first such date is 2026-03-10"
    }


def test_rule_monthly_first_date_off_the_nth_weekday_names_the_first_match():
    with pytest.raises(RuleError) as caught:
        weekly(kind="monthly", week_of_month=-1, first_date=date(2026, 3, 3))
    assert caught.value.errors == {
        "first_date": (
            "2026-03-03 is not the last Tuesday of its month; the first such date is 2026-03-31"
        )
    }


def test_rule_missing_timezone_is_refused():
    assert rule_errors(timezone="") == {"timezone": "Choose a time zone"}


def test_rule_start_time_of_the_wrong_type_is_refused():
    assert rule_errors(start_time="12:00") == {"start_time": "Give the local start time as HH:MM"}


def test_rule_aware_start_time_is_refused():
    assert rule_errors(start_time=time(12, tzinfo=UTC)) == {
        "start_time": "Give the local start time without a time zone"
    }


def test_rule_until_and_count_together_are_refused():
    assert rule_errors(until=date(2026, 3, 31)) == {
        "until": "Give either an end date or a number of sessions, not both"
    }


def test_rule_without_until_or_count_is_refused():
    assert rule_errors(count=None) == {"until": "Give an end date or a number of sessions"}


def test_rule_count_zero_is_refused():
    assert rule_errors(count=0) == {"count": "Give a number of sessions of at least 1"}


def test_rule_until_before_first_date_is_refused():
    assert rule_errors(count=None, until=date(2026, 3, 2)) == {
        "until": "The end date is before the first session"
    }


def test_rule_error_is_an_invalid_input_with_fields():
    with pytest.raises(RuleError) as caught:
        weekly(timezone="Nowhere/Here")
    assert (caught.value.status_code, caught.value.fields) == (
        422,
        {"timezone": "Unknown time zone 'Nowhere/Here'"},
    )


# --- the 3-year limit ----------------------------------------------------------------


def test_rule_until_exactly_three_years_out_is_accepted():
    assert weekly(count=None, until=date(2029, 3, 3)).until == date(2029, 3, 3)


def test_rule_until_one_day_beyond_three_years_is_refused():
    assert rule_errors(count=None, until=date(2029, 3, 4)) == {
        "until": "The series may run at most 3 years (until 2029-03-03)"
    }


def test_rule_count_that_fits_in_three_years_is_accepted():
    # 2026-03-03 .. 2029-03-03 is 1096 days: weekly sessions at day 0, 7, …, 1092.
    assert len(expand(weekly(count=157))) == 157


def test_rule_count_beyond_three_years_is_refused():
    assert rule_errors(count=158) == {
        "count": "The series may run at most 3 years (until 2029-03-03): at most 157 sessions fit"
    }


def test_rule_three_years_from_leap_day_ends_on_28_february():
    rule = weekly(weekday=date(2028, 2, 29).weekday(), first_date=date(2028, 2, 29))
    assert rule.latest_allowed_date == date(2031, 2, 28)


# --- expansion: dates ------------------------------------------------------------------


def test_expand_weekly_gives_consecutive_tuesdays():
    assert [o.local_date for o in expand(weekly(count=4))] == [
        date(2026, 3, 3),
        date(2026, 3, 10),
        date(2026, 3, 17),
        date(2026, 3, 24),
    ]


def test_expand_biweekly_skips_every_other_week():
    assert [o.local_date for o in expand(weekly(interval=2, count=3))] == [
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 3, 31),
    ]


def test_expand_until_includes_the_until_date():
    rule = weekly(count=None, until=date(2026, 3, 31))
    assert [o.local_date.day for o in expand(rule)] == [3, 10, 17, 24, 31]


def test_expand_count_and_until_give_the_same_series():
    by_count = expand(weekly(count=5))
    by_until = expand(weekly(count=None, until=date(2026, 4, 6)))
    assert by_count == by_until


def test_expand_monthly_second_monday():
    rule = weekly(kind="monthly", weekday=MONDAY, week_of_month=2, first_date=date(2026, 1, 12), count=4)
    assert [o.local_date for o in expand(rule)] == [
        date(2026, 1, 12),
        date(2026, 2, 9),
        date(2026, 3, 9),
        date(2026, 4, 13),
    ]


def test_expand_quarterly_last_friday():
    rule = weekly(
        kind="monthly",
        interval=3,
        weekday=FRIDAY,
        week_of_month=-1,
        first_date=date(2026, 1, 30),
        count=4,
    )
    assert [o.local_date for o in expand(rule)] == [
        date(2026, 1, 30),
        date(2026, 4, 24),
        date(2026, 7, 31),
        date(2026, 10, 30),
    ]


def test_nth_weekday_last_differs_from_fourth_in_a_five_thursday_month():
    assert (nth_weekday_of_month(2026, 4, THURSDAY, 4), nth_weekday_of_month(2026, 4, THURSDAY, -1)) == (
        date(2026, 4, 23),
        date(2026, 4, 30),
    )


def test_expand_monthly_across_year_end():
    rule = weekly(
        kind="monthly", interval=2, weekday=TUESDAY, week_of_month=1, first_date=date(2026, 11, 3), count=3
    )
    assert [o.local_date for o in expand(rule)] == [
        date(2026, 11, 3),
        date(2027, 1, 5),
        date(2027, 3, 2),
    ]


# --- expansion: wall time across DST --------------------------------------------------


def test_expand_denver_noon_across_march_dst_keeps_wall_time():
    starts = [o.starts_at_utc for o in expand(weekly(count=2))]
    # 3 March is MST (UTC-7); 10 March is MDT (UTC-6) after the 8 March change.
    assert starts == [utc(2026, 3, 3, 19), utc(2026, 3, 10, 18)]


def test_expand_denver_noon_across_november_dst_keeps_wall_time():
    rule = weekly(first_date=date(2026, 10, 27), count=2)
    assert [(o.starts_at_utc, o.ends_at_utc) for o in expand(rule)] == [
        (utc(2026, 10, 27, 18), utc(2026, 10, 27, 19, 30)),
        (utc(2026, 11, 3, 19), utc(2026, 11, 3, 20, 30)),
    ]


def test_expand_new_york_series_across_both_changes():
    rule = weekly(timezone="America/New_York", count=None, until=date(2026, 11, 10), interval=1)
    occurrences = expand(rule)
    by_date = {o.local_date: o.starts_at_utc for o in occurrences}
    assert (
        by_date[date(2026, 3, 3)],
        by_date[date(2026, 3, 10)],
        by_date[date(2026, 10, 27)],
        by_date[date(2026, 11, 3)],
        len(occurrences),
    ) == (utc(2026, 3, 3, 17), utc(2026, 3, 10, 16), utc(2026, 10, 27, 16), utc(2026, 11, 3, 17), 37)


def test_expand_nonexistent_local_time_shifts_forward():
    # 02:30 does not exist on 8 March 2026 in Denver; it becomes 03:30 MDT (09:30 UTC).
    rule = weekly(weekday=SUNDAY, first_date=date(2026, 3, 1), start_time=time(2, 30), count=2)
    assert [o.starts_at_utc for o in expand(rule)] == [utc(2026, 3, 1, 9, 30), utc(2026, 3, 8, 9, 30)]


def test_expand_ambiguous_local_time_takes_first_instant():
    # 01:30 happens twice on 1 November 2026 in Denver; the first is 01:30 MDT (07:30 UTC).
    rule = weekly(weekday=SUNDAY, first_date=date(2026, 11, 1), start_time=time(1, 30), count=2)
    assert [o.starts_at_utc for o in expand(rule)] == [utc(2026, 11, 1, 7, 30), utc(2026, 11, 8, 8, 30)]


def test_expand_session_spanning_the_change_lasts_its_duration():
    rule = weekly(weekday=SUNDAY, first_date=date(2026, 11, 1), start_time=time(0, 30), duration_minutes=120, count=1)
    occurrence = expand(rule)[0]
    assert (occurrence.starts_at_utc, occurrence.ends_at_utc) == (utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 8, 30))


def test_expand_returns_aware_utc_datetimes():
    occurrence = expand(weekly(count=1))[0]
    assert (occurrence.starts_at_utc.tzinfo, occurrence.ends_at_utc.tzinfo) == (UTC, UTC)


# --- the rest of a series ----------------------------------------------------------------


def test_expand_from_gives_the_sessions_on_and_after_the_date():
    assert [o.local_date for o in expand_from(weekly(count=5), date(2026, 3, 17))] == [
        date(2026, 3, 17),
        date(2026, 3, 24),
        date(2026, 3, 31),
    ]


def test_rule_from_starts_at_the_next_session_and_shrinks_the_count():
    rest = rule_from(weekly(count=5), date(2026, 3, 16))
    assert (rest.first_date, rest.count) == (date(2026, 3, 17), 3)


def test_rule_from_keeps_until():
    rest = rule_from(weekly(count=None, until=date(2026, 3, 31)), date(2026, 3, 20))
    assert (rest.first_date, rest.until, rest.count) == (date(2026, 3, 24), date(2026, 3, 31), None)


def test_rule_from_after_the_last_session_is_none():
    assert rule_from(weekly(count=5), date(2026, 4, 1)) is None


def test_rule_from_edited_tail_moves_only_the_following_sessions():
    original = weekly(count=5)
    tail = replace(rule_from(original, date(2026, 3, 17)), start_time=time(13, 0))
    kept = [o for o in expand(original) if o.local_date < tail.first_date]
    assert [o.starts_at_utc for o in kept + expand(tail)] == [
        utc(2026, 3, 3, 19),
        utc(2026, 3, 10, 18),
        utc(2026, 3, 17, 19),
        utc(2026, 3, 24, 19),
        utc(2026, 3, 31, 19),
    ]


# --- English -----------------------------------------------------------------------------


def test_describe_biweekly_with_count():
    rule = weekly(interval=2, first_date=date(2026, 1, 6), count=26)
    assert describe(rule) == "Every 2 weeks on Tuesday at 12:00 PM America/Denver, 26 sessions"


def test_describe_weekly_with_until():
    rule = weekly(start_time=time(7, 30), count=None, until=date(2026, 12, 15))
    assert describe(rule) == "Every week on Tuesday at 7:30 AM America/Denver, until 2026-12-15"


def test_describe_monthly_last_weekday_single_session():
    rule = weekly(kind="monthly", week_of_month=-1, first_date=date(2026, 3, 31), start_time=time(0, 5), count=1)
    assert describe(rule) == "Every month on the last Tuesday at 12:05 AM America/Denver, 1 session"


def test_describe_every_three_months_on_the_second_monday():
    rule = weekly(kind="monthly", interval=3, weekday=MONDAY, week_of_month=2, first_date=date(2026, 1, 12))
    assert describe(rule) == "Every 3 months on the 2nd Monday at 12:00 PM America/Denver, 5 sessions"


# --- from a form -----------------------------------------------------------------------


def test_rule_from_form_parses_strings():
    form = {
        "kind": "monthly",
        "interval": "1",
        "weekday": "1",
        "week_of_month": "-1",
        "first_date": "2026-03-31",
        "start_time": "12:00",
        "duration_minutes": "60",
        "timezone": "America/Denver",
        "until": "",
        "count": "12",
    }
    assert rule_from_form(form) == weekly(
        kind="monthly", week_of_month=-1, first_date=date(2026, 3, 31), duration_minutes=60, count=12
    )


def test_rule_from_form_reports_unparseable_and_missing_fields():
    with pytest.raises(RuleError) as caught:
        rule_from_form({"kind": "weekly", "weekday": "1", "first_date": "2026-02-30", "start_time": "noon",
                        "timezone": "America/Denver", "count": "5"})
    assert caught.value.errors == {
        "first_date": "Give a date as YYYY-MM-DD",
        "start_time": "Give a time as HH:MM",
        "duration_minutes": "This field is required",
    }
