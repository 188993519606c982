"""How long the CME office's credit work takes on a large program.

    python benchmarks/credit.py [--database-url URL] [--sessions 162] [--learners 100] [--runs 3]

Builds a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database given by
--database-url, which should be an empty one made for this run: every table in it is dropped),
applies the migrations and loads one program with SESSIONS past sessions, each attended by
LEARNERS clinicians (one attendance record each). Then it prints, with the number of SQL statements:

  * saving the program's credit settings the first time (every award written; target < 1 s),
  * saving them again unchanged (nothing to write),
  * saving a changed threshold (some awards change),
  * the credit CSV of one year and of all years, per program and across all programs, read to the
    end as a client would (target < 300 ms), with the peak memory Python allocated for it.

Wall time counts the database server too; "cpu" is this process's own CPU time, which says more
than wall time on a machine busy with other work (the load average is printed at the end).
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
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402

from sqlalchemy import event, insert  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app.db import make_engine, normalise_url  # noqa: E402
from benchmarks.dbreset import fresh_database  # noqa: E402
from app.models import AttendanceRecord, EchoSession, Membership, Program, User  # noqa: E402
from app.services import credit, credit_reports  # noqa: E402




def load(db: Session, sessions: int, learners: int) -> tuple[Program, User]:
    program = Program(name="Hepatitis C ECHO", slug="hcv", timezone="America/Denver", visibility="private")
    cme = User(email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    db.add_all([program, cme])
    db.flush()
    degrees = ("MD", "RN", "PharmD", "CHW", "DO")
    db.execute(insert(User), [{"email": f"learner{i}@clinic.example.org", "full_name": f"Learner {i:04d}",
                               "degree": degrees[i % len(degrees)], "password_hash": "",
                               "created_at": datetime.now(UTC)}
                              for i in range(learners)])
    people = list(db.exec(select(User.id).where(User.email.like("learner%"))).all())
    db.add_all(Membership(program_id=program.id, user_id=u, role="clinician") for u in people)
    first = datetime(2024, 1, 3, 19, 0, tzinfo=UTC)
    db.add_all(EchoSession(program_id=program.id, starts_at=first + timedelta(weeks=w),
                           ends_at=first + timedelta(weeks=w, minutes=90), didactic_topic=f"Topic {w}")
               for w in range(sessions))
    db.flush()
    session_ids = list(db.exec(select(EchoSession.id).where(EchoSession.program_id == program.id)).all())
    db.execute(insert(AttendanceRecord), [
        {"session_id": s, "user_id": u, "sources": "zoom", "computed_seconds": (55 + (s * 7 + i * 13) % 36) * 60,
         "updated_at": datetime.now(UTC)}
        for s in session_ids for i, u in enumerate(people)])
    db.commit()
    return program, cme


def settings_form(**changes) -> credit.CreditForm:
    values = {"credit_types": ["ama_pra_1", "nursing", "pharmacy", "participation"], "max_credits": "1.5",
              "step": "0.25", "min_share_percent": "75", "provider_name": "Mountain West CME", **changes}
    return credit.CreditForm(**values)


def timed(engine, action: Callable[[], object], runs: int, *, memory: bool = False) -> tuple[list, int, int]:
    """(wall, this process's CPU) milliseconds of each run, the statements of the last one and, with
    `memory`, the peak memory
    Python allocated in one more run (traced apart: tracing slows everything down many times)."""
    times, statements = [], []
    peak = 0
    if memory:
        tracemalloc.start()
        action()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    for _ in range(runs):
        statements.clear()

        def count(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        start, cpu = time.perf_counter(), time.process_time()
        action()
        times.append(((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000))
        event.remove(engine, "before_cursor_execute", count)
    return times, len(statements), peak


def report(name: str, result: tuple[list[float], int, int], target: float | None = None) -> None:
    runs, statements, peak = result
    times = [wall for wall, _ in runs]
    cpu = statistics.median(cpu for _, cpu in runs)
    verdict = "" if target is None else ("  ok" if statistics.median(times) < target else f"  OVER {target:g} ms")
    print(f"{name:<40} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms  (cpu {cpu:7.1f} ms)  "
          f"{statements:5d} statements" + (f"  peak {peak / 1e6:6.2f} MB" if peak else "") + verdict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sessions", type=int, default=162)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = normalise_url(args.database_url or f"sqlite:///{folder}/credit.db")
        fresh_database(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as db:
            program, cme = load(db, args.sessions, args.learners)
        print(f"{engine.dialect.name}: {args.sessions} sessions x {args.learners} learners "
              f"({args.sessions * args.learners} attendance records)")

        def save(**changes) -> Callable[[], None]:
            def run() -> None:
                with Session(engine, expire_on_commit=False) as db:
                    credit.save_settings(db, db.get(Program, program.id), settings_form(**changes),
                                         actor=db.get(User, cme.id))
                    db.commit()
            return run

        report("save settings, first time", timed(engine, save(), 1), 1000)
        report("save settings again, unchanged", timed(engine, save(), args.runs), 1000)
        shares = iter(["80", "75"] * args.runs)
        report("save settings, threshold changed", timed(engine, lambda: save(min_share_percent=next(shares))(),
                                                         args.runs), 1000)
        for label, start, end in (("one year", date(2024, 1, 1), date(2024, 12, 31)), ("all years", None, None)):
            for scope in ("program", "all programs"):
                def export(start=start, end=end, scope=scope) -> None:
                    with Session(engine) as db:
                        chosen = db.get(Program, program.id) if scope == "program" else None
                        for _chunk in credit_reports.credit_csv_stream(db, chosen, start, end):
                            pass
                report(f"credit CSV, {label}, {scope}", timed(engine, export, args.runs, memory=True), 300)
        engine.dispose()
    print("load average: " + " ".join(f"{v:.1f}" for v in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
