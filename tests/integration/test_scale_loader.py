"""benchmarks/scale.py loads a consistent hub network (PostgreSQL only): a small --scale run keeps up
with the schema as it grows, and its rows hang together the way the app's own writes would."""

import importlib.util
import uuid

import pytest
from sqlalchemy import text

from app.db import make_engine, normalise_url
from tests.conftest import PG_URL, ROOT

pytestmark = pytest.mark.skipif(not PG_URL.startswith(("postgres://", "postgresql")),
                                reason="the scale benchmark loads PostgreSQL only")


@pytest.fixture
def scale_module():
    spec = importlib.util.spec_from_file_location("scale_benchmark", ROOT / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def scale_url():
    url = normalise_url(PG_URL).rsplit("/", 1)[0] + f"/tm_scale_test_{uuid.uuid4().hex[:8]}"
    yield url
    admin = make_engine(normalise_url(PG_URL)).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def test_a_small_scale_load_is_consistent(scale_module, scale_url):
    found = scale_module.load(scale_url, scale=0.02)

    engine = make_engine(scale_url)
    with engine.connect() as c:
        one = lambda sql: c.execute(text(sql)).scalar_one()  # noqa: E731
        members_of_first = one("SELECT count(*) FROM membership WHERE program_id = (SELECT min(id) FROM program) "
                               "AND user_id NOT IN (SELECT id FROM user_account WHERE email LIKE 'scale-%')")
        orphan_certificates = one("SELECT count(*) FROM certificate c LEFT JOIN attendance_record a "
                                  "ON a.session_id = c.session_id AND a.user_id = c.user_id WHERE a.id IS NULL")
        attendance_in_future = one("SELECT count(*) FROM attendance_record a JOIN echo_session s "
                                   "ON s.id = a.session_id WHERE s.ends_at > now() OR s.status = 'cancelled'")
        upcoming = one("SELECT count(*) FROM echo_session WHERE starts_at > now()")
        ids = scale_module.ids(c)
    engine.dispose()

    assert (found["program"], found["user_account"], found["echo_session"]) == (2, 805, 300)
    assert 15_000 <= found["attendance_record"] <= 25_000
    assert 0.6 <= found["certificate"] / found["attendance_record"] <= 0.8
    assert found["audit_event"] == 40_000 and found["outbox_message"] == 10_000
    assert 800 <= found["case_presentation"] <= 1_000
    assert (members_of_first, orphan_certificates, attendance_in_future, upcoming) == (730, 0, 0, 20)
    assert set(ids) >= {"program", "session", "learner", "year_ago", "last_year"}


def test_the_loader_refuses_a_database_name_without_scale_or_bench(scale_module):
    with pytest.raises(SystemExit) as refused:
        scale_module.fresh_database(normalise_url(PG_URL).rsplit("/", 1)[0] + "/telementor")
    assert "would be dropped" in str(refused.value)
