"""Accreditor exports of one program over a period: who earned credit, read in one streamed
query per file (rows come from a server-side cursor, so memory and query count stay flat).

A learner "earned credit" in a session when their credit award is above zero and the credit was
not taken back: an award whose only certificates are revoked is left out of the uploads and listed
in the missing/excluded file as "certificate revoked"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, exists, func
from sqlmodel import Session, select

from app.errors import InvalidInput
from app.exports import accreditation as fmt
from app.models import Certificate, CreditAward, EchoSession, Program, User
from app.services import audit

YIELD_PER = 500


def update_learner_fields(db: Session, user: User, form: fmt.LearnerFieldsForm, *, actor: User) -> None:
    values, errors = fmt.clean_learner_fields(form)
    if errors:
        raise InvalidInput(fields=errors)
    for name, value in values.items():
        setattr(user, name, value)
    db.add(user)
    audit.record(db, actor=actor, action="user.learner_fields_updated", obj=user)
    db.flush()


def check_period(start: date | None, end: date | None) -> None:
    if not start or not end:
        raise InvalidInput(fields={"from": "Give the period: from and to (YYYY-MM-DD)."})
    if end < start:
        raise InvalidInput(fields={"to": "The end date comes before the start date."})


def check_activity_id(activity_id: str) -> str:
    activity_id = (activity_id or "").strip()
    if not fmt.ACTIVITY_ID_SHAPE.fullmatch(activity_id):
        raise InvalidInput(fields={"activity_id": "Give the PARS activity ID (up to 50 letters, digits, dots, "
                                                  "dashes or underscores)."})
    return activity_id


def check_uan(uan: str) -> str:
    uan = (uan or "").strip().upper()
    if not fmt.UAN_SHAPE.fullmatch(uan):
        raise InvalidInput(fields={"uan": "Give the ACPE UAN as 0000-0000-YY-000-L01-P (or -T)."})
    return uan


def _window(program: Program, start: date, end: date):
    zone = ZoneInfo(program.timezone)
    return and_(EchoSession.program_id == program.id,
                EchoSession.starts_at >= datetime.combine(start, time(), zone).astimezone(UTC),
                EchoSession.starts_at < datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC))


def _valid_cert():
    return exists().where(Certificate.session_id == CreditAward.session_id, Certificate.user_id == CreditAward.user_id,
                          Certificate.revoked_at.is_(None))


def _revoked_cert():
    return exists().where(Certificate.session_id == CreditAward.session_id, Certificate.user_id == CreditAward.user_id,
                          Certificate.revoked_at.is_not(None))


def _awards(program: Program, start: date, end: date):
    """Every award above zero in the period, with the learner's reporting fields, learner by learner."""
    return (select(CreditAward.credit_type, CreditAward.credits, EchoSession.starts_at, User.id, User.email,
                   User.full_name, User.first_name, User.last_name, User.participant_type, User.reporting_consent_at,
                   User.npi, User.certifying_board, User.board_id, User.birth_month, User.birth_day,
                   User.licence_state, User.licence_number, User.nabp_eprofile_id,
                   _valid_cert().label("has_valid"), _revoked_cert().label("has_revoked"))
            .select_from(CreditAward)
            .join(EchoSession, EchoSession.id == CreditAward.session_id)
            .join(User, User.id == CreditAward.user_id)
            .where(_window(program, start, end), CreditAward.credits > 0)
            .order_by(User.id, EchoSession.starts_at, CreditAward.id))


def _learner(row) -> fmt.Learner:
    return fmt.Learner(row.id, row.email, row.full_name, row.first_name, row.last_name, row.participant_type,
                       row.reporting_consent_at is not None, row.npi, row.certifying_board, row.board_id,
                       row.birth_month, row.birth_day, row.licence_state, row.licence_number, row.nabp_eprofile_id)


def _revoked_only(row) -> bool:
    return bool(row.has_revoked) and not row.has_valid


def _by_learner(db: Session, program: Program, start: date, end: date) -> Iterator[tuple[fmt.Learner, list]]:
    current, rows = None, []
    for row in db.execute(_awards(program, start, end), execution_options={"yield_per": YIELD_PER}):
        if current is not None and row.id != current.user_id:
            yield current, rows
            rows = []
        if current is None or row.id != current.user_id:
            current = _learner(row)
        rows.append(row)
    if current is not None:
        yield current, rows


