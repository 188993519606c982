"""The demo hub's attendance, evaluations and certificates for its past sessions.

Each past session gets a Zoom participants report generated the way Zoom writes it (meeting
block, rejoins as separate rows, a phone that rejoins without e-mail, one guest nobody can
match), imported through the real importer. Reports are generated from the session's id, so
a second `telementor demo` produces the same files and the importer changes nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.db import utcnow
from app.enums import ProgramRole, SessionStatus
from app.models import EchoSession, Membership, Program, User
from app.services import attendance, certificates, credit, evaluations

PROVIDER = ("Mountain West Center for Continuing Health Education", "https://cme.example.org · 1 University Way, Denver, CO")
GUEST = "Visiting Resident"


def _zoom_time(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%m/%d/%Y %I:%M:%S %p")


def zoom_report(session: EchoSession, program: Program, people: list[User]) -> bytes:
    """A Zoom participants export for the session: most stay, some leave early, some rejoin."""
    zone, rng = ZoneInfo(program.timezone), random.Random(f"demo-attendance-{session.id}")
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    rows: list[tuple[str, str, int, int]] = []
    for person in people:
        join, leave = rng.randint(-5, 6), minutes - rng.choice([0, 0, 0, 2, 25])
        if rng.random() < 0.3:  # a dropped connection: back from a phone, without e-mail
            drop = rng.randint(15, minutes // 2)
            rows += [(person.full_name, person.email, join, drop), (f"iPhone ({person.full_name})", "", drop + 2, leave)]
        else:
            rows.append((person.full_name, person.email, join, leave))
    rows.append((GUEST, "", 3, minutes - 10))
    start = session.starts_at
    lines = ["Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
             f"9{session.id:010d},{program.name.replace(',', ' ')},{_zoom_time(start, zone)},"
             f"{_zoom_time(session.ends_at, zone)},host@example.org,{minutes},{len(rows)}",
             "", "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    for name, email, join, leave in rows:
        joined, left = start + timedelta(minutes=join), start + timedelta(minutes=leave)
        lines.append(f"{name},{email},{_zoom_time(joined, zone)},{_zoom_time(left, zone)},{leave - join},"
                     f"{'No' if email else 'Yes'}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _configure(db: Session, program: Program, cme: User) -> None:
    if credit.settings_of(db, program) is None:
        form = credit.CreditForm(credit_types=["ama_pra_1", "nursing", "pharmacy", "participation"],
                                 max_credits=str(program.default_duration_minutes // 15 * 0.25),
                                 provider_name=PROVIDER[0], provider_address=PROVIDER[1])
        credit.save_settings(db, program, form, actor=cme)


def build_attendance(db: Session, program: Program, *, coordinator: User, cme: User) -> int:
    """Attendance, evaluations and certificates for the program's past sessions; returns how many."""
    _configure(db, program, cme)
    rows = db.exec(select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                   .where(Membership.program_id == program.id).order_by(User.id)).all()
    learners = [user for user, role in rows if role == ProgramRole.clinician]
    attendees = learners + [user for user, role in rows if role == ProgramRole.specialist]
    past = db.exec(select(EchoSession).where(EchoSession.program_id == program.id, EchoSession.ends_at <= utcnow(),
                                             EchoSession.status == SessionStatus.scheduled,
                                             EchoSession.series_id.is_not(None))).all()  # history: app.demo.trends
    for session in past:
        report = zoom_report(session, program, attendees)
        attendance.import_report(db, session, program, report, filename=f"participants_{session.id}.csv",
                                 actor=coordinator)
        for learner in learners[: max(1, len(learners) - 1)]:  # one learner never evaluates
            if evaluations.evaluation_of(db, session, learner) is None:
                answers = {q["key"]: "5" for q in evaluations.questions_for(db, program)}
                evaluations.submit(db, session, program, answers, actor=learner)
        certificates.issue_all(db, session, program, actor=cme)
    return len(past)
