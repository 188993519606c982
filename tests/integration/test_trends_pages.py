"""The trends page: SVG run charts with a data table each, the period chooser, CSV per chart,
coordinators' notes from the page, permissions and the number of queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import select

from app.models.trends import TrendAnnotation
from tests.conftest import csrf_of, sign_in
from tests.factories import PASSWORD
from tests.integration.trends_world import add_session, attend, build
from tests.querycount import count_queries


def signed_in(client, world, who: str):
    client.cookies.clear()
    assert sign_in(client, world.people[who].email, PASSWORD).status_code == 303
    return client


def notes(db) -> int:
    return db.exec(select(func.count()).select_from(TrendAnnotation)).one()


def test_page_draws_every_chart_with_points_median_and_table(client, db):
    world = build(db)
    page = signed_in(client, world, "coordinator").get(f"/programs/{world.program.id}/trends")
    assert page.status_code == 200
    html = page.text
    assert html.count('<svg class="run-chart"') == 8
    assert html.count("<caption>") == 8 + 3  # a table per chart; retention, cohorts, reach
    chart = html[html.index('id="chart-attendance"'):html.index("</svg>", html.index('id="chart-attendance"'))]
    titles = re.findall(r'<g class="point[^"]*" data-index="\d+"><title>([^<]+)</title>', chart)
    dates = [(world.sessions[i].starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Denver"))
              .strftime("%Y-%m-%d")) for i in range(4)]
    assert titles == [f"{dates[0]}: 3 people", f"{dates[1]}: cancelled (no point)", f"{dates[2]}: 2 people",
                      f"{dates[3]}: 0 people"]
    assert 'class="median"' in chart and "median 2" in chart
    assert chart.count('<path class="series"') == 2  # the cancelled session breaks the line
    assert 'name="text"' in html  # the coordinator's note form
    assert f'/programs/{world.program.id}/trends/attendance.csv?period=12' in html


def test_signals_are_drawn_with_their_shapes_and_said_in_words(client, db):
    world = build(db)
    for count, days in enumerate(range(60, 30, -5), start=1):
        session = add_session(db, world.program, world.sessions[0].starts_at - timedelta(days=days))
        for n in range(count):
            attend(db, session, None, 600, guest=f"Guest {n}")
    html = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/trends").text
    chart = html[html.index('id="chart-attendance"'):html.index("</svg>", html.index('id="chart-attendance"'))]
    assert chart.count('<path class="signal"') == 6  # the six rising sessions are diamonds
    assert "Trend: 6 points in a row going the same way." in html


def test_member_sees_charts_but_no_note_form_nor_author(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    client.post(f"/programs/{world.program.id}/trends/annotations",
                data={"session_id": world.sessions[0].id, "text": "New agenda format.", "csrf_token": csrf_of(client)})
    html = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/trends").text
    assert "New agenda format." in html and "Rosa Delgado" not in html
    assert 'name="text"' not in html and "Remove note" not in html


def test_coordinator_adds_a_note_from_the_page_and_it_shows_on_the_charts(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    response = client.post(f"/programs/{world.program.id}/trends/annotations",
                           data={"session_id": world.sessions[2].id, "text": "Moved to 7 am.", "period": "24",
                                 "csrf_token": csrf_of(client)})
    assert (response.status_code, response.headers["location"]) == (
        303, f"/programs/{world.program.id}/trends?period=24#notes")
    html = client.get(response.headers["location"]).text
    assert html.count('<g class="note-marker">') == 8  # the note is on every chart
    assert "Moved to 7 am." in html and "(Rosa Delgado)" in html
    assert "note 1" in html  # in the point's title


def test_refused_note_says_why_and_stores_nothing(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    response = client.post(f"/programs/{world.program.id}/trends/annotations",
                           data={"session_id": world.sessions[0].id, "text": "Call Mary Jones at 505-555-0142.",
                                 "csrf_token": csrf_of(client)})
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert "505-555-0142" not in response.text and "Mary Jones" not in response.text
    assert notes(db) == 0
    bad_session = client.post(f"/programs/{world.program.id}/trends/annotations",
                              data={"session_id": "x", "text": "Moved.", "csrf_token": csrf_of(client)})
    assert bad_session.status_code == 422 and "Choose a session." in bad_session.text


def test_coordinator_removes_a_note_from_the_page(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    client.post(f"/programs/{world.program.id}/trends/annotations",
                data={"session_id": world.sessions[0].id, "text": "New agenda.", "csrf_token": csrf_of(client)})
    note = db.exec(select(TrendAnnotation)).one()
    response = client.post(f"/programs/{world.program.id}/trends/annotations/{note.id}/remove",
                           data={"csrf_token": csrf_of(client)})
    assert response.status_code == 303 and notes(db) == 0


def test_csv_download_of_one_chart(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    client.post(f"/programs/{world.program.id}/trends/annotations",
                data={"session_id": world.sessions[0].id, "text": "=1+1 starts like a formula",
                      "csrf_token": csrf_of(client)})
    response = client.get(f"/programs/{world.program.id}/trends/credits.csv?period=all")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == f'attachment; filename="{world.program.slug}-credits-all.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["session_id", "date", "starts_at_utc", "status", "credits", "median", "signals", "notes"]
    assert [(r[0], r[3], r[4], r[5], r[7]) for r in rows[1:]] == [
        (str(world.sessions[0].id), "held", "1.5", "0.75", "'=1+1 starts like a formula"),
        (str(world.sessions[1].id), "cancelled", "", "0.75", ""),
        (str(world.sessions[2].id), "held", "0.75", "0.75", ""),
        (str(world.sessions[3].id), "held", "0", "0.75", "")]


def test_unknown_metric_csv_is_refused(client, db):
    world = build(db)
    response = signed_in(client, world, "coordinator").get(f"/programs/{world.program.id}/trends/weather.csv")
    assert response.status_code == 422
    assert "<title>" in response.text  # an HTML error page, not raw JSON


def test_page_permissions(client, db):
    world = build(db)
    url = f"/programs/{world.program.id}/trends"
    anonymous = client.get(url)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    for who in ("outsider", "nomember", "cme"):
        assert signed_in(client, world, who).get(url).status_code == 403, who
        assert client.get(f"{url}/attendance.csv").status_code == 403, who
    for who in ("specialist", "ana"):
        signed_in(client, world, who)
        response = client.post(f"{url}/annotations", data={"session_id": world.sessions[0].id, "text": "Moved.",
                                                            "csrf_token": csrf_of(client)})
        assert response.status_code == 403, who
    assert signed_in(client, world, "admin").get(url).status_code == 200
    assert client.get("/programs/999999/trends").status_code == 404
    assert notes(db) == 0


def test_page_queries_do_not_grow_with_sessions(client, db):
    world = build(db)
    signed_in(client, world, "coordinator")
    url = f"/programs/{world.program.id}/trends?period=all"
    with count_queries(client.app.state.engine) as small:
        client.get(url)
    for days in range(35, 300, 7):
        session = add_session(db, world.program, world.sessions[0].starts_at - timedelta(days=days))
        attend(db, session, world.people["ben"], 1200)
    with count_queries(client.app.state.engine) as large:
        assert client.get(url).status_code == 200
    assert large.total == small.total


def test_reach_by_state_and_county_with_the_rural_share(client, db):
    from app.models import SpokeSite

    world = build(db)
    sites = {s.organisation: s for s in db.exec(select(SpokeSite).where(SpokeSite.program_id == world.program.id))}
    sites["Valley Clinic"].county, sites["Valley Clinic"].rural = "Cibola", True
    sites["Plains Clinic"].county, sites["Plains Clinic"].rural = "Potter", False
    db.commit()
    from app.services import trends

    rows = trends.reach(db, world.program, period="12")
    assert [(r.state, r.county, r.rural, r.people, r.sites) for r in rows] == [
        ("NM", "Cibola", True, 2, 1), ("TX", "Potter", False, 1, 1)]  # Cy's 0 minutes at s0 do not count
    assert trends.rural_share(rows) == 2 / 3
    html = signed_in(client, world, "ana").get(f"/programs/{world.program.id}/trends").text
    assert "Rural share: 67%" in html and "<td>Cibola</td>" in html


def test_retention_reads_who_attended_in_which_month(client, db):
    from zoneinfo import ZoneInfo

    from app.services import trends

    world = build(db)
    zone = ZoneInfo(world.program.timezone)
    month = [(s.starts_at.astimezone(zone).year, s.starts_at.astimezone(zone).month) for s in world.sessions]
    people = world.people
    pairs = trends.attendance_months(db, world.program, now=world.sessions[3].starts_at)
    assert sorted(set(pairs)) == sorted({(people["ana"].id, month[0]), (people["ben"].id, month[0]),
                                    (people["ana"].id, month[2]), (people["cy"].id, month[2])})
    loyalty = trends.loyalty(db, world.program, period="all")
    first_month_people = 2 if month[2] != month[0] else 3  # Cy first came at s2
    assert (loyalty.cohorts[0].month, loyalty.cohorts[0].size) == (month[0], first_month_people)
    html = signed_in(client, world, "coordinator").get(f"/programs/{world.program.id}/trends").text
    assert "Retention by month" in html and "Cohorts: members attending" in html