def _local_day(program: Program, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(program.timezone)).date()


def pars_stream(db: Session, program: Program, start: date, end: date, activity_id: str) -> Iterator[str]:
    """PARS learner completion, tab-delimited: one row per physician for the activity (an RSS is one
    PARS activity), credits summed by type over the sessions earned, completion = last session date."""
    yield fmt.tab_line(fmt.PARS_COLUMNS)
    for learner, rows in _by_learner(db, program, start, end):
        kept = [r for r in rows if not _revoked_only(r)]
        if not kept or fmt.pars_missing(learner):
            continue
        completion = fmt.Completion(learner, _local_day(program, kept[-1].starts_at), sessions=len(kept))
        for r in kept:
            completion.credits[r.credit_type] = completion.credits.get(r.credit_type, Decimal("0")) + r.credits
        yield fmt.tab_line(fmt.pars_row(activity_id, completion))


def cpe_stream(db: Session, program: Program, start: date, end: date, uan: str) -> Iterator[str]:
    """CPE Monitor rows: one per pharmacist or technician per live session date (live credit is
    valid only on the live dates)."""
    yield fmt.BOM + fmt.csv_line(fmt.CPE_COLUMNS)
    for learner, rows in _by_learner(db, program, start, end):
        if fmt.cpe_missing(learner, uan):
            continue
        for r in rows:
            if not _revoked_only(r):
                yield fmt.csv_line(fmt.cpe_row(uan, learner, _local_day(program, r.starts_at), r.credits))


def missing_stream(db: Session, program: Program, start: date, end: date, export: str,
                   uan: str = "") -> Iterator[str]:
    """Learners who earned credit but are kept out of the upload, with what is missing or why."""
    yield fmt.BOM + fmt.csv_line(fmt.MISSING_COLUMNS)
    for learner, rows in _by_learner(db, program, start, end):
        if export == "pars":
            if learner.participant_type and learner.participant_type != "physician":
                continue  # reported elsewhere (CPE Monitor) or not a PARS learner upload
            reasons = fmt.pars_missing(learner)
        else:
            if learner.participant_type not in fmt.CPE_LETTER and learner.participant_type:
                continue
            reasons = fmt.cpe_missing(learner, uan)
        revoked = sum(1 for r in rows if _revoked_only(r))
        if revoked:
            reasons.append(f"certificate revoked ({revoked} session{'s' if revoked > 1 else ''}), credit excluded")
        if reasons:
            yield fmt.csv_line([learner.full_name, learner.email, export.upper(), "; ".join(reasons)])


def summary_stream(db: Session, program: Program, year: int) -> Iterator[str]:
    """The activity summary for one year: sessions held, learners who earned credit (physicians and
    others) and total credits. Two queries."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    sessions = db.exec(select(func.count(distinct(CreditAward.session_id)))
                       .join(EchoSession, EchoSession.id == CreditAward.session_id)
                       .where(_window(program, start, end))).one()
    earned = and_(_window(program, start, end), CreditAward.credits > 0, ~and_(_revoked_cert(), ~_valid_cert()))
    ama = func.coalesce(func.sum(case((CreditAward.credit_type == "ama_pra_1", CreditAward.credits), else_=0)), 0)
    other = func.coalesce(func.sum(case((CreditAward.credit_type != "ama_pra_1", CreditAward.credits), else_=0)), 0)
    physicians = func.count(distinct(case((User.participant_type == "physician", User.id))))
    row = db.execute(select(func.count(distinct(CreditAward.user_id)), physicians, ama, other)
                     .select_from(CreditAward).join(EchoSession, EchoSession.id == CreditAward.session_id)
                     .join(User, User.id == CreditAward.user_id).where(earned)).one()
    yield fmt.BOM + fmt.csv_line(fmt.SUMMARY_COLUMNS)
    yield fmt.csv_line(fmt.summary_row(year, program.name, sessions, row[0], row[1], Decimal(row[2]),
                                       Decimal(row[3])))
