"""Credit: a program's settings as the CME office configures them, and each attendee's credit
per session, recomputed from attended minutes whenever attendance changes.

Rules (app.attendance.credit_for): no credit below the program's minimum share of the session;
otherwise attended hours rounded to the nearest step, capped at the program's maximum. Hub
members (coordinators, specialists) earn credit only when the program grants faculty credit.
A recomputation that lowers or removes someone's credit revokes their certificate (kept,
marked revoked with when and why); they may claim a new one for what now holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, delete, exists, insert, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from app.attendance import credit_for
from app.db import utcnow
from app.enums import ProgramRole, SessionStatus
from app.errors import InvalidInput
from app.exports.pdf_data import (
    CREDIT_TYPES,
    format_credits,
    CREDIT_UNIT_LABELS,
    Statements,
    default_statements,
)
from app.models import (
    AttendanceRecord,
    Certificate,
    CreditAward,
    CreditSettings,
    EchoSession,
    Evaluation,
    Membership,
    Program,
    User,
)
from app.models.credit import DEFAULT_ACTIVITY_TYPE
from app.services import audit, credit_mail, outbox  # noqa: F401  credit_mail registers the credit e-mails

CREDIT_TYPE_LABELS = {
    "ama_pra_1": "AMA PRA Category 1 Credit(s)™",
    "nursing": "Nursing contact hours (ANCC)",
    "pharmacy": "Pharmacy CE (ACPE)",
    "participation": "Certificate of participation",
}
STEPS = (Decimal("0.25"), Decimal("0.5"), Decimal(1))
MAX_CREDITS_LIMIT = Decimal(24)
MAX_DESIGNATION = Decimal(1000)
# Which credit a learner's degree calls for, when the program offers it.
DEGREE_CREDIT = {
    "MD": "ama_pra_1", "DO": "ama_pra_1", "MBBS": "ama_pra_1",
    "RN": "nursing", "NP": "nursing", "APRN": "nursing", "CNS": "nursing", "BSN": "nursing", "MSN": "nursing",
    "DNP": "nursing", "LPN": "nursing", "PHARMD": "pharmacy", "RPH": "pharmacy", "CPHT": "pharmacy",
}


@dataclass
class CreditForm:
    credit_types: list[str] = field(default_factory=lambda: ["ama_pra_1"])
    max_credits: str = "1"
    designation_max_credits: str = ""  # empty: the designation names the per-session maximum
    step: str = "0.25"
    min_share_percent: str = "75"
    evaluation_required: bool = True
    faculty_credit: bool = False
    coordinators_may_view: bool = False
    raise_needs_approval: bool = False
    provider_name: str = ""
    provider_address: str = ""
    accreditation_statement: str = ""
    designation_statement: str = ""
    activity_type: str = DEFAULT_ACTIVITY_TYPE
    evaluation_questions: str = ""  # one question per line; empty means the default three

    @classmethod
    def of(cls, settings: CreditSettings | None, program: Program) -> CreditForm:
        if settings is None:
            return cls(coordinators_may_view=program.coordinators_manage_credit)
        designated = settings.designation_max_credits
        return cls(list(settings.credit_types), f"{settings.max_credits.normalize():f}",
                   f"{designated.normalize():f}" if designated is not None else "", f"{settings.step.normalize():f}",
                   f"{(settings.min_share * 100).normalize():f}", settings.evaluation_required, settings.faculty_credit,
                   program.coordinators_manage_credit, settings.raise_needs_approval, settings.provider_name,
                   settings.provider_address,
                   settings.accreditation_statement,
                   settings.designation_statement, settings.activity_type,
                   "\n".join(q["text"] for q in settings.evaluation_questions))


def settings_of(db: Session, program: Program) -> CreditSettings | None:
    return db.exec(select(CreditSettings).where(CreditSettings.program_id == program.id)).first()


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _validate(form: CreditForm) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    types = [t for t in CREDIT_TYPES if t in form.credit_types]
    if not types or len(types) != len(set(form.credit_types)):
        errors["credit_types"] = "Offer at least one of the listed credit types."
    step = _decimal(form.step)
    if step not in STEPS:
        errors["step"] = "Round in steps of 0.25, 0.5 or 1 credit."
    maximum = _decimal(form.max_credits)
    if maximum is None or not 0 < maximum <= MAX_CREDITS_LIMIT or (step in STEPS and maximum % step):
        errors["max_credits"] = f"Give a maximum above 0 and at most {MAX_CREDITS_LIMIT}, in the rounding step."
    designated = _decimal(form.designation_max_credits) if form.designation_max_credits.strip() else None
    if form.designation_max_credits.strip() and (
            designated is None or designated % Decimal("0.25") or not 0 < designated <= MAX_DESIGNATION
            or (maximum is not None and designated < maximum)):
        errors["designation_max_credits"] = ("Designate at least the per-session maximum and at most "
                                             f"{MAX_DESIGNATION}, in steps of 0.25.")
    share = _decimal(form.min_share_percent)
    if share is None or not 0 <= share <= 100:
        errors["min_share_percent"] = "Give a percentage from 0 to 100."
    if not form.provider_name.strip():
        errors["provider_name"] = "Name the accredited provider; it is printed on every certificate."
    limits = {"provider_name": 200, "provider_address": 300, "accreditation_statement": 1000,
              "designation_statement": 1000, "activity_type": 120}
    for name, limit in limits.items():
        if len(getattr(form, name).strip()) > limit:
            errors[name] = f"Use at most {limit} characters."
    questions = [line.strip() for line in form.evaluation_questions.splitlines() if line.strip()]
    if len(questions) > 10 or any(len(q) > 200 for q in questions):
        errors["evaluation_questions"] = "Ask at most 10 questions of at most 200 characters each."
    values = {"credit_types": types, "max_credits": maximum, "designated": designated, "step": step,
              "min_share": (share / 100) if share is not None else None, "questions": questions}
    return values, errors


def save_settings(db: Session, program: Program, form: CreditForm, *, actor: User) -> CreditSettings:
    values, errors = _validate(form)
    if errors:
        raise InvalidInput(fields=errors)
    settings = settings_of(db, program) or CreditSettings(program_id=program.id)
    settings.credit_types = values["credit_types"]
    settings.max_credits, settings.step, settings.min_share = values["max_credits"], values["step"], values["min_share"]
    settings.designation_max_credits = values["designated"]
    settings.evaluation_required, settings.faculty_credit = form.evaluation_required, form.faculty_credit
    if program.coordinators_manage_credit != form.coordinators_may_view:
        # One program setting opens credit pages, reports and certificates to its coordinators
        # (the same one PUT /api/v1/programs/{id}/certificate-access sets).
        program.coordinators_manage_credit = form.coordinators_may_view
        audit.record(db, actor=actor, action="program.certificate_access", obj=program,
                     coordinators_manage_credit=form.coordinators_may_view)
    settings.raise_needs_approval = form.raise_needs_approval
    for name in ("provider_name", "provider_address", "accreditation_statement", "designation_statement"):
        setattr(settings, name, " ".join(getattr(form, name).split()))
    # The form comes prefilled with the standard wording; kept unchanged, it stays "standard", so
    # each credit type gets its own (a nursing certificate must not quote the AMA designation).
    standard = standard_statements(form)
    if settings.accreditation_statement == " ".join(standard.accreditation.split()):
        settings.accreditation_statement = ""
    if settings.designation_statement == " ".join(standard.designation.split()):
        settings.designation_statement = ""
    settings.activity_type = " ".join(form.activity_type.split()) or DEFAULT_ACTIVITY_TYPE
    settings.evaluation_questions = [{"key": f"q{i + 1}", "text": text} for i, text in enumerate(values["questions"])]
    settings.updated_at = utcnow()
    db.add(settings)
    db.flush()
    # New rules apply to credit not yet certified; issued certificates stand as issued.
    changed = recompute_program(db, program, actor=actor, reason="", revoke=False)
    audit.record(db, actor=actor, action="credit.configured", obj=settings, program_id=program.id,
                 awards_changed=changed)
    return settings


def designated_maximum(settings: CreditSettings) -> Decimal:
    """What the designation statement names: the series' maximum when set, else the per-session one."""
    return settings.designation_max_credits if settings.designation_max_credits is not None else settings.max_credits


