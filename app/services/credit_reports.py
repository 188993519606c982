"""What accreditation reporting needs: the learner's reporting identifiers (given with consent,
seen only by the learner and the CME office) and the CSV of credit per learner."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.db import utcnow
from app.errors import InvalidInput
from app.models import Certificate, CreditAward, EchoSession, Program, User
from app.services import audit
from app.services.certificates import local_date
from app.services.credit import unit_label

DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


@dataclass
class ReportingForm:
    npi: str = ""
    board_id: str = ""
    nabp_eprofile_id: str = ""
    birth_month: str = ""
    birth_day: str = ""
    consent: bool = False

    @classmethod
    def of(cls, user: User) -> ReportingForm:
        return cls(user.npi, user.board_id, user.nabp_eprofile_id, str(user.birth_month or ""),
                   str(user.birth_day or ""), user.reporting_consent_at is not None)


def _npi_ok(npi: str) -> bool:
    """Ten digits with a valid Luhn check digit over the prefix 80840 (CMS NPI rule)."""
    if not re.fullmatch(r"\d{10}", npi):
        return False
    digits = [int(d) for d in "80840" + npi]
    doubled = [d * 2 - 9 if d * 2 > 9 else d * 2 for d in digits[-2::-2]]  # every second digit from the right
    total = sum(digits[-1::-2]) + sum(doubled)
    return total % 10 == 0


def _birth(form: ReportingForm, errors: dict[str, str]) -> tuple[int | None, int | None]:
    if not form.birth_month and not form.birth_day:
        return None, None
    try:
        month, day = int(form.birth_month), int(form.birth_day)
    except ValueError:
        errors["birth_month"] = "Give both the month and the day of your birth, or neither."
        return None, None
    if month not in DAYS_IN_MONTH or not 1 <= day <= DAYS_IN_MONTH[month]:
        errors["birth_day"] = "That day does not exist in that month."
    return month, day


def update_reporting(db: Session, user: User, form: ReportingForm, *, actor: User) -> None:
    values = {"npi": form.npi.strip(), "board_id": form.board_id.strip(),
              "nabp_eprofile_id": form.nabp_eprofile_id.strip()}
    errors: dict[str, str] = {}
    if values["npi"] and not _npi_ok(values["npi"]):
        errors["npi"] = "An NPI is 10 digits with a valid check digit."
    if len(values["board_id"]) > 40:
        errors["board_id"] = "Use at most 40 characters."
    if values["nabp_eprofile_id"] and not re.fullmatch(r"\d{6,9}", values["nabp_eprofile_id"]):
        errors["nabp_eprofile_id"] = "An NABP e-Profile ID is 6 to 9 digits."
    month, day = _birth(form, errors)
    given = any(values.values()) or month is not None
    if given and not form.consent:
        errors["consent"] = "Tick the consent box to let the CME office report your credit, or clear the fields."
    if errors:
        raise InvalidInput(fields=errors)
    for name, value in values.items():
        setattr(user, name, value)
    user.birth_month, user.birth_day = month, day
    user.reporting_consent_at = (user.reporting_consent_at or utcnow()) if given else None
    db.add(user)
    audit.record(db, actor=actor, action="user.reporting_updated", obj=user, consent=given)
    db.flush()


CSV_HEADER = ["session_date", "program", "session_topic", "learner_name", "email", "degree", "profession",
              "credit_type", "credits", "attended_minutes", "faculty", "certificate_code", "certificate_status",
              "npi", "board_id", "nabp_eprofile_id", "birth_mmdd"]


def credit_csv(db: Session, program: Program, start: date | None = None, end: date | None = None) -> str:
    """Credit per learner per session; identifiers only where the learner consented."""
    rows = db.exec(select(CreditAward, EchoSession, User)
                   .join(EchoSession, EchoSession.id == CreditAward.session_id)
                   .join(User, User.id == CreditAward.user_id)
                   .where(EchoSession.program_id == program.id)
                   .order_by(EchoSession.starts_at, User.full_name)).all()
    certificates = {(c.session_id, c.user_id): c for c in db.exec(
        select(Certificate).join(EchoSession, EchoSession.id == Certificate.session_id)
        .where(EchoSession.program_id == program.id).order_by(Certificate.issued_at)).all()
        if not c.revoked}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for award, session, user in rows:
        day = local_date(session.starts_at, program)
        if (start and day < start) or (end and day > end):
            continue
        certificate = certificates.get((session.id, user.id))
        writer.writerow([_cell(v) for v in [day.isoformat(), program.name, session.didactic_topic, user.full_name, user.email,
                         user.degree, user.profession, unit_label(award.credit_type), f"{award.credits:.2f}",
                         award.attended_seconds // 60, "yes" if award.is_faculty else "no",
                         certificate.code if certificate else "", "valid" if certificate else "",
                         *_identifiers(user)]])
    return out.getvalue()


def _identifiers(user: User) -> list[str]:
    if user.reporting_consent_at is None:
        return ["", "", "", ""]
    birth = f"{user.birth_month:02d}{user.birth_day:02d}" if user.birth_month and user.birth_day else ""
    return [user.npi, user.board_id, user.nabp_eprofile_id, birth]


def _cell(value: object) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula.
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text
