"""What accreditation reporting needs: the learner's reporting identifiers (given with consent,
seen only by the learner and the CME office) and the CSV of credit per learner."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, or_, text, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.db import utcnow
from app.errors import InvalidInput
from app.exports.accreditation import DAYS_IN_MONTH, npi_ok
from app.exports.spreadsheet import BOM, guard
from app.models import Certificate, CreditAward, EchoSession, Program, User
from app.services import audit
from app.exports.pdf_data import CREDIT_UNIT_LABELS
from app.services.credit import unit_label



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
    if values["npi"] and not npi_ok(values["npi"]):
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
CHUNK_ROWS = 500
FETCH_ROWS = 2000  # rows a round trip to the database brings (a server-side cursor on PostgreSQL)
LEARNER_CACHE = 50_000
_UNIT_LABELS = {kind: guard(label) for kind, label in CREDIT_UNIT_LABELS.items()}


def check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput(fields={"to": "The end date comes before the start date."})


def credit_csv_stream(db: Session, program: Program | None, start: date | None, end: date | None, *,
                      chunk_rows: int = CHUNK_ROWS) -> Iterator[str]:
    """Credit per learner per session (one program, or all when `program` is None), the sessions
    chosen in SQL by their local date in their program's time zone; rows are read from a
    server-side cursor and written as they come, `chunk_rows` at a time, so memory stays flat."""
    check_period(start, end)
    yield BOM + _line(CSV_HEADER)
    zones = [program.timezone] if program else list(db.exec(select(Program.timezone).distinct()).all())
    when = _local_dates(zones, start, end)
    statement = _rows(program, when)
    # Each session's local date, in one query before the rows (a session's start is read and
    # converted once, not once for each of its learners).
    days, zone_of = {}, {}
    sessions = select(EchoSession.id, EchoSession.starts_at, Program.timezone).join(
        Program, Program.id == EchoSession.program_id).where(when)
    if program:
        sessions = sessions.where(EchoSession.program_id == program.id)
    for session_id, starts_at, timezone in db.execute(sessions):
        zone = zone_of.get(timezone) or zone_of.setdefault(timezone, ZoneInfo(timezone))
        days[session_id] = starts_at.astimezone(zone).date().isoformat()
    # The latest revoked certificate of each (session, learner) of the period, in one query before
    # the rows: revoked certificates are few, and a lookup per row cost a subquery per row (14 s of
    # the 934,000-row export across all programs).
    revoked = select(Certificate.session_id, Certificate.user_id, Certificate.code).join(
        EchoSession, EchoSession.id == Certificate.session_id).join(
        Program, Program.id == EchoSession.program_id).where(when, Certificate.revoked_at.is_not(None)).order_by(
        Certificate.revoked_at)
    if program:
        revoked = revoked.where(EchoSession.program_id == program.id)
    revoked_codes = {(row.session_id, row.user_id): row.code for row in db.execute(revoked)}
    buffer, count = io.StringIO(), 0
    writer = csv.writer(buffer, lineterminator="\r\n")
    if db.get_bind().dialect.name == "postgresql":
        # One long, simple stream: compiling it (JIT) only delays the first row by half a second.
        db.execute(text("SET LOCAL jit = off"))
    # Rows come session by session, and the same learners recur in every session: the cells of a
    # session and of a learner are made once (guarded, formatted) and reused, which is most of the
    # work per row. The learners' cells are kept for at most LEARNER_CACHE learners at a time.
    session_key, session_cells, learner_cells = None, [], {}
    # Core, not the ORM: plain rows, with no ORM loading step per row.
    rows = db.connection().execution_options(yield_per=FETCH_ROWS).execute(statement)
    for row in rows:
        if row.session_id != session_key:
            session_key = row.session_id
            session_cells = [days[row.session_id], _cell(row.program), _cell(row.didactic_topic)]
        learner = learner_cells.get(row.user_id)
        if learner is None:
            if len(learner_cells) >= LEARNER_CACHE:
                learner_cells.clear()
            learner = learner_cells[row.user_id] = (
                [_cell(row.full_name), _cell(row.email), _cell(row.degree), _cell(row.profession)],
                [_cell(value) for value in _identifiers(row)])
        writer.writerow([*session_cells, *learner[0], *_award_cells(row, revoked_codes), *learner[1]])
        count += 1
        if count % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _local_dates(zones: list[str], start: date | None, end: date | None):
    """Sessions whose local date lies in [start, end]: one UTC window per time zone in use."""
    if not start and not end:
        return true()
    windows = []
    for name in zones:
        zone, window = ZoneInfo(name), [Program.timezone == name]
        if start:
            window.append(EchoSession.starts_at >= datetime.combine(start, time(), zone).astimezone(UTC))
        if end:
            after_end = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
            window.append(EchoSession.starts_at < after_end)
        windows.append(and_(*window))
    return or_(*windows) if windows else false()


def _rows(program: Program | None, when):
    valid = aliased(Certificate)
    statement = (
        select(EchoSession.id.label("session_id"), CreditAward.user_id,
               Program.name.label("program"), EchoSession.didactic_topic, User.full_name, User.email, User.degree, User.profession, CreditAward.credit_type, CreditAward.credits,
               CreditAward.attended_seconds, CreditAward.is_faculty, valid.code.label("valid_code"),
               User.reporting_consent_at.is_not(None).label("consented"), User.npi, User.board_id,
               User.nabp_eprofile_id, User.birth_month, User.birth_day)
        .select_from(CreditAward)
        .join(EchoSession, EchoSession.id == CreditAward.session_id)
        .join(Program, Program.id == EchoSession.program_id)
        .join(User, User.id == CreditAward.user_id)
        .outerjoin(valid, and_(valid.session_id == CreditAward.session_id, valid.user_id == CreditAward.user_id,
                               valid.revoked_at.is_(None)))
        .where(when)
        .order_by(EchoSession.starts_at, Program.name, EchoSession.id, User.full_name, User.id))
    return statement.where(EchoSession.program_id == program.id) if program else statement


def _award_cells(row, revoked_codes: dict) -> tuple:
    """The cells the service writes itself (labels, numbers, codes): none can start a formula."""
    if row.valid_code:
        code, status = row.valid_code, "valid"
    else:
        revoked = revoked_codes.get((row.session_id, row.user_id))
        code, status = revoked or "", "revoked" if revoked else ""
    return (_UNIT_LABELS.get(row.credit_type) or _cell(unit_label(row.credit_type)), f"{row.credits:.2f}",
            row.attended_seconds // 60, "yes" if row.is_faculty else "no", code, status)


def _line(values: list) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return out.getvalue()


def _identifiers(user) -> list[str]:
    if not user.consented:
        return ["", "", "", ""]
    birth = f"{user.birth_month:02d}{user.birth_day:02d}" if user.birth_month and user.birth_day else ""
    return [user.npi, user.board_id, user.nabp_eprofile_id, birth]


_cell = guard  # spreadsheet-safe text (OWASP CSV injection)
