"""GET /api/v1/programs/{id}/trends: values per session from SQL, gaps for cancelled sessions, the
run-chart reading, notes on points, permissions and the number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.models.trends import TrendAnnotation
from tests.conftest import api_token
from tests.factories import PASSWORD
from tests.integration.trends_world import add_session, attend, build
from tests.querycount import count_queries


def headers(client, world, who: str) -> dict:
    return api_token(client, world.people[who].email, PASSWORD)


def notes(db) -> int:
    return db.exec(select(func.count()).select_from(TrendAnnotation)).one()


def values(client, world, metric: str, who: str = "coordinator") -> list:
    response = client.get(f"/api/v1/programs/{world.program.id}/trends", params={"metric": metric},
                          headers=headers(client, world, who))
    assert response.status_code == 200, response.text
    return [p["value"] for p in response.json()["points"]]


def test_attendance_counts_people_with_minutes_and_cancelled_is_null(client, db):
    world = build(db)
    response = client.get(f"/api/v1/programs/{world.program.id}/trends?metric=attendance",
                          headers=headers(client, world, "coordinator"))
    body = response.json()
    assert sorted(body) == ["annotations", "median", "metric", "points", "signals"]
    assert body["metric"] == "attendance"
    assert [p["session_id"] for p in body["points"]] == [s.id for s in world.sessions[:4]]
    assert [p["value"] for p in body["points"]] == [3, None, 2, 0]
    assert body["median"] == 2
    assert (body["signals"], body["annotations"]) == ([], [])
    assert body["points"][0]["starts_at"].endswith("+00:00")


@pytest.mark.parametrize(("metric", "expected"), [
    ("sites", [1, None, 2, 0]),
    ("first_time", [2, None, 1, 0]),  # s0: Ana and Ben (Cy had 0 minutes); s2: Cy
    ("returning", [0, None, 1, 0]),   # s2: Ana
    ("professions", [2, None, 2, 0]),
    ("cases", [2, None, 0, 0]),
    ("follow_ups", [1, None, 0, 0]),
    ("credits", [1.5, None, 0.75, 0]),
])
def test_each_metric_per_session(client, db, metric, expected):
    world = build(db)
    assert values(client, world, metric) == expected


def test_signals_name_point_indexes(client, db):
    world = build(db)
    for count, days in enumerate(range(60, 30, -5), start=1):  # six earlier sessions, one more guest each
        session = add_session(db, world.program, world.sessions[0].starts_at - timedelta(days=days))
        for n in range(count):
            attend(db, session, None, 600, guest=f"Guest {n}")
    body = client.get(f"/api/v1/programs/{world.program.id}/trends?metric=attendance",
                      headers=headers(client, world, "coordinator")).json()
    assert [p["value"] for p in body["points"]] == [1, 2, 3, 4, 5, 6, 3, None, 2, 0]
    assert {"rule": "trend", "points": [0, 1, 2, 3, 4, 5]} in body["signals"]


def test_period_leaves_out_older_sessions(client, db):
    world = build(db)
    old = add_session(db, world.program, world.sessions[0].starts_at - timedelta(days=400))
    attend(db, old, world.people["ana"], 3600)
    url = f"/api/v1/programs/{world.program.id}/trends"
    h = headers(client, world, "coordinator")
    assert [p["session_id"] for p in client.get(url, params={"period": "12"}, headers=h).json()["points"]][0] == \
        world.sessions[0].id
    assert client.get(url, params={"period": "all"}, headers=h).json()["points"][0]["session_id"] == old.id


def test_unknown_metric_and_period_are_refused(client, db):
    world = build(db)
    h = headers(client, world, "coordinator")
    url = f"/api/v1/programs/{world.program.id}/trends"
    bad_metric = client.get(url, params={"metric": "weather"}, headers=h)
    assert bad_metric.status_code == 422 and "attendance" in bad_metric.json()["detail"]
    assert client.get(url, params={"period": "7"}, headers=h).status_code == 422


@pytest.mark.parametrize(("who", "status"), [
    ("coordinator", 200), ("specialist", 200), ("ana", 200), ("admin", 200),
    ("outsider", 403), ("nomember", 403), ("cme", 403),
])
def test_who_sees_trends(client, db, who, status):
    world = build(db)
    response = client.get(f"/api/v1/programs/{world.program.id}/trends", headers=headers(client, world, who))
    assert response.status_code == status


def test_anonymous_and_missing_program(client, db):
    world = build(db)
    assert client.get(f"/api/v1/programs/{world.program.id}/trends").status_code == 401
    response = client.get("/api/v1/programs/999999/trends", headers=headers(client, world, "outsider"))
    assert response.status_code == 404


def test_coordinator_annotates_a_point_and_members_see_it_without_the_name(client, db):
    world = build(db)
    url = f"/api/v1/programs/{world.program.id}"
    created = client.post(f"{url}/trends/annotations", json={"session_id": world.sessions[2].id,
                                                           "text": "Moved the session to 7 am."},
                          headers=headers(client, world, "coordinator"))
    assert created.status_code == 201, created.text
    hub = client.get(f"{url}/trends?metric=sites", headers=headers(client, world, "specialist")).json()
    member = client.get(f"{url}/trends?metric=sites", headers=headers(client, world, "ana")).json()
    assert [(a["index"], a["text"], a["author"]) for a in hub["annotations"]] == [(2, "Moved the session to 7 am.",
                                                                                   "Rosa Delgado")]
    assert [sorted(a) for a in member["annotations"]] == [["created_at", "id", "index", "session_id", "text"]]


@pytest.mark.parametrize("who", ["specialist", "ana", "outsider", "cme"])
def test_only_coordinators_annotate(client, db, who):
    world = build(db)
    response = client.post(f"/api/v1/programs/{world.program.id}/trends/annotations",
                           json={"session_id": world.sessions[0].id, "text": "Moved to 7 am."},
                           headers=headers(client, world, who))
    assert response.status_code == 403
    assert notes(db) == 0


@pytest.mark.parametrize(("session_index", "text", "status"), [
    (0, "Mr John Smith (MRN 12345678) came back.", 422),  # PHI: refused, nothing stored
    (0, "   ", 422),
    (0, "x" * 301, 422),
    (4, "Moved to 7 am.", 422),  # a session still to come has no point
])
def test_bad_annotations_change_nothing(client, db, session_index, text, status):
    world = build(db)
    response = client.post(f"/api/v1/programs/{world.program.id}/trends/annotations",
                           json={"session_id": world.sessions[session_index].id, "text": text},
                           headers=headers(client, world, "coordinator"))
    assert response.status_code == status
    assert "John Smith" not in response.text and "12345678" not in response.text
    assert notes(db) == 0


def test_annotation_of_another_programs_session_is_404(client, db):
    world = build(db)
    elsewhere = add_session(db, world.other, world.sessions[0].starts_at)
    response = client.post(f"/api/v1/programs/{world.program.id}/trends/annotations",
                           json={"session_id": elsewhere.id, "text": "Moved to 7 am."},
                           headers=headers(client, world, "coordinator"))
    assert response.status_code == 404


def test_coordinator_removes_a_note(client, db):
    world = build(db)
    h = headers(client, world, "coordinator")
    url = f"/api/v1/programs/{world.program.id}/trends/annotations"
    note = client.post(url, json={"session_id": world.sessions[0].id, "text": "New agenda."}, headers=h).json()
    assert client.delete(f"{url}/{note['id']}", headers=headers(client, world, "ana")).status_code == 403
    assert client.delete(f"{url}/{note['id']}", headers=h).status_code == 204
    assert client.delete(f"{url}/{note['id']}", headers=h).status_code == 404


@pytest.mark.parametrize("metric", ["attendance", "sites", "first_time", "professions", "cases", "credits"])
def test_one_query_per_chart_whatever_the_number_of_sessions(client, db, metric):
    world = build(db)
    h = headers(client, world, "coordinator")
    url = f"/api/v1/programs/{world.program.id}/trends?metric={metric}"
    with count_queries(client.app.state.engine) as small:
        client.get(url, headers=h)
    for days in range(35, 200, 7):
        session = add_session(db, world.program, world.sessions[0].starts_at - timedelta(days=days))
        attend(db, session, world.people["ben"], 1200)
    with count_queries(client.app.state.engine) as large:
        body = client.get(url, headers=h).json()
    assert len(body["points"]) == 4 + 24
    assert large.total == small.total
