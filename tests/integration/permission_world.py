"""One world for the permission matrix (test_permission_matrix.py): two programs, nine kinds of
caller, a case in each state, a final recommendation, attendance and a certificate, all made
through the app's own routes and services; signed-in clients for every caller; and the body each
route is sent (schema-valid, so that what a request meets is the permission check).

Every request of the sweep runs in a transaction that is rolled back afterwards (`rolled_back`),
so a coordinator cancelling a session or a presenter submitting a draft changes nothing the next
request sees, and the world is built once per module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import get_session, utcnow
from app.models import Membership, OutboxMessage
from app.models.attendance import ReportPerson
from app.models.user import MembershipRequest
from app.services import signup
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_site, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report
from tests.integration.test_certificates_issue import ANSWERS
from tests.integration.test_credit_rules import SETTINGS
from tests.integration.test_reviews import CASE

CALLERS = ("anonymous", "nomember", "pending", "clinician", "outsider", "specialist", "coordinator", "cme", "admin")
# Each caller's role in the two programs: P (public, the world's program) and Q (private, the outsider's).
ROLES = {"P": {"clinician": "clinician", "specialist": "specialist", "coordinator": "coordinator"},
         "Q": {"outsider": "clinician"}}
CASE_STATES = ("draft", "submitted", "returned", "final")


@dataclass
class World:
    ids: dict[str, int | str] = field(default_factory=dict)
    clients: dict[str, TestClient] = field(default_factory=dict)
    cookies: dict[str, object] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    app: object = None


# --- what each request carries --------------------------------------------------------------

FIXED_PARAMS = {"membership_id": "membership_id", "request_id": "request_id", "person_id": "person_id",
                "annotation_id": "annotation_id", "metric": "metric",
                "user_id": "user_id", "message_id": "message_id", "code": "code",
                "connection_id": "connection_id", "report_id": "report_id", "measure_id": "measure_id",
                "site_id": "site_id"}
TOKENS = {"/calendar/{token}.ics": "feed_token"}  # other {token}s are signed links: a forged one is refused
JSON_BODIES = {
    ("PUT", "/api/v1/users/me"): {"full_name": "Renamed Person"},
    ("PUT", "/api/v1/programs/{program_id}/certificate-access"): {"coordinators_manage_credit": True},
    ("POST", "/api/v1/programs"): {"name": "Chronic Pain", "timezone": "America/Denver"},
    ("PUT", "/api/v1/programs/{program_id}"): {"name": "Renamed", "timezone": "America/Denver"},
    ("POST", "/api/v1/programs/{program_id}/sites"): {"organisation": "Mesa Clinic"},
    ("PUT", "/api/v1/programs/{program_id}/sites/{site_id}"): {"organisation": "Mesa Clinic", "state": "NM"},
    ("POST", "/api/v1/programs/{program_id}/members"): {"email": "new@matrix.example.org", "full_name": "New Person",
                                                        "role": "clinician"},
    ("POST", "/api/v1/sessions/{session_id}/attendance/people/{person_id}"): {"action": "ignore"},
    ("PUT", "/api/v1/sessions/{session_id}/attendance/{user_id}"): {"minutes": 30, "reason": "Joined by phone."},
    ("POST", "/api/v1/sessions/{session_id}/checkin"): {"code": "WRONG"},
    ("PUT", "/api/v1/programs/{program_id}/credit-settings"): SETTINGS,
    ("POST", "/api/v1/sessions/{session_id}/evaluation"): ANSWERS,
    ("PUT", "/api/v1/users/me/reporting"): {},
    ("POST", "/api/v1/programs/{program_id}/series"): {"kind": "weekly", "weekday": 2, "first_date": "2031-01-01",
                                                       "start_time": "12:00", "count": 2},
    ("POST", "/api/v1/programs/{program_id}/sessions"): {"local_date": "2031-02-05", "start_time": "12:00"},
    ("PATCH", "/api/v1/sessions/{session_id}"): {"local_date": "2031-02-05", "start_time": "12:00",
                                                 "duration_minutes": 60},
    ("POST", "/api/v1/sessions/{session_id}/cancel"): {"reason": "Holiday."},
    ("PUT", "/api/v1/sessions/{session_id}/agenda"): {"didactic_topic": "Fibrosis staging"},
    ("POST", "/api/v1/sessions/{session_id}/series-change"): {"start_time": "12:30", "duration_minutes": 60},
    ("POST", "/api/v1/redaction/check"): {"text": "Fatigue only."},
    ("PUT", "/api/v1/cases/{case_id}"): CASE,
    ("POST", "/api/v1/cases/{case_id}/return"): {"reason": "Add the platelets."},
    ("PUT", "/api/v1/cases/{case_id}/follow-up"): {"follow_up_on": "2031-03-01"},
    ("PUT", "/api/v1/cases/{case_id}/recommendation"): {"version": 1, "items": ["Repeat the viral load."]},
    ("POST", "/api/v1/cases/{case_id}/recommendation/finalise"): {"version": 1},
    ("POST", "/api/v1/cases/{case_id}/recommendation/addenda"): {"text": "Recheck in 12 weeks."},
}
FORM_BODIES = {
    ("POST", "/password/forgot"): {"email": "nobody@matrix.example.org"},
    ("POST", "/password/set/{token}"): {"password": "a new long password", "confirm": "a new long password"},
    ("POST", "/signup/verify/{token}"): {"password": "a new long password", "confirm": "a new long password"},
    ("POST", "/signup"): {"full_name": "New Person", "email": "new@matrix.example.org"},
    ("POST", "/profile"): {"full_name": "Renamed Person", "timezone": "America/Denver"},
    ("POST", "/admin/users"): {"email": "new@matrix.example.org", "full_name": "New Person"},
    ("POST", "/admin/integrations"): {"platform": "zoom", "label": "Matrix Zoom", "account_id": "acct",
                                      "client_id": "client", "client_secret": "matrix-secret"},
    ("POST", "/admin/integrations/{connection_id}/secret"): {"client_secret": "another-matrix-secret"},
    ("POST", "/programs/{program_id}/meetings"): {"connection_id": "", "host_user": ""},
    ("POST", "/sessions/{session_id}/attendance/reports/{report_id}/remove"): {"confirm": "remove"},
    ("POST", "/programs/{program_id}/members/{membership_id}/remove"): {"confirm": "remove"},
    ("POST", "/programs/{program_id}/sites/{site_id}/edit"): {"organisation": "Mesa Clinic", "state": "NM",
                                                             "county": "Luna", "rural": "rural"},
    ("POST", "/programs/{program_id}/measures"): {"name": "A1c checked", "numerator_definition": "With an A1c.",
                                                 "denominator_definition": "With diabetes.", "period": "monthly",
                                                 "goal": "up", "target": ""},
    ("POST", "/programs/{program_id}/measures/{measure_id}/edit"): {
        "name": "A1c checked", "numerator_definition": "With an A1c.", "denominator_definition": "With diabetes.",
        "period": "monthly", "goal": "up", "target": "80%"},
    ("POST", "/programs/{program_id}/measures/sharing"): {"anonymise": "on"},
}


def _people(db: Session) -> dict:
    people = {kind: make_user(db, email=f"{kind}@matrix.example.org", full_name=f"{kind.title()} Person")
              for kind in ("nomember", "clinician", "outsider", "specialist", "coordinator")}
    people["pending"] = make_user(db, email="pending@matrix.example.org", full_name="Pending Person",
                                  self_registered=True, email_verified_at=utcnow())
    people["cme"] = make_user(db, email="cme@matrix.example.org", full_name="Cme Person", is_cme_office=True)
    people["admin"] = make_user(db, email="admin@matrix.example.org", full_name="Admin Person", is_admin=True)
    return people


def _programs(db: Session, people: dict) -> dict:
    p = make_program(db, name="Hepatitis C", visibility="public", timezone="America/Denver")
    q = make_program(db, name="Pediatric Asthma", visibility="private", timezone="America/Denver")
    site = make_site(db, p)
    for kind, role in ROLES["P"].items():
        add_member(db, p, people[kind], role, site)
    add_member(db, q, people["outsider"], "clinician")
    signup.request_membership(db, p, people["pending"], site_id=site.id)
    db.commit()
    make_series(db, p, people["coordinator"], count=2)  # upcoming sessions (2030)
    return {"P": p, "Q": q, "site": site}


def _ok(response, status=(200, 201)):
    assert response.status_code in status, (response.request.url, response.status_code, response.text[:300])
    return response.json() if response.headers.get("content-type", "").startswith("application/json") else None


def _cases(client: TestClient, p_id: int, future_session_id: int, token: dict) -> dict[str, int]:
    def new(submit: bool) -> int:
        return _ok(client.post("/api/v1/cases", json={**CASE, "program_id": p_id, "submit": submit},
                               headers=token["clinician"]))["id"]
    ids = {"draft": new(False), "submitted": new(True), "returned": new(True), "final": new(True)}
    _ok(client.post(f"/api/v1/cases/{ids['returned']}/return", json={"reason": "Add the platelets."},
                    headers=token["specialist"]))
    final = f"/api/v1/cases/{ids['final']}"
    _ok(client.post(f"{final}/approve", headers=token["specialist"]))
    _ok(client.post(f"{final}/assign", json={"session_id": future_session_id}, headers=token["coordinator"]))
    _ok(client.put(f"{final}/recommendation", json={"version": 0, "items": ["Start treatment."]},
                   headers=token["specialist"]))
    _ok(client.post(f"{final}/recommendation/finalise", json={"version": 1}, headers=token["specialist"]))
    return ids


def _attendance(client: TestClient, db: Session, session, people: dict, token: dict) -> dict[str, int | str]:
    report = zoom_report(session, [("Clinician Person", people["clinician"].email, 0, 60),
                                   ("Walk In Guest", "guest@elsewhere.example.org", 0, 45)])
    _ok(client.post(f"/api/v1/sessions/{session.id}/attendance/import", files={"file": ("z.csv", report, "text/csv")},
                    headers=token["coordinator"]))
    _ok(client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=token["clinician"]))
    certificate = _ok(client.post(f"/api/v1/sessions/{session.id}/certificate", headers=token["clinician"]))
    guest = db.exec(select(ReportPerson).where(ReportPerson.display_name == "Walk In Guest")).one()
    return {"person_id": guest.id, "code": certificate["code"], "report_id": guest.import_id}


def build_world(app, db: Session) -> World:
    world = World()
    people = _people(db)
    programs = _programs(db, people)
    p, q = programs["P"], programs["Q"]
    setup = TestClient(app, base_url="http://testserver", follow_redirects=False)
    token = {kind: api_token(setup, people[kind].email, PASSWORD) for kind in ("clinician", "specialist",
                                                                                "coordinator", "cme", "admin")}
    _ok(setup.put(f"/api/v1/programs/{p.id}/credit-settings", json=SETTINGS, headers=token["cme"]))
    future = _ok(setup.get(f"/api/v1/programs/{p.id}/sessions", headers=token["coordinator"]))[0]["id"]
    s = past_session(db, p, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    sq = past_session(db, q, start=datetime(2026, 3, 5, 12, 0, tzinfo=DENVER))
    world.ids.update(_attendance(setup, db, s, people, token))
    cases = _cases(setup, p.id, future, token)
    world.ids.update({f"case_{state}": case_id for state, case_id in cases.items()})
    _ok(setup.post("/profile/calendar-token", headers={"x-csrf-token": _signed_in_csrf(setup, people["clinician"])}),
        status=(303,))
    db.expire_all()
    clinician = db.get(type(people["clinician"]), people["clinician"].id)
    world.ids.update({
        "program_P": p.id, "program_Q": q.id, "session_P": s.id, "session_Q": sq.id, "future_session": future,
        "site_id": programs["site"].id, "user_id": people["clinician"].id, "feed_token": clinician.calendar_token,
        "membership_id": db.exec(select(Membership.id).where(Membership.program_id == p.id,
                                                             Membership.user_id == people["clinician"].id)).one(),
        "request_id": db.exec(select(MembershipRequest.id).where(MembershipRequest.program_id == p.id)).one(),
        "message_id": db.exec(select(OutboxMessage.id).order_by(OutboxMessage.id)).first(),
        "connection_id": _connection(app, db, people["admin"]),
        "annotation_id": _annotation(db, s, people["coordinator"]), "metric": "attendance",
        "measure_id": _measure(db, p),
    })
    setup.close()
    _sign_in_everyone(app, world, people)
    return world


def _annotation(db: Session, session, author) -> int:
    from app.models.trends import TrendAnnotation

    note = TrendAnnotation(program_id=session.program_id, session_id=session.id, text="New agenda.",
                           author_id=author.id)
    db.add(note)
    db.commit()
    return note.id


def _measure(db: Session, program) -> int:
    from app.models import ImprovementMeasure

    measure = ImprovementMeasure(program_id=program.id, name="A1c checked", numerator_definition="With an A1c.",
                                 denominator_definition="With diabetes.", period="monthly", goal="up")
    db.add(measure)
    db.commit()
    return measure.id


def _connection(app, db: Session, admin) -> int:
    """A Zoom connection whose platform is a closed loopback port: "Test connection" fails at once."""
    from app.services import integrations

    settings = app.state.settings
    settings.zoom_oauth_url, settings.zoom_api_url = "http://127.0.0.1:9/oauth/token", "http://127.0.0.1:9/v2"
    connection = integrations.add_connection(db, settings, platform="zoom", label="Matrix Zoom", account_id="acct",
                                             client_id="client", client_secret="matrix-secret", actor=admin)
    db.commit()
    return connection.id


def _signed_in_csrf(client: TestClient, user) -> str:
    client.cookies.clear()
    sign_in(client, user.email, PASSWORD)
    return csrf_of(client)


def _sign_in_everyone(app, world: World, people: dict) -> None:
    for kind in CALLERS:
        client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        if kind != "anonymous":
            assert sign_in(client, people[kind].email, PASSWORD).status_code == 303, kind
        world.csrf[kind] = csrf_of(client)
        world.cookies[kind] = dict(client.cookies)
        world.clients[kind] = client


def rolled_back(engine: Engine):
    """A get_session override: each request's session lives in a transaction rolled back at its end;
    the routes' commits only release a savepoint inside it."""
    def session_in_transaction() -> Iterator[Session]:
        connection = engine.connect()
        transaction = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite opens its transaction lazily, at the first write: make it open now, so that
            # releasing the route's savepoint cannot commit.
            connection.exec_driver_sql("DELETE FROM outbox_message WHERE 0 = 1")
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
            connection.close()
    return {get_session: session_in_transaction}


