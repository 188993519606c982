"""How long every trend chart takes on PostgreSQL with a hub network's three years of data.

    python benchmarks/trends.py --database-url postgresql://postgres@127.0.0.1:5432/tm_bench [--fresh]
                                [--programs 10] [--runs 5]

With --fresh (or on an empty database) the database is loaded by benchmarks/scale.py's load(url,
scale) (issue #13's hub network: it drops and creates the database, whose name must contain
"scale" or "bench"): 60 programs, 20,000 people, 9,000 sessions (150 a program, weekly, 1 in 20
cancelled), about 1,000,000 attendance rows, a credit award for every attending member, 30,000
cases and more. Without --fresh a loaded database is reused.

Then, as a site admin through the app (FastAPI TestClient, the real routes and queries), it times
for PROGRAMS programs: each chart's JSON (GET /api/v1/programs/{id}/trends?metric=...&period=all),
each chart's CSV and the whole trends page (8 charts drawn as SVG), RUNS times each, and prints
p50 and max per item with the number of SQL statements. Target: every chart under 300 ms.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
sys.path.insert(0, str(REPO))
sys.path.append(str(REPO / "benchmarks"))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event, inspect, text  # noqa: E402

import scale  # noqa: E402  (benchmarks/scale.py: the hub network's loader, shared with issue #13)
from app.config import Settings  # noqa: E402
from app.db import make_engine, normalise_url  # noqa: E402
from app import heap  # noqa: E402
from app.main import create_app  # noqa: E402
from app.services.trends import METRICS  # noqa: E402

ADMIN_EMAIL, ADMIN_PASSWORD = scale.ROLES["admin"], scale.PASSWORD


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as c:
        found = {t: c.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                 for t in ("program", "user_account", "echo_session", "attendance_record", "credit_award",
                           "case_presentation")}
    engine.dispose()
    return found


def measure(url: str, programs: int, runs: int) -> None:
    settings = Settings(env="test", database_url=url, secret_key="bench-secret-key-that-is-long-enough-xxxxxx",
                        base_url="http://testserver", mail_dir=Path(tempfile.mkdtemp()) / "mail", smtp_url=None)
    app = create_app(settings)
    heap.settle()  # as `telementor serve` does at start-up (env=test skips it)
    statements = []
    event.listen(app.state.engine, "before_cursor_execute", lambda *a: statements.append(1))
    with TestClient(app, base_url="http://testserver") as client:
        token = client.post("/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        with app.state.engine.connect() as c:
            ids = [row[0] for row in c.execute(text(f"SELECT id FROM program ORDER BY id LIMIT {programs}"))]
        client.get(f"/api/v1/programs/{ids[0]}/trends", headers=headers)  # warm up
        items = [(f"chart {m}", f"/api/v1/programs/{{}}/trends?metric={m}&period=all") for m in METRICS]
        items += [(f"csv {m}", f"/programs/{{}}/trends/{m}.csv?period=all") for m in ("attendance", "first_time")]
        print(f"{'item':<22} {'p50 ms':>8} {'max ms':>8} {'SQL':>5}   ({len(ids)} programs x {runs} runs)")
        for label, pattern in items:
            times, queries = [], 0
            for program_id in ids:
                for _ in range(runs):
                    statements.clear()
                    started = time.perf_counter()
                    response = client.get(pattern.format(program_id), headers=headers)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.text[:300]
                    queries = len(statements)
            print(f"{label:<22} {statistics.median(times):8.1f} {max(times):8.1f} {queries:5d}")
        page_times = []
        client.cookies.clear()
        for program_id in ids:
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(f"/api/v1/programs/{program_id}/trends?metric=attendance", headers=headers)
                page_times.append((time.perf_counter() - started) * 1000)
        # The page needs a browser session: sign in through the form.
        page = client.get("/login")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": csrf, "next": "/"},
                    follow_redirects=False)
        times = []
        for program_id in ids:
            for _ in range(runs):
                statements.clear()
                started = time.perf_counter()
                response = client.get(f"/programs/{program_id}/trends?period=all")
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and response.text.count('<svg class="run-chart"') == 8
        print(f"{'page (8 charts, SVG)':<22} {statistics.median(times):8.1f} {max(times):8.1f} {len(statements):5d}")
    app.state.engine.dispose()
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("TELEMENTOR_BENCH_DATABASE_URL"), required=False)
    parser.add_argument("--fresh", action="store_true", help="drop every table of that database and load it again")
    parser.add_argument("--scale", type=float, default=1.0, help="volume for scale.load (1.0: the full network)")
    parser.add_argument("--programs", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith(("postgres://", "postgresql")):
        raise SystemExit("give --database-url postgresql://... (an empty database made for this benchmark)")
    url = normalise_url(args.database_url)
    engine = make_engine(url)
    with engine.connect() as c:
        loaded = "attendance_record" in inspect(c).get_table_names() and \
            c.execute(text("SELECT count(*) FROM attendance_record")).scalar_one() > 0
    engine.dispose()
    if args.fresh or not loaded:
        scale.load(url, args.scale)
    print(", ".join(f"{table}: {n:,}" for table, n in counts(url).items()))
    measure(url, args.programs, args.runs)


if __name__ == "__main__":
    main()
