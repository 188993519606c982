"""Credit: the CME office's settings per program, who earned what, the reporting CSV, the
learner's evaluation and reporting identifiers. Pages and JSON API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import groupby

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.deps import CurrentActor, CurrentUser, SessionDep, load_program, load_session
from app.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from app.models import EchoSession, Evaluation, Program, User
from app.models.credit import AttendanceAdjustment
from app.pagination import first_link, next_link, page_size
from app.permissions import (
    CREDIT_CONFIGURE_DENIED,
    CREDIT_VIEW_DENIED,
    Actor,
    can_attend,
    can_configure_credit,
    can_manage_attendance,
    can_manage_certificates,
    can_view_attendance,
    can_view_credit_reports,
    can_view_program_credit,
    require,
)
from app.services import audit, certificates, credit, credit_adjustments, credit_reports, evaluations
from app.templating import flash, templates

router = APIRouter()


class CreditSettingsIO(BaseModel):
    credit_types: list[str] = Field(default_factory=lambda: ["ama_pra_1"])
    max_credits: Decimal = Decimal(1)
    designation_max_credits: Decimal | None = None
    step: Decimal = Decimal("0.25")
    min_share_percent: Decimal = Decimal(75)
    evaluation_required: bool = True
    faculty_credit: bool = False
    coordinators_may_view: bool = False
    raise_needs_approval: bool = False
    provider_name: str = Field(default="", max_length=1000)
    provider_address: str = Field(default="", max_length=1000)
    accreditation_statement: str = Field(default="", max_length=2000)
    designation_statement: str = Field(default="", max_length=2000)
    activity_type: str = Field(default="", max_length=1000)
    evaluation_questions: list[str] = Field(default_factory=list)


class AwardOut(BaseModel):
    user_id: int
    name: str
    credit_type: str
    credits: Decimal
    attended_minutes: int
    is_faculty: bool
    certificate_code: str | None
    evaluated: bool


class MyCreditOut(BaseModel):
    attended_minutes: int
    credit_type: str | None
    credits: Decimal
    evaluation_required: bool
    evaluation_open: bool
    evaluated: bool
    certificate_code: str | None
    blocked_by: str | None


class ReportingIO(BaseModel):
    npi: str = Field(default="", max_length=40)
    board_id: str = Field(default="", max_length=100)
    nabp_eprofile_id: str = Field(default="", max_length=40)
    birth_month: int | None = None
    birth_day: int | None = None
    consent: bool = False


def _settings_io(form: credit.CreditForm) -> CreditSettingsIO:
    return CreditSettingsIO(**{**form.__dict__, "evaluation_questions": form.evaluation_questions.splitlines(),
                               "designation_max_credits": form.designation_max_credits or None})


def _form_from_io(body: CreditSettingsIO) -> credit.CreditForm:
    values = body.model_dump()
    designated = body.designation_max_credits
    values.update(max_credits=str(body.max_credits), step=str(body.step), min_share_percent=str(body.min_share_percent),
                  designation_max_credits="" if designated is None else str(designated),
                  evaluation_questions="\n".join(body.evaluation_questions))
    return credit.CreditForm(**values)


def _awards(db: Session, session: EchoSession) -> list[AwardOut]:
    """Who earned what, in four queries whatever the number of learners."""
    awards = credit.awards_of(db, session)
    users = {u.id: u for u in db.exec(select(User).where(User.id.in_([a.user_id for a in awards]))).all()}
    codes = {c.user_id: c.code for c in certificates.certificates_of_session(db, session) if not c.revoked}
    evaluated = set(db.exec(select(Evaluation.user_id).where(Evaluation.session_id == session.id)).all())
    out = [AwardOut(user_id=a.user_id, name=users[a.user_id].full_name, credit_type=a.credit_type, credits=a.credits,
                    attended_minutes=a.attended_seconds // 60, is_faculty=a.is_faculty,
                    certificate_code=codes.get(a.user_id), evaluated=a.user_id in evaluated) for a in awards]
    return sorted(out, key=lambda a: a.name)


CREDIT_EXPORT_ALL_DENIED = "The export across all programs is for the CME office and site admins."


def _require_credit_view(db: Session, actor: Actor, program: Program) -> None:
    # The program's settings matter only to its coordinators: no query for the CME office.
    settings = credit.settings_of(db, program) if actor.coordinates(program.id) else None
    require(can_view_program_credit, actor, program, settings, message=CREDIT_VIEW_DENIED)


def _my_credit(db: Session, session: EchoSession, program: Program, user: User) -> MyCreditOut:
    award = credit.award_of(db, session, user)
    certificate = certificates.active_certificate(db, session, user.id)
    return MyCreditOut(attended_minutes=award.attended_seconds // 60 if award else 0,
                       credit_type=award.credit_type if award else None,
                       credits=award.credits if award else Decimal("0.00"),
                       evaluation_required=evaluations.required(db, program),
                       evaluation_open=evaluations.is_open(session),
                       evaluated=evaluations.evaluation_of(db, session, user) is not None,
                       certificate_code=certificate.code if certificate else None,
                       blocked_by=None if certificate else certificates.why_not_eligible(db, session, program, user))


# --- JSON API -------------------------------------------------------------------------------


@router.get("/api/v1/programs/{program_id}/credit-settings", tags=["api"])
def get_settings_api(program_id: int, db: SessionDep, actor: CurrentActor) -> CreditSettingsIO:
    program = load_program(db, program_id)
    require(can_configure_credit, actor, message=CREDIT_CONFIGURE_DENIED)
    return _settings_io(credit.CreditForm.of(credit.settings_of(db, program), program))


@router.put("/api/v1/programs/{program_id}/credit-settings", tags=["api"])
def put_settings_api(program_id: int, body: CreditSettingsIO, db: SessionDep, actor: CurrentActor) -> CreditSettingsIO:
    program = load_program(db, program_id)
    require(can_configure_credit, actor, message=CREDIT_CONFIGURE_DENIED)
    settings = credit.save_settings(db, program, _form_from_io(body), actor=actor.user)
    db.commit()
    return _settings_io(credit.CreditForm.of(settings, program))


@router.get("/api/v1/sessions/{session_id}/credit", tags=["api"])
def session_credit_api(session_id: int, db: SessionDep, actor: CurrentActor) -> list[AwardOut]:
    session, program = load_session(db, session_id)
    _require_credit_view(db, actor, program)
    return _awards(db, session)


@router.get("/api/v1/sessions/{session_id}/my-credit", tags=["api"])
def my_credit_api(session_id: int, db: SessionDep, actor: CurrentActor) -> MyCreditOut:
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    return _my_credit(db, session, program, actor.user)


def _period(start: date | None, end: date | None, from_: date | None,
            to: date | None) -> tuple[date | None, date | None]:
    """`from`/`to` (or `start`/`end`): any range of local session dates, either end open."""
    start, end = from_ or start, to or end
    credit_reports.check_period(start, end)
    return start, end


def _csv_response(request: Request, db: Session, actor: Actor, program: Program | None, start: date | None,
                  end: date | None) -> StreamingResponse:
    """Audit the export, then stream it from a database session of its own (the request's closes
    when the handler returns, before the body is sent)."""
    audit.record(db, actor=actor.user, action="credit.exported", obj=program or actor.user,
                 program_id=program.id if program else None, start=start and start.isoformat(),
                 end=end and end.isoformat())
    db.commit()
    engine, program_id = request.app.state.engine, program.id if program else None

    def body():
        with Session(engine) as reader:
            chosen = reader.get(Program, program_id) if program_id else None
            yield from credit_reports.credit_csv_stream(reader, chosen, start, end)

    name = f"credit-{program.slug}" if program else "credit-all-programs"
    name += f"-{start.isoformat() if start else 'start'}-to-{end.isoformat() if end else 'now'}" if start or end else ""
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"}
    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/api/v1/programs/{program_id}/credit.csv", tags=["api"])
def credit_csv_api(request: Request, program_id: int, db: SessionDep, actor: CurrentActor, start: date | None = None,
                   end: date | None = None, from_: date | None = Query(default=None, alias="from"),
                   to: date | None = None) -> StreamingResponse:
    program = load_program(db, program_id)
    _require_credit_view(db, actor, program)
    return _csv_response(request, db, actor, program, *_period(start, end, from_, to))


@router.get("/api/v1/credit.csv", tags=["api"])
def all_credit_csv_api(request: Request, db: SessionDep, actor: CurrentActor, start: date | None = None,
                       end: date | None = None, from_: date | None = Query(default=None, alias="from"),
                       to: date | None = None) -> StreamingResponse:
    """Every program's credit in one file, for the CME office's accreditation reporting."""
    require(can_view_credit_reports, actor, message=CREDIT_EXPORT_ALL_DENIED)
    return _csv_response(request, db, actor, None, *_period(start, end, from_, to))


@router.post("/api/v1/sessions/{session_id}/evaluation", status_code=201, tags=["api"])
def evaluation_api(session_id: int, body: dict[str, str | int], db: SessionDep, actor: CurrentActor) -> dict:
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    evaluation = evaluations.submit(db, session, program, {k: str(v) for k, v in body.items()}, actor=actor.user)
    db.commit()
    return {"id": evaluation.id, "answers": evaluation.answers}


@router.get("/api/v1/users/me/reporting", tags=["api"])
def get_reporting_api(user: CurrentUser) -> ReportingIO:
    form = credit_reports.ReportingForm.of(user)
    return ReportingIO(npi=form.npi, board_id=form.board_id, nabp_eprofile_id=form.nabp_eprofile_id,
                       birth_month=user.birth_month, birth_day=user.birth_day, consent=form.consent)


@router.put("/api/v1/users/me/reporting", tags=["api"])
def put_reporting_api(body: ReportingIO, db: SessionDep, user: CurrentUser) -> ReportingIO:
    form = credit_reports.ReportingForm(body.npi, body.board_id, body.nabp_eprofile_id,
                                        str(body.birth_month or ""), str(body.birth_day or ""), body.consent)
    credit_reports.update_reporting(db, user, form, actor=user)
    db.commit()
    return get_reporting_api(user)


class AdjustmentIn(BaseModel):
    # Optional here so that a missing field is the service's clear 422 after the permission check.
    minutes: int | None = None
    reason: str = Field(default="", max_length=2000)


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=2000)


class DecisionIn(BaseModel):
    approve: bool = False


class AdjustmentOut(BaseModel):
    id: int
    user_id: int
    kind: str
    minutes: int | None
    reported_minutes: int
    reason: str
    status: str
    created_by_id: int | None
    created_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None


def _adjustment_out(a) -> AdjustmentOut:
    return AdjustmentOut(id=a.id, user_id=a.user_id, kind=a.kind,
                         minutes=None if a.seconds is None else a.seconds // 60,
                         reported_minutes=a.reported_seconds // 60, reason=a.reason, status=a.status,
                         created_by_id=a.created_by_id, created_at=a.created_at, decided_by_id=a.decided_by_id,
                         decided_at=a.decided_at)


@router.get("/api/v1/sessions/{session_id}/adjustments", tags=["api"])
def adjustments_api(session_id: int, db: SessionDep, actor: CurrentActor) -> list[AdjustmentOut]:
    """Every hand adjustment of the session's attendance, oldest first (kept, never overwritten)."""
    session, program = load_session(db, session_id)
    require(can_view_attendance, actor, program)
    return [_adjustment_out(a) for a in credit_adjustments.history(db, session)]


