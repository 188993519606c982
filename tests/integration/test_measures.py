"""Improvement measures (#11): definitions by coordinators, reports and corrections by sites (with
the audit trail), validation that changes nothing, per-site and pooled series with gaps, run-chart
signals, anonymised sites, the CSV's formula guard and a constant number of queries."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.errors import InvalidInput
from app.models import AuditEvent, ImprovementMeasure, MeasureReport, Program, SpokeSite, User
from app.permissions import Actor
from app.services import measures
from tests.conftest import csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user
from tests.querycount import count_queries

DEFINITION = {"name": "A1c checked", "numerator_definition": "Patients with diabetes with an A1c in the last 6 months.",
              "denominator_definition": "Patients with diabetes seen in the period.", "period": "monthly",
              "goal": "up", "target": "80%"}


@dataclass
class World:
    program: Program
    sites: list[SpokeSite]
    people: dict[str, User] = field(default_factory=dict)


def build(db: Session, *, sites: int = 2) -> World:
    program = make_program(db, name="Diabetes Collaborative")
    made = [make_site(db, program, f"Clinic {n:02d}") for n in range(sites)]
    people = {"coordinator": make_user(db, email="coord@measures.example.org"),
              "ana": make_user(db, email="ana@measures.example.org"),
              "ben": make_user(db, email="ben@measures.example.org"),
              "specialist": make_user(db, email="spec@measures.example.org"),
              "admin": make_user(db, email="admin@measures.example.org", is_admin=True)}
    add_member(db, program, people["coordinator"], "coordinator")
    add_member(db, program, people["ana"], "clinician", made[0])
    add_member(db, program, people["ben"], "clinician", made[1])
    add_member(db, program, people["specialist"], "specialist")
    return World(program, made, people)


def actor(db: Session, world: World, who: str) -> Actor:
    from app.deps import load_actor

    return load_actor(world.people[who], db)


def define(db: Session, world: World, **changes) -> ImprovementMeasure:
    measure = measures.define(db, world.program, {**DEFINITION, **changes}, actor=actor(db, world, "coordinator"))
    db.commit()
    return measure


def report(db: Session, world: World, measure, who: str, site: int, start: str, numerator, denominator,
           comment: str = "") -> tuple[MeasureReport, bool]:
    values = {"site_id": str(world.sites[site].id), "period_start": start, "numerator": str(numerator),
              "denominator": str(denominator), "comment": comment}
    result = measures.report(db, measure, world.program, values, actor=actor(db, world, who))
    db.commit()
    return result


def signed_in(client, world: World, who: str):
    client.cookies.clear()
    assert sign_in(client, world.people[who].email, PASSWORD).status_code == 303
    return client


def count(db: Session, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


# --- definitions ----------------------------------------------------------------------------


def test_coordinator_defines_a_measure_from_the_page(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    response = client.post(f"/programs/{world.program.id}/measures", data={**DEFINITION, "csrf_token": csrf_of(client)})
    measure = db.exec(select(ImprovementMeasure)).one()
    assert (response.status_code, response.headers["location"]) == (
        303, f"/programs/{world.program.id}/measures/{measure.id}")
    assert (measure.name, measure.period, measure.goal, measure.target, measure.archived) == (
        "A1c checked", "monthly", "up", 0.8, False)
    page = client.get(f"/programs/{world.program.id}/measures").text
    assert "A1c checked" in page and 'name="numerator_definition"' in page


def test_clinician_may_not_define_a_measure(client, db):
    world = build(db)
    signed_in(client, world, "ana")
    response = client.post(f"/programs/{world.program.id}/measures", data={**DEFINITION, "csrf_token": csrf_of(client)})
    assert response.status_code == 403
    assert count(db, ImprovementMeasure) == 0
    assert 'name="numerator_definition"' not in client.get(f"/programs/{world.program.id}/measures").text


def test_definition_errors_name_each_field_and_save_nothing(db):
    world = build(db)
    with pytest.raises(InvalidInput) as refused:
        measures.define(db, world.program, {**DEFINITION, "name": " ", "period": "weekly", "target": "120%"},
                        actor=actor(db, world, "coordinator"))
    db.rollback()
    assert sorted(refused.value.fields) == ["name", "period", "target"]
    assert count(db, ImprovementMeasure) == 0


def test_archived_measure_takes_no_reports(db):
    world = build(db)
    measure = define(db, world)
    measures.set_archived(db, measure, True, actor=actor(db, world, "coordinator"))
    db.commit()
    with pytest.raises(Exception) as refused:
        report(db, world, measure, "ana", 0, "2026-01-01", 3, 4)
    db.rollback()
    assert (refused.value.status_code, count(db, MeasureReport)) == (409, 0)


# --- reports and corrections ----------------------------------------------------------------


def test_report_then_correction_records_old_and_new_counts(db):
    world = build(db)
    measure = define(db, world)
    first, created = report(db, world, measure, "ana", 0, "2026-01-01", 3, 4)
    again, created_again = report(db, world, measure, "ana", 0, "2026-01-01", 5, 8, comment="Late chart review.")
    rows = db.exec(select(MeasureReport)).all()
    assert (created, created_again, again.id == first.id) == (True, False, True)
    assert [(r.numerator, r.denominator, r.comment) for r in rows] == [(5, 8, "Late chart review.")]
    events = db.exec(select(AuditEvent).where(AuditEvent.object_type == "measure_report").order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["measure_report.reported", "measure_report.corrected"]
    assert events[1].details == {"measure_id": measure.id, "spoke_site_id": world.sites[0].id,
                                 "period_start": "2026-01-01", "old": {"numerator": 3, "denominator": 4},
                                 "new": {"numerator": 5, "denominator": 8}, "comment_changed": True}
    assert events[1].actor_id == world.people["ana"].id


def test_clinician_reports_only_for_their_own_site_coordinator_for_any(db):
    world = build(db)
    measure = define(db, world)
    with pytest.raises(InvalidInput) as refused:
        report(db, world, measure, "ana", 1, "2026-01-01", 3, 4)
    db.rollback()
    assert list(refused.value.fields) == ["site_id"]
    with pytest.raises(InvalidInput):
        report(db, world, measure, "specialist", 0, "2026-01-01", 3, 4)  # a membership without a site
    db.rollback()
    report(db, world, measure, "coordinator", 1, "2026-01-01", 3, 4)
    assert [r.spoke_site_id for r in db.exec(select(MeasureReport)).all()] == [world.sites[1].id]


@pytest.mark.parametrize("changes, field_name", [
    ({"numerator": "5", "denominator": "4"}, "numerator"),
    ({"denominator": "0"}, "denominator"),
    ({"numerator": "-1"}, "numerator"),
    ({"numerator": "2.5"}, "numerator"),
    ({"numerator": "\u00b2"}, "numerator"),  # a digit int() cannot read
    ({"period_start": "2026-01-15"}, "period_start"),
    ({"period_start": "2099-01-01"}, "period_start"),
    ({"period_start": "January"}, "period_start"),
    ({"comment": "Seen by Dr. Jonathan Whitfield, MRN 4471923, on 3/14/2026."}, "comment"),
])
def test_refused_report_is_422_with_the_field_and_changes_nothing(client, db, changes, field_name):
    world = build(db)
    measure = define(db, world)
    report(db, world, measure, "ana", 0, "2026-01-01", 3, 4, comment="First.")
    signed_in(client, world, "ana")
    data = {"site_id": str(world.sites[0].id), "period_start": "2026-01-01", "numerator": "1", "denominator": "4",
            "comment": "", **changes, "csrf_token": csrf_of(client)}
    response = client.post(f"/programs/{world.program.id}/measures/{measure.id}/reports", data=data)
    db.expire_all()
    assert response.status_code == 422
    assert f'id="e-{field_name}"' in response.text
    assert [(r.period_start, r.numerator, r.denominator, r.comment) for r in db.exec(select(MeasureReport)).all()] == [
        (date(2026, 1, 1), 3, 4, "First.")]
    assert count(db, AuditEvent) == db.exec(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(["measure.defined", "measure_report.reported"]))).one()
    if field_name == "comment":
        assert "Whitfield" not in response.text and "4471923" not in response.text


def test_quarterly_measure_takes_only_the_first_day_of_a_quarter(db):
    world = build(db)
    measure = define(db, world, period="quarterly")
    with pytest.raises(InvalidInput) as refused:
        report(db, world, measure, "ana", 0, "2026-02-01", 3, 4)
    db.rollback()
    report(db, world, measure, "ana", 0, "2026-04-01", 3, 4)
    assert list(refused.value.fields) == ["period_start"]
    assert [r.period_start for r in db.exec(select(MeasureReport)).all()] == [date(2026, 4, 1)]


# --- series ---------------------------------------------------------------------------------


def test_series_per_site_and_pooled_with_gaps(client, db):
    world = build(db)
    measure = define(db, world)
    report(db, world, measure, "ana", 0, "2026-01-01", 3, 4)
    report(db, world, measure, "ben", 1, "2026-01-01", 1, 4)
    report(db, world, measure, "ben", 1, "2026-02-01", 2, 5)
    report(db, world, measure, "ana", 0, "2026-04-01", 4, 4)
    signed_in(client, world, "ana")
    body = client.get(f"/api/v1/programs/{world.program.id}/measures/{measure.id}").json()
    assert body["measure"]["name"] == "A1c checked" and body["measure"]["target"] == 0.8
    by_site = {s["site"]: [(p["period_start"], p["numerator"], p["denominator"], p["value"]) for p in s["points"]]
               for s in body["sites"]}
    assert by_site == {
        "Clinic 00": [("2026-01-01", 3, 4, 0.75), ("2026-02-01", None, None, None), ("2026-03-01", None, None, None),
                      ("2026-04-01", 4, 4, 1.0)],
        "Clinic 01": [("2026-01-01", 1, 4, 0.25), ("2026-02-01", 2, 5, 0.4), ("2026-03-01", None, None, None),
                      ("2026-04-01", None, None, None)]}
    pooled = body["pooled"]
    assert [(p["numerator"], p["denominator"], p["value"]) for p in pooled["points"]] == [
        (4, 8, 0.5), (2, 5, 0.4), (None, None, None), (4, 4, 1.0)]
    assert pooled["median"] == 0.5 and pooled["signals"] == []
    assert [s["median"] for s in body["sites"]] == [0.875, 0.325]


def test_series_reads_run_chart_signals(db):
    world = build(db)
    measure = define(db, world)
    for month, numerator in enumerate([1, 2, 3, 4, 5, 6], start=1):
        report(db, world, measure, "ana", 0, f"2025-{month:02d}-01", numerator, 10)
    item = measures.series(db, world.program, measure, actor=actor(db, world, "ana"))
    assert [s.as_dict() for s in item.sites[0].chart.signals] == [{"rule": "trend", "points": [0, 1, 2, 3, 4, 5]}]
    assert [s.as_dict() for s in item.pooled.chart.signals] == [{"rule": "trend", "points": [0, 1, 2, 3, 4, 5]}]


def test_page_says_whether_a_trend_goes_the_better_way(client, db):
    world = build(db)
    measure = define(db, world, goal="down")
    for month, numerator in enumerate([1, 2, 3, 4, 5, 6], start=1):
        report(db, world, measure, "ana", 0, f"2025-{month:02d}-01", numerator, 10)
    html = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/measures/{measure.id}").text
    assert html.count("Trend: 6 periods rising (the worse way).") == 2  # pooled and the site


def test_page_draws_pooled_and_site_charts_with_tables_and_the_report_form(client, db):
    world = build(db)
    measure = define(db, world)
    report(db, world, measure, "ana", 0, "2026-01-01", 3, 4)
    report(db, world, measure, "ben", 1, "2026-03-01", 1, 4)
    html = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/measures/{measure.id}").text
    assert html.count('<svg class="run-chart"') == 3  # pooled, and one per site
    assert "All sites (pooled)" in html and "Clinic 00 (your site)" in html and "Clinic 01" in html
    assert html.count("<caption>") == 3
    assert f'<input type="hidden" name="site_id" value="{world.sites[0].id}">' in html
    assert 'name="numerator"' in html and "Edit definition" not in html
    assert "A1c checked: All sites (pooled): run chart of 3 periods" in html
    assert "2026-02: not reported (no point)" in html and "cancelled (no point)" not in html


# --- anonymised sites -----------------------------------------------------------------------


def test_anonymised_sites_for_members_but_not_for_coordinators(client, db):
    world = build(db, sites=3)
    measure = define(db, world)
    report(db, world, measure, "ana", 0, "2026-01-01", 3, 4)
    report(db, world, measure, "ben", 1, "2026-01-01", 1, 2)
    report(db, world, measure, "coordinator", 2, "2026-01-01", 9, 10, comment="Clinic 02 new nurse.")
    url = f"/api/v1/programs/{world.program.id}/measures/{measure.id}"
    shared = signed_in(client, world, "ana").get(url).json()
    assert [(s["site"], s["site_id"]) for s in shared["sites"]] == [
        ("Clinic 00", world.sites[0].id), ("Clinic 01", world.sites[1].id), ("Clinic 02", world.sites[2].id)]
    signed_in(client, world, "coordinator")
    assert client.post(f"/programs/{world.program.id}/measures/sharing",
                       data={"anonymise": "on", "csrf_token": csrf_of(client)}).status_code == 303
    hidden = signed_in(client, world, "ana").get(url).json()
    assert [(s["site"], s["site_id"], s["own"]) for s in hidden["sites"]] == [
        ("Clinic 00", world.sites[0].id, True), ("Site A", None, False), ("Site B", None, False)]
    assert [s["points"][0]["denominator"] for s in hidden["sites"]] == [4, 10, 2]  # by how much they report
    page = client.get(f"/programs/{world.program.id}/measures/{measure.id}").text
    csv_text = client.get(f"/programs/{world.program.id}/measures/{measure.id}.csv").text
    for text in (page, csv_text):
        assert "Clinic 01" not in text and "Clinic 02" not in text and "Site B" in text
    coordinator = signed_in(client, world, "coordinator").get(url).json()
    assert [s["site"] for s in coordinator["sites"]] == ["Clinic 00", "Clinic 01", "Clinic 02"]


# --- CSV ------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_defuses_formulas(client, db):
    world = build(db)
    measure = define(db, world, name="=SUM(1+1) referrals")
    report(db, world, measure, "ana", 0, "2026-01-01", 3, 4, comment="+1 after the new workflow")
    response = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/measures/{measure.id}.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["measure", "site", "period_start", "period", "numerator", "denominator", "value", "median",
                       "signals", "comment"]
    assert rows[1] == ["'=SUM(1+1) referrals", "Clinic 00", "2026-01-01", "2026-01", "3", "4", "0.75",
                       "0.75", "", "'+1 after the new workflow"]
    assert rows[-1][1:7] == ["All sites (pooled)", "2026-01-01", "2026-01", "3", "4", "0.75"]


# --- queries --------------------------------------------------------------------------------


def _queries_for(client, db, sites: int) -> int:
    world = build(db, sites=sites)
    measure = define(db, world)
    for n in range(sites):
        for month in range(1, 7):
            if (n + month) % 4:  # some gaps
                report(db, world, measure, "coordinator", n, f"2026-{month:02d}-01", month, 10)
    signed_in(client, world, "coordinator")
    counts = []
    for url in (f"/api/v1/programs/{world.program.id}/measures/{measure.id}",
                f"/programs/{world.program.id}/measures/{measure.id}",
                f"/programs/{world.program.id}/measures/{measure.id}.csv"):
        with count_queries(client.app.state.engine) as counted:
            assert client.get(url).status_code == 200
        counts.append(counted.total)
    return counts


def test_query_count_is_the_same_for_2_and_12_sites(client, db, engine):
    small = _queries_for(client, db, 2)
    from tests.conftest import empty_tables

    empty_tables(engine)
    large = _queries_for(client, db, 12)
    assert small == large


# --- editing and lookups --------------------------------------------------------------------


def test_coordinator_edits_and_archives_but_period_is_fixed_once_reported(client, db):
    world = build(db)
    measure = define(db, world)
    report(db, world, measure, "ana", 0, "2026-01-01", 3, 4)
    signed_in(client, world, "coordinator")
    base = f"/programs/{world.program.id}/measures/{measure.id}"
    renamed = client.post(f"{base}/edit", data={**DEFINITION, "name": "A1c in 6 months", "target": "",
                                                "csrf_token": csrf_of(client)})
    refused = client.post(f"{base}/edit", data={**DEFINITION, "period": "quarterly", "csrf_token": csrf_of(client)})
    archived = client.post(f"{base}/archive", data={"archived": "1", "csrf_token": csrf_of(client)})
    db.expire_all()
    stored = db.get(ImprovementMeasure, measure.id)
    assert (renamed.status_code, refused.status_code, archived.status_code) == (303, 422, 303)
    assert 'id="e-period"' in refused.text and "<details open>" in refused.text
    assert (stored.name, stored.target, stored.period, stored.archived) == ("A1c in 6 months", None, "monthly", True)
    assert 'name="numerator"' not in client.get(base).text  # an archived measure shows no report form


def test_measure_of_another_program_is_not_found(client, db):
    world = build(db)
    measure = define(db, world)
    other = make_program(db, name="Chronic Pain")
    add_member(db, other, world.people["ana"], "clinician")
    signed_in(client, world, "ana")
    assert client.get(f"/api/v1/programs/{other.id}/measures/{measure.id}").status_code == 404
    assert client.get(f"/programs/{other.id}/measures/{measure.id}.csv").status_code == 404


def test_trends_page_links_to_the_measures(client, db):
    world = build(db)
    html = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/trends").text
    assert f'href="/programs/{world.program.id}/measures"' in html


# --- JSON API -------------------------------------------------------------------------------


def test_api_lists_measures_and_takes_reports_and_corrections(client, db):
    world = build(db)
    measure = define(db, world)
    from tests.conftest import api_token

    token = api_token(client, world.people["ana"].email, PASSWORD)
    listed = client.get(f"/api/v1/programs/{world.program.id}/measures", headers=token).json()
    url = f"/api/v1/programs/{world.program.id}/measures/{measure.id}/reports"
    first = client.post(url, json={"period_start": "2026-01-01", "numerator": 3, "denominator": 4}, headers=token)
    again = client.post(url, json={"period_start": "2026-01-01", "numerator": 4, "denominator": 4}, headers=token)
    refused = client.post(url, json={"period_start": "2026-01-01", "numerator": 5, "denominator": 4}, headers=token)
    assert [m["name"] for m in listed] == ["A1c checked"]
    assert (first.status_code, again.status_code, refused.status_code) == (201, 200, 422)
    assert (again.json()["site_id"], again.json()["numerator"], again.json()["created"]) == (
        world.sites[0].id, 4, False)
    assert refused.json()["fields"] == {"numerator": "Cannot be more than the denominator."}
    db.expire_all()
    assert [(r.numerator, r.denominator) for r in db.exec(select(MeasureReport)).all()] == [(4, 4)]
