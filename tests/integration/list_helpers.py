"""Shared builders for the list tests: many rows made directly (the lists read them, they do not
write them), and the statements one request sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.models import CasePresentation
from tests.querycount import count_queries

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CASE_TEXT = "Long presenting problem text that a list must never load."


def make_cases(db, program, presenter, count: int, *, status: str = "submitted", start: int = 0) -> list[CasePresentation]:
    cases = [CasePresentation(program_id=program.id, presenter_id=presenter.id, number=f"LIST-{start + n + 1}",
                              status=status, presenting_problem=CASE_TEXT, question="Which dose?",
                              submitted_at=None if status == "draft" else T0 + timedelta(hours=start + n),
                              updated_at=T0 + timedelta(minutes=start + n))
             for n in range(count)]
    db.add_all(cases)
    db.commit()
    return cases


def statements_of(client, url: str, **kwargs) -> tuple[list[str], object]:
    with count_queries(client.app.state.engine) as counted:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, response.text[:500]
    return counted.statements, response
