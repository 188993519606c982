"""The warm PDF render processes of `telementor serve`: started and warmed before the first
request, used for the PDFs the server renders, and gone with the server after SIGTERM. Runs the
real command in a subprocess against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
from sqlmodel import Session

from app.db import utcnow
from app.models import Certificate
from app.services.certificates import new_code
from tests.conftest import TEST_SECRET, empty_tables
from tests.factories import PASSWORD, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session
from tests.integration.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def world(engine) -> tuple[str, str]:
    """A CME office user and one certificate without a stored PDF: (e-mail, code)."""
    empty_tables(engine)
    with Session(engine, expire_on_commit=False) as db:
        cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
        learner = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield", degree="MD")
        program = make_program(db, name="Hepatitis C ECHO")
        session = past_session(db, program, start=utcnow().astimezone(DENVER).replace(year=2026, month=3, day=4))
        certificate = Certificate(code=new_code(), session_id=session.id, user_id=learner.id, credit_type="ama_pra_1",
                                  credits=Decimal("1.00"), learner_name=learner.full_name)
        db.add(certificate)
        db.commit()
        return cme.email, certificate.code


def test_serve_renders_in_warm_processes_and_leaves_none_behind_after_sigterm(database_url, engine, tmp_path):
    email, code = world(engine)
    port = free_port()
    env = {**os.environ, "TELEMENTOR_DATABASE_URL": database_url, "TELEMENTOR_ENV": "development",
           "TELEMENTOR_SECRET_KEY": TEST_SECRET, "TELEMENTOR_DATA_DIR": str(tmp_path),
           "TELEMENTOR_BASE_URL": f"http://127.0.0.1:{port}", "TELEMENTOR_PDF_WORKERS": "2",
           "TELEMENTOR_MAIL_DIR": str(tmp_path / "mail")}
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "telementor serve did not start"
            time.sleep(0.3)
        # The port opens only after the lifespan has started (and warmed) the render processes.
        render_processes = children_of(server.pid)
        assert len(render_processes) >= 2

        token = httpx.post(f"{base}/api/v1/auth/token", data={"username": email, "password": PASSWORD}).json()
        response = httpx.get(f"{base}/certificates/{code}.pdf", timeout=60,
                             headers={"Authorization": f"Bearer {token['access_token']}"})
        if response.status_code != 200:
            server.send_signal(signal.SIGTERM)
            raise AssertionError(f"download: {response.status_code}\n{server.communicate(timeout=60)[0]}")
        assert response.content[:5] == b"%PDF-"
        assert children_of(server.pid) == render_processes  # rendered by the warm ones, none started

        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in render_processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in render_processes if alive(pid)] == []
    # uvicorn shuts down gracefully (the lifespan's exit included), then re-raises the signal
    assert server.returncode in (0, -signal.SIGTERM), output
    assert "warm PDF render process(es) started" in output
    assert "GET /certificates/{code}.pdf 200" in output
    assert code not in output
    assert "weasyprint" not in output.lower()
