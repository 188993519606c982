"""Connections: secrets encrypted and never shown or logged, the "test connection" checks against
fake Zoom and Graph servers, each program's choice, and who may do what."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from app.integrations import crypto
from app.integrations.checks import run_checks
from app.models import AuditEvent, IntegrationConnection, IntegrationJob, ProgramMeetingHost
from app.services import integrations
from tests.conftest import csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.integrations_fakes import (  # noqa: F401  (fixtures)
    GRAPH_SECRET, ZOOM_SECRET, choose, connect, graph, zoom,
)


@pytest.fixture
def people(db):
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    other = make_user(db, email="other@example.org", full_name="Otto Other")
    program = make_program(db)
    elsewhere = make_program(db, name="Chronic Pain")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, elsewhere, other, "coordinator")
    return admin, coordinator, other, program


def test_client_secret_is_stored_encrypted_and_opens_only_with_the_service_key(db, settings, people):
    admin, *_ = people
    connection = connect(db, settings, admin)
    assert ZOOM_SECRET not in connection.secret_encrypted
    assert connection.secret_encrypted.startswith("v1:")
    assert integrations.client_secret(settings, connection) == ZOOM_SECRET
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt("another-service-secret-key-of-enough-length", connection.secret_encrypted,
                       platform="zoom", account_id=connection.account_id, client_id=connection.client_id)
    with pytest.raises(crypto.SecretUnreadable):  # bound to its row: copied onto another client id, it fails
        crypto.decrypt(settings.secret_key, connection.secret_encrypted, platform="zoom",
                       account_id=connection.account_id, client_id="someone-else")


def test_admin_connects_zoom_from_the_page_and_never_sees_the_secret_again(client, db, settings, people, zoom, caplog):
    caplog.set_level(logging.DEBUG)
    admin, *_ = people
    sign_in(client, admin.email, PASSWORD)
    response = client.post("/admin/integrations", data={
        "platform": "zoom", "label": "Hub Zoom", "account_id": "zoomacct456", "client_id": "zoomclient123",
        "client_secret": ZOOM_SECRET, "csrf_token": csrf_of(client)})
    assert response.status_code == 303
    connection = db.exec(select(IntegrationConnection)).one()
    tested = client.post(f"/admin/integrations/{connection.id}/test", data={"csrf_token": csrf_of(client)})
    page = client.get("/admin/integrations")
    assert tested.status_code == 303 and page.status_code == 200
    assert "OK: sign in with the app&#39;s credentials" in page.text and "zoomclient123" in page.text
    events = db.exec(select(AuditEvent).where(AuditEvent.action.like("integration.%"))).all()
    assert [e.action for e in events] == ["integration.connected"]
    # the canary: nowhere in pages, logs, the audit trail or the stored row
    assert ZOOM_SECRET not in page.text + response.text + tested.text
    assert ZOOM_SECRET not in caplog.text
    assert all(ZOOM_SECRET not in str(e.details) for e in events)
    db.refresh(connection)
    assert ZOOM_SECRET not in connection.secret_encrypted + connection.last_check


def test_bad_connection_form_is_refused_and_stores_nothing(client, db, people):
    admin, *_ = people
    sign_in(client, admin.email, PASSWORD)
    response = client.post("/admin/integrations", data={
        "platform": "zoom", "label": "Hub Zoom", "account_id": "has spaces in it", "client_id": "abc",
        "client_secret": "", "csrf_token": csrf_of(client)})
    assert response.status_code == 422
    assert "Paste the client secret." in response.text and "Paste the value exactly" in response.text
    assert db.exec(select(IntegrationConnection)).all() == []


def test_zoom_test_names_the_scope_that_is_missing(db, settings, people, zoom):
    admin, coordinator, _, program = people
    zoom.granted = "meeting:write:admin"
    connection = connect(db, settings, admin)
    choose(db, program, connection, coordinator, "nobody@example.org")
    checks = run_checks(db, settings, connection)
    db.commit()
    assert [(c.what, c.ok) for c in checks] == [
        ("sign in with the app's credentials", True), ("create meetings", True), ("change meetings", True),
        ("delete meetings", True), ("read participants reports", False),
        ("list the instances of a restarted meeting", False), ("see the meetings of host nobody@example.org", False)]
    assert "report:read:admin" in checks[4].detail
    assert checks[6].detail == "Zoom (404, 1001): User does not exist: nobody@example.org."


def test_zoom_test_with_a_wrong_secret_says_what_zoom_said(db, settings, people, zoom):
    admin, *_ = people
    connection = connect(db, settings, admin)
    zoom.client_secret = "rotated-at-zoom"
    checks = run_checks(db, settings, connection)
    db.commit()
    assert [(c.ok, c.detail) for c in checks] == [
        (False, "Zoom (400, invalid_client): Invalid client_id or client_secret")]
    assert connection.last_check == ("MISSING: sign in with the app's credentials: "
                                     "Zoom (400, invalid_client): Invalid client_id or client_secret")


def test_teams_test_names_the_permission_and_the_access_policy_that_are_missing(db, settings, people, graph):
    admin, coordinator, _, program = people
    graph.roles = ("OnlineMeetings.ReadWrite.All",)
    graph.users.add("new.organizer@contoso.org")
    connection = connect(db, settings, admin, "teams")
    choose(db, program, connection, coordinator, "new.organizer@contoso.org")
    checks = run_checks(db, settings, connection)
    db.commit()
    assert [(c.what, c.ok) for c in checks] == [
        ("sign in with the app registration's credentials", True),
        ("create, change and delete online meetings", True), ("read attendance reports", False),
        ("make meetings for organizer new.organizer@contoso.org", False)]
    assert "OnlineMeetingArtifact.Read.All" in checks[2].detail
    assert "No application access policy found for this app." in checks[3].detail
    assert "Grant-CsApplicationAccessPolicy" in checks[3].detail
    assert GRAPH_SECRET not in connection.last_check


def test_teams_test_with_a_wrong_secret_gives_the_first_line_of_entra_s_answer(db, settings, people, graph):
    admin, *_ = people
    connection = connect(db, settings, admin, "teams")
    graph.client_secret = "rotated"
    [check] = run_checks(db, settings, connection)
    assert check.detail.startswith("Microsoft Teams (401, invalid_client): AADSTS7000215: Invalid client secret")
    assert "Trace ID" not in check.detail


def test_coordinator_chooses_connection_and_host_and_upcoming_sessions_are_queued(client, db, settings, people):
    admin, coordinator, _, program = people
    connection = connect(db, settings, admin)
    make_series(db, program, coordinator, count=3)
    sign_in(client, coordinator.email, PASSWORD)
    page = client.get(f"/programs/{program.id}/meetings")
    assert page.status_code == 200 and "Hub zoom (Zoom)" in page.text
    response = client.post(f"/programs/{program.id}/meetings", data={
        "connection_id": str(connection.id), "host_user": "host@example.org", "csrf_token": csrf_of(client)})
    assert response.status_code == 303
    host = db.exec(select(ProgramMeetingHost)).one()
    assert (host.connection_id, host.host_user, host.chosen_by_id) == (connection.id, "host@example.org", coordinator.id)
    assert [j.kind for j in db.exec(select(IntegrationJob)).all()] == ["sync_meeting"] * 3


def test_program_choice_refuses_a_missing_host_and_changes_nothing(client, db, settings, people):
    admin, coordinator, _, program = people
    connection = connect(db, settings, admin)
    sign_in(client, coordinator.email, PASSWORD)
    response = client.post(f"/programs/{program.id}/meetings", data={
        "connection_id": str(connection.id), "host_user": "", "csrf_token": csrf_of(client)})
    assert response.status_code == 422 and "the host&#39;s e-mail address" in response.text
    assert db.exec(select(ProgramMeetingHost)).all() == []


def test_a_connection_in_use_cannot_be_removed(client, db, settings, people):
    admin, coordinator, _, program = people
    connection = connect(db, settings, admin)
    choose(db, program, connection, coordinator, "host@example.org")
    sign_in(client, admin.email, PASSWORD)
    response = client.post(f"/admin/integrations/{connection.id}/delete", data={"csrf_token": csrf_of(client)})
    assert response.status_code == 409 and "Hepatitis C" in response.text
    assert db.exec(select(IntegrationConnection)).all() != []


@pytest.mark.parametrize("who", ["anonymous", "coordinator", "other"])
def test_connections_page_and_actions_are_for_site_administrators_only(client, db, settings, people, who):
    admin, coordinator, other, _ = people
    connection = connect(db, settings, admin)
    if who != "anonymous":
        sign_in(client, {"coordinator": coordinator, "other": other}[who].email, PASSWORD)
    token = csrf_of(client)
    expected = 401 if who == "anonymous" else 403
    assert client.get("/admin/integrations").status_code in ({303, 401} if who == "anonymous" else {403})
    for path in ("test", "secret", "delete"):
        response = client.post(f"/admin/integrations/{connection.id}/{path}", data={"csrf_token": token})
        assert response.status_code in ({303, 401} if who == "anonymous" else {expected}), path
    assert db.exec(select(IntegrationConnection)).one().last_check == ""


@pytest.mark.parametrize("who", ["anonymous", "other", "clinician"])
def test_program_meeting_settings_are_for_the_program_s_coordinators(client, db, settings, people, who):
    admin, coordinator, other, program = people
    connection = connect(db, settings, admin)
    clinician = make_user(db, email="clin@example.org", full_name="Cleo Clinician")
    add_member(db, program, clinician, "clinician")
    if who != "anonymous":
        sign_in(client, {"other": other, "clinician": clinician}[who].email, PASSWORD)
    token = csrf_of(client)
    allowed = {303, 401} if who == "anonymous" else {403}
    assert client.get(f"/programs/{program.id}/meetings").status_code in allowed
    response = client.post(f"/programs/{program.id}/meetings", data={
        "connection_id": str(connection.id), "host_user": "host@example.org", "csrf_token": token})
    assert response.status_code in allowed
    assert db.exec(select(ProgramMeetingHost)).all() == []


def test_unknown_program_or_connection_is_404_before_403(client, db, settings, people):
    _, _, other, _ = people
    sign_in(client, other.email, PASSWORD)
    assert client.get("/programs/999999/meetings").status_code == 404
    assert client.post("/admin/integrations/999999/test", data={"csrf_token": csrf_of(client)}).status_code == 404


def test_connections_page_costs_the_same_queries_for_one_or_six_connections(client, db, settings, people):
    from tests.querycount import count_queries

    admin, *_ = people
    connect(db, settings, admin)
    sign_in(client, admin.email, PASSWORD)
    with count_queries(client.app.state.engine) as one:
        assert client.get("/admin/integrations").status_code == 200
    for _ in range(5):
        connect(db, settings, admin, "teams")
    with count_queries(client.app.state.engine) as six:
        page = client.get("/admin/integrations")
    assert page.text.count("Test connection</button>") == 6
    assert six.total == one.total
