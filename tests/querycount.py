"""Count the SQL statements a block of code sends, for N+1 guards.

    with count_queries(client.app.state.engine) as counted:
        client.get("/cases")
    assert counted.total <= 8

Guards compare counts at two data sizes (or assert a constant bound), never times."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine: Engine) -> Iterator[Counted]:
    counted = Counted()

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        counted.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", record)