UPLOADS = {"/api/v1/sessions/{session_id}/attendance/import", "/sessions/{session_id}/attendance/import"}


def _bodies_with_ids(ids: dict) -> dict:
    """Bodies that name objects of the world."""
    return {
        ("POST", "/api/v1/cases"): {"json": {**CASE, "program_id": ids["program_P"], "submit": False}},
        ("POST", "/api/v1/cases/{case_id}/assign"): {"json": {"session_id": ids["future_session"]}},
        ("POST", "/signup"): {"data": {**FORM_BODIES[("POST", "/signup")], "program_id": str(ids["program_P"])}},
        ("POST", "/cases/{case_id}/{action}"): {"data": {
            "reason": "Add the platelets.", "version": "1", "item_0": "Recheck.", "addendum": "Recheck in 12 weeks.",
            "session_id": str(ids["future_session"])}},
        ("POST", "/programs/{program_id}/join"): {"data": {"site_id": str(ids["site_id"])}},
        ("POST", "/api/v1/programs/{program_id}/trends/annotations"): {"json": {
            "session_id": ids["session_P"], "text": "Moved to 7 am."}},
        ("POST", "/programs/{program_id}/trends/annotations"): {"data": {
            "session_id": str(ids["session_P"]), "text": "Moved to 7 am."}},
        ("POST", "/programs/{program_id}/measures/{measure_id}/reports"): {"data": {
            "site_id": str(ids["site_id"]), "period_start": "2026-01-01", "numerator": "1", "denominator": "2"}},
        ("POST", "/api/v1/programs/{program_id}/measures/{measure_id}/reports"): {"json": {
            "site_id": ids["site_id"], "period_start": "2026-01-01", "numerator": 1, "denominator": 2}},
    }


def request_kwargs(world: World, caller: str, method: str, pattern: str) -> dict:
    """The body of one request: schema-valid, so that what it meets is the permission check."""
    route = (method, pattern)
    email = f"{'clinician' if caller == 'anonymous' else caller}@matrix.example.org"
    if route == ("POST", "/login"):
        return {"data": {"email": email, "password": PASSWORD, "next": "/"}}
    if route == ("POST", "/api/v1/auth/token"):
        return {"data": {"username": email, "password": PASSWORD}}
    if pattern in UPLOADS:
        return {"files": {"file": ("zoom.csv", b"not a report", "text/csv")}}
    with_ids = _bodies_with_ids(world.ids)
    if route in with_ids:
        return with_ids[route]
    if route in JSON_BODIES:
        return {"json": JSON_BODIES[route]}
    return {"data": FORM_BODIES[route]} if route in FORM_BODIES else {}