@router.post("/api/v1/sessions/{session_id}/adjustments/{user_id}", status_code=201, tags=["api"])
def adjust_api(session_id: int, user_id: int, db: SessionDep, actor: CurrentActor,
               body: AdjustmentIn | None = None) -> AdjustmentOut:
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    body = body or AdjustmentIn()
    adjustment = credit_adjustments.adjust(db, session, program, user_id=user_id, minutes=body.minutes,
                                           reason=body.reason, actor=actor.user)
    db.commit()
    return _adjustment_out(adjustment)


@router.post("/api/v1/sessions/{session_id}/adjustments/{user_id}/clear", status_code=201, tags=["api"])
def clear_adjustment_api(session_id: int, user_id: int, db: SessionDep, actor: CurrentActor,
                         body: ReasonIn | None = None) -> AdjustmentOut:
    session, program = load_session(db, session_id)
    require(can_manage_attendance, actor, program)
    body = body or ReasonIn()
    adjustment = credit_adjustments.clear(db, session, program, user_id=user_id, reason=body.reason, actor=actor.user)
    db.commit()
    return _adjustment_out(adjustment)


@router.post("/api/v1/sessions/{session_id}/adjustments/{user_id}/decision", tags=["api"])
def decide_adjustment_api(session_id: int, user_id: int, db: SessionDep, actor: CurrentActor,
                          body: DecisionIn | None = None) -> AdjustmentOut:
    session, program = load_session(db, session_id)
    require(can_configure_credit, actor, message="Only the CME office and site admins approve adjustments.")
    body = body or DecisionIn()
    adjustment = credit_adjustments.decide(db, session, program, user_id=user_id, approve=body.approve,
                                           actor=actor.user)
    db.commit()
    return _adjustment_out(adjustment)


