"""An upload of another Zoom or Teams export on the attendance page and the API: the message
names the export to download instead and where it is; nothing is imported."""

from datetime import datetime

import pytest
from sqlmodel import select

from app.attendance import wrong_kind
from app.models import AttendanceImport, AttendanceRecord
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session

MEETING_LIST = (b"Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\r\n"
                b"812 3456 7890,Hepatitis C ECHO,03/04/2026 12:00:00 PM,03/04/2026 02:00:00 PM,host@example.org,120,23\r\n")
CHAT = "Timestamp\tSender\tMessage\n2026-03-04 12:02\tDana Smith\tGood morning\n".encode("utf-16")


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    add_member(db, program, coordinator, "coordinator")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER), minutes=120)
    return session, coordinator


@pytest.mark.parametrize("filename, content, message", [
    ("meetings.csv", MEETING_LIST, wrong_kind.MEETING_LIST),
    ("chat.csv", CHAT, wrong_kind.CHAT),
    ("attendance.xlsx", b"PK\x03\x04" + b"\x00" * 200, wrong_kind.WORKBOOK),
])
def test_the_page_names_the_export_to_download_instead(client, db, hub, filename, content, message):
    session, coordinator = hub
    sign_in(client, coordinator.email, PASSWORD)

    response = client.post(f"/sessions/{session.id}/attendance/import", data={"csrf_token": csrf_of(client)},
                           files={"file": (filename, content, "text/csv")})

    assert response.status_code == 422
    assert message.replace("'", "&#39;") in response.text
    assert db.exec(select(AttendanceImport)).all() == [] and db.exec(select(AttendanceRecord)).all() == []


def test_the_api_gives_the_same_message_in_the_file_field(client, db, hub):
    session, coordinator = hub

    response = client.post(f"/api/v1/sessions/{session.id}/attendance/import",
                           headers=api_token(client, coordinator.email, PASSWORD),
                           files={"file": ("meetings.csv", MEETING_LIST, "text/csv")})

    assert response.status_code == 422
    assert response.json()["fields"] == {"file": wrong_kind.MEETING_LIST}
    assert db.exec(select(AttendanceImport)).all() == []
