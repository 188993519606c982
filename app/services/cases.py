"""Case presentations: drafts and submission, behind the PHI gate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, delete, select, update

from app.db import insert_if_missing, utcnow
from app.enums import CaseStatus, ProgramRole, SessionStatus
from app.errors import InvalidInput, InvalidTransition
from app.models import CasePresentation, EchoSession, PhiWaiver, Program, ProgramCaseCounter, User
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, contains, paginate
from app.permissions import Actor
from app.services import audit, phi_gate
from app.services.case_workflow import EDITABLE, set_case_status

# (name, label, help): every free-text field of a case, in the order the form shows them.
TEXT_FIELDS = [
    ("question", "Question for the hub",
     "What do you want the hub to help you decide? One or two specific questions."),
    ("presenting_problem", "Presenting problem and history",
     "Why the patient is seen now and the course so far. Use relative times (\"3 months ago\"), not dates."),
    ("past_history", "Past medical history", "Relevant diagnoses, surgeries and hospital stays (no facility names)."),
    ("medications", "Medications", "Current medications with doses."),
    ("allergies", "Allergies", "Drug and other allergies, with the reaction."),
    ("labs_imaging", "Labs and imaging", "Results with units; relative times instead of dates."),
    ("social_history", "Social history",
     "Substance use, housing, work, supports — without names, employers or places smaller than a state."),
    ("tried_assessment", "What has been tried, and your assessment so far", "Treatments tried and how they went."),
]
TEXT_FIELD_NAMES = [name for name, _, _ in TEXT_FIELDS]
MAX_TEXT = phi_gate.MAX_FREE_TEXT
AGE_BRACKETS = ["Under 1", "1–4", "5–11", "12–17", "18–25", "26–39", "40–64", "65–74", "75–89", "90 or older"]
SEX_GENDER = ["Female", "Male", "Transgender woman", "Transgender man", "Non-binary", "Another identity",
              "Not stated"]


@dataclass
class CaseForm:
    texts: dict[str, str]
    age_bracket: str = ""
    sex_gender: str = ""
    preferred_session_id: int | None = None
    attested: bool = False
    waivers: set[phi_gate.Waiver] = field(default_factory=set)


def _field_errors(db: Session, program: Program, form: CaseForm, *, submit: bool) -> dict[str, str]:
    errors = {}  # the length of the texts is checked by the PHI gate, before anything reads them
    if form.age_bracket and form.age_bracket not in AGE_BRACKETS:
        errors["age_bracket"] = "Choose an age bracket from the list."
    if form.sex_gender and form.sex_gender not in SEX_GENDER:
        errors["sex_gender"] = "Choose from the list."
    if form.preferred_session_id is not None:
        session = db.get(EchoSession, form.preferred_session_id)
        if (session is None or session.program_id != program.id or session.status != SessionStatus.scheduled
                or session.starts_at <= utcnow()):
            errors["preferred_session_id"] = "Choose an upcoming session of this program."
    if submit:
        errors.update(_submit_errors(form))
    return errors


def _submit_errors(form: CaseForm) -> dict[str, str]:
    errors = {}
    if not form.texts.get("question", "").strip():
        errors["question"] = "Ask the hub a question: it is what the session answers."
    if not form.age_bracket:
        errors["age_bracket"] = "Choose the patient's age bracket."
    if not form.sex_gender:
        errors["sex_gender"] = "Choose the patient's sex or gender (or \"Not stated\")."
    if not form.attested:
        errors["attested"] = "Confirm that the case carries none of the 18 HIPAA identifiers."
    return errors


def _next_number(db: Session, program: Program) -> str:
    # The counter row is made if missing and incremented in the database, so two new cases (even a
    # program's first two) never read the same number: the UPDATE takes the row (PostgreSQL) or
    # the write lock (SQLite, where FOR UPDATE does nothing) and adds one.
    mine = ProgramCaseCounter.program_id == program.id
    insert_if_missing(db, ProgramCaseCounter.__table__, program_id=program.id, last_number=0)
    db.exec(update(ProgramCaseCounter).where(mine).values(last_number=ProgramCaseCounter.last_number + 1))
    last_number = db.exec(select(ProgramCaseCounter.last_number).where(mine)).one()
    parts = [part for part in program.slug.split("-") if part]
    prefix = (parts[0][:4] if len(parts) == 1 else "".join(part[0] for part in parts)[:4]).upper() or "CASE"
    return f"{prefix}-{last_number}"


def save(db: Session, program: Program, case: CasePresentation | None, form: CaseForm, *, actor: User,
         submit: bool = False) -> CasePresentation:
    """Create or update a case (and submit it when asked). The PHI gate (lengths first) runs before
    anything is written; a refusal leaves the database exactly as it was."""
    texts = {name: form.texts.get(name, "") for name in TEXT_FIELD_NAMES}
    honoured = phi_gate.require_clean(texts, form.waivers)
    if errors := _field_errors(db, program, form, submit=submit):
        raise InvalidInput(fields=errors)
    if case is None:
        case = CasePresentation(program_id=program.id, presenter_id=actor.id, number=_next_number(db, program))
        db.add(case)
    elif CaseStatus(case.status) not in EDITABLE:
        raise InvalidTransition("This case is with the hub and cannot be edited now.")
    _apply(case, texts, form)
    db.flush()
    _replace_waivers(db, case, honoured, actor=actor)
    audit.record(db, actor=actor, action="case.saved", obj=case, waivers=len(honoured))
    if submit:
        set_case_status(db, case, CaseStatus.submitted, actor=actor)
    db.flush()
    return case


def _apply(case: CasePresentation, texts: dict[str, str], form: CaseForm) -> None:
    for name, text in texts.items():
        setattr(case, name, text)
    case.age_bracket, case.sex_gender = form.age_bracket, form.sex_gender
    case.preferred_session_id = form.preferred_session_id
    if form.attested and not case.attested:
        case.attested_at = utcnow()
    case.attested = form.attested
    case.version += 1 if case.id else 0
    case.updated_at = utcnow()


def _replace_waivers(db: Session, case: CasePresentation, honoured: list[phi_gate.Waiver], *, actor: User) -> None:
    db.exec(delete(PhiWaiver).where(PhiWaiver.case_id == case.id))
    for waiver in honoured:
        db.add(PhiWaiver(case_id=case.id, field_name=waiver.field, start=waiver.start, end=waiver.end,
                         label=waiver.label, text_sha256=waiver.digest(), waived_by_id=actor.id))


def form_of(db: Session, case: CasePresentation) -> CaseForm:
    """The form as the case stands, stored waivers included (to edit it, or to submit it as it is)."""
    return CaseForm(
        texts={name: getattr(case, name) for name in TEXT_FIELD_NAMES}, age_bracket=case.age_bracket,
        sex_gender=case.sex_gender, preferred_session_id=case.preferred_session_id, attested=case.attested,
        waivers={_waiver_of(case, w) for w in waivers_of(db, case)})


def _waiver_of(case: CasePresentation, stored: PhiWaiver) -> phi_gate.Waiver:
    text = getattr(case, stored.field_name, "")[stored.start:stored.end]
    return phi_gate.Waiver(stored.field_name, stored.start, stored.end, stored.label, text)


def waivers_of(db: Session, case: CasePresentation) -> list[PhiWaiver]:
    """The stored waivers that still name the case's text: the characters at their offsets have the
    digest taken when they were waived (a waiver whose text changed is no waiver)."""
    rows = db.exec(select(PhiWaiver).where(PhiWaiver.case_id == case.id)
                   .order_by(PhiWaiver.field_name, PhiWaiver.start)).all()
    return [row for row in rows if row.field_name in TEXT_FIELD_NAMES and row.end > row.start
            and _waiver_of(case, row).digest() == row.text_sha256]


def stored_waivers(db: Session, case: CasePresentation) -> list[phi_gate.Waiver]:
    """The case's valid waivers with their text rebuilt from the case (for the API and the form)."""
    return [_waiver_of(case, row) for row in waivers_of(db, case)]


