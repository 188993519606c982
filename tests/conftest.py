"""Shared fixtures: a real database (SQLite file, or PostgreSQL when TELEMENTOR_TEST_DATABASE_URL
is set) built by the Alembic migrations, emptied before every test that uses it."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401
from app.config import Settings
from app.db import make_engine, normalise_url
from app.main import create_app
from app.migrate import upgrade

# CI runs every property test with a fixed seed, so a run is reproducible; developers' runs explore.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")

TEST_SECRET = "test-secret-key-that-is-long-enough-for-production-rules"


def drop_everything(url: str) -> None:
    """Start from an empty database, whatever an earlier run left behind."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            for table in inspect(connection).get_table_names():
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


@contextmanager
def _worker_database(url: str) -> Iterator[str]:
    """Under pytest-xdist each worker gets its own PostgreSQL database beside the one given
    (``<name>_gw0``, ...), created now and dropped at the end; without xdist, the one given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield url
        return
    server, name = url.rsplit("/", 1)
    own = f"{name}_{worker}"
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{own}"'))
    try:
        yield f"{server}/{own}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    given = os.environ.get("TELEMENTOR_TEST_DATABASE_URL")
    if not given:  # a SQLite file in this worker's own temporary directory
        url = normalise_url(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
        upgrade(url)
        yield url
        return
    with _worker_database(normalise_url(given)) as url:
        drop_everything(url)
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def empty_tables(engine: Engine) -> None:
    """Delete every row, children first. (DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every
    table costs about 300 ms, a DELETE of a few rows about 6 ms, and this runs before every test.)"""
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(text(f'DELETE FROM "{table.name}"'))


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        env="test", database_url=database_url, secret_key=TEST_SECRET, base_url="http://testserver",
        mail_dir=tmp_path / "mail", smtp_url=None,
    )


@pytest.fixture
def app(settings, engine):
    empty_tables(engine)
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def db(app) -> Iterator[Session]:
    with Session(app.state.engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient) -> str:
    """The CSRF token of this client's session (from a page that always carries a form)."""
    response = client.get("/password/forgot")
    return CSRF_RE.search(response.text).group(1)


def sign_in(client: TestClient, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(client), "next": "/"})


def api_token(client: TestClient, email: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TELEMENTOR_TEST_DATABASE_URL", "")


def _new_postgres_database() -> tuple[str, Engine, str]:
    """A brand-new database on the test PostgreSQL server: (its URL, an admin engine, its name)."""
    admin_url = normalise_url(PG_URL)
    name = f"telementor_empty_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin_url.rsplit("/", 1)[0] + f"/{name}", admin, name


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """An empty database of each kind (PostgreSQL only when the tests run against it), dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not PG_URL.startswith(("postgres://", "postgresql")):
        pytest.skip("TELEMENTOR_TEST_DATABASE_URL does not point at PostgreSQL")
    url, admin, name = _new_postgres_database()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def icaljs_reader():
    """Reads .ics bytes with Mozilla's ical.js under Node (installed with `npm ci` if needed)."""
    from tests.calendar_readers import icaljs_read_function

    read = icaljs_read_function()
    if read is None:
        pytest.skip("node is not installed: the ical.js reader (tests/icaljs) needs Node 18+")
    return read
