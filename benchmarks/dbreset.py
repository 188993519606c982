"""An empty database built by the migrations, for the benchmarks that load their own data."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.db import make_engine
from app.migrate import upgrade


def fresh_database(url: str) -> None:
    """Drop everything in ``url`` (the public schema on PostgreSQL, every table on SQLite), then
    apply the migrations."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            for table in inspect(connection).get_table_names():
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()
    upgrade(url)