def apply_form_action(form: CaseForm, action: str) -> None:
    """Redact one finding ("redact:KEY"), all unwaived ones ("redact_all"), or mark one "not PHI"
    ("waive:KEY", likely findings only). KEY is a waiver key, "field:start:end:label:TEXT"."""
    kind, _, key = action.partition(":")
    target = phi_gate.Waiver.parse(key) if key else None
    texts = {name: form.texts.get(name, "") for name in TEXT_FIELD_NAMES}
    phi_gate.require_within_limit(texts)
    for name, findings in phi_gate.find_in_fields(texts).items():
        candidates = {phi_gate.Waiver.of(name, texts[name], f): f for f in findings}
        if kind == "waive":
            if target in candidates and candidates[target].certainty == phi_gate.LIKELY:
                form.waivers.add(target)
            continue
        chosen = [f for waiver, f in candidates.items()
                  if (kind == "redact_all" and (f.certainty != phi_gate.LIKELY or waiver not in form.waivers))
                  or waiver == target]
        if chosen:
            form.texts[name], form.waivers = phi_gate.redact_keeping_waivers(name, texts[name], chosen, form.waivers)


# The columns a case list shows (the API's CaseSummary): never the case text.
LIST_COLUMNS = (
    CasePresentation.id, CasePresentation.number, CasePresentation.program_id, CasePresentation.presenter_id,
    CasePresentation.status, CasePresentation.age_bracket, CasePresentation.sex_gender,
    CasePresentation.preferred_session_id, CasePresentation.submitted_at, CasePresentation.updated_at,
)
_submitted_or_created = func.coalesce(CasePresentation.submitted_at, CasePresentation.created_at)
LIST_SORTS = Sorts({
    "updated": SortOrder(CasePresentation.updated_at, CasePresentation.id, datetime, descending=True),
    "oldest": SortOrder(CasePresentation.updated_at, CasePresentation.id, datetime),
    "number": SortOrder(CasePresentation.number, CasePresentation.id, str),
    "submitted": SortOrder(_submitted_or_created, CasePresentation.id, datetime),
}, default="updated")
SORT_LABELS = {"updated": "Last change, newest first", "oldest": "Last change, oldest first",
               "number": "Case number", "submitted": "Submitted, oldest first"}


