"""How long importing a 300-row Zoom participants report takes (#13: target < 150 ms, a constant
number of queries).

    python benchmarks/attendance_import.py [--database-url URL] [--members 730] [--rows 300] [--runs 7]

Builds a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database given by
--database-url, which should be an empty one made for this run: every table in it is dropped),
applies the migrations and loads one program of MEMBERS clinicians with credit offered. Then, for
each run, it imports a report of ROWS rows (five in six people once, the rest with a rejoin) into
a new past session through the attendance service, committed as the router does, and prints the
median and max wall time, this process's CPU time and the number of SQL statements; then the same
file again (nothing changes) and a second report of the same session (every record updated).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.db import make_engine, normalise_url  # noqa: E402
from benchmarks.dbreset import fresh_database  # noqa: E402
from app.models import EchoSession, Membership, Program, User  # noqa: E402
from app.services import attendance, credit  # noqa: E402

DENVER = ZoneInfo("America/Denver")




def load(db: Session, members: int) -> tuple[Program, User, list[User]]:
    program = Program(name="Hepatitis C ECHO", slug="hcv", timezone="America/Denver", visibility="private")
    coordinator = User(email="coordinator@example.org", full_name="Rosa Delgado")
    cme = User(email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    db.add_all([program, coordinator, cme])
    db.flush()
    learners = [User(email=f"learner{i}@clinic.example.org", full_name=f"Learner Number{i}", password_hash="",
                     degree=("MD", "RN", "NP")[i % 3]) for i in range(members)]
    db.add_all(learners)
    db.flush()
    db.add(Membership(program_id=program.id, user_id=coordinator.id, role="coordinator"))
    db.add_all(Membership(program_id=program.id, user_id=u.id, role="clinician") for u in learners)
    db.commit()
    credit.save_settings(db, program, credit.CreditForm(credit_types=["ama_pra_1"], max_credits="1",
                                                        provider_name="Mountain West CME"), actor=cme)
    db.commit()
    return program, coordinator, learners


def zoom_time(moment: datetime) -> str:
    return moment.astimezone(DENVER).strftime("%m/%d/%Y %I:%M:%S %p")


def report(session: EchoSession, learners: list[User], rows: int, *, full: bool = False) -> bytes:
    start = session.starts_at
    lines = ["Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
             f"81234567890,HCV ECHO,{zoom_time(start)},{zoom_time(session.ends_at)},host@example.org,60,{rows}", "",
             "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    people = learners[: rows * 5 // 6]
    stretches = [(p, 0, 60 if full else 50) for p in people] + [(p, 52, 60) for p in people[: rows - len(people)]]
    for person, join, leave in stretches:
        joined, left = start + timedelta(minutes=join), start + timedelta(minutes=leave)
        lines.append(f'"{person.full_name}",{person.email},{zoom_time(joined)},{zoom_time(left)},{leave - join},No')
    return ("\r\n".join(lines) + "\r\n").encode()


def timed(engine, action) -> tuple[float, float, int]:
    statements = []

    def count(*args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    event.remove(engine, "before_cursor_execute", count)
    return wall * 1000, cpu * 1000, len(statements)


def show(label: str, results: list[tuple[float, float, int]]) -> None:
    walls, cpus, queries = zip(*results, strict=True)
    print(f"{label:<44} median {statistics.median(walls):7.1f} ms  max {max(walls):7.1f} ms  "
          f"cpu {statistics.median(cpus):6.1f} ms  queries {sorted(set(queries))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--members", type=int, default=730)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = normalise_url(args.database_url or f"sqlite:///{os.path.join(folder, 'bench.db')}")
        fresh_database(url)
        engine = make_engine(url)
        first, same, second = [], [], []
        with Session(engine, expire_on_commit=False) as db:
            program, coordinator, learners = load(db, args.members)
            base = datetime(2026, 1, 7, 19, 0, tzinfo=UTC)
            for run in range(args.runs):
                session = EchoSession(program_id=program.id, starts_at=base + timedelta(days=7 * run),
                                      ends_at=base + timedelta(days=7 * run, minutes=60))
                db.add(session)
                db.commit()
                content = report(session, learners, args.rows)

                def run_import(data=content, name="participants.csv", s=session):
                    attendance.import_report(db, s, program, data, filename=name, actor=coordinator)
                    db.commit()

                first.append(timed(engine, run_import))
                same.append(timed(engine, run_import))
                fuller = report(session, learners, args.rows, full=True)
                second.append(timed(engine, lambda data=fuller, s=session: run_import(data, "part2.csv", s)))
        print(f"{engine.dialect.name}: {args.rows}-row Zoom report, {args.members} members, {args.runs} runs")
        show("first import (records and awards written)", first)
        show("the same file again (unchanged)", same)
        show("a second report (every record updated)", second)
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        engine.dispose()


if __name__ == "__main__":
    main()
