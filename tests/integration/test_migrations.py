"""Every table comes from the migrations, on SQLite and PostgreSQL, and they match the models."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import make_engine, normalise_url
from app.migrate import upgrade

PG_URL = os.environ.get("TELEMENTOR_TEST_DATABASE_URL", "")


def _empty_postgres_url():
    """A brand-new database on the test PostgreSQL server, dropped afterwards."""
    admin_url = normalise_url(PG_URL)
    name = f"telementor_migrations_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    return url, admin, name


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not PG_URL.startswith(("postgres://", "postgresql")):
        pytest.skip("TELEMENTOR_TEST_DATABASE_URL does not point at PostgreSQL")
    url, admin, name = _empty_postgres_url()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_empty_database_upgrades_to_head_matching_models(empty_database):
    upgrade(empty_database)
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert tables == set(SQLModel.metadata.tables)
    assert differences == []


def test_upgrade_twice_is_harmless(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade(url)
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