def visible_to(actor: Actor):
    """The presenter's own cases, and the non-draft cases of programs where the actor is on the hub
    (of every program for a site admin), as a WHERE clause."""
    hub_programs = [pid for pid, role in actor.roles.items() if role != ProgramRole.clinician]
    own = CasePresentation.presenter_id == actor.id
    if actor.user.is_admin:
        return own | (CasePresentation.status != CaseStatus.draft)
    if not hub_programs:
        return own  # no "OR false": the planner then reads the presenter's cases by their index
    return own | (CasePresentation.program_id.in_(hub_programs) & (CasePresentation.status != CaseStatus.draft))


def case_page(db: Session, actor: Actor, *, status: str | None = None, program_id: int | None = None,
              search: str = "", sort: str | None = None, cursor: str | None = None,
              limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """One page of the cases the actor may see, in one query: the summary columns and the program's
    name, no case text. Filters by status, program and a part of the case number."""
    statement = (select(*LIST_COLUMNS, Program.name.label("program_name"))
                 .join(Program, Program.id == CasePresentation.program_id).where(visible_to(actor)))
    if status:
        statement = statement.where(CasePresentation.status == status)
    if program_id:
        statement = statement.where(CasePresentation.program_id == program_id)
    if search:
        statement = statement.where(contains(CasePresentation.number, search))
    scope = f"cases|{status or ''}|{program_id or ''}|{search}"
    return paginate(db, statement, LIST_SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def upcoming_sessions(db: Session, program: Program) -> list[EchoSession]:
    return list(db.exec(select(EchoSession).where(
        EchoSession.program_id == program.id, EchoSession.status == SessionStatus.scheduled,
        EchoSession.starts_at > utcnow()).order_by(EchoSession.starts_at).limit(12)).all())
