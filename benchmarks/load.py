"""Load on a real server: N signed-in clinicians at once for a bounded time, on loopback only.

Builds a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database given by
--database-url, which should be an empty one made for this run), applies the migrations, builds
a hub (three public programs, a year of weekly sessions each) with one clinician and one draft case
per client, starts `telementor serve` (uvicorn, one process, as production runs it) on a free port
of 127.0.0.1, signs every client in for an API token, then
runs a mixed workload: case saves (new drafts and updates, PHI-free text that the server checks
on every save), case reads, session lists, program pages and the live PHI check of the case form.

    python benchmarks/load.py [--clients 50] [--duration 60] [--think 1.0] [--database-url URL]

Each client pauses --think seconds on average between requests (a person's pace: a live check
as one types, a save, a page); --think 0 sends back to back and measures throughput instead.

Prints count, p50, p95, p99 and max per operation and every unexpected answer; exits 1 when any
request failed. The load generator shares the machine with the server: on 2 cores its own CPU
time is part of what the latencies measure (the output prints both processes' CPU time).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script, Python puts benchmarks/ first on the path, where a sibling script's name (such
# as calendar.py) would shadow the standard library module; import from the repository root.
BENCHMARKS_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCHMARKS_DIR]
sys.path.insert(0, str(BENCHMARKS_DIR.parent))

import httpx  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PASSWORD = "load-test-password-1"
SAVE_BUDGET_MS = 250.0
# Weights of the operations a client picks from: the form's live check fires most (as one types),
# a draft is saved (autosave) more often than a new case is started.
MIX = {"phi check": 4, "case update": 3, "case read": 3, "session list": 2, "program page": 2, "case create": 1}
PARAGRAPHS = [
    "HCV genotype 3a found on screening. Fatigue only, no jaundice, no ascites.",
    "Type 2 diabetes on metformin, hypertension on lisinopril, chronic low back pain.",
    "Uses methadone daily from the opioid treatment program; no injection drug use for a year.",
    "ALT 84 U/L, AST 61 U/L, platelets 142, albumin 3.9, FIB-4 2.1, elastography 8.4 kPa.",
    "Lives with a partner, works part time in retail, drinks alcohol on weekends, smokes daily.",
    "Treat now with sofosbuvir/velpatasvir, or repeat the viral load first?",
    "Considered a drug interaction check with the clinic pharmacist; no prior hepatitis treatment.",
    "Asthma since childhood, uses an albuterol inhaler twice a week, no admissions this year.",
]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)

    def add(self, operation: str, seconds: float, problem: str | None) -> None:
        self.latencies[operation].append(seconds * 1000)
        if problem:
            self.errors[(operation, problem)] += 1


def case_texts(variant: int) -> dict[str, str]:
    """PHI-free case text; each variant a different mix of the paragraphs above."""
    pick = lambda offset, count: " ".join(PARAGRAPHS[(variant + offset + i) % len(PARAGRAPHS)]  # noqa: E731
                                          for i in range(count))
    return {"question": PARAGRAPHS[5] if variant % 2 else PARAGRAPHS[6], "presenting_problem": pick(0, 3),
            "past_history": pick(1, 2), "medications": PARAGRAPHS[2], "labs_imaging": PARAGRAPHS[3],
            "social_history": PARAGRAPHS[4], "tried_assessment": pick(5, 2)}


def clean_variants(count: int = 8) -> list[dict[str, str]]:
    """The texts the clients send, checked here as the server checks them: a finding would be a 422."""
    from app.services import phi_gate

    variants = [case_texts(v) for v in range(count)]
    for texts in variants:
        found = {name: items for name, items in phi_gate.find_in_fields(texts).items() if items}
        if found:
            raise SystemExit(f"load: the sample case text has PHI findings: {found}")
    return variants


# --- the database and the server --------------------------------------------------------------


def require_loopback_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" and parsed.host not in LOOPBACK | {None}:
        raise SystemExit(f"load: only a database on this machine (loopback), not {parsed.host}")


HUB = [("Hepatitis C Treatment in Primary Care", "America/Denver"),
       ("Chronic Pain and Opioid Use Disorder", "America/New_York"), ("Pediatric Asthma", "America/Chicago")]


def build_hub(db, password_hash: str) -> list:
    """Three public programs, each with a spoke site and a year of weekly sessions, through the services."""
    from datetime import date, time as clock, timedelta

    from app.scheduling.recurrence import RecurrenceRule
    from app.services import accounts, program_admin, scheduling

    coordinator = accounts.create_user(db, email="coordinator@example.org", full_name="Load Coordinator")
    coordinator.password_hash = password_hash
    programs, first = [], date.today() + timedelta(days=7)
    for name, zone in HUB:
        form = program_admin.ProgramForm(name, zone, "Weekly teleECHO clinic.", "https://zoom.us/j/91234567890",
                                         90, "public")
        program = program_admin.create_program(db, form, actor=coordinator)
        program_admin.add_site(db, program, organisation="Valley Clinic", city="Grants", state="NM",
                               actor=coordinator)
        rule = RecurrenceRule(kind="weekly", first_date=first, start_time=clock(12), duration_minutes=90,
                              timezone=zone, weekday=first.weekday(), count=52)
        scheduling.create_series(db, program, rule, actor=coordinator)
        programs.append(program)
    return [coordinator, *programs]


def seed(url: str, clients: int, variants: list[dict[str, str]]) -> list[tuple[str, int, int]]:
    """A fresh hub plus one clinician per client, spread over its programs, each with a draft case
    (so that the load does not open with every client creating one at once): (e-mail, program id,
    case id) each."""
    from sqlmodel import Session, select

    from app import security
    from app.db import make_engine
    from app.migrate import upgrade
    from app.models import SpokeSite, User
    from app.services import cases, program_admin

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as db:
        password_hash = security.hash_password(PASSWORD)
        coordinator, *programs = build_hub(db, password_hash)
        people = []
        for index in range(clients):
            program, email = programs[index % len(programs)], f"load{index}@example.org"
            site = db.exec(select(SpokeSite).where(SpokeSite.program_id == program.id)).first()
            program_admin.add_member(db, program, email=email, full_name=f"Load Clinician {index}",
                                     role="clinician", site_id=site.id, actor=coordinator)
            user = db.exec(select(User).where(User.email == email)).one()
            user.password_hash = password_hash
            draft = cases.save(db, program, None, cases.CaseForm(texts=variants[index % len(variants)]), actor=user)
            people.append((email, program.id, draft.id))
        db.commit()
    engine.dispose()
    return people


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, workdir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "TELEMENTOR_DATABASE_URL": url, "TELEMENTOR_ENV": "production",
           "TELEMENTOR_SECRET_KEY": secrets.token_urlsafe(48), "TELEMENTOR_BASE_URL": "https://telementor.example.org",
           "TELEMENTOR_MAIL_DIR": str(workdir / "mail"), "TELEMENTOR_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = (workdir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_until_healthy(base: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"load: the server exited with {server.returncode} before it was ready")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("load: the server did not answer /healthz within a minute")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process from /proc (Linux), 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the clients ---------------------------------------------------------------------------------


@dataclass
class Client:
    http: httpx.AsyncClient
    program_id: int
    variants: list[dict[str, str]]
    rng: random.Random
    case_ids: list[int] = field(default_factory=list)

    def case_body(self) -> dict:
        texts = self.rng.choice(self.variants)
        return {**texts, "program_id": self.program_id, "age_bracket": "40–64", "sex_gender": "Female"}


async def timed(stats: Stats, operation: str, request, expected: int = 200) -> httpx.Response | None:
    """Send one request; anything but the expected status (or no answer) is an error."""
    started, problem, response = time.perf_counter(), None, None
    try:
        response = await request
        if response.status_code != expected:
            problem = f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        problem = type(exc).__name__
    stats.add(operation, time.perf_counter() - started, problem)
    return None if problem else response


async def create_case(client: Client, stats: Stats) -> None:
    response = await timed(stats, "case create", client.http.post("/api/v1/cases", json=client.case_body()), 201)
    if response is not None:
        client.case_ids.append(response.json()["id"])


async def update_case(client: Client, stats: Stats) -> None:
    if not client.case_ids:
        return await create_case(client, stats)
    case_id = client.rng.choice(client.case_ids)
    await timed(stats, "case update", client.http.put(f"/api/v1/cases/{case_id}", json=client.case_body()))


async def read_case(client: Client, stats: Stats) -> None:
    if not client.case_ids:
        return await create_case(client, stats)
    await timed(stats, "case read", client.http.get(f"/api/v1/cases/{client.rng.choice(client.case_ids)}"))


async def list_sessions(client: Client, stats: Stats) -> None:
    await timed(stats, "session list", client.http.get(f"/api/v1/programs/{client.program_id}/sessions"))


async def program_page(client: Client, stats: Stats) -> None:
    await timed(stats, "program page", client.http.get(f"/programs/{client.program_id}"))


async def phi_check(client: Client, stats: Stats) -> None:
    """What the case form sends as one types: the field being edited."""
    name, text = client.rng.choice(list(client.rng.choice(client.variants).items()))
    await timed(stats, "phi check", client.http.post("/api/v1/redaction/check", json={"fields": {name: text}}))


OPERATIONS = {"phi check": phi_check, "case update": update_case, "case read": read_case,
              "session list": list_sessions, "program page": program_page, "case create": create_case}


async def run_client(client: Client, stats: Stats, deadline: float, args: argparse.Namespace) -> None:
    """Bounded twice: by the deadline and by --max-requests per client."""
    names, weights = list(MIX), list(MIX.values())
    if args.think > 0:  # people do not all click at the same moment
        await asyncio.sleep(client.rng.uniform(0, 2 * args.think))
    for _ in range(args.max_requests):
        if time.monotonic() >= deadline:
            return
        await OPERATIONS[client.rng.choices(names, weights)[0]](client, stats)
        if args.think > 0:
            pause = client.rng.uniform(0, 2 * args.think)
            await asyncio.sleep(max(0.0, min(pause, deadline - time.monotonic())))


async def sign_in(base: str, email: str, stats: Stats, gate: asyncio.Semaphore) -> str | None:
    async with gate, httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await timed(stats, "sign-in", http.post("/api/v1/auth/token",
                                                            data={"username": email, "password": PASSWORD}))
    return None if response is None else response.json()["access_token"]


async def load(base: str, people: list[tuple[str, int, int]], variants, args) -> tuple[Stats, float]:
    stats, gate = Stats(), asyncio.Semaphore(args.sign_in_concurrency)
    tokens = await asyncio.gather(*(sign_in(base, email, stats, gate) for email, *_ in people))
    clients = [Client(httpx.AsyncClient(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}),
                      program_id, variants, random.Random(index), [case_id])
               for index, (token, (_, program_id, case_id)) in enumerate(zip(tokens, people)) if token]
    warm_up = Stats()  # the server's first request of each kind loads lazily (the PHI detector's data)
    for operation in OPERATIONS.values():
        await operation(clients[0], warm_up) if clients else None
    stats.errors.update(warm_up.errors)
    print("warm-up, not counted: " + ", ".join(f"{name} {values[0]:.0f} ms" for name, values in
                                                warm_up.latencies.items()))
    started = time.monotonic()
    try:
        await asyncio.gather(*(run_client(c, stats, started + args.duration, args) for c in clients))
    finally:
        await asyncio.gather(*(c.http.aclose() for c in clients))
    return stats, time.monotonic() - started


# --- the report ----------------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0], values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98], max(values)


def report(stats: Stats, elapsed: float) -> None:
    rows = dict(stats.latencies)
    rows["case save (all)"] = rows.get("case create", []) + rows.get("case update", [])
    errors_by_op = Counter()
    for (operation, _), count in stats.errors.items():
        errors_by_op[operation] += count
    errors_by_op["case save (all)"] = errors_by_op["case create"] + errors_by_op["case update"]
    print(f"{'operation':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for operation, values in rows.items():
        if values:
            p50, p95, p99, top = percentiles(values)
            print(f"{operation:<16}{len(values):>7}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{top:>9.1f}"
                  f"{errors_by_op[operation]:>8}")
    timed_requests = sum(len(v) for k, v in stats.latencies.items() if k != "sign-in")
    print(f"{timed_requests} requests in {elapsed:.1f} s ({timed_requests / elapsed:.0f}/s), sign-ins before")
    for (operation, problem), count in sorted(stats.errors.items()):
        print(f"error: {operation}: {problem} x{count}")
    saves = rows["case save (all)"]
    if saves:
        p95 = percentiles(saves)[1]
        verdict = "within" if p95 <= SAVE_BUDGET_MS else "OVER"
        print(f"case save p95 {p95:.1f} ms: {verdict} the {SAVE_BUDGET_MS:.0f} ms budget")


def server_log_problems(path: Path) -> list[str]:
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    return [line for line in lines if "Traceback" in line or "ERROR" in line]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent signed-in clients (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause in seconds between one client's requests, a person's pace (default 1; "
                             "0: none, a throughput test where latency is mostly queueing)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="at most this many per client")
    parser.add_argument("--sign-in-concurrency", type=int, default=4, help="sign-ins at once, before the load")
    parser.add_argument("--database-url", help="an empty PostgreSQL database on this machine (default: a "
                                               "new SQLite file in a temporary folder)")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 500 and 0 < args.duration <= 3600 and args.max_requests >= 1):
        parser.error("give 1-500 clients, 0-3600 seconds and at least 1 request per client")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="telementor-load-") as folder:
        workdir = Path(folder)
        url = args.database_url or f"sqlite:///{workdir / 'load.db'}"
        require_loopback_database(url)
        variants = clean_variants()
        started = time.monotonic()
        people = seed(url, args.clients, variants)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        print(f"backend {make_url(url).get_backend_name()}, {args.clients} clients, {args.duration:.0f} s, "
              f"think {args.think} s, {os.cpu_count()} CPUs; seeded in {time.monotonic() - started:.1f} s; "
              f"server {base} (uvicorn, one process)")
        server = start_server(url, workdir, port)
        try:
            wait_until_healthy(base, server)
            client_cpu = time.process_time()
            stats, elapsed = asyncio.run(load(base, people, variants, args))
            client_cpu, server_cpu = time.process_time() - client_cpu, process_cpu_seconds(server.pid)
        finally:
            stop_server(server)
        problems = server_log_problems(workdir / "server.log")
    report(stats, elapsed)
    print(f"CPU seconds: server {server_cpu:.1f} (whole life), load generator {client_cpu:.1f} (sign-in and load)")
    for line in problems[:10]:
        print(f"server log: {line}")
    return 1 if stats.errors or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
