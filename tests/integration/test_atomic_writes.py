"""Writes that must be atomic: parallel requests (real threads against a live server, each with
its own database session) give the same result as one request, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from app.db import make_engine
from app.migrate import upgrade
from app.models import Certificate, Membership, OutboxMessage, User
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.live_server import at_once, browser_session, server  # noqa: F401 (fixture)
from tests.integration.test_certificates_issue import ANSWERS, hub  # noqa: F401 (fixture)

PARALLEL = 8


def valid_certificates(db, session) -> list[Certificate]:
    db.expire_all()
    return list(db.exec(select(Certificate).where(Certificate.session_id == session.id,
                                                  Certificate.revoked_at.is_(None))).all())


def test_parallel_api_claims_issue_one_certificate(client, db, hub, server):  # noqa: F811
    program, session, coordinator, cme, jenna, nia = hub
    headers = api_token(client, jenna.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/sessions/{session.id}/certificate", headers=headers),
                        base_url=server)
    certificates = valid_certificates(db, session)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert len(certificates) == 1
    assert {r.json()["code"] for r in responses} == {certificates[0].code}


def test_double_click_on_claim_page_issues_one_certificate(client, db, hub, server):  # noqa: F811
    program, session, coordinator, cme, jenna, nia = hub
    headers = api_token(client, jenna.email, PASSWORD)
    assert client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers).status_code == 201
    cookies, token = browser_session(server, jenna.email, PASSWORD)
    responses = at_once(PARALLEL, lambda c: c.post(f"/sessions/{session.id}/certificate", data={"csrf_token": token}),
                        base_url=server, cookies=cookies)
    assert [r.status_code for r in responses] == [303] * PARALLEL
    assert len(valid_certificates(db, session)) == 1


def test_parallel_bulk_issue_gives_each_learner_one_certificate(client, db, hub, server):  # noqa: F811
    program, session, coordinator, cme, jenna, nia = hub
    for learner in (jenna, nia):
        headers = api_token(client, learner.email, PASSWORD)
        evaluated = client.post(f"/api/v1/sessions/{session.id}/evaluation", json=ANSWERS, headers=headers)
        assert evaluated.status_code == 201
    headers = api_token(client, cme.email, PASSWORD)
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/sessions/{session.id}/certificates", headers=headers),
                        base_url=server)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert sorted(c.user_id for c in valid_certificates(db, session)) == sorted([jenna.id, nia.id])
    assert sum(len(r.json()) for r in responses) == 2


def insert_row(connection, table: sa.Table, **values) -> int:
    """A row of the schema as it was at that revision: required columns not given get a plain value."""
    plain = {sa.Integer: 0, sa.Boolean: False, sa.Float: 0.0, sa.Numeric: Decimal("1.00"), sa.Uuid: uuid.uuid4(),
             sa.DateTime: datetime(2026, 3, 4, tzinfo=UTC), sa.Date: date(2026, 3, 4), sa.String: "", sa.Text: "",
             sa.JSON: []}
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key or column.server_default is not None:
            continue
        values[column.name] = next(v for kind, v in plain.items() if isinstance(column.type, kind))
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


def test_atomic_writes_migration_revokes_duplicate_certificates_keeping_the_earliest(empty_database_url):
    upgrade(empty_database_url, "0007_waiver_text")
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        tables = sa.MetaData()
        tables.reflect(connection)
        learner, other = (insert_row(connection, tables.tables["user_account"], email=f"{n}@example.org")
                          for n in ("learner", "other"))
        program = insert_row(connection, tables.tables["program"], slug="hcv", timezone="America/Denver")
        session = insert_row(connection, tables.tables["echo_session"], program_id=program)
        for code, user in (("first", learner), ("second", learner), ("third", learner), ("other", other)):
            insert_row(connection, tables.tables["certificate"], code=code, session_id=session, user_id=user)
    upgrade(empty_database_url)
    with Session(engine) as db:
        rows = db.exec(select(Certificate.code, Certificate.revoked_at.is_(None)).order_by(Certificate.id)).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("first", True), ("second", False), ("third", False), ("other", True)]


def test_parallel_joins_make_one_membership(client, db, server):
    program = make_program(db, name="Chronic Pain", visibility="public")
    clinician = make_user(db, email="marcus@example.org")
    headers = api_token(client, clinician.email, PASSWORD)
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/programs/{program.id}/join", headers=headers),
                        base_url=server)
    # A request that starts after another one committed is refused as from a member (403).
    joined = [r for r in responses if r.status_code == 200]
    assert {r.status_code for r in responses} <= {200, 403} and joined
    assert len({r.json()["membership_id"] for r in joined}) == 1
    db.expire_all()
    assert len(db.exec(select(Membership).where(Membership.program_id == program.id)).all()) == 1


def test_parallel_invites_of_one_new_person_add_one_member_and_send_one_invitation(client, db, server):
    program = make_program(db, name="Chronic Pain")
    coordinator = make_user(db, email="rosa@example.org")
    add_member(db, program, coordinator, "coordinator")
    headers = api_token(client, coordinator.email, PASSWORD)
    body = {"email": "new.clinician@example.org", "full_name": "Ana Reyes", "role": "clinician"}
    responses = at_once(PARALLEL, lambda c: c.post(f"/api/v1/programs/{program.id}/members", json=body,
                                                   headers=headers), base_url=server)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (PARALLEL - 1)
    db.expire_all()
    assert len(db.exec(select(User).where(User.email == body["email"])).all()) == 1
    assert len(db.exec(select(Membership).where(Membership.program_id == program.id)).all()) == 2
    assert len(db.exec(select(OutboxMessage).where(OutboxMessage.kind == "account_invitation")).all()) == 1


def test_parallel_new_cases_get_distinct_numbers(client, db, server):
    program = make_program(db, name="Hepatitis C")
    presenter = make_user(db, email="jenna@example.org")
    add_member(db, program, presenter, "clinician")
    headers = api_token(client, presenter.email, PASSWORD)
    body = {"program_id": program.id, "question": "Treat now, or repeat the viral load first?"}
    responses = at_once(PARALLEL, lambda c: c.post("/api/v1/cases", json=body, headers=headers), base_url=server)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert len({r.json()["number"] for r in responses}) == PARALLEL
