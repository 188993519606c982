"""Text carrying identifiers is refused, and no trace of it is left: not in the database file or
tables, not in the logs, not in the audit trail or the outbox."""

import logging
import subprocess
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


def raw_bytes(paths: list[Path]) -> bytes:
    """The files' bytes, read by a child process. Never open and close a live SQLite file in this
    process: closing any descriptor of a file drops every POSIX lock the process holds on it, so the
    session's pooled connections would lose theirs, and the next process to open the database (the
    `telementor serve` of another test) would checkpoint and remove the WAL under them: "database disk
    image is malformed" for every test after (sqlite.org/howtocorrupt.html, 2.2)."""
    if not paths:
        return b""
    return subprocess.run(["cat", "--", *map(str, paths)], check=True, capture_output=True).stdout


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
    raw_files = raw_bytes(database_files(database_url))
    for canary in CANARIES:
        assert canary not in stored, canary
        assert canary.encode() not in raw_files, canary
        assert canary not in caplog.text, canary
    assert "What next?" in stored  # the clean save did land


# The same canaries disguised as a new user would try: full-width digits, look-alike letters, en
# dashes, non-breaking spaces, an identifier split across two fields, invisible characters.
DISGUISED = {
    "question": "Pt Zebul\u043en Qu\u0430ckenbush, DOB \uff10\uff17/\uff10\uff14/\uff11\uff19\uff15\uff17?",
    "presenting_problem": "SSN 123\u201345\u20136789, cell 555\u00a0867\u00a05309, MRN",
    "past_history": "99887766 per old chart.",
    "social_history": "Lives at 1 Canary Row; e-mail zq.canary\uff20example.net",
    "medications": "Metformin 500\u200b mg, ask Zebulon\u2066 Quackenbush",
}
DISGUISED_CANARIES = ["Zebul\u043en", "Qu\u0430ckenbush", "\uff11\uff19\uff15\uff17", "123\u201345\u20136789",
                      "555\u00a0867", "99887766", "Canary Row", "zq.canary\uff20", "Zebulon"]


def test_disguised_canaries_on_every_path_leave_no_trace(client, db, app, database_url, caplog):
    from tests.factories import make_series

    caplog.set_level(logging.DEBUG)
    program = make_program(db, name="Hepatitis C")
    presenter = make_user(db, email="jenna@example.org")
    coordinator = make_user(db, email="rosa@example.org")
    admin = make_user(db, email="admin@example.org", is_admin=True)
    add_member(db, program, presenter, "clinician")
    add_member(db, program, coordinator, "coordinator")
    make_series(db, program, coordinator, count=1)
    session_id = client.get(f"/api/v1/programs/{program.id}/sessions",
                            headers=api_token(client, coordinator.email, PASSWORD)).json()[0]["id"]
    clinician = api_token(client, presenter.email, PASSWORD)
    hub = api_token(client, coordinator.email, PASSWORD)
    case = {"program_id": program.id, "question": "What next?", "age_bracket": "40–64", "sex_gender": "Female",
            "attested": True}

    statuses = [client.post("/api/v1/cases", json={**case, **DISGUISED}, headers=clinician).status_code]
    for field, text in DISGUISED.items():
        if field == "past_history":
            continue  # a record number without its lead-in: only the joined check sees it
        statuses.append(client.post("/api/v1/cases", json={**case, field: text}, headers=clinician).status_code)
    statuses.append(client.post("/api/v1/redaction/check", json={"fields": DISGUISED}, headers=clinician).status_code)
    statuses.append(client.post("/api/v1/redaction/check", json={"text": DISGUISED["question"] * 600},
                                headers=clinician).status_code)
    statuses.append(client.post(f"/api/v1/sessions/{session_id}/cancel",
                                json={"reason": DISGUISED["presenting_problem"]}, headers=hub).status_code)
    agenda = {"didactic_topic": DISGUISED["question"], "case_slots": 2}
    statuses.append(client.put(f"/api/v1/sessions/{session_id}/agenda", json=agenda, headers=hub).status_code)
    statuses.append(client.post("/api/v1/programs", headers=api_token(client, admin.email, PASSWORD), json={
        "name": "Perinatal", "timezone": "America/Phoenix", "description": DISGUISED["social_history"],
        "video_url": "", "default_duration_minutes": 60, "visibility": "public"}).status_code)
    sign_in(client, presenter.email, PASSWORD)
    statuses.append(client.post(f"/cases/new?program_id={program.id}",
                                data={"csrf_token": csrf_of(client), **DISGUISED, "action": "save"}).status_code)
    # The live check refuses the invisible characters in "medications" as saving does (422).
    assert statuses == [422] * 11

    app.state.engine.dispose()
    stored = all_rows_text(app.state.engine)
    raw_files = raw_bytes(database_files(database_url))
    for canary in DISGUISED_CANARIES:
        assert canary not in stored, canary
        assert canary.encode() not in raw_files, canary
        assert canary not in caplog.text, canary
