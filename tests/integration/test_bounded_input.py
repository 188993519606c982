"""Bounded input: bodies refused before they are read (413), and values the database cannot hold
(ids beyond its integers, NUL characters, year 9999) answered 4xx with a clear message, never 500."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.limits import FORM_LIMIT, JSON_LIMIT, UPLOAD_LIMIT
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.test_reviews import hub  # noqa: F401 (fixture)

ON_POSTGRES = os.environ.get("TELEMENTOR_TEST_DATABASE_URL", "").startswith("postgres")
CHUNK = 64 * 1024
HUGE = 200 * 1024 * 1024


MULTIPART = "multipart/form-data; boundary=b"
FILE_PART = b'--b\r\nContent-Disposition: form-data; name="file"; filename="z.csv"\r\nContent-Type: text/csv\r\n\r\n'


def send_streamed(app, path: str, content_type: str, *, total: int, declare_length: bool):
    """POST `total` bytes to the ASGI app in 64 KiB chunks, counting how many bytes it pulled
    (a multipart body is one file part that never ends). Returns (status, body, bytes the app read)."""
    headers = [(b"host", b"testserver"), (b"content-type", content_type.encode())]
    if declare_length:
        headers.append((b"content-length", str(total).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    pulled, sent = 0, []

    async def receive():
        nonlocal pulled
        if pulled >= total:
            await asyncio.sleep(3600)  # a client that has sent everything waits for the answer
        size = min(CHUNK, total - pulled)
        chunk = (FILE_PART if pulled == 0 and content_type == MULTIPART else b"").ljust(size, b"x")
        pulled += size
        return {"type": "http.request", "body": chunk, "more_body": pulled < total}

    async def send(message):
        sent.append(message)

    # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(app(scope, receive, send), 30)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, pulled


@pytest.mark.parametrize(("path", "content_type"), [
    ("/api/v1/programs", "application/json"),
    ("/login", "application/x-www-form-urlencoded"),
    ("/api/v1/sessions/1/attendance/import", MULTIPART),
])
def test_declared_huge_body_is_refused_without_reading_it(app, path, content_type):
    status, body, pulled = send_streamed(app, path, content_type, total=HUGE, declare_length=True)
    assert (status, pulled) == (413, 0)
    assert b"too large" in body


@pytest.mark.parametrize(("path", "content_type", "limit"), [
    ("/api/v1/programs", "application/json", JSON_LIMIT),
    ("/login", "application/x-www-form-urlencoded", FORM_LIMIT),
    ("/api/v1/sessions/1/attendance/import", MULTIPART, UPLOAD_LIMIT),
])
def test_streamed_body_is_refused_as_soon_as_it_passes_the_limit(app, path, content_type, limit):
    status, body, pulled = send_streamed(app, path, content_type, total=HUGE, declare_length=False)
    assert status == 413
    assert limit < pulled <= limit + CHUNK


def test_forms_are_limited_below_uploads(app):
    """A multipart body the size of an attendance report is refused where no upload is expected."""
    status, _, pulled = send_streamed(app, "/programs/1/members", MULTIPART,
                                      total=FORM_LIMIT * 4, declare_length=True)
    assert (status, pulled) == (413, 0)


def test_body_under_the_limit_reaches_the_route(client, db):
    admin = make_user(db, email="admin@example.org", is_admin=True)
    headers = api_token(client, admin.email, PASSWORD)
    response = client.post("/api/v1/programs", headers=headers,
                           json={"name": "Hepatitis C", "timezone": "America/Denver",
                                 "description": "Weekly case-based learning for primary care. " * 90})
    assert response.status_code == 201, response.text


def test_huge_headers_are_refused(client):
    response = client.get("/healthz", headers={"X-Padding": "p" * 20_000})
    assert response.status_code == 431


@pytest.fixture
def coordinated(client, db):
    program = make_program(db, name="Hepatitis C", visibility="public")
    coordinator = make_user(db, email="rosa@example.org")
    add_member(db, program, coordinator, "coordinator")
    return program, coordinator, api_token(client, coordinator.email, PASSWORD)


@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63), str(2**40), str(2**31)])
@pytest.mark.parametrize("template", ["/api/v1/cases/{}", "/api/v1/programs/{}", "/api/v1/sessions/{}",
                                      "/api/v1/programs/{}/sessions", "/api/v1/cases/{}/recommendation"])
def test_ids_beyond_the_database_range_are_404_or_422(client, coordinated, template, number):
    program, coordinator, headers = coordinated
    response = client.get(template.format(number), headers=headers)
    assert response.status_code in (404, 422), response.text
    assert set(response.json()) == {"detail"}


def test_out_of_range_id_in_a_body_is_422(client, coordinated):
    program, coordinator, headers = coordinated
    response = client.post(f"/api/v1/programs/{program.id}/members", headers=headers,
                           json={"email": "nia@example.org", "full_name": "Nia", "role": "clinician",
                                 "site_id": 2**63})
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "A number or a date is out of the range this service accepts."


def test_nul_in_text_is_refused_with_a_clear_message_on_postgresql(client, coordinated):
    program, coordinator, headers = coordinated
    response = client.put(f"/api/v1/programs/{program.id}", headers=headers,
                          json={"name": "Hepatitis\x00C", "timezone": "America/Denver"})
    if ON_POSTGRES:
        assert (response.status_code, response.json()["detail"]) == (422, "Text may not contain NUL (zero) characters.")
    else:
        assert response.status_code == 200  # SQLite stores it as typed


def test_nul_in_a_query_is_not_a_server_error(client, coordinated):
    program, coordinator, headers = coordinated
    response = client.get("/api/v1/cases", params={"status": "sub\x00mitted"}, headers=headers)
    assert response.status_code in ((422,) if ON_POSTGRES else (200,)), response.text


def test_session_in_year_9999_is_refused(client, coordinated):
    program, coordinator, headers = coordinated
    response = client.post(f"/api/v1/programs/{program.id}/sessions", headers=headers,
                           json={"local_date": "9999-12-31", "start_time": "23:30", "duration_minutes": 60})
    assert 400 <= response.status_code < 500, response.text



def test_live_server_answers_413_while_the_client_is_still_sending(app):
    """Over a real socket: the answer comes after the headers and a first kilobyte of a declared
    200 MB body; the server never waited for the rest."""
    import socket
    from urllib.parse import urlsplit

    from tests.integration.live_server import live_server

    with live_server(app) as base_url:
        address = urlsplit(base_url)
        with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
            connection.sendall(f"POST /api/v1/programs HTTP/1.1\r\nHost: {address.netloc}\r\n"
                               f"Content-Type: application/json\r\nContent-Length: {HUGE}\r\n\r\n".encode()
                               + b"[" * 1024)
            answer = connection.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413 ")
    assert "nosniff" in answer  # inside the guard: security headers on the refusal too


def test_malformed_fields_of_the_case_page_forms_are_refused_not_500(client, db, hub):  # noqa: F811
    from tests.conftest import csrf_of, sign_in
    from tests.integration.test_reviews import scheduled_case

    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    sign_in(client, people["specialist"].email, PASSWORD)
    token = csrf_of(client)
    saved = client.post(f"/cases/{case_id}/recommendation", data={
        "csrf_token": token, "version": "0", "item_x": "Dropped", "item_1": "Treat now.",
        "item_99999999999999": "Late"})
    stale = client.post(f"/cases/{case_id}/recommendation", data={"csrf_token": token, "version": "1e3", "item_1": "x"})
    finalise = client.post(f"/cases/{case_id}/finalise", data={"csrf_token": token, "version": "one"})
    sign_in(client, people["coordinator"].email, PASSWORD)
    assigned = client.post(f"/cases/{case_id}/assign", data={"csrf_token": csrf_of(client), "session_id": str(2**70)})
    assert [r.status_code for r in (saved, stale, finalise, assigned)] == [303, 409, 409, 422]
    recommendation = client.get(f"/api/v1/cases/{case_id}/recommendation", headers=api_token(
        client, people["specialist"].email, PASSWORD)).json()
    assert (recommendation["version"], recommendation["items"]) == (1, ["Treat now."])


def test_attendance_report_over_the_row_cap_is_refused_and_nothing_imported(client, db, coordinated):
    from datetime import datetime

    from sqlmodel import select

    from app.models import AttendanceImport
    from app.services.attendance import MAX_REPORT_ROWS
    from tests.integration.attendance_helpers import DENVER, past_session, zoom_report

    program, coordinator, headers = coordinated
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    rows = [(f"Guest {i}", f"guest{i}@example.org", i % 30, 30 + i % 30) for i in range(MAX_REPORT_ROWS + 1)]
    response = client.post(f"/api/v1/sessions/{session.id}/attendance/import", headers=headers,
                           files={"file": ("z.csv", zoom_report(session, rows), "text/csv")})
    assert response.status_code == 422
    assert response.json()["fields"]["file"].startswith("The report has 5,001 rows; at most 5,000 are read.")
    assert db.exec(select(AttendanceImport)).all() == []
