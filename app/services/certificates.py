"""Certificates: issued when credit is earned (and the evaluation done, where the program
requires it), on the learner's claim or in bulk by the CME office. Each carries an
unguessable code and a QR code to /verify/{code}. Never deleted: a correction revokes.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.db import utcnow
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.exports.pdf import CertificateData, TranscriptData, TranscriptRow
from app.exports.pdf_data import format_credits
from app.models import Certificate, CertificateFile, CreditSettings, EchoSession, Program, User
from app.services import audit, credit, evaluations


def new_code() -> str:
    return secrets.token_urlsafe(12)  # 96 random bits, 16 URL-safe characters


def active_certificate(db: Session, session: EchoSession, user_id: int) -> Certificate | None:
    return db.exec(select(Certificate).where(Certificate.session_id == session.id, Certificate.user_id == user_id,
                                             Certificate.revoked_at.is_(None))).first()


def why_not_eligible(db: Session, session: EchoSession, program: Program, user: User) -> str | None:
    """None when the learner may have a certificate for the session; else the reason, in words."""
    settings = credit.settings_of(db, program)
    if settings is None:
        return "This program does not offer credit."
    if session.ends_at > utcnow():
        return "Certificates are issued after the session ends."
    award = credit.award_of(db, session, user)
    if award is None:
        return "No attendance is recorded for you at this session."
    if award.credits <= 0:
        share = f"{(settings.min_share * 100).normalize():f}"
        return (f"You attended {award.attended_seconds // 60} of {int(credit.session_minutes(session))} minutes; "
                f"credit needs at least {share}% of the session.")
    if settings.evaluation_required and evaluations.evaluation_of(db, session, user) is None:
        return "Complete the session's evaluation first."
    return None


def _issue(db: Session, session: EchoSession, user: User, *, actor: User) -> Certificate:
    award = credit.award_of(db, session, user)
    certificate = Certificate(code=new_code(), session_id=session.id, user_id=user.id,
                              credit_type=award.credit_type, credits=award.credits,
                              learner_name=user.full_name, issued_by_id=actor.id)
    db.add(certificate)
    db.flush()
    # Its render job, in the same transaction: the worker renders and stores the PDF.
    db.add(CertificateFile(certificate_id=certificate.id, next_attempt_at=utcnow()))
    audit.record(db, actor=actor, action="certificate.issued", obj=certificate, session_id=session.id,
                 user_id=user.id)
    return certificate


def claim(db: Session, session: EchoSession, program: Program, *, actor: User) -> Certificate:
    """The learner's own certificate for the session: the valid one, or a new one if earned."""
    existing = active_certificate(db, session, actor.id)
    if existing is not None:
        return existing
    if (reason := why_not_eligible(db, session, program, actor)) is not None:
        raise InvalidTransition(reason)
    return _issue(db, session, actor, actor=actor)


def issue_all(db: Session, session: EchoSession, program: Program, *, actor: User) -> list[Certificate]:
    """Certificates for everyone eligible who has none yet (the CME office's bulk issue)."""
    issued = []
    for award in credit.awards_of(db, session):
        if active_certificate(db, session, award.user_id) is not None:
            continue
        learner = db.get(User, award.user_id)
        if why_not_eligible(db, session, program, learner) is None:
            issued.append(_issue(db, session, learner, actor=actor))
    return issued


def certificates_of_session(db: Session, session: EchoSession) -> list[Certificate]:
    return list(db.exec(select(Certificate).where(Certificate.session_id == session.id)
                        .order_by(Certificate.learner_name, Certificate.id)).all())


CERTIFICATE_PAGE_SIZE = 100


def certificates_page(db: Session, session: EchoSession, *, after_id: int | None = None,
                      limit: int = CERTIFICATE_PAGE_SIZE) -> tuple[list[Certificate], int | None]:
    """The session's certificates in the order issued, after ``after_id`` (keyset), one query; and
    the id to continue after for the next page (None on the last)."""
    statement = (select(Certificate).where(Certificate.session_id == session.id)
                 .order_by(Certificate.id).limit(limit + 1))
    if after_id is not None:
        statement = statement.where(Certificate.id > after_id)
    rows = list(db.exec(statement).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more else None)


def certificates_of_user(db: Session, user: User) -> list[tuple[Certificate, EchoSession, Program]]:
    rows = db.exec(select(Certificate, EchoSession, Program)
                   .join(EchoSession, EchoSession.id == Certificate.session_id)
                   .join(Program, Program.id == EchoSession.program_id)
                   .where(Certificate.user_id == user.id).order_by(EchoSession.starts_at.desc())).all()
    return [tuple(row) for row in rows]


def program_of(db: Session, certificate: Certificate) -> Program:
    return db.exec(select(Program).join(EchoSession, EchoSession.program_id == Program.id)
                   .where(EchoSession.id == certificate.session_id)).one()


def set_coordinator_access(db: Session, program: Program, allowed: bool, *, actor: User) -> None:
    if program.coordinators_manage_credit == allowed:
        return
    program.coordinators_manage_credit = allowed
    audit.record(db, actor=actor, action="program.certificate_access", obj=program, coordinators_manage_credit=allowed)
    db.flush()


def load(db: Session, code: str) -> Certificate:
    certificate = db.exec(select(Certificate).where(Certificate.code == code)).first() if len(code) <= 32 else None
    if certificate is None:
        raise NotFound("No certificate has this code.")
    return certificate


# --- rendering ---------------------------------------------------------------------------