def statements_for(settings: CreditSettings, credit_type: str) -> Statements:
    standard = default_statements(settings.provider_name, credit_type, designated_maximum(settings))
    return Statements(settings.accreditation_statement or standard.accreditation,
                      settings.designation_statement or standard.designation)


def standard_statements(form: CreditForm) -> Statements:
    """The standard wording for the form's provider, first credit type and designated maximum (a hint)."""
    maximum = _decimal(form.designation_max_credits or form.max_credits)
    if maximum is None or maximum < 0 or maximum % Decimal("0.25"):
        maximum = Decimal(1)
    types = [t for t in form.credit_types if t in CREDIT_TYPES] or ["ama_pra_1"]
    return default_statements(form.provider_name.strip() or "[Provider]", types[0], maximum)


def credit_type_for(user: User, settings: CreditSettings) -> str:
    return credit_type_for_degree(user.degree, settings)


def credit_type_for_degree(degree: str, settings: CreditSettings) -> str:
    wanted = DEGREE_CREDIT.get(degree.replace(".", "").strip().upper())
    if wanted in settings.credit_types:
        return wanted
    if "participation" in settings.credit_types:
        return "participation"
    return settings.credit_types[0]


def session_minutes(session: EchoSession) -> Decimal:
    return Decimal(int((session.ends_at - session.starts_at).total_seconds())) / 60


