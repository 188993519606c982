"""Importing a report costs a constant number of queries, whatever its size (#13): members, aliases
and existing rows are read in bulk and the people of the report inserted in bulk."""

from datetime import datetime

from sqlmodel import select

from app.models import AttendanceRecord, CreditAward
from app.services import attendance, credit
from tests.factories import add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report
from tests.querycount import count_queries


def import_cost(db, app, *, rows: int, tag: str) -> tuple[int, int]:
    """Queries of importing a Zoom report of `rows` rows (each person with a rejoin), with credit
    offered, so that the import also writes each learner's award; then of a second report that
    changes every learner's minutes (every record and award updated)."""
    program = make_program(db, name=f"Program {tag}")
    coordinator = make_user(db, email=f"coord-{tag}@example.org")
    cme = make_user(db, email=f"cme-{tag}@example.org", is_cme_office=True)
    add_member(db, program, coordinator, "coordinator")
    people = [make_user(db, email=f"l{i}-{tag}@example.org", full_name=f"Learner {tag} {i}") for i in range(rows // 2)]
    db.add_all(_membership(program, person) for person in people)
    db.commit()
    credit.save_settings(db, program, credit.CreditForm(credit_types=["ama_pra_1"], max_credits="1",
                                                        provider_name="Mountain West CME"), actor=cme)
    db.commit()
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    report = zoom_report(session, [row for p in people for row in ((p.full_name, p.email, 0, 20),
                                                                   (p.full_name, p.email, 25, 60))])
    with count_queries(app.state.engine) as counted:
        attendance.import_report(db, session, program, report, filename="big.csv", actor=coordinator)
        db.commit()
    records = db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)).all()
    awards = db.exec(select(CreditAward).where(CreditAward.session_id == session.id)).all()
    assert (len(records), len(awards)) == (rows // 2, rows // 2)
    second = zoom_report(session, [(p.full_name, p.email, 0, 60) for p in people[: rows // 2]])
    with count_queries(app.state.engine) as again:
        attendance.import_report(db, session, program, second, filename="second.csv", actor=coordinator)
        db.commit()
    db.expire_all()
    assert {r.computed_seconds for r in db.exec(select(AttendanceRecord)
                                                .where(AttendanceRecord.session_id == session.id)).all()} == {3600}
    return counted.total, again.total


def _membership(program, person):
    from app.models import Membership

    return Membership(program_id=program.id, user_id=person.id, role="clinician")


def test_importing_300_rows_costs_the_queries_of_30(db, app):
    small = import_cost(db, app, rows=30, tag="small")
    large = import_cost(db, app, rows=300, tag="large")
    assert large == small, (small, large)
