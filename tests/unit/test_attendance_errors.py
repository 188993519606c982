"""Malformed reports are refused whole, with the line and the reason, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.attendance import ParsedReport, ReportError, parse_report
from app.errors import InvalidInput

DATA = Path(__file__).resolve().parents[1] / "data" / "attendance"
SAMPLES = sorted(p.name for p in DATA.iterdir() if p.suffix in {".csv", ".tsv"})
HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
GOOD_ROW = "Ann Lee,ann@x.org,01/10/2026 10:00:00 AM,01/10/2026 11:00:00 AM,60\n"


def refusal(data: bytes) -> ReportError:
    with pytest.raises(ReportError) as caught:
        parse_report(data)
    return caught.value


def test_report_error_empty_file():
    assert str(refusal(b"")) == "the file is empty"


def test_report_error_whitespace_only_file():
    assert refusal(b" \r\n\t\n").line is None


def test_report_error_leave_before_join_names_line_and_both_times():
    data = HEADER + GOOD_ROW * 5 + "Bo,bo@x.org,01/10/2026 10:30 AM,01/10/2026 10:05 AM,0\n"
    error = refusal(data.encode())
    assert str(error) == (
        "line 7: leave time '01/10/2026 10:05 AM' is before join time '01/10/2026 10:30 AM'"
    )
    assert (error.line, error.reason.startswith("leave time")) == (7, True)


def test_report_error_unparseable_date_quotes_only_the_cell():
    data = HEADER + "Ann Lee,ann@x.org,yesterday-ish,01/10/2026 11:00:00 AM,60\n"
    assert str(refusal(data.encode())) == "line 2: join time 'yesterday-ish' is not a date and time"


def test_report_error_impossible_date():
    data = HEADER + "Ann Lee,ann@x.org,02/30/2026 10:00 AM,02/30/2026 11:00 AM,60\n"
    assert refusal(data.encode()).line == 2


def test_report_error_long_cell_is_shortened_in_message():
    data = HEADER + f"Ann Lee,ann@x.org,{'9' * 500},01/10/2026 11:00:00 AM,60\n"
    message = str(refusal(data.encode()))
    assert message == f"line 2: join time '{'9' * 59}…' is not a date and time"


def test_report_error_huge_cell_is_refused_before_parsing():
    data = HEADER + f"Ann{' ' * 100_000}Lee,ann@x.org,1h{'1' * 5000}x,2,3\n"
    assert str(refusal(data.encode())) == "line 2: a cell is longer than 1000 characters"


def test_report_error_missing_leave_column():
    data = "Name,User Email,Join Time,Duration (Minutes)\n" + "Ann,a@x.org,01/10/2026 10:00 AM,5\n"
    assert str(refusal(data.encode())) == "line 1: the leave time column is missing"


def test_report_error_empty_join_cell():
    data = HEADER + "Ann Lee,ann@x.org,,01/10/2026 11:00:00 AM,60\n"
    assert str(refusal(data.encode())) == "line 2: join time is empty"


def test_report_error_bad_duration():
    data = HEADER + "Ann Lee,ann@x.org,01/10/2026 10:00 AM,01/10/2026 11:00 AM,lots\n"
    assert str(refusal(data.encode())) == "line 2: duration 'lots' is not a number of minutes"


def test_report_error_unknown_layout():
    assert refusal(b"a,b,c\n1,2,3\n").reason.startswith("this is not a report we recognise")


def test_report_error_header_without_rows():
    assert str(refusal(HEADER.encode())) == "the report lists no participants"


def test_report_error_binary_garbage():
    assert refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01").reason.startswith(
        "the file contains binary data"
    )


def test_report_error_broken_utf16():
    assert refusal(b"\xff\xfe" + "Name\tEmail".encode("utf-16-le") + b"\x00\xd8").line is None


def test_report_error_contradictory_date_orders():
    data = HEADER + GOOD_ROW.replace("01/10", "13/01") + GOOD_ROW.replace("01/10", "01/13")
    assert str(refusal(data.encode())) == (
        "line 3: the dates mix day/month and month/day order, so none can be trusted"
    )


def test_report_error_mixed_offsets_and_local_times():
    data = "Name,Email,Join,Leave\nA,a@x.org,2026-01-05T10:00:00Z,2026-01-05 11:00:00\n"
    assert refusal(data.encode()).reason == "some times carry a UTC offset and others do not"


def test_report_error_unclosed_quote():
    data = HEADER + '"Ann Lee,ann@x.org,01/10/2026 10:00 AM,01/10/2026 11:00 AM,60\n'
    assert refusal(data.encode()).line == 2


def test_report_error_teams_left_without_join():
    data = "Full Name\tUser Action\tTimestamp\nAnn\tLeft\t3/5/2026, 5:58:40 PM\n"
    assert str(refusal(data.encode("utf-16"))) == "line 2: this person left without having joined"


def test_report_error_teams_unknown_action():
    data = "Full Name\tUser Action\tTimestamp\nAnn\tWaved\t3/5/2026, 5:58:40 PM\n"
    assert refusal(data.encode("utf-16")).reason == "user action 'Waved' is not Joined or Left"


def test_report_error_unique_users_row_without_duration():
    data = "Name (Original Name),User Email,Total Duration (Minutes),Guest\nAnn,a@x.org,,No\n"
    assert str(refusal(data.encode())) == "line 2: the duration is empty"


def test_report_error_is_the_apps_invalid_input():
    error = refusal(b"")
    assert (isinstance(error, InvalidInput), error.status_code) == (True, 422)


# Property tests: whatever the bytes, the parser answers with a report or a ReportError.


def assert_report_or_refusal(data: bytes) -> None:
    try:
        report = parse_report(data)
    except ReportError as error:
        assert str(error)
        return
    assert isinstance(report, ParsedReport) and report.rows
    for row in report.rows:
        if row.joined_at is not None:
            assert row.left_at is not None and row.left_at >= row.joined_at


SAMPLE_BYTES = st.sampled_from(SAMPLES).map(lambda name: (DATA / name).read_bytes())
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(st.binary(max_size=2000))
def test_parse_report_random_bytes_never_crash(data):
    assert_report_or_refusal(data)


@PROPERTY
@given(SAMPLE_BYTES, st.floats(min_value=0, max_value=1))
def test_parse_report_truncated_file_never_crash(data, fraction):
    assert_report_or_refusal(data[: int(len(data) * fraction)])


@PROPERTY
@given(SAMPLE_BYTES, st.data())
def test_parse_report_corrupted_bytes_never_crash(data, draw):
    corrupted = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 8))):
        corrupted[draw.draw(st.integers(0, len(data) - 1))] = draw.draw(st.integers(0, 255))
    assert_report_or_refusal(bytes(corrupted))


@PROPERTY
@given(
    st.permutations(HEADER.strip().split(",")),
    st.text(alphabet="0123456789/:APM ,.-", max_size=25),
)
def test_parse_report_shuffled_headers_and_corrupted_dates_never_crash(columns, bad_date):
    rows = [dict(zip(HEADER.strip().split(","), GOOD_ROW.strip().split(","), strict=True))] * 2
    rows[1] = {**rows[1], "Join Time": bad_date}
    lines = [",".join(columns)] + [",".join(f'"{row[c]}"' for c in columns) for row in rows]
    assert_report_or_refusal("\n".join(lines).encode())


@PROPERTY
@given(SAMPLE_BYTES, st.data())
def test_parse_report_missing_or_shuffled_lines_never_crash(data, draw):
    lines = data.split(b"\n")
    chosen = draw.draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
    assert_report_or_refusal(b"\n".join(lines[i] for i in chosen))


def test_parse_report_shuffled_header_columns_read_by_name():
    header = "Leave Time,Duration (Minutes),User Email,Join Time,Name (Original Name)\n"
    row = "01/10/2026 11:00 AM,60,ann@x.org,01/10/2026 10:00 AM,Ann Lee\n"
    parsed = parse_report((header + row).encode()).rows[0]
    assert (parsed.display_name, parsed.email, parsed.joined_at.hour, parsed.left_at.hour) == (
        "Ann Lee",
        "ann@x.org",
        10,
        11,
    )
