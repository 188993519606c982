"""Another export than an attendance report is named, with the report to download instead and
where it is in Zoom or Teams; a genuine report with a broken line keeps its own error."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.attendance import ReportError, parse_report
from app.attendance import wrong_kind as kind

DATA = Path(__file__).resolve().parents[1] / "data" / "attendance"

ZOOM_MEETING_LIST = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "812 3456 7890,Hepatitis C ECHO,01/07/2026 10:00:00 AM,01/07/2026 11:30:00 AM,host@example.org,90,23\n"
    "812 3456 7890,Hepatitis C ECHO,01/14/2026 10:00:00 AM,01/14/2026 11:30:00 AM,host@example.org,88,19\n")
ZOOM_ACTIVE_HOSTS = "Topic,ID,Host,Duration (Minutes),Start Time,End Time,Participants\nHep C,812,Rosa,90,x,y,23\n"
ZOOM_REGISTRATION = (
    "Registration Report\nReport Generated:,01/08/2026 09:00 AM\n"
    "Topic,ID,Start Time\nHepatitis C ECHO,812 3456 7890,01/07/2026 10:00 AM\n\n"
    "First Name,Last Name,Email,Registration Time,Approval Status\n"
    "Dana,Smith,dana@example.org,01/05/2026 09:12:00 AM,approved\n")
BARE_REGISTRATION = "First Name,Last Name,Email,Registration Time,Approval Status\nDana,Smith,d@x.org,x,approved\n"
TEAMS_REGISTRATION = "Name\tEmail\tRegistration status\nDana Smith\tdana@example.org\tRegistered\n"
ZOOM_POLL = (
    "Poll Report\nReport Generated:,01/08/2026 09:00 AM\n"
    "#,User Name,Email Address,Submitted Date/Time,Which dose?\n1,Dana Smith,dana@example.org,Jan 7 10:40,Full\n")
ZOOM_QA = ("Question and Answer Report\nTopic,ID\nHep C,812\n\n"
           "#,Question,Asker Name,Asker Email,Answer(s)\n1,Why?,Dana,d@x.org,Because\n")
ZOOM_CHAT_OLD = ("10:02:15 From Dana Smith to Everyone:\n\tGood morning\n"
                 "10:03:40 From Sam Okafor to Everyone:\n\tHello\n")
ZOOM_CHAT_NEW = "10:02:15\tDana Smith:\tGood morning\n10:03:40\tSam Okafor:\tHello all\n"
TEAMS_CHAT_CSV = "Timestamp,Sender,Message\n2026-01-07 10:02,Dana Smith,Good morning\n"


def refusal(data: bytes, filename: str = "report.csv") -> ReportError:
    with pytest.raises(ReportError) as caught:
        parse_report(data, filename=filename)
    return caught.value


@pytest.mark.parametrize("text, message", [
    (ZOOM_MEETING_LIST, kind.MEETING_LIST),
    (ZOOM_ACTIVE_HOSTS, kind.MEETING_LIST),
    (ZOOM_REGISTRATION, kind.REGISTRATION),
    (BARE_REGISTRATION, kind.REGISTRATION),
    (TEAMS_REGISTRATION, kind.REGISTRATION),
    (ZOOM_POLL, kind.POLL),
    (ZOOM_QA, kind.QUESTIONS),
    (ZOOM_CHAT_OLD, kind.CHAT),
    (ZOOM_CHAT_NEW, kind.CHAT),
    (TEAMS_CHAT_CSV, kind.CHAT),
], ids=["zoom-meeting-list", "zoom-active-hosts", "zoom-registration", "registration-table",
        "teams-registration", "zoom-poll", "zoom-qa", "zoom-chat-old", "zoom-chat-new", "chat-csv"])
def test_another_export_is_named_with_the_report_to_download_instead(text, message):
    error = refusal(text.encode())

    assert (error.line, str(error)) == (None, message)
    assert error.fields == {"file": message}


def test_a_teams_chat_in_utf16_is_named_too():
    assert str(refusal(TEAMS_CHAT_CSV.replace(",", "\t").encode("utf-16"))) == kind.CHAT


def test_the_messages_say_where_the_right_reports_are():
    assert kind.MEETING_LIST.startswith("This is Zoom's list of meetings")
    assert "click the number in its Participants column" in kind.MEETING_LIST
    assert "“Export with meeting data”" in kind.MEETING_LIST
    assert "Attendance tab and select Download" in kind.REGISTRATION
    assert "Attendance tab" in kind.CHAT and "Participants column" in kind.CHAT


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64, kind.WORKBOOK),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, kind.WORKBOOK),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", kind.PDF),
])
def test_a_workbook_or_pdf_is_named_before_it_is_read_as_text(data, message):
    assert str(refusal(data, "report.xlsx")) == message


def test_a_genuine_report_with_a_broken_line_keeps_its_own_error():
    text = (ZOOM_MEETING_LIST.splitlines()[0] + "\n" + ZOOM_MEETING_LIST.splitlines()[1] + "\n\n"
            "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
            "Dana Smith,dana@example.org,01/07/2026 10:00:00 AM,not a time,90,No\n")

    assert str(refusal(text.encode())) == "line 5: leave time 'not a time' is not a date and time"


def test_a_webinar_attendee_report_with_registration_columns_is_still_read():
    sample = DATA / "zoom-webinar-attendee-1.csv"

    assert parse_report(sample.read_bytes(), filename=sample.name).source == "zoom-webinar"


def test_an_unknown_file_keeps_the_general_message():
    message = str(refusal(b"colour,size\nred,large\n"))

    assert message.startswith("this is not a report we recognise")


@pytest.mark.parametrize("sample", sorted(p.name for p in DATA.iterdir() if p.suffix in {".csv", ".tsv"}))
def test_no_shared_sample_is_taken_for_another_export(sample):
    text = (DATA / sample).read_bytes()
    try:
        parse_report(text, filename=sample)
    except ReportError as error:
        assert str(error) not in {kind.MEETING_LIST, kind.REGISTRATION, kind.POLL, kind.QUESTIONS, kind.CHAT}