def local_date(moment: datetime, program: Program) -> date:
    return moment.astimezone(ZoneInfo(program.timezone)).date()


def certificate_data_many(db: Session, certificates: list[Certificate], *, base_url: str) -> list[CertificateData]:
    """What each certificate prints, in input order, in three queries however many there are."""
    session_ids = {c.session_id for c in certificates}
    sessions = {s.id: (s, p) for s, p in db.exec(
        select(EchoSession, Program).join(Program, Program.id == EchoSession.program_id)
        .where(EchoSession.id.in_(session_ids))).all()} if session_ids else {}
    program_ids = {p.id for _, p in sessions.values()}
    settings_by_program = {cs.program_id: cs for cs in db.exec(
        select(CreditSettings).where(CreditSettings.program_id.in_(program_ids))).all()} if program_ids else {}
    user_ids = {c.user_id for c in certificates}
    degrees = dict(db.exec(select(User.id, User.degree).where(User.id.in_(user_ids))).all()) if user_ids else {}
    data = []
    for certificate in certificates:
        session, program = sessions[certificate.session_id]
        settings = (settings_by_program.get(program.id)
                    or CreditSettings(program_id=program.id, provider_name=program.name))
        data.append(_certificate_data(certificate, session, program, settings, degrees.get(certificate.user_id, ""),
                                      base_url=base_url))
    return data


def _certificate_data(certificate: Certificate, session: EchoSession, program: Program, settings: CreditSettings,
                      degree: str, *, base_url: str) -> CertificateData:
    statements = credit.statements_for(settings, certificate.credit_type)
    return CertificateData(
        code=certificate.code, learner_name=certificate.learner_name, learner_degree=degree,
        activity_title=program.name, activity_type=settings.activity_type,
        session_date=local_date(session.starts_at, program), session_topic=session.didactic_topic,
        credit_type=certificate.credit_type, credits=certificate.credits.quantize(Decimal("0.01")),
        provider_name=settings.provider_name, provider_address=settings.provider_address,
        accreditation_statement=statements.accreditation, designation_statement=statements.designation,
        verify_url=f"{base_url.rstrip('/')}/verify/{certificate.code}",
        issued_on=local_date(certificate.issued_at, program), revoked=certificate.revoked,
    )


def certificate_data(db: Session, certificate: Certificate, *, base_url: str) -> CertificateData:
    return certificate_data_many(db, [certificate], base_url=base_url)[0]


def file_name(learner_name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", learner_name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-") or "learner"
    name, number = f"{stem}.pdf", 2
    while name in taken:
        name, number = f"{stem}-{number}.pdf", number + 1
    taken.add(name)
    return name


def verification(db: Session, code: str) -> dict:
    """What the public verification page shows, and nothing else."""
    certificate = load(db, code)
    session = db.get(EchoSession, certificate.session_id)
    program = db.get(Program, session.program_id)
    return {"code": certificate.code, "learner_name": certificate.learner_name, "activity": program.name,
            "date": local_date(session.starts_at, program).isoformat(),
            "credits": format_credits(certificate.credits), "credit_type": credit.unit_label(certificate.credit_type),
            "status": "revoked" if certificate.revoked else "valid"}


# --- transcripts -------------------------------------------------------------------------


@dataclass
class Period:
    start: date
    end: date

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, start: str | None, end: str | None, year: str | None) -> Period:
        try:
            if year:
                return cls.of_year(int(year))
            period = cls(date.fromisoformat(start or ""), date.fromisoformat(end or ""))
        except ValueError:
            raise InvalidInput(fields={"start": "Give a year, or a start and an end date as YYYY-MM-DD."}) from None
        if period.end < period.start:
            raise InvalidInput(fields={"end": "The end date comes before the start date."})
        return period


def transcript_data(db: Session, learner: User, period: Period) -> TranscriptData:
    """What the learner's transcript of the period prints: their valid certificates of the period
    in one query (with each program's credit settings joined, not read again per row). Rendered
    and kept by app.services.transcript_files."""
    # Local dates differ from UTC ones by less than a day: the query takes a day more on each side
    # and the exact local date decides below.
    window_start = datetime.combine(period.start - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    window_end = datetime.combine(period.end + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    rows_found = db.exec(
        select(Certificate, EchoSession, Program, CreditSettings)
        .join(EchoSession, EchoSession.id == Certificate.session_id)
        .join(Program, Program.id == EchoSession.program_id)
        .outerjoin(CreditSettings, CreditSettings.program_id == Program.id)
        .where(Certificate.user_id == learner.id, Certificate.revoked_at.is_(None),
               EchoSession.starts_at >= window_start, EchoSession.starts_at < window_end)
        .order_by(EchoSession.starts_at.desc(), Certificate.id)).all()
    rows, provider = [], None
    for certificate, session, program, settings in rows_found:
        day = local_date(session.starts_at, program)
        if not period.start <= day <= period.end:
            continue
        provider = provider or settings  # the most recent program's provider heads the transcript
        rows.append(TranscriptRow(session_date=day, activity_title=program.name, session_topic=session.didactic_topic,
                                  credit_type=certificate.credit_type, credits=certificate.credits,
                                  certificate_code=certificate.code))
    data = TranscriptData(learner_name=learner.full_name, learner_degree=learner.degree,
                          provider_name=provider.provider_name if provider else "",
                          provider_address=provider.provider_address if provider else "",
                          period_start=period.start, period_end=period.end,
                          issued_on=utcnow().date(), rows=tuple(rows))
    return data
