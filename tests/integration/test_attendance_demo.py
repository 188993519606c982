"""The demo hub's attendance: a generated Zoom report per past session (rejoins, one unmatched
guest), evaluations and issued certificates; building it twice changes nothing."""

from sqlalchemy import func
from sqlmodel import select

from app.db import utcnow
from app.models import AttendanceImport, Certificate, EchoSession, Evaluation, ReportPerson, User
from app import demo
from app.demo.attendance import GUEST


def counts(db):
    db.expire_all()
    return tuple(db.exec(select(func.count()).select_from(model)).one()
                 for model in (AttendanceImport, ReportPerson, Evaluation, Certificate))


def test_demo_imports_past_sessions_with_a_guest_and_issues_certificates(db, settings):
    demo.build(db, settings, password="demo-pass-123")
    db.commit()
    # the series' past sessions; the trends history (app.demo.trends, no series) brings its own attendance
    past = db.exec(select(EchoSession).where(EchoSession.ends_at <= utcnow(), EchoSession.status == "scheduled",
                                             EchoSession.series_id.is_not(None))).all()
    imports = db.exec(select(AttendanceImport)).all()
    assert sorted(i.session_id for i in imports) == sorted(s.id for s in past)
    waiting = db.exec(select(ReportPerson).where(ReportPerson.status == "unmatched")).all()
    assert {p.display_name for p in waiting} == {GUEST}
    assert len(waiting) == len(past)
    clinician = db.exec(select(User).where(User.email == "clinician@example.org")).one()
    mine = db.exec(select(Certificate).where(Certificate.user_id == clinician.id)).all()
    assert mine and all(c.revoked_at is None and c.credits > 0 for c in mine)
    before = counts(db)
    demo.build(db, settings, password="demo-pass-123")
    db.commit()
    assert counts(db) == before
