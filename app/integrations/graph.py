"""Microsoft Graph v1.0 online meetings with an Entra app registration (client credentials).

Application permissions: OnlineMeetings.ReadWrite.All and OnlineMeetingArtifact.Read.All, and a
Teams application access policy granted to the app for the organizers (sources:
docs/integrations.md)."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import quote

import httpx

from app.integrations.http import ApiError, Caller, ReportNotReady, Token
from app.integrations.meetings import Check, MeetingRef, MeetingSpec, Participant, parse_time, utc_stamp

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
ROLES = {
    "create, change and delete online meetings": "OnlineMeetings.ReadWrite.All",
    "read attendance reports": "OnlineMeetingArtifact.Read.All",
}
MAX_PAGES = 200
PROBE_URL = "https://teams.microsoft.com/l/meetup-join/telementor-connection-test"


def token_roles(access_token: str) -> str:
    """The application permissions a Graph token carries (its `roles` claim), space-separated.
    Read for the connection test only; the token is never trusted for anything here."""
    try:
        payload = access_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    roles = claims.get("roles") if isinstance(claims, dict) else None
    return " ".join(str(r) for r in roles) if isinstance(roles, list) else ""


class GraphClient(Caller):
    platform = "Microsoft Teams"

    def __init__(self, http: httpx.Client, *, api_url: str, login_url: str, tenant_id: str, client_id: str,
                 client_secret: str, **kwargs) -> None:
        super().__init__(http, secret=client_secret, cache_key=("teams", login_url, tenant_id, client_id,
                                                                hash(client_secret)), **kwargs)
        self.api_url, self.login_url = api_url, login_url
        self.tenant_id, self.client_id = tenant_id, client_id

    def fetch_token(self) -> Token:
        url = f"{self.login_url}/{quote(self.tenant_id, safe='')}/oauth2/v2.0/token"
        data = {"client_id": self.client_id, "client_secret": self._secret, "scope": GRAPH_SCOPE,
                "grant_type": "client_credentials"}
        try:
            response = self.http.post(url, data=data, timeout=20)
        except httpx.TransportError as exc:
            raise ApiError(self.platform, None, f"cannot reach the sign-in service: {type(exc).__name__}",
                           transient=True) from exc
        body = self.json_or_fail(response, 200)
        if not body.get("access_token"):
            raise ApiError(self.platform, response.status_code, "the sign-in answer has no access token")
        return Token(body["access_token"], time.time() + float(body.get("expires_in") or 3600),
                     token_roles(body["access_token"]))

    def error_of(self, response: httpx.Response) -> tuple[str, str]:
        try:
            body = response.json()
        except ValueError:
            return "", response.reason_phrase
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):  # Graph
            return str(error.get("code") or ""), str(error.get("message") or "")
        if isinstance(error, str):  # the token endpoint: the first line says it all
            return error, str(body.get("error_description") or error).splitlines()[0]
        return "", response.reason_phrase

    def _meetings(self, host_user: str) -> str:
        return f"{self.api_url}/users/{quote(host_user, safe='@')}/onlineMeetings"

    @staticmethod
    def _body(spec: MeetingSpec) -> dict:
        return {"subject": spec.topic[:200], "startDateTime": utc_stamp(spec.starts_at),
                "endDateTime": utc_stamp(spec.ends_at)}

    def create_meeting(self, host_user: str, spec: MeetingSpec) -> MeetingRef:
        response = self.request("POST", self._meetings(host_user), json=self._body(spec))
        body = self.json_or_fail(response, 201, 200)
        if not body.get("id") or not body.get("joinWebUrl"):
            raise ApiError(self.platform, response.status_code, "the new meeting has no id or join link")
        return MeetingRef(str(body["id"]), str(body["joinWebUrl"]))

    def update_meeting(self, host_user: str, meeting_id: str, spec: MeetingSpec) -> str:
        url = f"{self._meetings(host_user)}/{quote(meeting_id, safe='')}"
        body = self.json_or_fail(self.request("PATCH", url, json=self._body(spec)), 200, 204)
        return str(body.get("joinWebUrl") or "")

    def delete_meeting(self, host_user: str, meeting_id: str) -> None:
        response = self.request("DELETE", f"{self._meetings(host_user)}/{quote(meeting_id, safe='')}")
        if response.status_code == 404:
            return
        self.json_or_fail(response, 204, 200)

    def _pages(self, url: str) -> list[dict]:
        """Every item of a collection, following @odata.nextLink (only to this API's address)."""
        items: list[dict] = []
        for _page in range(MAX_PAGES):
            body = self.json_or_fail(self.request("GET", url), 200)
            items += [item for item in body.get("value") or [] if isinstance(item, dict)]
            url = str(body.get("@odata.nextLink") or "")
            if not url:
                return items
            if not url.startswith(self.api_url + "/"):
                raise ApiError(self.platform, 200, "a next page link points outside Microsoft Graph")
        raise ApiError(self.platform, 200, f"more than {MAX_PAGES} pages")

    def participants(self, host_user: str, meeting_id: str) -> list[Participant]:
        """Every attendance report of the meeting (one per time it was held), every record."""
        base = f"{self._meetings(host_user)}/{quote(meeting_id, safe='')}/attendanceReports"
        reports = self._pages(base)
        if not reports:
            raise ReportNotReady("no attendance report yet")
        rows: list[Participant] = []
        for report in reports:
            records = self._pages(f"{base}/{quote(str(report.get('id')), safe='')}/attendanceRecords")
            for record in records:
                rows += _intervals(record)
        return rows

    def check(self, host_users: list[str]) -> list[Check]:
        token = self.token(fresh=True)
        checks = [Check("sign in with the app registration's credentials", True)]
        granted = set(token.granted.split())
        for what, role in ROLES.items():
            ok = role in granted
            checks.append(Check(what, ok, "" if ok else f"grant the application permission {role} "
                                                        "(with admin consent)"))
        for host in host_users:
            response = self.request("GET", self._meetings(host),
                                    params={"$filter": f"JoinWebUrl eq '{PROBE_URL}'"})
            if response.status_code == 200:
                checks.append(Check(f"make meetings for organizer {host}", True))
                continue
            detail = self.fail(response).describe()
            if response.status_code == 403:
                detail += (" (grant the app an application access policy for this organizer: "
                           "New-CsApplicationAccessPolicy and Grant-CsApplicationAccessPolicy)")
            checks.append(Check(f"make meetings for organizer {host}", False, detail))
        return checks


def _intervals(record: dict) -> list[Participant]:
    identity = record.get("identity") if isinstance(record.get("identity"), dict) else {}
    name = str(identity.get("displayName") or "").strip()
    email = str(record.get("emailAddress") or "").strip()
    rows = []
    for interval in record.get("attendanceIntervals") or []:
        joined, left = parse_time(interval.get("joinDateTime")), parse_time(interval.get("leaveDateTime"))
        if joined is not None and left is not None and left >= joined and (name or email):
            rows.append(Participant(name or email, email, joined, left))
    return rows
