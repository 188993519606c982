"""Fake Zoom and Microsoft Graph servers, served over real HTTP on loopback by the integration
tests. Their answers are shaped like the platforms' documented examples (sources listed in
docs/integrations.md): Zoom's token, meeting, past-instances and participants-report bodies and
its {"code", "message"} errors; Entra's token answer; Graph's onlineMeeting, attendanceReport and
attendanceRecord bodies with @odata.nextLink and its {"error": {"code", "message"}} errors.

A test scripts failures with ``fail(method, path_regex, status, body, headers)``: the next
matching request gets that answer once (an expired token, a 429, a 500, ...).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


@dataclass
class Scripted:
    method: str
    path: re.Pattern
    status: int
    body: dict | None
    headers: dict


@dataclass
class FakeState:
    client_id: str
    client_secret: str
    account_id: str
    users: set[str]
    granted: str = ""
    tokens: set[str] = field(default_factory=set)
    token_count: int = 0
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # method, raw path, query
    scripted: list[Scripted] = field(default_factory=list)
    meetings: dict[str, dict] = field(default_factory=dict)
    ids: itertools.count = field(default_factory=lambda: itertools.count(85746065432))
    on_call: object = None  # a test's probe, called with each request before it is answered

    def fail(self, method: str, path: str, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        self.scripted.append(Scripted(method, re.compile(path), status, body, headers or {}))

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def scripted_answer(self, request: Request) -> Response | None:
        for item in self.scripted:
            if item.method == request.method and item.path.search(request.url.path):
                self.scripted.remove(item)
                if item.body is None:
                    return Response(status_code=item.status, headers=item.headers)
                return JSONResponse(item.body, status_code=item.status, headers=item.headers)
        return None

    def record(self, request: Request) -> None:
        self.calls.append((request.method, request.scope["raw_path"].decode(), request.url.query))
        if self.on_call is not None:
            self.on_call(request)

    def api_calls(self, method: str, pattern: str) -> list[tuple[str, str, str]]:
        return [c for c in self.calls if c[0] == method and re.search(pattern, c[1])]


# --- Zoom -----------------------------------------------------------------------------------


@dataclass
class FakeZoom(FakeState):
    # participants reports by meeting UUID (or id); instances by meeting id
    reports: dict[str, list[dict]] = field(default_factory=dict)
    instances: dict[str, list[dict]] = field(default_factory=dict)
    page_tokens: dict[str, tuple[str, int]] = field(default_factory=dict)
    expire_page_tokens_once: bool = False
    max_page_size: int = 300  # a test lowers it for reports of several pages


def zoom_participant(name: str, email: str, join: str, leave: str, *, status: str = "in_meeting") -> dict:
    """One row of GET /report/meetings/{meetingId}/participants, as in Zoom's example."""
    return {"id": secrets.token_hex(6), "user_id": str(secrets.randbelow(10 ** 8)), "name": name,
            "user_email": email, "join_time": join, "leave_time": leave, "duration": 0, "attentiveness_score": "",
            "failover": False, "status": status, "customer_key": "", "registrant_id": "",
            "participant_user_id": ""}


