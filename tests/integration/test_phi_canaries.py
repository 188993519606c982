"""Text carrying identifiers is refused, and no trace of it is left: not in the database file or
tables, not in the logs, not in the audit trail or the outbox."""

import logging
from pathlib import Path

from sqlalchemy import text
from sqlmodel import SQLModel

from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

CANARIES = ["Zebulon Quackenbush", "07/04/1957", "MRN 99887766", "zq.canary@example.net", "555-867-5309",
            "123-45-6789", "1 Canary Row"]
CANARY_TEXT = ("Pt Zebulon Quackenbush, DOB 07/04/1957, MRN 99887766, email zq.canary@example.net, "
               "cell 555-867-5309, SSN 123-45-6789, lives at 1 Canary Row.")


def all_rows_text(engine) -> str:
    chunks = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(text(f'SELECT * FROM "{table.name}"')):
                chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


def database_files(url: str) -> list[Path]:
    if not url.startswith("sqlite"):
        return []
    path = Path(url.split("///", 1)[1])
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]


def test_canaries_leave_no_trace(client, db, app, database_url, caplog):
    caplog.set_level(logging.DEBUG)
    program = make_program(db, name="Hepatitis C")
    presenter = make_user(db, email="jenna@example.org")
    add_member(db, program, presenter, "clinician")
    headers = api_token(client, presenter.email, PASSWORD)
    case = {"program_id": program.id, "question": "What next?", "age_bracket": "40–64", "sex_gender": "Female",
            "attested": True}

    for field in ("question", "presenting_problem", "social_history"):
        refused = client.post("/api/v1/cases", json={**case, field: CANARY_TEXT, "submit": True}, headers=headers)
        assert refused.status_code == 422
        assert not any(canary in refused.json()["detail"] for canary in CANARIES)
    saved = client.post("/api/v1/cases", json=case, headers=headers).json()
    update = client.put(f"/api/v1/cases/{saved['id']}", json={**case, "medications": CANARY_TEXT}, headers=headers)
    assert update.status_code == 422
    sign_in(client, presenter.email, PASSWORD)
    page = client.post(f"/cases/new?program_id={program.id}",
                       data={"csrf_token": csrf_of(client), "labs_imaging": CANARY_TEXT, "action": "save"})
    assert page.status_code == 422

    app.state.engine.dispose()  # flush SQLite's WAL into the file before reading it
    stored = all_rows_text(app.state.engine)
    raw_files = b"".join(path.read_bytes() for path in database_files(database_url))
    for canary in CANARIES:
        assert canary not in stored, canary
        assert canary.encode() not in raw_files, canary
        assert canary not in caplog.text, canary
    assert "What next?" in stored  # the clean save did land
