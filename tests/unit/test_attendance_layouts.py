"""Hand-written samples of each layout (tests/data/attendance/HANDWRITTEN.md) and quirks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from app.attendance import match_rows, parse_report

DATA = Path(__file__).resolve().parents[1] / "data" / "attendance"


def load(name: str):
    return parse_report((DATA / name).read_bytes(), filename=name)


def spans(report):
    return [(row.joined_at, row.left_at) for row in report.rows]


def test_spanish_zoom_reads_semicolons_and_day_first_dates():
    report = load("zoom-participants-es.csv")
    assert (report.source, report.date_order) == ("zoom", "dmy")
    assert [row.display_name for row in report.rows] == [
        "Ana Ruiz",
        "iPhone",
        "José Núñez",
        "Pérez, Lucía",
    ]
    assert report.rows[1].original_name == "José Núñez"
    assert spans(report)[3] == (datetime(2026, 2, 13, 10, 0), datetime(2026, 2, 13, 10, 30))


def test_spanish_zoom_groups_phone_rejoin_with_signed_in_row():
    people = match_rows(load("zoom-participants-es.csv").rows, [])
    assert [(m.person.email, [r.line for r in m.person.rows]) for m in people] == [
        ("ana.ruiz@hospital.es", [2]),
        ("jose.nunez@salud.es", [3, 4]),
        ("lucia.perez@clinica.es", [5]),
    ]


def test_french_zoom_reads_curly_apostrophe_headers():
    report = load("zoom-participants-fr.csv")
    assert (report.source, report.date_order) == ("zoom", "dmy")
    second = report.rows[1]
    assert (second.display_name, second.original_name, second.email) == (
        "Martin, Élodie",
        "Élodie Martin",
        None,
    )
    assert spans(report)[0] == (datetime(2026, 3, 5, 14, 0, 5), datetime(2026, 3, 5, 15, 29, 40))


def test_german_zoom_dotted_dates_are_day_first():
    report = load("zoom-participants-de.csv")
    assert report.date_order == "dmy"
    assert spans(report)[0] == (datetime(2026, 3, 4, 16, 0), datetime(2026, 3, 4, 17, 0))
    assert report.rows[0].display_name == "Jürgen Groß"


def test_portuguese_zoom_splits_device_name():
    report = load("zoom-participants-pt.csv")
    device = report.rows[1]
    assert (device.display_name, device.original_name) == ("Samsung Galaxy S21", "Maria Conceição")
    assert spans(report)[0] == (datetime(2026, 3, 10, 8, 0), datetime(2026, 3, 10, 9, 15))


def test_zoom_with_moved_columns_and_twelve_hour_clock():
    report = load("zoom-participants-devices.csv")
    assert report.meeting.topic == "Hepatitis C ECHO, session 12"
    assert report.meeting.start == datetime(2026, 1, 10, 10, 0)
    assert spans(report)[3] == (datetime(2026, 1, 10, 12, 5), datetime(2026, 1, 10, 12, 10))
    assert report.rows[1].display_name == "iPhone"
    assert report.rows[1].original_name == "Brian Smith"


def test_zoom_waiting_room_rows_are_skipped_and_listed():
    report = load("zoom-participants-devices.csv")
    assert [row.line for row in report.rows] == [5, 7, 8, 9]
    assert report.skipped_lines == (6,)


def test_zoom_one_line_per_participant_prefers_columns_after_the_name():
    data = (
        "Topic,ID,Host name,Email,Duration (minutes),Name (original name),Email,"
        "Join time,Leave time,Duration (minutes),Guest\n"
        "ECHO,812,Hub Host,host@x.org,90,Ann Lee,ann@x.org,"
        "01/10/2026 10:00 AM,01/10/2026 10:45 AM,45,No\n"
    )
    row = parse_report(data.encode()).rows[0]
    assert (row.display_name, row.email, row.duration_minutes) == ("Ann Lee", "ann@x.org", 45.0)


def test_teams_utf16le_prefers_per_join_rows_and_reads_hour_durations():
    report = load("teams-attendance-utf16le.csv")
    assert (report.source, report.date_order, len(report.rows)) == ("teams", "mdy", 4)
    assert report.rows[0].duration_minutes == 92 + 8 / 60
    assert spans(report)[1:3] == [
        (datetime(2026, 7, 22, 19, 2, 11), datetime(2026, 7, 22, 19, 40)),
        (datetime(2026, 7, 22, 19, 55, 8), datetime(2026, 7, 22, 20, 29, 59)),
    ]
    assert report.meeting.topic == "Diabetes ECHO"
    assert report.meeting.end == datetime(2026, 7, 22, 20, 30, 10)


def test_teams_utf16le_converts_to_utc_across_zone():
    report = load("teams-attendance-utf16le.csv").to_utc(ZoneInfo("America/Denver"))
    assert report.rows[1].joined_at == datetime(2026, 7, 23, 1, 2, 11, tzinfo=UTC)


def test_teams_legacy_event_list_pairs_joins_and_leaves():
    report = load("teams-attendance-legacy.csv")
    assert report.source == "teams"
    assert [(row.line, row.display_name) for row in report.rows] == [
        (2, "Chidi Okafor"),
        (3, "Linh Nguyen"),
        (5, "Linh Nguyen"),
        (6, "Sam Patel"),
    ]
    assert spans(report)[1:3] == [
        (datetime(2026, 3, 5, 17, 58, 40), datetime(2026, 3, 5, 18, 20)),
        (datetime(2026, 3, 5, 18, 25), datetime(2026, 3, 5, 19, 0)),
    ]


def test_teams_legacy_unclosed_join_ends_at_last_event():
    data = (
        "Full Name\tUser Action\tTimestamp\n"
        "Ann Lee\tJoined\t3/5/2026, 5:00:00 PM\n"
        "Bo Chan\tJoined\t3/5/2026, 5:10:00 PM\n"
        "Bo Chan\tLeft\t3/5/2026, 6:00:00 PM\n"
    ).encode("utf-16")
    report = parse_report(data)
    assert spans(report)[0] == (datetime(2026, 3, 5, 17, 0), datetime(2026, 3, 5, 18, 0))


def test_plain_csv_with_utc_offsets_is_marked_utc():
    report = load("plain-attendance-iso.csv")
    assert (report.source, report.times_are_utc) == ("csv", True)
    converted = report.to_utc(ZoneInfo("Asia/Kolkata"))  # the zone is ignored: file said UTC
    assert converted.rows[1].joined_at == datetime(2026, 4, 7, 16, 10, tzinfo=UTC)


def test_plain_tsv_reads_role_and_naive_iso_times():
    report = load("plain-attendance.tsv")
    assert (report.source, report.date_order, report.times_are_utc) == ("csv", "ymd", False)
    assert [row.role for row in report.rows] == ["presenter", "presenter"]
    assert spans(report)[0] == (datetime(2026, 4, 7, 12, 0), datetime(2026, 4, 7, 13, 0))


def test_plain_csv_semicolon_with_crlf_bom_and_quotes():
    data = (
        '\ufeffName;Email;Join;Leave\r\n"Smith; Jo";jo@x.org;2026-01-05 10:00;2026-01-05 11:00\r\n'
    ).encode("utf-8")
    report = parse_report(data)
    assert (report.rows[0].display_name, report.rows[0].email) == ("Smith; Jo", "jo@x.org")


def test_plain_csv_ambiguous_dates_default_to_month_first():
    data = b"Name,Email,Join Time,Leave Time\nBo,bo@x.org,01/02/2026 10:00,01/02/2026 11:00\n"
    report = parse_report(data)
    assert (report.date_order, report.rows[0].joined_at) == ("mdy", datetime(2026, 1, 2, 10, 0))


def test_plain_csv_day_above_twelve_makes_whole_file_day_first():
    data = (
        b"Name,Email,Join Time,Leave Time\n"
        b"Bo,bo@x.org,01/02/2026 10:00,01/02/2026 11:00\n"
        b"Al,al@x.org,13/02/2026 10:00,13/02/2026 11:00\n"
    )
    report = parse_report(data)
    assert report.date_order == "dmy"
    assert report.rows[0].joined_at == datetime(2026, 2, 1, 10, 0)


def test_zoom_headers_match_regardless_of_case_spacing_and_full_width_parentheses():
    data = (
        "  NAME（ORIGINAL NAME）,user email ,JOIN TIME,Leave  Time,所要時間（分）\n"
        'Ann (Ann Lee),ann@x.org,"Mar 28, 2020 2:20 PM","Mar 28, 2020 2:50 PM",30\n'
    )
    report = parse_report(data.encode())
    row = report.rows[0]
    assert (row.display_name, row.original_name, row.duration_minutes) == ("Ann", "Ann Lee", 30.0)
    assert spans(report)[0] == (datetime(2020, 3, 28, 14, 20), datetime(2020, 3, 28, 14, 50))


def test_utf16_without_bom_is_detected():
    data = "Name\tEmail\tJoin Time\tLeave Time\nBo\tbo@x.org\t2026-01-05 10:00\t2026-01-05 11:00\n"
    report = parse_report(data.encode("utf-16-le"))
    assert report.rows[0].email == "bo@x.org"


def test_excel_cp1252_resave_is_read():
    data = "Name,Email,Join,Leave\nJosé,j@x.org,2026-01-05 10:00,2026-01-05 11:00\n"
    assert parse_report(data.encode("cp1252")).rows[0].display_name == "José"


def test_same_bytes_give_same_fingerprint():
    data = (DATA / "plain-attendance.tsv").read_bytes()
    assert parse_report(data).fingerprint == parse_report(data).fingerprint
    assert parse_report(data).fingerprint != parse_report(data + b"\n").fingerprint


def test_teams_utf8_with_only_participants_section_uses_first_join_last_leave():
    data = (
        b"1. Summary\n"
        b"Meeting title\tECHO\n"
        b"\n"
        b"2. Participants\n"
        b"Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
        b"Lee, Ann\t1/8/26, 10:00:00 AM\t1/8/26, 11:00:00 AM\t1h\tann@x.org\tann@x.org\tAttendee\n"
        b"\n"
        b"3. In-Meeting Activities\n"
        b"Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
    )
    report = parse_report(data)
    assert (report.source, [row.line for row in report.rows]) == ("teams", [6])
    assert spans(report) == [(datetime(2026, 1, 8, 10, 0), datetime(2026, 1, 8, 11, 0))]
    assert report.rows[0].duration_minutes == 60.0
