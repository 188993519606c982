"""A small program with past sessions, attendance, cases and credit, for the trend tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from app.db import utcnow
from app.models import AttendanceRecord, CasePresentation, CreditAward, EchoSession, Program, User
from tests.factories import add_member, make_program, make_site, make_user


@dataclass
class TrendWorld:
    program: Program
    other: Program
    sessions: list[EchoSession]
    people: dict[str, User] = field(default_factory=dict)


def add_session(db: Session, program: Program, starts_at: datetime, *, status: str = "scheduled") -> EchoSession:
    session = EchoSession(program_id=program.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                          status=status)
    db.add(session)
    db.commit()
    return session


def attend(db: Session, session: EchoSession, user: User | None, seconds: int, *, adjusted: int | None = None,
           guest: str = "") -> AttendanceRecord:
    record = AttendanceRecord(session_id=session.id, user_id=user.id if user else None, guest_name=guest,
                              computed_seconds=seconds, adjusted_seconds=adjusted)
    db.add(record)
    db.commit()
    return record


def add_case(db: Session, program: Program, presenter: User, session: EchoSession, number: str, *,
             status: str = "presented", follow_up: date | None = None) -> CasePresentation:
    case = CasePresentation(program_id=program.id, presenter_id=presenter.id, number=number, status=status,
                            session_id=session.id, follow_up_on=follow_up)
    db.add(case)
    db.commit()
    return case


def award(db: Session, session: EchoSession, user: User, credits: str) -> None:
    db.add(CreditAward(session_id=session.id, user_id=user.id, credit_type="ama_pra_1", credits=Decimal(credits)))
    db.commit()


def build(db: Session) -> TrendWorld:
    """Four sessions started by now (the second cancelled) and one to come.

    s0: Ana (NM site, MD), Ben (NM site, NP), a guest, and Cy with 0 minutes  -> 3 people, 1 site
    s1: cancelled                                                            -> gap
    s2: Ana, Cy (TX site, RN; adjusted to 45 min), Ben adjusted to 0 minutes  -> 2 people, 2 sites
    s3: nobody                                                               -> 0
    """
    program = make_program(db, name="Hepatitis C")
    other = make_program(db, name="Chronic Pain", timezone="America/New_York")
    nm, tx = make_site(db, program, "Valley Clinic", "NM"), make_site(db, program, "Plains Clinic", "TX")
    people = {
        "coordinator": make_user(db, email="coord@trends.example.org", full_name="Rosa Delgado"),
        "specialist": make_user(db, email="spec@trends.example.org", full_name="Sam Hepato"),
        "ana": make_user(db, email="ana@trends.example.org", full_name="Ana Ortiz", profession="Physician"),
        "ben": make_user(db, email="ben@trends.example.org", full_name="Ben Lee", profession="Nurse practitioner"),
        "cy": make_user(db, email="cy@trends.example.org", full_name="Cy Park", profession="Nurse"),
        "outsider": make_user(db, email="out@trends.example.org", full_name="Out Sider"),
        "nomember": make_user(db, email="none@trends.example.org", full_name="No Member"),
        "cme": make_user(db, email="cme@trends.example.org", full_name="Cme Office", is_cme_office=True),
        "admin": make_user(db, email="admin@trends.example.org", full_name="Site Admin", is_admin=True),
    }
    add_member(db, program, people["coordinator"], "coordinator")
    add_member(db, program, people["specialist"], "specialist")
    add_member(db, program, people["ana"], "clinician", nm)
    add_member(db, program, people["ben"], "clinician", nm)
    add_member(db, program, people["cy"], "clinician", tx)
    add_member(db, other, people["outsider"], "clinician")
    now = utcnow()
    starts = [now - timedelta(days=d) for d in (28, 21, 14, 7)]
    sessions = [add_session(db, program, starts[0]), add_session(db, program, starts[1], status="cancelled"),
                add_session(db, program, starts[2]), add_session(db, program, starts[3]),
                add_session(db, program, now + timedelta(days=7))]
    s0, _, s2, _, future = sessions
    attend(db, s0, people["ana"], 3600)
    attend(db, s0, people["ben"], 1800)
    attend(db, s0, None, 600, guest="Dr Guest")
    attend(db, s0, people["cy"], 0)
    attend(db, s2, people["ana"], 3000)
    attend(db, s2, people["cy"], 0, adjusted=2700)
    attend(db, s2, people["ben"], 3600, adjusted=0)
    attend(db, future, people["ana"], 3600)  # cannot happen, and must not show if it did
    add_case(db, program, people["ana"], s0, "HCV-1", follow_up=date(2031, 1, 1))
    add_case(db, program, people["ben"], s0, "HCV-2")
    add_case(db, program, people["ana"], s2, "HCV-3", status="approved")  # not on the agenda
    award(db, s0, people["ana"], "1.00")
    award(db, s0, people["ben"], "0.50")
    award(db, s0, people["cy"], "0.00")
    award(db, s2, people["ana"], "0.75")
    return TrendWorld(program=program, other=other, sessions=sessions, people=people)


def at(days_ago: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days_ago)
