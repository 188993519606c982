"""Saving a program's credit settings recomputes every session's credit in bulk: a few queries
whatever the number of learners or sessions, only changed rows written (#13)."""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import select

from app.models import AttendanceRecord, AuditEvent, CreditAward
from app.services import credit
from tests.factories import add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session
from tests.querycount import count_queries


def form(**changes) -> credit.CreditForm:
    values = {"credit_types": ["ama_pra_1", "nursing", "participation"], "max_credits": "1", "step": "0.25",
              "min_share_percent": "75", "provider_name": "Mountain West CME", **changes}
    return credit.CreditForm(**values)


def program_with(db, *, sessions: int, learners: int, tag: str):
    """A program of `sessions` past sessions, each attended by `learners` clinicians for 50 to 60 minutes."""
    program = make_program(db, name=f"Program {tag}")
    cme = make_user(db, email=f"cme-{tag}@example.org", is_cme_office=True)
    people = [make_user(db, email=f"l{i}-{tag}@example.org", degree=("MD", "RN", "CHW")[i % 3]) for i in range(learners)]
    for person in people:
        add_member(db, program, person, "clinician")
    start = datetime(2026, 1, 7, 12, 0, tzinfo=DENVER)
    for number in range(sessions):
        session = past_session(db, program, start=start + timedelta(days=7 * number))
        db.add_all(AttendanceRecord(session_id=session.id, user_id=p.id, sources="zoom",
                                    computed_seconds=(50 + i % 11) * 60) for i, p in enumerate(people))
    db.commit()
    return program, cme


def saving_cost(db, app, *, sessions: int, learners: int, tag: str) -> tuple[int, int]:
    """Queries of the first save (every award written) and of a second, identical save."""
    program, cme = program_with(db, sessions=sessions, learners=learners, tag=tag)
    counts = []
    for _ in range(2):
        with count_queries(app.state.engine) as counted:
            credit.save_settings(db, program, form(), actor=cme)
            db.commit()
        counts.append(counted.total)
    return counts[0], counts[1]


def test_saving_settings_costs_the_same_queries_for_more_learners_and_sessions(db, app):
    small = saving_cost(db, app, sessions=2, learners=2, tag="small")
    more_learners = saving_cost(db, app, sessions=2, learners=7, tag="wide")
    more_sessions = saving_cost(db, app, sessions=5, learners=2, tag="long")
    assert more_learners == small
    assert more_sessions == small


def test_saving_unchanged_settings_writes_no_award(db, app):
    program, cme = program_with(db, sessions=2, learners=3, tag="same")
    credit.save_settings(db, program, form(), actor=cme)
    db.commit()
    with count_queries(app.state.engine) as counted:
        credit.save_settings(db, program, form(), actor=cme)
        db.commit()
    assert [s for s in counted.statements if "credit_award" in s and not s.lstrip().upper().startswith("SELECT")] == []


def test_bulk_recompute_gives_each_learner_the_credit_of_their_minutes_and_degree(db, app):
    program, cme = program_with(db, sessions=2, learners=3, tag="values")
    credit.save_settings(db, program, form(), actor=cme)
    db.commit()
    rows = db.exec(select(CreditAward)).all()
    # 50, 51, 52 minutes -> 0.75 each (nearest quarter, below 1); MD -> AMA, RN -> nursing, CHW -> participation
    assert sorted((a.credit_type, a.credits, a.attended_seconds // 60) for a in rows) == sorted(
        [("ama_pra_1", Decimal("0.75"), 50), ("nursing", Decimal("0.75"), 51), ("participation", Decimal("0.75"), 52)] * 2)
    credit.save_settings(db, program, form(min_share_percent="85"), actor=cme)  # 51 min: 85 % of 60 min
    db.commit()
    db.expire_all()
    assert sorted(a.credits for a in db.exec(select(CreditAward)).all()) == [Decimal("0.00")] * 2 + [Decimal("0.75")] * 4
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "credit.configured")).all()
    assert [e.details.get("awards_changed") for e in events] == [6, 2]
