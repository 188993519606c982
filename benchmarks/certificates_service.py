"""Certificates as the service serves them (#13): the worker renders and stores the PDFs, then,
through HTTP against a running app with its warm render processes, the first byte and the whole
of a session ZIP, a single download and a learner's transcript, each with its number of queries.

Imported by benchmarks/certificates.py (--service); the database is a new SQLite file, or a new
PostgreSQL database created (and dropped afterwards) on the server given by --postgres.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import text
from sqlmodel import Session

from app import security
from app.config import Settings
from app.db import make_engine, normalise_url, utcnow
from app.main import create_app
from app.migrate import upgrade
from app.models import Certificate, CertificateFile, CreditSettings, EchoSession, Program, User
from app.services import certificate_files, transcript_files
from app.services.certificates import new_code
from tests.querycount import count_queries

PASSWORD = "benchmark password 2026"
TRANSCRIPT_URL = "/api/v1/users/me/transcript.pdf?start=2000-01-01&end=2030-12-31"
YEAR_URL = "/api/v1/users/me/transcript.pdf?year=2025"


@contextmanager
def scratch_database(postgres: str | None):
    if not postgres:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{Path(directory) / 'bench.db'}"
        return
    name = f"telementor_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(normalise_url(postgres)).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield normalise_url(postgres).rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def build(db: Session, learners: int, transcript_rows: int) -> dict:
    program = Program(name="Hepatitis C ECHO: Treatment in Primary Care", slug="bench", timezone="America/Denver")
    db.add(program)
    db.flush()
    db.add(CreditSettings(program_id=program.id, provider_name="University Health Sciences Center"))
    cme = User(email="cme@example.org", full_name="Carla Mendes", is_cme_office=True,
               password_hash=security.hash_password(PASSWORD))
    people = [User(email=f"learner{i}@example.org", full_name=f"Learner {i} Hernández-Okafor", degree="MD",
                   password_hash=cme.password_hash) for i in range(learners)]
    db.add_all([cme, *people])
    start = datetime(2026, 3, 4, 19, 0, tzinfo=UTC)
    sessions = [EchoSession(program_id=program.id, starts_at=start - timedelta(days=2 * i),
                            ends_at=start - timedelta(days=2 * i) + timedelta(hours=1), didactic_topic=f"Topic {i}")
                for i in range(max(transcript_rows, 1))]
    db.add_all(sessions)
    db.flush()
    certificates = [Certificate(code=new_code(), session_id=sessions[0].id, user_id=person.id, credit_type="ama_pra_1",
                                credits=Decimal("1.00"), learner_name=person.full_name) for person in people]
    certificates += [Certificate(code=new_code(), session_id=session.id, user_id=people[0].id, credit_type="ama_pra_1",
                                 credits=Decimal("1.00"), learner_name=people[0].full_name) for session in sessions[1:]]
    db.add_all(certificates)
    db.flush()
    db.add_all([CertificateFile(certificate_id=c.id, next_attempt_at=utcnow()) for c in certificates])
    db.commit()
    return {"session_id": sessions[0].id, "codes": [c.code for c in certificates[:learners]],
            "learner": people[0].email, "certificates": len(certificates)}


@contextmanager
def serving(settings: Settings):
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def timed_get(client: httpx.Client, url: str, headers: dict) -> tuple[float, float, int]:
    """(seconds to the first body byte, seconds to the end, bytes)."""
    started = time.perf_counter()
    first = None
    size = 0
    with client.stream("GET", url, headers=headers) as response:
        response.raise_for_status()
        for chunk in response.iter_raw():
            if first is None and chunk:
                first = time.perf_counter() - started
            size += len(chunk)
    return first or 0.0, time.perf_counter() - started, size


def report(learners: int, transcript_rows: int, postgres: str | None, repeats: int = 5) -> None:
    with scratch_database(postgres) as url, tempfile.TemporaryDirectory() as data_dir:
        upgrade(url)
        settings = Settings(env="development", database_url=url, secret_key="b" * 40, base_url="https://bench.example",
                            data_dir=Path(data_dir), mail_dir=Path(data_dir) / "mail")
        engine = make_engine(url)
        with Session(engine) as db:
            world = build(db, learners, transcript_rows)
        with Session(engine) as db:
            started = time.perf_counter()
            stored, failed = certificate_files.render_due(db, settings)
            render_seconds = time.perf_counter() - started
        with Session(engine) as db:
            started = time.perf_counter()
            ahead, _ = transcript_files.render_stale(db)
            ahead_seconds = time.perf_counter() - started
        engine.dispose()
        print(f"service: {'PostgreSQL' if postgres else 'SQLite'}; the worker rendered and stored {stored} PDFs "
              f"({failed} failed) in {render_seconds:.1f} s = {render_seconds / max(stored, 1) * 1000:.0f} ms each")
        with serving(settings) as (app, base), httpx.Client(base_url=base, timeout=120) as client:
            token = client.post("/api/v1/auth/token", data={"username": "cme@example.org", "password": PASSWORD})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            singles, single_queries = [], 0
            for code in world["codes"][:20]:
                with count_queries(app.state.engine) as counted:
                    singles.append(timed_get(client, f"/certificates/{code}.pdf", headers)[1])
                single_queries = counted.total
            zips = []
            for _ in range(3):
                with count_queries(app.state.engine) as counted:
                    zips.append(timed_get(client, f"/api/v1/sessions/{world['session_id']}/certificates.zip", headers))
            zip_queries = counted.total
            learner = client.post("/api/v1/auth/token", data={"username": world["learner"], "password": PASSWORD})
            learner_headers = {"Authorization": f"Bearer {learner.json()['access_token']}"}
            # A period nobody asked for before: rendered during the download, then kept.
            with count_queries(app.state.engine) as counted:
                cold = timed_get(client, TRANSCRIPT_URL, learner_headers)[1]
            cold_queries = counted.total
            transcripts = []
            for _ in range(repeats):
                with count_queries(app.state.engine) as counted:
                    transcripts.append(timed_get(client, TRANSCRIPT_URL, learner_headers)[1])
            transcript_queries = counted.total
            # A calendar year, rendered ahead by the worker when its certificates were stored.
            years = []
            for _ in range(repeats):
                years.append(timed_get(client, YEAR_URL, learner_headers)[1])
    ms = 1000
    print(f"single stored certificate: median {statistics.median(singles) * ms:.1f} ms, max {max(singles) * ms:.1f} ms "
          f"over {len(singles)} downloads, {single_queries} queries (target < 50 ms)")
    first_bytes = [z[0] for z in zips]
    print(f"session ZIP of {learners} certificates: first byte median {statistics.median(first_bytes) * ms:.0f} ms "
          f"(max {max(first_bytes) * ms:.0f} ms), whole archive {statistics.median(z[1] for z in zips):.2f} s, "
          f"{zips[0][2] / 1024 / 1024:.1f} MiB, {zip_queries} queries (target first byte < 1 s)")
    print(f"the worker rendered {ahead} year transcript(s) ahead in {ahead_seconds:.2f} s")
    print(f"transcript of {transcript_rows} certificates, a period never downloaded before (rendered in the "
          f"request): {cold * ms:.0f} ms, {cold_queries} queries")
    print(f"the same again (kept): median {statistics.median(transcripts) * ms:.1f} ms, "
          f"max {max(transcripts) * ms:.1f} ms over {repeats}, {transcript_queries} queries "
          f"(targets < 1 s for 150 certificates, #12; < 300 ms, #13)")
    print(f"a year's transcript rendered ahead by the worker: median {statistics.median(years) * ms:.1f} ms, "
          f"max {max(years) * ms:.1f} ms over {repeats}")