# --- pages ----------------------------------------------------------------------------------


def _render_settings(request, program, form, errors=None, status_code=200, *, actor: Actor):
    # The exports are plain GET forms on the API's URLs (the session cookie signs them in), shown to
    # whom those routes let download; the settings need the CME office, who may download all of them.
    context = {"program": program, "form": form, "errors": errors or {}, "types": credit.CREDIT_TYPE_LABELS,
               "default_questions": "\n".join(q["text"] for q in evaluations.DEFAULT_QUESTIONS),
               "standard": credit.standard_statements(form),
               "export_credit": can_view_program_credit(actor, program, None),
               "export_accreditation": can_manage_certificates(actor, program),
               "this_year": date.today().year}
    return templates.TemplateResponse(request, "credit/settings.html", context, status_code=status_code)


@router.get("/programs/{program_id}/credit", response_class=HTMLResponse)
def settings_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_configure_credit, actor, message=CREDIT_CONFIGURE_DENIED)
    return _render_settings(request, program, credit.CreditForm.of(credit.settings_of(db, program), program),
                            actor=actor)


@router.post("/programs/{program_id}/credit", response_class=HTMLResponse)
async def save_settings_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_configure_credit, actor, message=CREDIT_CONFIGURE_DENIED)
    raw = await request.form()
    text = {k: v for k, v in raw.items() if isinstance(v, str)}
    form = credit.CreditForm(
        credit_types=[t for t in raw.getlist("credit_types") if isinstance(t, str)],
        **{k: text.get(k, "") for k in ("max_credits", "designation_max_credits", "step", "min_share_percent",
                                        "provider_name", "provider_address",
                                        "accreditation_statement", "designation_statement", "activity_type",
                                        "evaluation_questions")},
        evaluation_required=text.get("evaluation_required") == "1", faculty_credit=text.get("faculty_credit") == "1",
        coordinators_may_view=text.get("coordinators_may_view") == "1",
        raise_needs_approval=text.get("raise_needs_approval") == "1")
    try:
        credit.save_settings(db, program, form, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_settings(request, program, form, exc.fields, 422, actor=actor)
    db.commit()
    flash(request, "Credit settings saved.", "success")
    return RedirectResponse(f"/programs/{program.id}/credit", status_code=303)


@router.get("/sessions/{session_id}/credit", response_class=HTMLResponse)
def session_credit_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    _require_credit_view(db, actor, program)
    # "credit_settings": a context processor gives every page `settings` (the app's own).
    context = {"session": session, "program": program, "awards": _awards(db, session),
               "credit_settings": credit.settings_of(db, program), "labels": credit.CREDIT_TYPE_LABELS,
               "revoked": [c for c in certificates.certificates_of_session(db, session) if c.revoked],
               "adjustments": _by_learner(credit_adjustments.history_rows(db, session)),
               "can_decide": can_configure_credit(actor)}
    return templates.TemplateResponse(request, "credit/session.html", context)


def _by_learner(rows: list) -> list[tuple[str, list]]:
    """(learner's name, their adjustments in order) for each learner, in the rows' order."""
    groups = []
    for _, learner_rows in groupby(rows, key=lambda row: row.user_id):
        learner_rows = list(learner_rows)
        groups.append((learner_rows[0].learner_name, learner_rows))
    return groups


DECISION_DENIED = "Only the CME office and site admins approve adjustments."


@router.post("/sessions/{session_id}/adjustments/{user_id}/decision", response_class=HTMLResponse)
async def decide_adjustment_page(request: Request, session_id: int, user_id: int, db: SessionDep,
                                 actor: CurrentActor):
    """Approve or reject the learner's pending adjustment, the one the page showed (`adjustment_id`):
    if it was decided or replaced meanwhile, nothing changes and the page says so."""
    session, program = load_session(db, session_id)
    require(can_configure_credit, actor, message=DECISION_DENIED)
    form = await request.form()
    back = "/credit/approvals" if form.get("back") == "queue" else f"/sessions/{session.id}/credit"
    choice, shown = form.get("approve"), _int_or_none(form.get("adjustment_id"))
    waiting = db.get(AttendanceAdjustment, shown) if shown else None
    if choice not in ("yes", "no"):
        flash(request, "Choose Approve or Reject; nothing was changed.", "error")
    elif waiting is None or (waiting.session_id, waiting.user_id, waiting.status) != (session.id, user_id, "pending"):
        flash(request, "This adjustment no longer waits for approval (it was decided or cleared meanwhile); "
                       "nothing was changed.", "error")
    else:
        try:
            adjustment = credit_adjustments.decide(db, session, program, user_id=user_id, approve=choice == "yes",
                                                   actor=actor.user)
        except (Forbidden, NotFound, InvalidTransition) as exc:
            db.rollback()
            flash(request, f"{exc.message} Nothing was changed.", "error")
            return RedirectResponse(back, status_code=303)
        learner = db.get(User, user_id)
        db.commit()
        outcome = "approved: credit is recomputed" if choice == "yes" else "rejected: nothing else changes"
        flash(request, f"{learner.full_name}'s adjustment to {adjustment.seconds // 60} minutes is {outcome}.",
              "success")
    return RedirectResponse(back, status_code=303)


def _int_or_none(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9 else None


@router.get("/credit/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, db: SessionDep, actor: CurrentActor, sort: str = "", cursor: str = "",
                   limit: str = ""):
    """Adjustments of every program waiting for the CME office, oldest first, 50 a page."""
    require(can_configure_credit, actor, message=DECISION_DENIED)
    sort_name, page = credit_adjustments.pending_page(db, sort=sort or None, cursor=cursor or None,
                                                      limit=page_size(limit))
    context = {"rows": page.rows, "sort": sort_name, "zone": actor.user.timezone,
               "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
               "first_page": bool(cursor)}
    return templates.TemplateResponse(request, "credit/approvals.html", context)


def _render_mine(request, db, session, program, actor: Actor, errors=None, status_code=200):
    context = {"session": session, "program": program, "mine": _my_credit(db, session, program, actor.user),
               "questions": evaluations.questions_for(db, program), "scale": evaluations.SCALE,
               "errors": errors or {}, "labels": credit.CREDIT_TYPE_LABELS}
    return templates.TemplateResponse(request, "credit/mine.html", context, status_code=status_code)


@router.get("/sessions/{session_id}/my-credit", response_class=HTMLResponse)
def my_credit_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    return _render_mine(request, db, session, program, actor)


@router.post("/sessions/{session_id}/evaluation", response_class=HTMLResponse)
async def evaluation_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    answers = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        evaluations.submit(db, session, program, answers, actor=actor.user)
    except InvalidInput as exc:
        db.rollback()
        return _render_mine(request, db, session, program, actor, exc.fields, 422)
    db.commit()
    flash(request, "Thank you for your evaluation.", "success")
    return RedirectResponse(f"/sessions/{session.id}/my-credit", status_code=303)


@router.get("/profile/reporting", response_class=HTMLResponse)
def reporting_page(request: Request, user: CurrentUser):
    return _render_reporting(request, credit_reports.ReportingForm.of(user), {})


def _render_reporting(request, form, errors, status_code=200):
    context = {"form": form, "errors": errors,
               "months": [("", "—")] + [(str(m), date(2000, m, 1).strftime("%B")) for m in range(1, 13)]}
    return templates.TemplateResponse(request, "credit/reporting.html", context, status_code=status_code)


@router.post("/profile/reporting", response_class=HTMLResponse)
async def save_reporting_page(request: Request, db: SessionDep, user: CurrentUser):
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    form = credit_reports.ReportingForm(raw.get("npi", "")[:40], raw.get("board_id", "")[:100],
                                        raw.get("nabp_eprofile_id", "")[:40], raw.get("birth_month", ""),
                                        raw.get("birth_day", ""), raw.get("consent") == "1")
    try:
        credit_reports.update_reporting(db, user, form, actor=user)
    except InvalidInput as exc:
        db.rollback()
        return _render_reporting(request, form, exc.fields, 422)
    db.commit()
    flash(request, "Your reporting details are saved.", "success")
    return RedirectResponse("/profile/reporting", status_code=303)

