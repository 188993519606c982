"""A report sent several times at once (a double click, a retrying script) makes one row per site
and period: the first insert wins, the others correct it, nothing answers 500."""

from __future__ import annotations

from sqlmodel import select

from app.models import AuditEvent, MeasureReport
from tests.conftest import api_token
from tests.factories import PASSWORD
from tests.integration.live_server import at_once, server  # noqa: F401 (fixture)
from tests.integration.test_measures import build, define

PARALLEL = 6


def test_parallel_first_reports_make_one_row(client, db, server):  # noqa: F811
    world = build(db)
    measure = define(db, world)
    headers = api_token(client, world.people["ana"].email, PASSWORD)
    url = f"/api/v1/programs/{world.program.id}/measures/{measure.id}/reports"
    body = {"period_start": "2026-01-01", "numerator": 3, "denominator": 4}
    responses = at_once(PARALLEL, lambda c: c.post(url, json=body, headers=headers), base_url=server)
    db.expire_all()
    rows = db.exec(select(MeasureReport)).all()
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.object_type == "measure_report")).all()
    assert sorted(r.status_code for r in responses) == [200] * (PARALLEL - 1) + [201]
    assert [(r.numerator, r.denominator) for r in rows] == [(3, 4)]
    assert sorted(actions) == ["measure_report.corrected"] * (PARALLEL - 1) + ["measure_report.reported"]
