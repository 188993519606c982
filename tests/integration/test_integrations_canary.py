"""Canary: the client secrets go through a whole life (connected, tested, meetings made, reports
fetched, failures logged) and appear in no log line, no page and no database row in clear."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from app.models import EchoSession
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.integrations_fakes import (  # noqa: F401  (fixtures)
    GRAPH_SECRET, ZOOM_SECRET, choose, connect, ended, graph, graph_record, iso, run_jobs, zoom, zoom_participant,
)
from app.integrations.checks import run_checks


def every_text_in_the_database(db) -> str:
    connection = db.connection()
    chunks = []
    for table in inspect(connection).get_table_names():
        for row in connection.execute(text(f'SELECT * FROM "{table}"')).all():
            chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


@pytest.mark.parametrize("platform", ["zoom", "teams"])
def test_the_client_secret_never_appears_in_logs_pages_or_rows(client, db, app, settings, zoom, graph, caplog,
                                                               platform):
    caplog.set_level(logging.DEBUG)
    secret, host = (ZOOM_SECRET, "host@example.org") if platform == "zoom" else (GRAPH_SECRET, "organizer@contoso.org")
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    program = make_program(db)
    add_member(db, program, coordinator, "coordinator")
    connection = connect(db, settings, admin, platform)
    choose(db, program, connection, coordinator, host)
    run_checks(db, settings, connection)
    db.commit()
    make_series(db, program, coordinator, count=1)
    run_jobs(app, settings)
    session = db.exec(select(EchoSession)).one()
    ended(db, session)
    run_jobs(app, settings)  # no report yet: logged as a warning
    (zoom if platform == "zoom" else graph).fail("POST", "token", 401 if platform == "teams" else 400,
                                                 {"error": "invalid_client", "reason": f"bad {secret}"})
    assert not run_checks(db, settings, connection)[0].ok  # an error answer that echoes the secret
    db.commit()
    pages = []
    for who in (admin, coordinator):
        client.cookies.clear()
        sign_in(client, who.email, PASSWORD)
        pages += [client.get(path).text for path in ("/admin/integrations", f"/programs/{program.id}/meetings",
                                                     f"/sessions/{session.id}", f"/sessions/{session.id}/attendance")]
    assert len(pages) == 8 and any(connection.client_id in page for page in pages)
    assert secret not in "\n".join(pages)
    assert secret not in caplog.text
    assert secret not in every_text_in_the_database(db)


def test_an_error_that_echoes_the_secret_is_scrubbed(db, settings, zoom):
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    connection = connect(db, settings, admin)
    zoom.fail("POST", "/oauth/token", 400, {"reason": f"secret {ZOOM_SECRET} is wrong", "error": "invalid_client"})
    [check] = run_checks(db, settings, connection)
    assert check.detail == "Zoom (400, invalid_client): secret [client secret] is wrong"
