"""The home page's dashboards (#11) at scale: how long "/" takes for one person of each role.

    python benchmarks/dashboards.py [--database-url postgresql://postgres@127.0.0.1:5432/tm_scale]
                                    [--load] [--scale 1.0] [--runs 7]

On a database loaded by benchmarks/scale.py (--load loads one first: its name must contain "scale"
or "bench", and it is dropped and created anew), this adds what the dashboards read and the scale
loader does not make, once (a second run finds it and adds nothing):

- an evaluation for every valid certificate (the learner evaluated before claiming), and for one
  in seven awards without a certificate (evaluated, certificate not issued yet);
- one Zoom report per held session with a row per attendee (1,000,000 rows at scale 1), all
  matched except one in 37 of the last three weeks' sessions and one in 5,000 older ones;
- two improvement measures per program (monthly and quarterly) reported by every site for three
  years, except the last period at one site in four (monthly) or three (quarterly);
- final recommendations for every presented and closed case, which their presenters opened except
  in the last two weeks; cases of the last two weeks' sessions waiting for final recommendations
  (half with a draft);
- invites sent for two in three upcoming sessions; the scale users the 12th spoke site of their
  programs (one that has not reported the last month or quarter).

Then "/" is timed for the scale users (clinician, specialist, coordinator, CME office, admin) as
benchmarks/scale.py times its routes: median and slowest of RUNS after a warm-up, SQL statements
of one request, response size.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402

from app.db import make_engine, normalise_url  # noqa: E402
from app.migrate import upgrade  # noqa: E402

# benchmarks/ is not a package, and its calendar.py must not shadow the standard library's.
_spec = importlib.util.spec_from_file_location("scale", REPO / "benchmarks" / "scale.py")
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)

ROUTES = [scale.Route(f"home as {role}", "/", role)
          for role in ("clinician", "specialist", "coordinator", "cme", "admin")]


def add_dashboard_data(url: str) -> None:
    engine = make_engine(normalise_url(url))
    with engine.begin() as c:
        if c.execute(text("SELECT count(*) FROM improvement_measure")).scalar():
            print("dashboard data: present already", flush=True)
            return
        started = time.perf_counter()
        c.execute(text("SET LOCAL synchronous_commit = off"))
        c.execute(text("SET LOCAL session_replication_role = replica"))
        for label, step in (("evaluations", _evaluations), ("attendance reports", _reports),
                            ("measures", _measures), ("recommendations", _recommendations),
                            ("invites, sites", _invites_and_sites)):
            rows = step(c)
            print(f"  {label:<28}{rows:>10,} rows  {time.perf_counter() - started:6.1f} s", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _evaluations(c: Connection) -> int:
    return scale.insert(c, "evaluation", {
        "session_id": "a.session_id", "user_id": "a.user_id", "answers": "'{\"relevance\": \"5\"}'::json",
        "created_at": "a.computed_at + interval '1 hour'"},
        "FROM credit_award a WHERE EXISTS (SELECT 1 FROM certificate c WHERE c.session_id = a.session_id "
        "AND c.user_id = a.user_id AND c.revoked_at IS NULL) OR a.id % 7 = 0")


def _reports(c: Connection) -> int:
    scale.insert(c, "attendance_import", {
        "session_id": "s.id", "source": "'zoom'", "layout": "'zoom-participants'", "fingerprint": "md5(s.id::text)",
        "filename": "'participants.csv'", "people": "0", "active": "true", "created_at": "s.ends_at"},
        "FROM echo_session s WHERE s.status = 'scheduled' AND s.ends_at < now()")
    recent = "s.ends_at > now() - interval '3 weeks'"
    return scale.insert(c, "report_person", {
        "import_id": "i.id", "display_name": "coalesce(u.full_name, a.guest_name)", "email": "coalesce(u.email, '')",
        "status": f"CASE WHEN ({recent} AND a.id % 37 = 0) THEN 'unmatched' WHEN a.id % 5000 = 0 THEN 'ambiguous' "
                  "WHEN a.user_id IS NULL THEN 'guest' ELSE 'email' END",
        "user_id": f"CASE WHEN ({recent} AND a.id % 37 = 0) OR a.id % 5000 = 0 THEN NULL ELSE a.user_id END",
        "candidate_ids": "'[]'::json", "intervals": "'[]'::json", "reported_seconds": "a.computed_seconds"},
        "FROM attendance_record a JOIN attendance_import i ON i.session_id = a.session_id "
        "JOIN echo_session s ON s.id = a.session_id LEFT JOIN user_account u ON u.id = a.user_id")


def _measures(c: Connection) -> int:
    for name, period in (("A1c checked", "monthly"), ("Depression screened", "quarterly")):
        scale.insert(c, "improvement_measure", {
            "program_id": "p.id", "name": f"'{name}'", "numerator_definition": "'Patients checked'",
            "denominator_definition": "'Patients seen'", "period": f"'{period}'", "goal": "'up'",
            "created_at": "now() - interval '3 years'"}, "FROM program p")
    # The last ended period in UTC (the programs' zones are a few hours behind: the same month
    # except in the first hours of one).
    last = {"monthly": "date_trunc('month', now()) - interval '1 month'",
            "quarterly": "date_trunc('quarter', now()) - interval '3 months'"}
    rows = 0
    for period, step, count, skip in (("monthly", "1 month", 36, 4), ("quarterly", "3 months", 12, 3)):
        rows += scale.insert(c, "measure_report", {
            "measure_id": "m.id", "spoke_site_id": "site.id",
            "period_start": f"({last[period]} - g * interval '{step}')::date",
            "numerator": "8 + (site.id + g) % 7", "denominator": "20", "comment": "''",
            "created_at": "now()", "updated_at": "now()"},
            "FROM improvement_measure m JOIN (SELECT id, program_id, row_number() OVER (PARTITION BY program_id "
            "ORDER BY id) AS k FROM spoke_site) site ON site.program_id = m.program_id "
            f"CROSS JOIN generate_series(0, {count - 1}) g "
            f"WHERE m.period = '{period}' AND NOT (g = 0 AND site.k % {skip} = 0)")
    return rows


def _recommendations(c: Connection) -> int:
    recent = "SELECT s.id FROM echo_session s WHERE s.ends_at < now() AND s.ends_at > now() - interval '2 weeks'"
    c.execute(text("UPDATE case_presentation SET status = 'scheduled' "
                   f"WHERE status = 'presented' AND session_id IN ({recent})"))
    rows = scale.insert(c, "recommendation", {
        "case_id": "k.id", "session_id": "k.session_id", "summary": "'Treat for 12 weeks.'",
        "items": "'[\"Start treatment\", \"Check viral load at 12 weeks\"]'::json", "follow_up": "''",
        "status": "CASE WHEN k.status = 'scheduled' THEN 'draft' ELSE 'final' END", "version": "1",
        "finalised_at": "CASE WHEN k.status = 'scheduled' THEN NULL ELSE s.ends_at + interval '3 days' END",
        "created_at": "s.ends_at", "updated_at": "s.ends_at"},
        "FROM case_presentation k JOIN echo_session s ON s.id = k.session_id "
        "WHERE k.status IN ('presented', 'closed') OR (k.status = 'scheduled' AND k.id % 2 = 0)")
    rows += scale.insert(c, "audit_event", {
        "actor_id": "k.presenter_id", "action": "'case.viewed'", "object_type": "'case_presentation'",
        "object_id": "k.id", "details": "'{}'::json", "created_at": "r.finalised_at + interval '1 day'"},
        "FROM case_presentation k JOIN recommendation r ON r.case_id = k.id "
        "WHERE r.status = 'final' AND r.finalised_at < now() - interval '2 weeks'")
    return rows


def _invites_and_sites(c: Connection) -> int:
    rows = c.execute(text("UPDATE echo_session SET invited_at = now() - interval '1 day' "
                          "WHERE starts_at > now() AND id % 3 <> 0")).rowcount
    rows += c.execute(text(
        "UPDATE membership m SET site_id = (SELECT s.id FROM spoke_site s WHERE s.program_id = m.program_id "
        "ORDER BY s.id OFFSET 11 LIMIT 1) "
        "FROM user_account u WHERE u.id = m.user_id AND u.email LIKE 'scale-%@example.org'")).rowcount
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("TELEMENTOR_BENCH_DATABASE_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/tm_scale"))
    parser.add_argument("--load", action="store_true", help="load the scale data first (drops the database)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full volume, with --load")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql")):
        raise SystemExit("give --database-url postgresql://... (a database loaded by benchmarks/scale.py)")
    if args.load:
        print(f"loading at scale {args.scale} ...", flush=True)
        scale.load(args.database_url, args.scale)
    else:
        upgrade(normalise_url(args.database_url))
    add_dashboard_data(args.database_url)
    scale.measure(args.database_url, args.runs, ROUTES)


if __name__ == "__main__":
    main()
