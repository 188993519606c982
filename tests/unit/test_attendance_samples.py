"""Real exports from public repositories (tests/data/attendance/SOURCES.md) parse whole."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from app.attendance import attended_minutes, credit_for, match_rows, parse_report

DATA = Path(__file__).resolve().parents[1] / "data" / "attendance"


def load(name: str):
    return parse_report((DATA / name).read_bytes(), filename=name)


def person(report, email: str):
    return next(m.person for m in match_rows(report.rows, []) if m.person.email == email)


# Zoom participants with the meeting block (Lightbridge-KS/zoomclass)


def test_zoom_participants_header_counts_rows_and_people():
    report = load("zoom-participants-header-1.csv")
    assert (report.source, len(report.rows), report.has_times) == ("zoom", 31, True)
    assert len(match_rows(report.rows, [])) == 27


def test_zoom_participants_header_reads_meeting_block():
    report = load("zoom-participants-header-1.csv")
    assert report.meeting.meeting_id == "60245167821"
    assert report.meeting.topic == "Heroes meeting"
    assert report.meeting.start == datetime(2021, 11, 19, 10, 0)
    assert report.meeting.end == datetime(2021, 11, 19, 12, 0)
    assert report.date_order == "mdy"


def test_zoom_participants_header_first_row_has_unpadded_hour_and_original_name():
    row = load("zoom-participants-header-1.csv").rows[0]
    assert (row.line, row.display_name, row.original_name) == (5, "015_Loki", "Loki Laufeyson")
    assert row.email == "loki_asgardian@marvel.com"
    assert (row.joined_at, row.left_at) == (
        datetime(2021, 11, 19, 9, 54, 15),
        datetime(2021, 11, 19, 12, 1, 59),
    )
    assert row.duration_minutes == 128.0


def test_zoom_participants_header_converts_to_utc_with_meeting_zone():
    report = load("zoom-participants-header-1.csv").to_utc(ZoneInfo("America/New_York"))
    assert report.rows[0].joined_at == datetime(2021, 11, 19, 14, 54, 15, tzinfo=UTC)
    assert report.rows[-1].left_at == datetime(2021, 11, 19, 17, 1, 51, tzinfo=UTC)
    assert report.meeting.start == datetime(2021, 11, 19, 15, 0, tzinfo=UTC)


def test_zoom_participants_header_merges_swarms_overlapping_sessions():
    report = load("zoom-participants-header-1.csv")
    swarm = person(report, "swarm_mutant@marvel.com")
    start, end = report.meeting.start, report.meeting.end
    assert [row.line for row in swarm.rows] == [23, 27]
    # 10:14:30-10:24:26 and 10:24:12-12:01:58 overlap by 14 s; clipped at 12:00:00
    assert attended_minutes(swarm.intervals, start, end) == 105.5
    assert credit_for(105.5, 120, max_credits=2) == Decimal("1.75")


def test_zoom_participants_header_counts_power_girls_two_rows_once():
    report = load("zoom-participants-header-1.csv")
    power_girl = person(report, "power-girl_kryptonian@dc.com")
    assert [row.line for row in power_girl.rows] == [8, 19]
    # the second row (10:11:31-12:01:58) lies inside the first (10:08:26-12:01:58)
    minutes = attended_minutes(power_girl.intervals, report.meeting.start, report.meeting.end)
    assert minutes == 6694 / 60


def test_zoom_participants_header_adds_dazzlers_and_cyborgs_separate_sessions():
    report = load("zoom-participants-header-1.csv")
    window = (report.meeting.start, report.meeting.end)
    dazzler = person(report, "dazzler_mutant@marvel.com")
    cyborg = person(report, "cyborg-superman_cyborg@dc.com")
    assert attended_minutes(dazzler.intervals, *window) == (93 + 1612) / 60
    assert attended_minutes(cyborg.intervals, *window) == 83.5


# Zoom "unique users" (andrewpknight/zoomGroupStats)


def test_zoom_unique_users_has_durations_and_no_times():
    report = load("zoom-uniqueusers-1.csv")
    assert (report.source, len(report.rows), report.has_times) == ("zoom-unique", 10, False)
    assert {(row.joined_at, row.left_at) for row in report.rows} == {(None, None)}
    assert [row.duration_minutes for row in report.rows][:3] == [75.0, 72.0, 70.0]


def test_zoom_unique_users_reads_meeting_line_with_trailing_comma():
    report = load("zoom-uniqueusers-1.csv")
    assert report.meeting.meeting_id == "00000000001"
    assert report.meeting.topic == "Meeting about Reunion"
    assert report.meeting.start == datetime(2020, 9, 24, 11, 35, 16)
    assert report.meeting.end == datetime(2020, 9, 24, 12, 49, 20)


def test_zoom_unique_users_splits_device_and_original_names():
    rows = load("zoom-uniqueusers-1.csv").rows
    ipad, paul, john = rows[9], rows[3], rows[2]
    assert (ipad.display_name, ipad.original_name, ipad.email) == ("Eric's iPad", "Clapton", None)
    assert (paul.display_name, paul.original_name) == ("Paul McCartney", "Wings")
    assert (john.display_name, john.email) == ("John Lennon", None)


def test_zoom_unique_users_second_meeting_differs_only_in_meeting_block():
    first, second = load("zoom-uniqueusers-1.csv"), load("zoom-uniqueusers-2.csv")
    assert first.rows == second.rows
    assert second.meeting.meeting_id == "00000000002"
    assert first.fingerprint != second.fingerprint


# Japanese Zoom (yu-9824/zoom_participant)


def test_zoom_japanese_headers_parse_all_rows():
    report = load("zoom-participants-ja-1.csv")
    assert (report.source, len(report.rows), report.date_order) == ("zoom", 204, "ymd")
    first = report.rows[0]
    assert (first.line, first.display_name, first.email) == (2, "太郎1", "taro1…")
    assert (first.joined_at, first.left_at) == (
        datetime(2020, 12, 8, 8, 35),
        datetime(2020, 12, 8, 12, 39),
    )
    assert first.duration_minutes == 245.0


def test_zoom_japanese_converts_tokyo_time_to_utc():
    report = load("zoom-participants-ja-1.csv").to_utc(ZoneInfo("Asia/Tokyo"))
    assert report.rows[0].joined_at == datetime(2020, 12, 7, 23, 35, tzinfo=UTC)
    assert report.rows[-1].left_at == datetime(2020, 12, 8, 3, 35, tzinfo=UTC)


def test_zoom_japanese_row_with_same_join_and_leave_minute_is_kept():
    row = load("zoom-participants-ja-1.csv").rows[4]
    assert (row.display_name, row.joined_at == row.left_at, row.duration_minutes) == (
        "太郎5",
        True,
        1.0,
    )


# Zoom webinar attendee report (beemyfriend/ZoomReports)


def test_zoom_webinar_keeps_attended_rows_of_every_section():
    report = load("zoom-webinar-attendee-1.csv")
    assert (report.source, len(report.rows)) == ("zoom-webinar", 1002)
    roles = Counter(row.role for row in report.rows)
    assert roles == {"host": 1, "panelist": 73, "attendee": 924, "other": 4}


def test_zoom_webinar_skips_registrants_who_did_not_attend():
    names = {row.display_name for row in load("zoom-webinar-attendee-1.csv").rows}
    assert "firstAttendee_289 lastAttendee_289" not in names
    assert "firstAttendee_130 lastAttendee_130" in names


def test_zoom_webinar_lists_the_sixteen_absent_registrants_as_skipped():
    assert len(load("zoom-webinar-attendee-1.csv").skipped_lines) == 16


def test_zoom_webinar_reads_both_timestamp_styles():
    rows = load("zoom-webinar-attendee-1.csv").rows
    host, other = rows[0], rows[-1]
    assert (host.display_name, host.email, host.role) == (
        "hostName_1",
        "hostName_1@email.com",
        "host",
    )
    assert (host.joined_at, host.left_at) == (
        datetime(2020, 3, 28, 8, 7, 27),
        datetime(2020, 3, 28, 17, 14, 45),
    )
    assert (other.display_name, other.email) == ("userOther_4", None)
    assert (other.joined_at, other.left_at) == (
        datetime(2020, 3, 28, 13, 52),
        datetime(2020, 3, 28, 14, 40),
    )


def test_zoom_webinar_reads_summary_and_groups_people_by_email():
    report = load("zoom-webinar-attendee-1.csv")
    assert report.meeting.meeting_id == "328-972-509"
    assert report.meeting.topic == "satRdays DC 2020"
    assert report.meeting.start == datetime(2020, 3, 28, 8, 7)
    assert report.meeting.end == datetime(2020, 3, 28, 17, 15)  # start + 548 minutes
    # 477 distinct e-mails among attended rows plus 4 e-mail-less "Other Attended" rows
    assert len(match_rows(report.rows, [])) == 481


# Microsoft Teams (dvaneynde/teams-attendance), UTF-16 BE


def test_teams_three_sections_uses_in_meeting_activities():
    report = load("teams-attendance-3section-1.csv")
    assert (report.source, len(report.rows), report.date_order) == ("teams", 7, "dmy")
    assert [row.line for row in report.rows] == [21, 22, 23, 24, 25, 26, 27]


def test_teams_three_sections_reads_rows_and_summary():
    report = load("teams-attendance-3section-1.csv")
    first, pedro = report.rows[0], report.rows[2]
    assert (first.display_name, first.email, first.role) == (
        "JANSSENS JAN (EXT)",
        "jan.janssens.ext@un.int",
        "Organizer",
    )
    assert first.duration_minutes == 19 + 26 / 60
    assert (pedro.display_name, pedro.email) == ("García Simón, Pedro", "pgsimon@spain.es")
    assert report.meeting.topic == "Scrum Meeting"
    assert report.meeting.start == datetime(2022, 11, 14, 9, 29, 7)


def test_teams_three_sections_converts_brussels_time_to_utc():
    report = load("teams-attendance-3section-1.csv").to_utc(ZoneInfo("Europe/Brussels"))
    assert report.rows[0].joined_at == datetime(2022, 11, 14, 8, 30, 46, tzinfo=UTC)
    assert report.rows[6].left_at == datetime(2022, 11, 14, 8, 50, 12, tzinfo=UTC)


def test_sample_fingerprint_is_sha256_of_bytes():
    data = (DATA / "teams-attendance-3section-1.csv").read_bytes()
    assert parse_report(data).fingerprint == hashlib.sha256(data).hexdigest()