def earned(settings: CreditSettings, session: EchoSession, attended_seconds: int) -> Decimal:
    return credit_for(Decimal(attended_seconds) / 60, session_minutes(session), max_credits=settings.max_credits,
                      min_share=settings.min_share, step=settings.step)


def recompute_session(db: Session, session: EchoSession, program: Program, *, actor: User | None, reason: str,
                      revoke: bool = True) -> int:
    """Recompute one session's credit after its attendance changed; returns the awards changed."""
    return _recompute(db, program, [session], EchoSession.id == session.id, actor=actor, reason=reason, revoke=revoke)


def recompute_program(db: Session, program: Program, *, actor: User | None, reason: str, revoke: bool = True) -> int:
    """Recompute every session of the program in a few queries, whatever its size; returns the awards changed."""
    sessions = list(db.exec(select(EchoSession).where(EchoSession.program_id == program.id)).all())
    return _recompute(db, program, sessions, EchoSession.program_id == program.id, actor=actor, reason=reason,
                      revoke=revoke)


@dataclass(frozen=True)
class _Earned:
    credit_type: str
    credits: Decimal
    attended_seconds: int
    is_faculty: bool


def _recompute(db: Session, program: Program, sessions: list[EchoSession], which, *, actor: User | None,
               reason: str, revoke: bool) -> int:
    """`which` selects the sessions (a condition on EchoSession): one query per table, not per learner,
    and only the awards whose values changed are written, in bulk."""
    db.flush()
    session_ids = select(EchoSession.id).where(which)
    wanted = _earned(db, program, {s.id: s for s in sessions}, session_ids)
    existing = {(row.session_id, row.user_id): row for row in db.exec(
        select(CreditAward.id, CreditAward.session_id, CreditAward.user_id, CreditAward.credit_type,
               CreditAward.credits, CreditAward.attended_seconds, CreditAward.is_faculty)
        .where(CreditAward.session_id.in_(session_ids))).all()}
    now = utcnow()
    inserts = [{"session_id": key[0], "user_id": key[1], "computed_at": now, **vars(earned)}
               for key, earned in wanted.items() if key not in existing]
    updates = [{"award_id": row.id, "computed_at": now, **vars(wanted[key])} for key, row in existing.items()
               if key in wanted and _Earned(row.credit_type, row.credits, row.attended_seconds,
                                            row.is_faculty) != wanted[key]]
    deletes = [row.id for key, row in existing.items() if key not in wanted]
    table = CreditAward.__table__
    if inserts:
        db.execute(insert(table), inserts)
    if updates:
        db.execute(update(table).where(table.c.id == bindparam("award_id")),
                   updates)
    for chunk in range(0, len(deletes), 500):
        db.execute(delete(CreditAward).where(CreditAward.id.in_(deletes[chunk:chunk + 500])))
    _forget(db, [u["award_id"] for u in updates] + deletes)
    if revoke:
        revoke_lapsed(db, which, wanted, actor=actor, reason=reason)
    return len(inserts) + len(updates) + len(deletes)


def _earned(db: Session, program: Program, sessions: dict[int, EchoSession], session_ids) -> dict[tuple, _Earned]:
    """What each attendee of the sessions earns under the program's settings, keyed (session_id, user_id)."""
    settings = settings_of(db, program)
    if settings is None:
        return {}
    hub = {ProgramRole.coordinator, ProgramRole.specialist}
    faculty = set(db.exec(select(Membership.user_id).where(Membership.program_id == program.id,
                                                           Membership.role.in_(hub))).all())
    records = db.exec(select(AttendanceRecord.session_id, AttendanceRecord.user_id, AttendanceRecord.computed_seconds,
                             AttendanceRecord.adjusted_seconds, User.degree)
                      .join(User, User.id == AttendanceRecord.user_id)
                      .where(AttendanceRecord.session_id.in_(session_ids))).all()
    wanted = {}
    credits: dict[tuple[int, int], Decimal] = {}  # the same minutes earn the same credit: computed once
    types: dict[str, str] = {}
    for session_id, user_id, computed, adjusted, degree in records:
        session = sessions[session_id]
        is_faculty = user_id in faculty
        if session.status == SessionStatus.cancelled or (is_faculty and not settings.faculty_credit):
            continue
        seconds = adjusted if adjusted is not None else computed
        length = int((session.ends_at - session.starts_at).total_seconds())
        if (length, seconds) not in credits:
            credits[(length, seconds)] = earned(settings, session, seconds)
        if degree not in types:
            types[degree] = credit_type_for_degree(degree, settings)
        wanted[(session_id, user_id)] = _Earned(types[degree], credits[(length, seconds)], seconds, is_faculty)
    return wanted


