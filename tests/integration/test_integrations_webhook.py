"""Zoom's webhook endpoint: the signature of every call checked, the URL validation answered,
unsigned, forged and replayed calls refused; meeting.ended makes the report's fetch due now."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import date, time as clock

import pytest
from sqlmodel import select

from app.db import utcnow
from app.integrations.webhook import signature
from app.models import IntegrationJob
from app.services import integrations, scheduling
from tests.factories import add_member, make_program, make_user

SECRET = "zoom-webhook-secret-token-1a2b3c"
URL = "/api/v1/integrations/zoom/webhook"


@pytest.fixture
def signed(settings):
    settings.zoom_webhook_secret = SECRET

    def headers(body: bytes, *, age: int = 0, secret: str = SECRET) -> dict:
        timestamp = str(int(time.time()) - age)
        return {"content-type": "application/json", "x-zm-request-timestamp": timestamp,
                "x-zm-signature": signature(secret, timestamp, body)}
    return headers


def ended_event(meeting_id: str) -> bytes:
    """meeting.ended as in Zoom's event reference."""
    return json.dumps({"event": "meeting.ended", "event_ts": int(time.time() * 1000), "payload": {
        "account_id": "zoomacct456", "object": {
            "id": meeting_id, "uuid": "4444AAAiAAAAAiAiAiiAii==", "host_id": "x1yCzABCDEfg23HiJKl4mN",
            "topic": "Hepatitis C", "type": 2, "start_time": "2030-01-02T19:00:00Z",
            "end_time": "2030-01-02T20:00:00Z", "duration": 60, "timezone": "America/Denver"}}}).encode()


@pytest.fixture
def zoom_session(db, settings):
    """A session whose Zoom meeting (id 85746065432) exists, as the worker would have recorded it."""
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    program = make_program(db)
    add_member(db, program, coordinator, "coordinator")
    connection = integrations.add_connection(db, settings, platform="zoom", label="Hub", account_id="acct",
                                             client_id="client", client_secret="s3cret", actor=admin)
    integrations.choose_for_program(db, program, connection_id=connection.id, host_user="host@example.org",
                                    actor=coordinator)
    session = scheduling.create_single(db, program, scheduling.SessionTime(date(2030, 1, 2), clock(12, 0), 60),
                                       actor=coordinator)
    meeting = integrations.meeting_of(db, session.id)
    meeting.meeting_id, meeting.state, meeting.join_url = "85746065432", "active", "https://zoom.us/j/85746065432"
    db.add(meeting)
    db.commit()
    return session


def fetch_jobs(db) -> list[IntegrationJob]:
    db.expire_all()
    return list(db.exec(select(IntegrationJob).where(IntegrationJob.kind == "fetch_attendance")).all())


def test_url_validation_is_answered_with_the_hmac_of_the_plain_token(client, signed):
    body = json.dumps({"payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}, "event_ts": 1654503849680,
                       "event": "endpoint.url_validation"}).encode()
    response = client.post(URL, content=body, headers=signed(body))
    expected = hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert (response.status_code, response.json()) == (
        200, {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected})


def test_meeting_ended_makes_the_report_fetch_due_now(client, db, signed, zoom_session):
    body = ended_event("85746065432")
    response = client.post(URL, content=body, headers=signed(body))
    assert (response.status_code, response.json()) == (200, {"received": True, "known_meeting": True})
    [job] = fetch_jobs(db)
    assert job.status == "pending" and job.next_attempt_at <= utcnow()


def test_an_unknown_meeting_is_acknowledged_and_changes_nothing(client, db, signed, zoom_session):
    body = ended_event("999")
    assert client.post(URL, content=body, headers=signed(body)).json() == {"received": True, "known_meeting": False}
    assert fetch_jobs(db) == []


def test_an_unsigned_call_is_refused(client, db, signed, zoom_session):
    response = client.post(URL, content=ended_event("85746065432"), headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (401, {"detail": "Refused."})
    assert fetch_jobs(db) == []


def test_a_replayed_call_older_than_five_minutes_is_refused(client, db, signed, zoom_session):
    body = ended_event("85746065432")
    response = client.post(URL, content=body, headers=signed(body, age=301))
    assert response.status_code == 401
    assert fetch_jobs(db) == []
    assert client.post(URL, content=body, headers=signed(body, age=290)).status_code == 200


def test_a_forged_signature_or_a_changed_body_is_refused(client, db, signed, zoom_session):
    body = ended_event("85746065432")
    assert client.post(URL, content=body, headers=signed(body, secret="guessed")).status_code == 401
    headers = signed(body)
    assert client.post(URL, content=body.replace(b"85746065432", b"85746065433"), headers=headers).status_code == 401
    assert fetch_jobs(db) == []


def test_without_a_configured_secret_every_call_is_refused(client, settings):
    settings.zoom_webhook_secret = ""
    body = b'{"event": "endpoint.url_validation", "payload": {"plainToken": "x"}}'
    timestamp = str(int(time.time()))
    headers = {"x-zm-request-timestamp": timestamp, "x-zm-signature": signature("", timestamp, body)}
    assert client.post(URL, content=body, headers=headers).status_code == 401
