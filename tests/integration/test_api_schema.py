"""Schemathesis against the OpenAPI schema, as a coordinator and as an administrator: bounded
(a few examples per operation) and seeded (derandomised), so a run is repeatable and takes well
under a minute per backend. Whatever it sends, the answer is never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings

schemathesis = pytest.importorskip("schemathesis")

from tests.conftest import api_token  # noqa: E402
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user  # noqa: E402

EXAMPLES_PER_OPERATION = 5


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture
def callers(client, db) -> dict[str, dict[str, str]]:
    """A coordinator of a public program with a schedule, and a site administrator."""
    coordinator = make_user(db, email="rosa@example.org")
    make_user(db, email="admin@example.org", is_admin=True)
    program = make_program(db, visibility="public")
    add_member(db, program, coordinator, "coordinator")
    make_series(db, program, coordinator, count=2)
    return {who: api_token(client, f"{who}@example.org", PASSWORD) for who in ("rosa", "admin")}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_api_never_answers_a_server_error(case, callers):
    for headers in callers.values():
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