def _forget(db: Session, award_ids: list[int]) -> None:
    """Bulk statements bypass the session's objects: expire any loaded award they changed."""
    for award_id in award_ids:
        loaded = db.identity_map.get(identity_key(CreditAward, award_id))
        if loaded is not None:
            db.expire(loaded)


def revoke_lapsed(db: Session, which, awards: dict[tuple, _Earned], *, actor: User | None, reason: str) -> int:
    """Revoke the valid certificates of the sessions (`which`) whose credit no longer matches what was earned."""
    revoked = []
    for certificate in db.exec(select(Certificate).join(EchoSession, EchoSession.id == Certificate.session_id)
                               .where(which, Certificate.revoked_at.is_(None))).all():
        award = awards.get((certificate.session_id, certificate.user_id))
        if award and award.credits > 0 and (award.credits, award.credit_type) == (certificate.credits,
                                                                                  certificate.credit_type):
            continue
        certificate.revoked_at = utcnow()
        certificate.revoke_reason = (reason or "Attendance was corrected.")[:300]
        db.add(certificate)
        audit.record(db, actor=actor, action="certificate.revoked", obj=certificate,
                     session_id=certificate.session_id, user_id=certificate.user_id, reason=certificate.revoke_reason)
        revoked.append(certificate)
    db.flush()
    from app.services import transcript_files  # noqa: PLC0415 - it reads certificates, which reads this module

    transcript_files.mark_stale(db, [certificate.id for certificate in revoked])
    # The learner is told why, by e-mail (app.services.credit_mail), in the same transaction.
    outbox.enqueue_many(db, "certificate_revoked", [{"certificate_id": c.id} for c in revoked])
    return len(revoked)


def awards_of(db: Session, session: EchoSession) -> list[CreditAward]:
    return list(db.exec(select(CreditAward).where(CreditAward.session_id == session.id)
                        .order_by(CreditAward.user_id)).all())


def award_of(db: Session, session: EchoSession, user: User) -> CreditAward | None:
    return db.exec(select(CreditAward).where(CreditAward.session_id == session.id,
                                             CreditAward.user_id == user.id)).first()


def unit_label(credit_type: str) -> str:
    return CREDIT_UNIT_LABELS[credit_type]


@dataclass
class Owed:
    """Credit a learner has earned but cannot claim until they complete the session's evaluation."""

    sessions: list[tuple[EchoSession, Program, Decimal]] = field(default_factory=list)

    @property
    def credits(self) -> Decimal:
        return sum((credits for _, _, credits in self.sessions), Decimal(0))

    @property
    def summary(self) -> str:
        """"3 sessions: complete the evaluation to claim 4.5 credits"."""
        count, total = len(self.sessions), self.credits
        return (f"{count} session{'s' if count != 1 else ''}: complete the evaluation to claim "
                f"{format_credits(total)} credit{'s' if total != 1 else ''}")

    @property
    def lines(self) -> list[tuple[EchoSession, Program, str]]:
        return [(session, program, format_credits(credits)) for session, program, credits in self.sessions]


def awaiting_evaluation(user_ids=None, *, ended_before=None):
    """Awards with credit in sessions that are over, in programs that require the evaluation, with
    neither an evaluation nor a valid certificate yet: (CreditAward, EchoSession, Program) rows."""
    statement = (select(CreditAward, EchoSession, Program)
                 .join(EchoSession, EchoSession.id == CreditAward.session_id)
                 .join(Program, Program.id == EchoSession.program_id)
                 .join(CreditSettings, CreditSettings.program_id == Program.id)
                 .where(CreditAward.credits > 0, CreditSettings.evaluation_required.is_(True),
                        EchoSession.status != SessionStatus.cancelled,
                        EchoSession.ends_at <= (ended_before or utcnow()),
                        ~exists().where(Evaluation.session_id == CreditAward.session_id,
                                        Evaluation.user_id == CreditAward.user_id),
                        ~exists().where(Certificate.session_id == CreditAward.session_id,
                                        Certificate.user_id == CreditAward.user_id, Certificate.revoked_at.is_(None))))
    return statement.where(CreditAward.user_id.in_(user_ids)) if user_ids is not None else statement


def owed_for(db: Session, user: User) -> Owed:
    """What the learner is owed once they evaluate (their certificates page), in one query."""
    rows = db.exec(awaiting_evaluation([user.id]).order_by(EchoSession.starts_at.desc())).all()
    return Owed([(session, program, award.credits) for award, session, program in rows])
