"""Zoom REST API v2 with a Server-to-Server OAuth app (sources: docs/integrations.md)."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote

import httpx

from app.integrations.http import ApiError, Caller, ReportNotReady, Token
from app.integrations.meetings import Check, MeetingRef, MeetingSpec, Participant, parse_time, utc_stamp

PAGE_SIZE = 300  # the largest page the participants report gives
NOT_FOUND = "3001"  # "Meeting does not exist" (also: its report is not there yet)
PAGE_TOKEN_RESTARTS = 2
# Either the classic or the granular scope will do.
SCOPES = {
    "create meetings": ({"meeting:write:admin", "meeting:write:meeting:admin"}, True),
    "change meetings": ({"meeting:write:admin", "meeting:update:meeting:admin"}, True),
    "delete meetings": ({"meeting:write:admin", "meeting:delete:meeting:admin"}, True),
    "read participants reports": ({"report:read:admin", "report:read:list_meeting_participants:admin"}, True),
    "list the instances of a restarted meeting": (
        {"meeting:read:admin", "meeting:read:list_past_instances:admin"}, False),
}


def encode_uuid(uuid: str) -> str:
    """Zoom: a meeting UUID that starts with '/' or contains '//' is encoded twice."""
    once = quote(uuid, safe="")
    return quote(once, safe="") if uuid.startswith("/") or "//" in uuid else once


class ZoomClient(Caller):
    platform = "Zoom"

    def __init__(self, http: httpx.Client, *, api_url: str, oauth_url: str, account_id: str, client_id: str,
                 client_secret: str, **kwargs) -> None:
        super().__init__(http, secret=client_secret, cache_key=("zoom", oauth_url, account_id, client_id,
                                                                 hash(client_secret)), **kwargs)
        self.api_url, self.oauth_url = api_url, oauth_url
        self.account_id, self.client_id = account_id, client_id

    def fetch_token(self) -> Token:
        basic = base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode()
        try:
            response = self.http.post(self.oauth_url, params={"grant_type": "account_credentials",
                                                              "account_id": self.account_id},
                                      headers={"Authorization": f"Basic {basic}"}, timeout=20)
        except httpx.TransportError as exc:
            raise ApiError(self.platform, None, f"cannot reach the sign-in service: {type(exc).__name__}",
                           transient=True) from exc
        body = self.json_or_fail(response, 200)
        if not body.get("access_token"):
            raise ApiError(self.platform, response.status_code, "the sign-in answer has no access token")
        return Token(body["access_token"], time.time() + float(body.get("expires_in") or 3600),
                     str(body.get("scope") or ""))

    def error_of(self, response: httpx.Response) -> tuple[str, str]:
        try:
            body = response.json()
        except ValueError:
            return "", response.reason_phrase
        if not isinstance(body, dict):
            return "", response.reason_phrase
        if "reason" in body or "error" in body:  # the OAuth endpoint
            return str(body.get("error") or ""), str(body.get("reason") or body.get("error") or "")
        return str(body.get("code") or ""), str(body.get("message") or "")

    def _url(self, path: str) -> str:
        return f"{self.api_url}{path}"

    @staticmethod
    def _body(spec: MeetingSpec) -> dict:
        return {"topic": spec.topic[:200], "type": 2, "start_time": utc_stamp(spec.starts_at),
                "duration": spec.duration_minutes, "timezone": spec.timezone, "agenda": spec.agenda[:2000]}

    def create_meeting(self, host_user: str, spec: MeetingSpec) -> MeetingRef:
        response = self.request("POST", self._url(f"/users/{quote(host_user, safe='@')}/meetings"),
                                json=self._body(spec))
        body = self.json_or_fail(response, 201, 200)
        if not body.get("id") or not body.get("join_url"):
            raise ApiError(self.platform, response.status_code, "the new meeting has no id or join link")
        return MeetingRef(str(body["id"]), str(body["join_url"]))

    def update_meeting(self, meeting_id: str, spec: MeetingSpec) -> None:
        response = self.request("PATCH", self._url(f"/meetings/{quote(meeting_id, safe='')}"), json=self._body(spec))
        self.json_or_fail(response, 204, 200)

    def get_join_url(self, meeting_id: str) -> str:
        response = self.request("GET", self._url(f"/meetings/{quote(meeting_id, safe='')}"))
        return str(self.json_or_fail(response, 200).get("join_url") or "")

    def delete_meeting(self, meeting_id: str) -> None:
        response = self.request("DELETE", self._url(f"/meetings/{quote(meeting_id, safe='')}"))
        if response.status_code == 404:
            return  # already gone
        self.json_or_fail(response, 204, 200)

    def instance_uuids(self, meeting_id: str) -> list[str]:
        """Every time the meeting was held (a restart makes a new instance), oldest first."""
        response = self.request("GET", self._url(f"/past_meetings/{quote(meeting_id, safe='')}/instances"))
        if response.status_code == 404:
            return []
        meetings = self.json_or_fail(response, 200).get("meetings") or []
        meetings = sorted(meetings, key=lambda m: str(m.get("start_time") or ""))
        return [str(m["uuid"]) for m in meetings if m.get("uuid")]

    def participants(self, meeting_key: str) -> list[Participant]:
        """The participants report of one meeting instance (a UUID) or of the last one (an id),
        every page; restarted from the first page when a page token has expired (15 minutes)."""
        path = self._url(f"/report/meetings/{encode_uuid(meeting_key)}/participants")
        for _restart in range(PAGE_TOKEN_RESTARTS + 1):
            rows, page_token = [], ""
            while True:
                params = {"page_size": PAGE_SIZE, **({"next_page_token": page_token} if page_token else {})}
                response = self.request("GET", path, params=params)
                code, message = self.error_of(response) if response.status_code >= 400 else ("", "")
                if response.status_code == 404 or code == NOT_FOUND:
                    raise ReportNotReady(message or "no report yet")
                if response.status_code == 400 and page_token and "token" in message.lower():
                    break  # the page token expired: start again from the first page
                body = self.json_or_fail(response, 200)
                rows += [row for row in map(_participant, body.get("participants") or []) if row]
                page_token = str(body.get("next_page_token") or "")
                if not page_token:
                    return rows
        raise ApiError(self.platform, 400, "the report's page tokens kept expiring", transient=True)

    def check(self, host_users: list[str]) -> list[Check]:
        token = self.token(fresh=True)
        checks = [Check("sign in with the app's credentials", True)]
        granted = set(token.granted.split())
        if not granted:
            checks.append(Check("read the app's scopes", False, "Zoom's answer listed none"))
        for what, (scopes, required) in SCOPES.items() if granted else ():
            ok = bool(granted & scopes)
            detail = "" if ok else (f"add the scope {' or '.join(sorted(scopes))} to the app"
                                    + ("" if required else " (needed for restarted meetings only)"))
            checks.append(Check(what, ok, detail))
        for host in host_users:
            response = self.request("GET", self._url(f"/users/{quote(host, safe='@')}/meetings"),
                                    params={"page_size": 1})
            if response.status_code == 200:
                checks.append(Check(f"see the meetings of host {host}", True))
            else:
                checks.append(Check(f"see the meetings of host {host}", False, self.fail(response).describe()))
        return checks


def _participant(row: dict) -> Participant | None:
    if row.get("status") == "in_waiting_room":
        return None  # waiting is not attending
    joined, left = parse_time(row.get("join_time")), parse_time(row.get("leave_time"))
    name, email = str(row.get("name") or "").strip(), str(row.get("user_email") or "").strip()
    if joined is None or left is None or left < joined or not (name or email):
        return None
    return Participant(name or email, email, joined, left)