def zoom_app(state: FakeZoom) -> FastAPI:
    app = FastAPI()

    def zoom_error(status: int, code: int, message: str) -> JSONResponse:
        return JSONResponse({"code": code, "message": message}, status_code=status)

    @app.middleware("http")
    async def gate(request: Request, call_next):
        state.record(request)
        if (answer := state.scripted_answer(request)) is not None:
            return answer
        if request.url.path.startswith("/v2/"):
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in state.tokens:
                return zoom_error(401, 124, "Invalid access token.")
        return await call_next(request)

    @app.post("/oauth/token")
    async def token(request: Request):
        expected = base64.b64encode(f"{state.client_id}:{state.client_secret}".encode()).decode()
        params = request.query_params
        if (request.headers.get("authorization") != f"Basic {expected}"
                or params.get("grant_type") != "account_credentials" or params.get("account_id") != state.account_id):
            return JSONResponse({"reason": "Invalid client_id or client_secret", "error": "invalid_client"},
                                status_code=400)
        state.token_count += 1
        value = f"zoom-token-{state.token_count}-{secrets.token_hex(8)}"
        state.tokens.add(value)
        return {"access_token": value, "token_type": "bearer", "expires_in": 3599, "scope": state.granted,
                "api_url": "https://api.zoom.us"}

    @app.post("/v2/users/{user_id}/meetings")
    async def create(user_id: str, request: Request):
        if user_id not in state.users:
            return zoom_error(404, 1001, f"User does not exist: {user_id}.")
        body = await request.json()
        meeting_id = str(next(state.ids))
        meeting = {"uuid": base64.b64encode(secrets.token_bytes(16)).decode(), "id": int(meeting_id),
                   "host_id": "KdYKjnimT4KPd8FFgQt9FQ", "host_email": user_id, "topic": body.get("topic"),
                   "type": 2, "status": "waiting", "start_time": body.get("start_time"),
                   "duration": body.get("duration"), "timezone": body.get("timezone"), "agenda": body.get("agenda"),
                   "created_at": "2026-12-01T10:00:00Z", "start_url": f"https://zoom.us/s/{meeting_id}?zak=secret",
                   "join_url": f"https://zoom.us/j/{meeting_id}?pwd={secrets.token_urlsafe(12)}",
                   "password": "123456", "settings": {"host_video": False, "join_before_host": False}}
        state.meetings[meeting_id] = meeting
        return JSONResponse(meeting, status_code=201)

    @app.patch("/v2/meetings/{meeting_id}")
    async def update(meeting_id: str, request: Request):
        if meeting_id not in state.meetings:
            return zoom_error(404, 3001, f"Meeting does not exist: {meeting_id}.")
        state.meetings[meeting_id].update(await request.json())
        return Response(status_code=204)

    @app.get("/v2/meetings/{meeting_id}")
    async def get(meeting_id: str):
        if meeting_id not in state.meetings:
            return zoom_error(404, 3001, f"Meeting does not exist: {meeting_id}.")
        return state.meetings[meeting_id]

    @app.delete("/v2/meetings/{meeting_id}")
    async def delete(meeting_id: str):
        if state.meetings.pop(meeting_id, None) is None:
            return zoom_error(404, 3001, f"Meeting does not exist: {meeting_id}.")
        return Response(status_code=204)

    @app.get("/v2/users/{user_id}/meetings")
    async def list_meetings(user_id: str):
        if user_id not in state.users:
            return zoom_error(404, 1001, f"User does not exist: {user_id}.")
        return {"page_size": 1, "total_records": 0, "next_page_token": "", "meetings": []}

    @app.get("/v2/past_meetings/{meeting_id}/instances")
    async def instances(meeting_id: str):
        return {"meetings": state.instances.get(meeting_id, [])}

    @app.get("/v2/report/meetings/{key:path}/participants")
    async def participants(key: str, request: Request):
        key = unquote(key)  # the server decoded once; a double-encoded UUID needs a second
        rows = state.reports.get(key)
        if rows is None:
            return zoom_error(404, 3001, "Meeting does not exist: " + key + ".")
        size = min(int(request.query_params.get("page_size", 30)), state.max_page_size)
        token = request.query_params.get("next_page_token", "")
        if token:
            if state.expire_page_tokens_once or state.page_tokens.get(token, ("",))[0] != key:
                state.expire_page_tokens_once = False
                state.page_tokens.clear()
                return zoom_error(400, 300, "The next page token is invalid or expired.")
            start = state.page_tokens[token][1]
        else:
            start = 0
        page = rows[start:start + size]
        next_token = ""
        if start + size < len(rows):
            next_token = secrets.token_urlsafe(16)
            state.page_tokens[next_token] = (key, start + size)
        return {"page_count": -(-len(rows) // size), "page_size": size, "total_records": len(rows),
                "next_page_token": next_token, "participants": page}

    return app


# --- Microsoft Entra + Graph ---------------------------------------------------------------


@dataclass
class FakeGraph(FakeState):
    roles: tuple[str, ...] = ("OnlineMeetings.ReadWrite.All", "OnlineMeetingArtifact.Read.All")
    policy_users: set[str] = field(default_factory=set)  # organizers the access policy covers
    # attendance: meeting id -> list of (report dict, records list)
    attendance: dict[str, list[tuple[dict, list[dict]]]] = field(default_factory=dict)
    records_page_size: int = 2


def fake_jwt(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{part({'typ': 'JWT', 'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


def graph_record(name: str, email: str, intervals: list[tuple[str, str]], *, role: str = "Attendee") -> dict:
    """One attendanceRecord, as in Graph's example."""
    return {"emailAddress": email, "totalAttendanceInSeconds": 0, "role": role,
            "identity": {"id": secrets.token_hex(8), "displayName": name, "tenantId": None},
            "attendanceIntervals": [{"joinDateTime": a, "leaveDateTime": b, "durationInSeconds": 0}
                                    for a, b in intervals]}


def graph_app(state: FakeGraph, base_url: callable) -> FastAPI:
    app = FastAPI()

    def graph_error(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse({"error": {"code": code, "message": message,
                                       "innerError": {"request-id": secrets.token_hex(8)}}}, status_code=status)

    @app.middleware("http")
    async def gate(request: Request, call_next):
        state.record(request)
        if (answer := state.scripted_answer(request)) is not None:
            return answer
        if request.url.path.startswith("/v1.0/"):
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in state.tokens:
                return graph_error(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
        return await call_next(request)

    @app.post("/{tenant}/oauth2/v2.0/token")
    async def token(tenant: str, request: Request):
        form = await request.form()
        if (tenant != state.account_id or form.get("client_id") != state.client_id
                or form.get("client_secret") != state.client_secret):
            return JSONResponse({"error": "invalid_client", "error_description":
                                 "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the "
                                 "request is the client secret value, not the client secret ID.\r\nTrace ID: 1",
                                 "error_codes": [7000215]}, status_code=401)
        if form.get("scope") != "https://graph.microsoft.com/.default" or form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "invalid_request", "error_description": "AADSTS90014: bad request"},
                                status_code=400)
        state.token_count += 1
        value = fake_jwt({"aud": "https://graph.microsoft.com", "roles": list(state.roles), "n": state.token_count})
        state.tokens.add(value)
        return {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": value}

    def _allowed(user_id: str) -> JSONResponse | None:
        if user_id not in state.users:
            return graph_error(404, "NotFound", f"User {user_id} not found.")
        if user_id not in state.policy_users:
            return graph_error(403, "Forbidden", "No application access policy found for this app.")
        return None

    @app.post("/v1.0/users/{user_id}/onlineMeetings")
    async def create(user_id: str, request: Request):
        if (refused := _allowed(user_id)) is not None:
            return refused
        body = await request.json()
        meeting_id = "MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ" + str(next(state.ids))
        meeting = {"id": meeting_id, "creationDateTime": "2026-12-01T10:00:00Z", "subject": body.get("subject"),
                   "startDateTime": body.get("startDateTime"), "endDateTime": body.get("endDateTime"),
                   "joinWebUrl": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{meeting_id[-8:]}"
                                 "%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d",
                   "participants": {"organizer": {"upn": user_id, "role": "presenter"}}}
        state.meetings[meeting_id] = meeting
        return JSONResponse(meeting, status_code=201)

    @app.patch("/v1.0/users/{user_id}/onlineMeetings/{meeting_id}")
    async def update(user_id: str, meeting_id: str, request: Request):
        if (refused := _allowed(user_id)) is not None:
            return refused
        if meeting_id not in state.meetings:
            return graph_error(404, "NotFound", "The meeting was not found.")
        state.meetings[meeting_id].update(await request.json())
        return state.meetings[meeting_id]

    @app.delete("/v1.0/users/{user_id}/onlineMeetings/{meeting_id}")
    async def delete(user_id: str, meeting_id: str):
        if (refused := _allowed(user_id)) is not None:
            return refused
        if state.meetings.pop(meeting_id, None) is None:
            return graph_error(404, "NotFound", "The meeting was not found.")
        return Response(status_code=204)

    @app.get("/v1.0/users/{user_id}/onlineMeetings")
    async def find(user_id: str):
        if (refused := _allowed(user_id)) is not None:
            return refused
        return {"value": []}

    @app.get("/v1.0/users/{user_id}/onlineMeetings/{meeting_id}/attendanceReports")
    async def reports(user_id: str, meeting_id: str):
        if (refused := _allowed(user_id)) is not None:
            return refused
        return {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#attendanceReports",
                "value": [report for report, _records in state.attendance.get(meeting_id, [])]}

    @app.get("/v1.0/users/{user_id}/onlineMeetings/{meeting_id}/attendanceReports/{report_id}/attendanceRecords")
    async def records(user_id: str, meeting_id: str, report_id: str, request: Request):
        if (refused := _allowed(user_id)) is not None:
            return refused
        found = [recs for report, recs in state.attendance.get(meeting_id, []) if report["id"] == report_id]
        if not found:
            return graph_error(404, "NotFound", "The attendance report was not found.")
        skip = int(request.query_params.get("$skiptoken", "0"))
        page = found[0][skip:skip + state.records_page_size]
        body = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#attendanceRecords", "value": page}
        if skip + state.records_page_size < len(found[0]):
            body["@odata.nextLink"] = f"{base_url()}{request.url.path}?$skiptoken={skip + state.records_page_size}"
        return body

    return app


# --- fixtures and builders shared by the test_integrations_* modules ---------------------------

import pytest  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from sqlmodel import Session, select  # noqa: E402

from app.db import utcnow  # noqa: E402
from app.integrations import http as integration_http  # noqa: E402
from app.integrations import jobs  # noqa: E402
from app.models import IntegrationJob, Program, User  # noqa: E402
from app.services import integrations  # noqa: E402
from tests.integration.live_server import live_server  # noqa: E402

ZOOM_SECRET = "zoom-canary-secret-7f3b9c2a41d84e"
GRAPH_SECRET = "graph-canary-secret~Q8x.Hq2v_Z5"
ZOOM_SCOPES = ("meeting:write:admin report:read:admin meeting:read:admin user:read:admin")


@pytest.fixture
def zoom(settings):
    integration_http.forget_tokens()
    state = FakeZoom(client_id="zoomclient123", client_secret=ZOOM_SECRET, account_id="zoomacct456",
                     users={"host@example.org"}, granted=ZOOM_SCOPES)
    with live_server(zoom_app(state)) as url:
        settings.zoom_api_url, settings.zoom_oauth_url = f"{url}/v2", f"{url}/oauth/token"
        yield state


@pytest.fixture
def graph(settings):
    integration_http.forget_tokens()
    state = FakeGraph(client_id="11111111-2222-3333-4444-555555555555", client_secret=GRAPH_SECRET,
                      account_id="contoso.onmicrosoft.com", users={"organizer@contoso.org"},
                      policy_users={"organizer@contoso.org"})
    holder = {}
    with live_server(graph_app(state, lambda: holder["url"])) as url:
        holder["url"] = url
        settings.graph_api_url, settings.ms_login_url = f"{url}/v1.0", url
        yield state


def connect(db: Session, settings, admin: User, platform: str = "zoom"):
    if platform == "zoom":
        fields = {"account_id": "zoomacct456", "client_id": "zoomclient123", "client_secret": ZOOM_SECRET}
    else:
        fields = {"account_id": "contoso.onmicrosoft.com", "client_id": "11111111-2222-3333-4444-555555555555",
                  "client_secret": GRAPH_SECRET}
    connection = integrations.add_connection(db, settings, platform=platform, label=f"Hub {platform}",
                                             actor=admin, **fields)
    db.commit()
    return connection


def choose(db: Session, program: Program, connection, coordinator: User, host: str) -> None:
    integrations.choose_for_program(db, program, connection_id=connection.id, host_user=host, actor=coordinator)
    db.commit()


def run_jobs(app, settings) -> tuple[int, int]:
    return jobs.run_due(app.state.engine, settings)


def ended(db: Session, session, *, minutes_ago: int = 15) -> None:
    """The session happened: it ended ``minutes_ago`` (its fetch job is due now)."""
    from app.models import EchoSession

    row = db.get(EchoSession, session.id)
    length = row.ends_at - row.starts_at
    row.ends_at = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    row.starts_at = row.ends_at - length
    db.add(row)
    db.commit()
    make_due(db)


def make_due(db: Session) -> None:
    """Time passes: every pending job is due now."""
    for job in db.exec(select(IntegrationJob).where(IntegrationJob.status == "pending")).all():
        job.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.add(job)
    db.commit()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
