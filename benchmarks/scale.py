"""A hub network after three years on PostgreSQL, and how long each page takes on it (issue #13).

    python benchmarks/scale.py [--database-url postgresql://postgres@127.0.0.1:5432/tm_scale]
                               [--scale 1.0] [--runs 5] [--reuse] [--only REGEX] [--skip REGEX]

The database named in the URL (or TELEMENTOR_BENCH_DATABASE_URL) is dropped and created anew: its
name must contain "scale" or "bench". The schema comes from the Alembic migrations, then everything
is loaded in SQL (INSERT ... SELECT over generate_series, then VACUUM ANALYZE). At --scale 1:
60 programs, 20,000 people, 9,000 sessions (150 a program, weekly, 10 still to come, 1 in 20
cancelled), about 1,000,000 attendance rows, a credit award for every attending member, about
700,000 certificates, 30,000 cases (with their text), 2,000,000 audit events and 500,000 sent
e-mails. Program 1 has 730 members, the others 400. --scale 0.05 is a quick run.

Then each route of ROUTES is called through the app (FastAPI TestClient: the real middleware,
routes and queries, no network), signed in as its role, RUNS times after one warm-up, and the
median and slowest time, the SQL statements of one request and the response size are printed.
--reuse skips the load and measures a database loaded before.

Others' routes go into ROUTES: a Route(label, path, role), the path's {placeholders} filled from
ids() (add a query there when a route needs another id); `load(url, scale)` is importable.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event, inspect, text  # noqa: E402
from sqlalchemy.engine import Connection, make_url  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import app.models  # noqa: E402, F401  (every table in the metadata)
from app import security  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import make_engine, normalise_url  # noqa: E402
from app.migrate import upgrade  # noqa: E402

PASSWORD = "scale-benchmark-password"
ROLES = {"admin": "scale-admin@example.org", "coordinator": "scale-coordinator@example.org",
         "specialist": "scale-specialist@example.org", "cme": "scale-cme@example.org",
         "clinician": "scale-clinician@example.org"}
SESSIONS_PER_PROGRAM, UPCOMING_PER_PROGRAM, SITES_PER_PROGRAM = 150, 10, 12
TEXT = ("Presenting with fatigue and raised transaminases over several months; prior treatment stopped early "
        "because of side effects; adherence has been difficult with transport to the pharmacy. ")


@dataclass(frozen=True)
class Volume:
    programs: int
    people: int
    attendance: int
    audit_events: int
    emails: int

    @classmethod
    def at(cls, scale: float) -> "Volume":
        return cls(programs=max(2, round(60 * scale)), people=max(800, round(20_000 * scale)),
                   attendance=round(1_000_000 * scale), audit_events=round(2_000_000 * scale),
                   emails=round(500_000 * scale))


# --- loading -------------------------------------------------------------------------------


def fresh_database(url: str) -> None:
    """Drop and create the database of `url` (connected through the server's `postgres` database)."""
    target = make_url(normalise_url(url))
    name = target.database or ""
    if not re.fullmatch(r"[A-Za-z0-9_]*(scale|bench)[A-Za-z0-9_]*", name):
        raise SystemExit(f"the database {name!r} would be dropped: use a name containing 'scale' or 'bench'")
    admin = make_engine(target.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _model_defaults(table: str) -> dict:
    stack = list(SQLModel.__subclasses__())
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        if getattr(model, "__tablename__", None) == table:
            return model.model_fields
    return {}


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return "now()"
    if isinstance(value, list | dict):
        return "'" + json.dumps(value).replace("'", "''") + "'::json"
    return "'" + str(value).replace("'", "''") + "'"


def insert(c: Connection, table: str, given: dict[str, str], source: str = "") -> int:
    """INSERT INTO table (given columns + every other NOT NULL column without a server default, set
    to its model's default) SELECT ... source: keeps working when others add columns."""
    columns = dict(given)
    fields = _model_defaults(table)
    for column in inspect(c).get_columns(table):
        name = column["name"]
        if name in columns or column["nullable"] or column.get("default") is not None or column.get("autoincrement") \
                is True or name == "id":
            continue
        info = fields.get(name)
        value = None if info is None else (info.default_factory() if info.default_factory else info.default)
        if value is None or type(value).__name__ == "PydanticUndefinedType":
            raise SystemExit(f"no default for {table}.{name}: give it in benchmarks/scale.py")
        columns[name] = _literal(value)
    names = ", ".join(f'"{name}"' for name in columns)
    return c.execute(text(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(columns.values())} {source}')).rowcount


def _step(label: str, started: float, rows: int | None = None) -> None:
    count = f"{rows:>10,} rows" if rows is not None else " " * 15
    print(f"  {label:<28}{count}  {time.perf_counter() - started:6.1f} s", flush=True)


def load(url: str, scale: float = 1.0) -> dict[str, int]:
    """A fresh database at `url` with the migrations applied and a hub network's three years in it.
    Returns the row count of each table loaded."""
    url = normalise_url(url)
    fresh_database(url)
    upgrade(url)
    volume = Volume.at(scale)
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.begin() as c:
        c.execute(text("SET LOCAL synchronous_commit = off"))
        c.execute(text("SET LOCAL work_mem = '64MB'"))
        c.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        # The rows are consistent by construction: no foreign-key trigger per row (a superuser's
        # setting, like a restore), and the big tables' plain indexes are built once at the end.
        c.execute(text("SET LOCAL session_replication_role = replica"))
        rebuild = _drop_plain_indexes(c, BIG_TABLES)
        _load_people_and_programs(c, volume)
        _step("people, programs, members", started)
        _load_sessions_and_attendance(c, volume)
        _step("sessions, attendance, credit", started)
        _load_cases(c)
        _step("cases", started)
        _load_trail_and_mail(c, volume)
        _step("audit events, sent e-mail", started)
        for statement in rebuild:
            c.execute(text(statement))
        _step("indexes of the big tables", started)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE"))
    _step("vacuum analyze", started)
    found = counts(engine)
    engine.dispose()
    return found


BIG_TABLES = ("attendance_record", "credit_award", "certificate", "case_presentation", "audit_event",
              "outbox_message")


def _drop_plain_indexes(c: Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the indexes of `tables` that back no constraint (primary and unique keys stay) and
    return the statements that create them again."""
    rows = c.execute(text(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename = ANY(:tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
        "WHERE k.conname = i.indexname)"), {"tables": list(tables)}).all()
    for name, _ in rows:
        c.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _, definition in rows]


def _load_people_and_programs(c: Connection, volume: Volume) -> None:
    password = security.hash_password(PASSWORD).replace("'", "''")
    for role, email in ROLES.items():
        insert(c, "user_account", {
            "email": f"'{email}'", "full_name": f"'Scale {role.title()}'", "password_hash": f"'{password}'",
            "is_admin": "true" if role == "admin" else "false", "is_cme_office": "true" if role == "cme" else "false",
            "calendar_token": f"'scale-feed-{role}'", "created_at": "now()"})
    insert(c, "user_account", {
        "email": "'person' || g || '@scale.example.org'", "full_name": "'Person ' || lpad(g::text, 5, '0')",
        "degree": "(ARRAY['MD','DO','NP','RN','PharmD','PA','LCSW',''])[1 + g % 8]",
        "created_at": "now() - (g % 1000) * interval '1 day'"}, f"FROM generate_series(1, {volume.people}) g")
    insert(c, "program", {"name": "'Program ' || lpad(g::text, 2, '0')", "slug": "'scale-' || g",
                          "timezone": "(ARRAY['America/Denver','America/New_York','America/Chicago'])[1 + g % 3]",
                          "visibility": "CASE WHEN g % 4 = 0 THEN 'public' ELSE 'private' END", "created_at": "now()"},
           f"FROM generate_series(1, {volume.programs}) g")
    insert(c, "spoke_site", {"program_id": "p.id", "organisation": "'Clinic ' || p.id || '-' || g",
                             "city": "'Town ' || g", "state": "(ARRAY['NM','TX','CO','AZ','UT','OK'])[1 + g % 6]"},
           f"FROM program p CROSS JOIN generate_series(1, {SITES_PER_PROGRAM}) g")
    # A window of people per program (windows overlap): 730 in the first program, 400 in the others;
    # the first two of each are coordinators, the next four specialists.
    size = "CASE WHEN p.id = (SELECT min(id) FROM program) THEN 730 ELSE 400 END"
    insert(c, "membership", {
        "program_id": "p.id", "user_id": "u.id", "site_id": "site.id", "created_at": "now()",
        "role": "CASE WHEN g < 2 THEN 'coordinator' WHEN g < 6 THEN 'specialist' ELSE 'clinician' END"},
        f"FROM program p CROSS JOIN generate_series(0, 729) g "
        f"JOIN user_account u ON u.email = 'person' || (((p.id - 1) * 333 + g) % {volume.people} + 1) "
        f"|| '@scale.example.org' "
        f"JOIN (SELECT id, program_id, row_number() OVER (PARTITION BY program_id ORDER BY id) - 1 AS k "
        f"FROM spoke_site) site ON site.program_id = p.id AND site.k = g % {SITES_PER_PROGRAM} WHERE g < {size}")
    first = "(SELECT min(id) FROM program)"
    for role in ("coordinator", "specialist", "clinician"):
        insert(c, "membership", {"program_id": "p.id", "user_id": "u.id", "role": f"'{role}'", "created_at": "now()"},
               f"FROM program p JOIN user_account u ON u.email = '{ROLES[role]}' WHERE p.id <= {first} + 2")
    insert(c, "credit_settings", {"program_id": "p.id", "updated_at": "now()"}, "FROM program p")


# The k-th clinician of a session's program (k from 0) and how many it has: a temporary table with
# an index, so that attendees and presenters are found by an equality join, not a query per row.
MEMBERS = ("JOIN scale_count pc ON pc.program_id = s.program_id "
           "JOIN scale_member m ON m.program_id = s.program_id AND m.k = {k}")


def _index_members(c: Connection) -> None:
    c.execute(text("CREATE TEMPORARY TABLE scale_member ON COMMIT DROP AS SELECT program_id, user_id, "
                   "row_number() OVER (PARTITION BY program_id ORDER BY id) - 1 AS k FROM membership "
                   "WHERE role = 'clinician'"))
    c.execute(text("CREATE INDEX ON scale_member (program_id, k)"))
    c.execute(text("CREATE TEMPORARY TABLE scale_count ON COMMIT DROP AS SELECT program_id, count(*) AS n "
                   "FROM scale_member GROUP BY program_id"))
    c.execute(text("ANALYZE scale_member"))
    c.execute(text("ANALYZE scale_count"))


def _load_sessions_and_attendance(c: Connection, volume: Volume) -> None:
    weeks_back = SESSIONS_PER_PROGRAM - UPCOMING_PER_PROGRAM
    # Weekly, the first of the last 10 sessions an hour or more from now, the one before it a week ago.
    start = (f"date_trunc('hour', now()) - interval '{weeks_back} weeks' + (g * interval '7 days') "
             "+ (1 + p.id % 10) * interval '1 hour'")
    insert(c, "echo_session", {
        "uuid": "gen_random_uuid()", "program_id": "p.id", "starts_at": start,
        "ends_at": f"{start} + interval '75 minutes'",
        "status": "CASE WHEN (g * 7 + p.id) % 20 = 0 THEN 'cancelled' ELSE 'scheduled' END",
        "didactic_topic": "(ARRAY['Treatment choices','Adherence','Screening','Cirrhosis care','Harm reduction',"
                          "'Pregnancy','Drug interactions','Rural access'])[1 + (g + p.id) % 8] || ' ' || g",
        "created_at": "now()", "updated_at": "now()"},
        f"FROM program p CROSS JOIN generate_series(0, {SESSIONS_PER_PROGRAM - 1}) g")
    _index_members(c)
    c.execute(text("ANALYZE echo_session"))
    held = c.execute(text("SELECT count(*) FROM echo_session WHERE status = 'scheduled' AND ends_at < now()")).scalar()
    per_session = max(1, min(140, round(volume.attendance / max(held, 1))))
    # Each attendee a different member (13 is prime to 400 and 730); 1 in 25 a guest; a few 0 minutes.
    insert(c, "attendance_record", {
        "session_id": "s.id", "user_id": "CASE WHEN g % 25 = 0 THEN NULL ELSE m.user_id END",
        "guest_name": "CASE WHEN g % 25 = 0 THEN 'Guest ' || g ELSE '' END", "sources": "'zoom'",
        "computed_seconds": "CASE WHEN (g + s.id) % 41 = 0 THEN 0 ELSE 4500 - (g * 97) % 3000 END",
        "updated_at": "s.ends_at"},
        f"FROM echo_session s CROSS JOIN generate_series(0, {per_session - 1}) g "
        + MEMBERS.format(k="(s.id * 37 + g * 13) % pc.n") + " WHERE s.status = 'scheduled' AND s.ends_at < now()")
    c.execute(text("ANALYZE attendance_record"))
    insert(c, "credit_award", {"session_id": "a.session_id", "user_id": "a.user_id", "credit_type": "'ama_pra_1'",
                               "credits": "CASE WHEN a.computed_seconds >= 3375 THEN 1.25 ELSE 0.75 END",
                               "attended_seconds": "a.computed_seconds", "computed_at": "a.updated_at"},
           "FROM attendance_record a WHERE a.user_id IS NOT NULL AND a.computed_seconds > 0")
    # Certificates for about 70 % of attendance rows (members who stayed long enough and evaluated).
    insert(c, "certificate", {"code": "'S' || lpad(a.id::text, 9, '0') || substr(md5(a.id::text), 1, 8)",
                              "session_id": "a.session_id", "user_id": "a.user_id", "credit_type": "'ama_pra_1'",
                              "credits": "1.25", "learner_name": "u.full_name",
                              "issued_at": "a.updated_at + interval '2 days'"},
           "FROM attendance_record a JOIN user_account u ON u.id = a.user_id "
           "WHERE a.computed_seconds >= 1800 AND a.id % 100 < 83")


def _load_cases(c: Connection) -> None:
    """3 or 4 cases a held session (about 30,000 at full scale), with text; most presented, a few waiting."""
    status = ("CASE WHEN (s.id * 7 + g) % 100 < 2 THEN 'submitted' WHEN (s.id * 7 + g) % 100 = 2 THEN 'in_review' "
              "WHEN (s.id * 7 + g) % 100 = 3 THEN 'approved' WHEN (s.id * 7 + g) % 100 = 4 THEN 'draft' "
              "WHEN (s.id * 7 + g) % 100 < 30 THEN 'closed' ELSE 'presented' END")
    long_text = f"repeat('{TEXT}', 6)"
    insert(c, "case_presentation", {
        "program_id": "s.program_id", "presenter_id": "m.user_id", "number": "'S-' || s.id || '-' || g",
        "status": status, "age_bracket": "'40–64'", "sex_gender": "'Female'",
        "question": "'Which regimen and for how long, given the prior side effects?'",
        "presenting_problem": long_text, "past_history": f"'{TEXT}'", "medications": "'Metformin 500 mg bid'",
        "allergies": "'None known'", "labs_imaging": f"'{TEXT}'", "social_history": f"'{TEXT}'",
        "tried_assessment": long_text, "attested": "true",
        "submitted_at": "s.starts_at - interval '9 days'",
        "session_id": f"CASE WHEN {status} IN ('presented', 'closed') THEN s.id END",
        "follow_up_on": "CASE WHEN g = 0 THEN (s.starts_at + interval '45 days')::date END",
        "created_at": "s.starts_at - interval '10 days'", "updated_at": "s.starts_at + g * interval '1 hour'"},
        "FROM echo_session s CROSS JOIN generate_series(0, 3) g " + MEMBERS.format(k="(s.id + g) % pc.n")
        + " WHERE s.status = 'scheduled' AND s.ends_at < now() AND g < 3 + (s.id % 4 > 0)::int")


def _load_trail_and_mail(c: Connection, volume: Volume) -> None:
    people = "(SELECT min(id) FROM user_account)"
    cases = "(SELECT min(id) FROM case_presentation)"
    case_count = c.execute(text("SELECT count(*) FROM case_presentation")).scalar()
    insert(c, "audit_event", {
        "actor_id": f"{people} + g % {volume.people}",
        "action": "(ARRAY['case.viewed','case.viewed','case.viewed','case.saved','case.status_changed',"
                  "'attendance.imported','credit.recomputed','certificate.issued'])[1 + g % 8]",
        "object_type": "'case_presentation'", "object_id": f"{cases} + g % {max(case_count, 1)}",
        "details": "'{}'::json", "created_at": "now() - (g % 1095) * interval '1 day'"},
        f"FROM generate_series(1, {volume.audit_events}) g")
    insert(c, "outbox_message", {
        "kind": "'session_invite'", "payload": "json_build_object('session_id', g % 9000 + 1)",
        "status": "'sent'", "attempts": "1", "next_attempt_at": "now() - (g % 1095) * interval '1 day'",
        "sent_at": "now() - (g % 1095) * interval '1 day' + interval '1 minute'",
        "recipient": "'Person ' || g % 20000 || ' <person' || g % 20000 || '@scale.example.org>'",
        "subject": "'Invitation: Program ECHO session ' || g", "created_at": "now() - (g % 1095) * interval '1 day'"},
        f"FROM generate_series(1, {volume.emails}) g")


TABLES = ("program", "user_account", "membership", "echo_session", "attendance_record", "credit_award",
          "certificate", "case_presentation", "audit_event", "outbox_message")


def counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t: c.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in TABLES}


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One request to time: `path` with {placeholders} from ids(), made by `role` (a key of ROLES)."""

    label: str
    path: str
    role: str
    method: str = "GET"
    runs: int | None = None  # fewer runs for slow exports; None: --runs
    body: dict = field(default_factory=dict)  # form fields for a POST (the CSRF token is added)


ROUTES = [
    Route("/cases as admin", "/cases", "admin"),
    Route("/cases, second page", "/cases?cursor={cases_cursor}", "admin"),
    Route("/cases as clinician", "/cases", "clinician"),
    Route("/api/v1/cases as admin", "/api/v1/cases", "admin"),
    Route("/api/v1/cases?status=submitted", "/api/v1/cases?status=submitted", "specialist"),
    Route("/admin/users", "/admin/users", "admin"),
    Route("/admin/users?q=person 1", "/admin/users?q=person%201", "admin"),
    Route("/admin/outbox", "/admin/outbox", "admin"),
    Route("home as admin", "/", "admin"),
    Route("members page (730)", "/programs/{program}/members", "coordinator"),
    Route("members page, search", "/programs/{program}/members?q=person%200", "coordinator"),
    Route("past sessions + attendance", "/programs/{program}/sessions/past", "coordinator"),
    Route("past sessions by attendance", "/programs/{program}/sessions/past?sort=attendance", "coordinator"),
    Route("review queue", "/review", "specialist"),
    Route("program page", "/programs/{program}", "coordinator"),
    Route("session attendance page", "/sessions/{session}/attendance", "coordinator"),
    Route("attendance JSON", "/api/v1/sessions/{session}/attendance", "coordinator"),
    Route("learner transcript PDF, a year", "/api/v1/users/{learner}/transcript.pdf?year={last_year}", "cme", runs=3),
    Route("credit CSV, one program-year", "/api/v1/programs/{program}/credit.csv?start={year_ago}", "cme", runs=3),
    Route("credit CSV, all programs", "/api/v1/credit.csv", "cme", runs=2),
    Route("calendar feed", "/calendar/scale-feed-clinician.ics", "clinician"),
]


def ids(c: Connection) -> dict[str, str]:
    """The ids the route paths name: the busiest program (730 members), its past session with the
    most attendance, the learner with the most certificates."""
    one = lambda sql: str(c.execute(text(sql)).scalar_one())  # noqa: E731
    return {
        "program": one("SELECT min(id) FROM program"),
        "session": one("SELECT s.id FROM echo_session s JOIN attendance_record a ON a.session_id = s.id "
                       "WHERE s.program_id = (SELECT min(id) FROM program) GROUP BY s.id ORDER BY count(*) DESC, s.id "
                       "LIMIT 1"),
        "learner": one("SELECT user_id FROM certificate GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1"),
        "year_ago": one("SELECT (now() - interval '1 year')::date"),
        "last_year": one("SELECT extract(year FROM now())::int - 1"),
    }


def _signed_in(app, role: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver", follow_redirects=False)
    page = client.get("/password/forgot")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"email": ROLES[role], "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    assert response.status_code == 303, f"{role} could not sign in: {response.status_code}"
    client.csrf = csrf
    return client


def measure(url: str, runs: int, routes: list[Route]) -> None:
    from app import heap
    from app.main import create_app

    for name in ("httpx", "telementor.request", "weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)  # the figures, not a line per request
    settings = Settings(env="test", database_url=normalise_url(url), base_url="http://testserver",
                        secret_key="scale-benchmark-secret-key-long-enough-for-the-rules",
                        mail_dir=Path(tempfile.mkdtemp()) / "mail", smtp_url=None)
    application = create_app(settings)
    heap.settle()  # as `telementor serve` does at start-up (env=test skips it)
    statements: list[str] = []
    event.listen(application.state.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with application.state.engine.connect() as c:
        known = ids(c)
    clients = {}
    print(f"{'route':<32} {'median ms':>9} {'max ms':>8} {'SQL':>5} {'KB':>8}  runs", flush=True)
    for route in routes:
        client = clients.get(route.role) or clients.setdefault(route.role, _signed_in(application, route.role))
        path = route.path.format(**known) if "{cases_cursor}" not in route.path else route.path
        if "{cases_cursor}" in path:
            first = client.get("/cases")
            path = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
        times, size, count = [], 0, 0
        for attempt in range((route.runs or runs) + 1):  # the first is a warm-up, not counted
            statements.clear()
            began = time.perf_counter()
            data = {**route.body, "csrf_token": client.csrf} if route.method != "GET" else None
            response = client.request(route.method, path, data=data)
            body = response.content
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code >= 400:
                print(f"{route.label:<32} HTTP {response.status_code}: {response.text[:120]!r}")
                break
            if attempt:
                times.append(elapsed)
            size, count = len(body), len(statements)
        if times:
            print(f"{route.label:<32} {statistics.median(times):9.1f} {max(times):8.1f} {count:5d} "
                  f"{size / 1024:8.1f}  {len(times)}", flush=True)
    for client in clients.values():
        client.close()
    application.state.engine.dispose()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("TELEMENTOR_BENCH_DATABASE_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/tm_scale"))
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full volume (0.05 for a quick run)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure a database loaded before, without loading")
    parser.add_argument("--only", default="", help="time only the routes whose label matches this regex")
    parser.add_argument("--skip", default="", help="skip the routes whose label matches this regex")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql")):
        raise SystemExit("give --database-url postgresql://... (its database is dropped and created anew)")
    if not 0 < args.scale <= 2:
        raise SystemExit("--scale is a share of the full volume, more than 0 and at most 2")
    if not args.reuse:
        print(f"loading at scale {args.scale} into {make_url(args.database_url).database} ...", flush=True)
        began = time.perf_counter()
        found = load(args.database_url, args.scale)
        print(f"loaded in {time.perf_counter() - began:.0f} s: " + ", ".join(f"{t} {n:,}" for t, n in found.items()))
    else:
        upgrade(normalise_url(args.database_url))  # the models may have moved on since it was loaded
    routes = [r for r in ROUTES if (not args.only or re.search(args.only, r.label))
              and not (args.skip and re.search(args.skip, r.label))]
    measure(args.database_url, args.runs, routes)


if __name__ == "__main__":
    main()
