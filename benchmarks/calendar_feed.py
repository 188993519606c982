"""What calendar apps polling the private feed cost the server.

    python benchmarks/calendar_feed.py [--database-url URL] [--programs 5] [--sessions 60] [--polls 400]

Builds one member in N programs of M weekly sessions (in a throwaway SQLite file unless a
database URL is given: use an empty PostgreSQL database), then measures the server's CPU time per
poll of a uvicorn server process (read from /proc; the client runs in this process and is not
counted):
  * a poll that sends back the ETag it was given (If-None-Match) and gets 304;
  * a poll without it (the body comes from the per-ETag cache);
  * the first poll after a change (the feed is built and gzipped).
and what 20,000 subscribers polling every 15 minutes would need in cores when nothing changed
(target: well under one); after a change each subscriber's next poll builds its feed once.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, time as clock
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# benchmarks/calendar.py would shadow the standard library's calendar module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app.db import make_engine, utcnow  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import EchoSession, Membership, Program, User  # noqa: E402
from app.scheduling.recurrence import RecurrenceRule  # noqa: E402
from app.services import calendars, scheduling  # noqa: E402

SUBSCRIBERS, POLL_SECONDS = 20_000, 900


def build(db: Session, programs: int, sessions: int) -> tuple[str, int]:
    coordinator = User(email="coord@example.org", full_name="Rosa Delgado", password_hash="x")
    member = User(email="jenna@example.org", full_name="Jenna Whitfield", password_hash="x")
    db.add_all([coordinator, member])
    db.flush()
    for index in range(programs):
        program = Program(name=f"Program {index} ECHO", slug=f"program-{index}", timezone="America/Denver",
                          visibility="private", video_url=f"https://zoom.us/j/{1000 + index}")
        db.add(program)
        db.flush()
        db.add_all([Membership(program_id=program.id, user_id=coordinator.id, role="coordinator"),
                    Membership(program_id=program.id, user_id=member.id, role="clinician")])
        rule = RecurrenceRule(kind="weekly", interval=1, weekday=1, first_date=date(2030, 1, 1),
                              start_time=clock(12, 0), duration_minutes=60, count=sessions,
                              timezone=program.timezone)
        scheduling.create_series(db, program, rule, actor=coordinator)
    token = calendars.new_feed_token(db, member, actor=member)
    db.commit()
    return token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(pid: int, poll, runs: int) -> float:
    """Server CPU milliseconds per poll, over ``runs`` polls (the client is another process's
    share, not counted)."""
    before = server_cpu_seconds(pid)
    for _ in range(runs):
        poll()
    return (server_cpu_seconds(pid) - before) * 1000 / runs


def line(label: str, ms: float) -> None:
    cores = SUBSCRIBERS / POLL_SECONDS * ms / 1000
    print(f"{label:<46} {ms:6.2f} ms server CPU per poll"
          f"  -> {SUBSCRIBERS:,} subscribers every {POLL_SECONDS // 60} min: {cores:.2f} cores")


def touch_first_session(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as db:
        session = db.exec(select(EchoSession).order_by(EchoSession.id)).first()
        session.sequence += 1
        session.updated_at = utcnow()
        db.commit()
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--programs", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--polls", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{scratch}/feed.db"
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as db:
            token = build(db, args.programs, args.sessions)
        engine.dispose()
        port = free_port()
        env = {**os.environ, "TELEMENTOR_DATABASE_URL": url, "TELEMENTOR_DATA_DIR": scratch,
               "TELEMENTOR_BASE_URL": f"http://127.0.0.1:{port}", "TELEMENTOR_LOG_LEVEL": "WARNING",
               "TELEMENTOR_MAIL_DIR": f"{scratch}/mail"}
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
                                   "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                                   "--no-access-log"], env=env, cwd=REPO)
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(1200):  # start-up imports WeasyPrint: seconds on a busy machine
                    try:
                        client.get("/healthz")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                path = f"/calendar/{token}.ics"
                first = client.get(path, headers={"Accept-Encoding": "identity"})
                first.raise_for_status()
                etag = first.headers["ETag"]
                gz = client.get(path, headers={"Accept-Encoding": "gzip"})
                print(f"feed: {args.programs} programs x {args.sessions} sessions, {len(first.content):,} bytes, "
                      f"{gz.num_bytes_downloaded:,} gzipped; {args.polls} polls each; uvicorn, one process\n")
                line("poll with If-None-Match (304)",
                     measure(server.pid, lambda: client.get(path, headers={"If-None-Match": etag}), args.polls))
                line("poll without ETag (cached body, gzip)",
                     measure(server.pid, lambda: client.get(path, headers={"Accept-Encoding": "gzip"}), args.polls))
                changes = max(10, args.polls // 20)
                total = 0.0
                for _ in range(changes):
                    touch_first_session(url)
                    total += measure(server.pid, lambda: client.get(path, headers={"Accept-Encoding": "gzip"}), 1)
                rebuild = total / changes
                print(f"{'first poll after a change (built, gzipped)':<46} {rebuild:6.2f} ms server CPU per poll"
                      f"  -> once per subscriber per change: a change seen by 730 members costs "
                      f"{730 * rebuild / 1000:.1f} s of CPU in all")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
