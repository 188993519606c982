"""The schedule through the JSON API and the pages: series, moves, cancellations, the rest of a series."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import EchoSession
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C", timezone="America/Denver", video_url="https://zoom.us/j/1")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    clinician = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, clinician, "clinician")
    return program, coordinator, clinician


def sessions_of(db, program):
    db.expire_all()
    return db.exec(select(EchoSession).where(EchoSession.program_id == program.id).order_by(EchoSession.starts_at)).all()


def snapshot(db, program):
    return [(s.starts_at, s.ends_at, s.status, s.sequence, s.video_url) for s in sessions_of(db, program)]


SERIES = {"kind": "weekly", "interval": 2, "weekday": 1, "first_date": "2030-02-26", "start_time": "12:00",
          "duration_minutes": 60, "count": 4}


def test_biweekly_series_keeps_noon_across_dst(client, db, hub):
    program, coordinator, _ = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    response = client.post(f"/api/v1/programs/{program.id}/series", json=SERIES, headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert body["description"] == "Every 2 weeks on Tuesday at 12:00 PM America/Denver, 4 sessions"
    # DST starts 2030-03-10 in the US: noon MST is 19:00 UTC, noon MDT is 18:00 UTC.
    assert [(s["starts_at"], s["local_start"]) for s in body["sessions"]] == [
        ("2030-02-26T19:00:00Z", "2030-02-26T12:00:00-07:00"),
        ("2030-03-12T18:00:00Z", "2030-03-12T12:00:00-06:00"),
        ("2030-03-26T18:00:00Z", "2030-03-26T12:00:00-06:00"),
        ("2030-04-09T18:00:00Z", "2030-04-09T12:00:00-06:00"),
    ]
    listed = client.get(f"/api/v1/programs/{program.id}/sessions", headers=headers).json()
    assert [s["ends_at"] for s in listed] == ["2030-02-26T20:00:00Z", "2030-03-12T19:00:00Z",
                                             "2030-03-26T19:00:00Z", "2030-04-09T19:00:00Z"]


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"weekday": 3}, "first_date", "2030-02-28"),
    ({"count": None, "until": "2033-03-01"}, "until", "at most 3 years"),
    ({"interval": 4}, "interval", "1 to 3"),
    ({"duration_minutes": 5}, "duration_minutes", "15"),
])
def test_bad_series_is_refused_per_field_and_changes_nothing(client, db, hub, change, field, message):
    program, coordinator, _ = hub
    response = client.post(f"/api/v1/programs/{program.id}/series", json={**SERIES, **change},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 422
    assert message in response.json()["fields"][field]
    assert sessions_of(db, program) == []


def test_non_coordinator_cannot_schedule(client, db, hub):
    program, _, clinician = hub
    response = client.post(f"/api/v1/programs/{program.id}/series", json=SERIES,
                           headers=api_token(client, clinician.email, PASSWORD))
    assert response.status_code == 403
    assert sessions_of(db, program) == []


def test_move_cancel_restore_raise_sequence(client, db, hub):
    program, coordinator, _ = hub
    make_series(db, program, coordinator)
    first, second, *_ = sessions_of(db, program)
    headers = api_token(client, coordinator.email, PASSWORD)
    moved = client.patch(f"/api/v1/sessions/{first.id}", headers=headers, json={
        "local_date": "2030-01-03", "start_time": "13:30", "duration_minutes": 90, "video_url": "https://zoom.us/j/2"})
    assert moved.status_code == 200
    assert (moved.json()["starts_at"], moved.json()["ends_at"], moved.json()["sequence"], moved.json()["moved"]) == (
        "2030-01-03T20:30:00Z", "2030-01-03T22:00:00Z", 1, True)
    cancelled = client.post(f"/api/v1/sessions/{second.id}/cancel", headers=headers, json={"reason": "Holiday"})
    assert (cancelled.json()["status"], cancelled.json()["sequence"]) == ("cancelled", 1)
    again = client.patch(f"/api/v1/sessions/{second.id}", headers=headers, json={
        "local_date": "2030-01-10", "start_time": "12:00", "duration_minutes": 60})
    assert again.status_code == 409
    assert again.json() == {"detail": "This session is cancelled. Restore it before changing it."}
    restored = client.post(f"/api/v1/sessions/{second.id}/restore", headers=headers)
    assert (restored.json()["status"], restored.json()["sequence"]) == ("scheduled", 2)


def test_cancel_needs_a_reason(client, db, hub):
    program, coordinator, _ = hub
    make_series(db, program, coordinator)
    first = sessions_of(db, program)[0]
    response = client.post(f"/api/v1/sessions/{first.id}/cancel", json={"reason": "  "},
                           headers=api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, response.json()["fields"]) == (
        422, {"reason": "Say why the session is cancelled; members see it."})
    assert sessions_of(db, program)[0].status == "scheduled"


def test_past_session_cannot_change(client, db, hub):
    program, coordinator, _ = hub
    past = EchoSession(program_id=program.id, starts_at=datetime(2020, 1, 1, 19, tzinfo=UTC),
                       ends_at=datetime(2020, 1, 1, 20, tzinfo=UTC))
    db.add(past)
    db.commit()
    before = snapshot(db, program)
    headers = api_token(client, coordinator.email, PASSWORD)
    response = client.post(f"/api/v1/sessions/{past.id}/cancel", json={"reason": "Oops"}, headers=headers)
    assert response.status_code == 409
    assert "past sessions cannot be changed" in response.json()["detail"]
    assert snapshot(db, program) == before


def test_moving_into_the_past_is_refused(client, db, hub):
    program, coordinator, _ = hub
    make_series(db, program, coordinator)
    first = sessions_of(db, program)[0]
    before = snapshot(db, program)
    response = client.patch(f"/api/v1/sessions/{first.id}", json={
        "local_date": "2021-01-01", "start_time": "12:00", "duration_minutes": 60},
        headers=api_token(client, coordinator.email, PASSWORD))
    assert (response.status_code, response.json()["fields"]) == (422, {"local_date": "Move the session to a time in the future."})
    assert snapshot(db, program) == before


def test_change_rest_of_series_leaves_earlier_and_cancelled_alone(client, db, hub):
    program, coordinator, _ = hub
    make_series(db, program, coordinator, count=5)
    sessions = sessions_of(db, program)
    headers = api_token(client, coordinator.email, PASSWORD)
    client.post(f"/api/v1/sessions/{sessions[3].id}/cancel", json={"reason": "Conference"}, headers=headers)
    response = client.post(f"/api/v1/sessions/{sessions[2].id}/series-change", headers=headers,
                           json={"start_time": "07:30", "duration_minutes": 45})
    assert response.json() == {"changed": 2}
    after = sessions_of(db, program)
    assert [s.starts_at.astimezone(UTC).strftime("%m-%d %H:%M") for s in after] == [
        "01-02 19:00", "01-09 19:00", "01-16 14:30", "01-23 19:00", "01-30 14:30"]
    assert [s.sequence for s in after] == [0, 0, 1, 1, 1]
    assert after[4].ends_at - after[4].starts_at == timedelta(minutes=45)


def test_single_session_and_agenda(client, db, hub):
    program, coordinator, _ = hub
    headers = api_token(client, coordinator.email, PASSWORD)
    created = client.post(f"/api/v1/programs/{program.id}/sessions", headers=headers, json={
        "local_date": "2030-06-05", "start_time": "12:00", "duration_minutes": 60, "didactic_topic": "DAAs"})
    assert (created.status_code, created.json()["series_id"], created.json()["didactic_topic"]) == (201, None, "DAAs")
    agenda = client.put(f"/api/v1/sessions/{created.json()['id']}/agenda", headers=headers, json={
        "didactic_topic": "Drug interactions", "didactic_presenter": "Daniel Kowalski, PharmD", "case_slots": 3})
    assert (agenda.json()["didactic_presenter"], agenda.json()["case_slots"]) == ("Daniel Kowalski, PharmD", 3)


def test_private_program_schedule_hidden_from_other_programs(client, db, hub):
    program, coordinator, _ = hub
    make_series(db, program, coordinator)
    other = make_program(db, name="Pediatric Asthma", visibility="private")
    nurse = make_user(db, email="carla@example.org")
    add_member(db, other, nurse, "clinician")
    headers = api_token(client, nurse.email, PASSWORD)
    session_id = sessions_of(db, program)[0].id
    assert client.get(f"/api/v1/programs/{program.id}/sessions", headers=headers).status_code == 403
    assert client.get(f"/api/v1/sessions/{session_id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/sessions/{session_id}/invite.ics", headers=headers).status_code == 403
    assert client.get(f"/api/v1/programs/{program.id}/calendar.ics", headers=headers).status_code == 403
    assert [p["id"] for p in client.get("/api/v1/programs", headers=headers).json()] == [other.id]


def test_series_form_page_reports_errors_and_creates(client, db, hub):
    program, coordinator, _ = hub
    sign_in(client, coordinator.email, PASSWORD)
    form = {"kind": "weekly", "interval": "1", "weekday": "2", "first_date": "2030-01-01", "start_time": "12:00",
            "duration_minutes": "60", "ends": "count", "count": "3", "until": "", "csrf_token": csrf_of(client)}
    refused = client.post(f"/programs/{program.id}/schedule/series", data=form)
    assert refused.status_code == 422 and "2030-01-02" in refused.text
    assert sessions_of(db, program) == []
    created = client.post(f"/programs/{program.id}/schedule/series", data={**form, "first_date": "2030-01-02"})
    assert created.status_code == 303
    assert [s.starts_at.date() for s in sessions_of(db, program)] == [date(2030, 1, 2), date(2030, 1, 9), date(2030, 1, 16)]


def test_session_page_shows_both_zones_and_hides_link_from_non_members(client, db, hub):
    program, coordinator, clinician = hub
    make_series(db, program, coordinator)
    session = sessions_of(db, program)[0]
    clinician.timezone = "America/New_York"
    db.add(clinician)
    db.commit()
    sign_in(client, clinician.email, PASSWORD)
    page = client.get(f"/sessions/{session.id}").text
    assert "12:00 PM–1:00 PM MST (America/Denver)" in page
    assert "Wed 2 Jan, 2:00 PM EST" in page
    assert "https://zoom.us/j/1" in page
    assert "Manage this session" not in page


def test_session_page_move_form_round_trip(client, db, hub):
    program, coordinator, _ = hub
    make_series(db, program, coordinator)
    session = sessions_of(db, program)[0]
    sign_in(client, coordinator.email, PASSWORD)
    bad = client.post(f"/sessions/{session.id}/move", data={
        "local_date": "someday", "start_time": "12:00", "duration_minutes": "60", "csrf_token": csrf_of(client)})
    assert bad.status_code == 422 and "Give a date as YYYY-MM-DD." in bad.text
    good = client.post(f"/sessions/{session.id}/move", data={
        "local_date": "2030-01-04", "start_time": "12:00", "duration_minutes": "60", "video_url": "",
        "csrf_token": csrf_of(client)})
    assert good.status_code == 303
    assert sessions_of(db, program)[0].starts_at == datetime(2030, 1, 4, 19, tzinfo=UTC)
