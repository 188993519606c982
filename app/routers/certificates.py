"""Certificates: claim, bulk issue, PDF, session ZIP, transcripts and the public verification page."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict

from app.atomic import commit_or_retry_once
from app.deps import CurrentActor, OptionalUser, SessionDep, SettingsDep, load_program, load_session
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import Certificate, User
from app.pagination import first_link, next_link, optional_id, page_size, search_text
from app.permissions import (
    can_attend,
    can_configure_credit,
    can_download_certificate,
    can_manage_certificates,
    can_view_credit_reports,
    require,
)
from app.services import certificate_files, certificate_lists, certificate_zip, certificates, credit, transcript_files
from app.services.credit import CREDIT_TYPE_LABELS
from app.templating import flash, templates

router = APIRouter()
PRIVATE = {"Cache-Control": "private, no-store"}


class CertificateOut(BaseModel):
    code: str
    session_id: int
    user_id: int
    learner_name: str
    credit_type: str
    credits: Decimal
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str


class SessionCertificateOut(CertificateOut):
    id: int
    # The stored PDF: "stored", "pending"/"rendering" (the worker has not finished it), "dead"
    # (given up after its last try; pdf_error says why), "missing" (issued before PDFs were stored).
    pdf_status: str
    pdf_error: str


def _out(certificate: Certificate) -> CertificateOut:
    return CertificateOut.model_validate(certificate, from_attributes=True)


def _pdf(body: bytes, filename: str) -> Response:
    return Response(body, media_type="application/pdf",
                    headers={**PRIVATE, "Content-Disposition": f'attachment; filename="{filename}"'})


# --- JSON API and files -------------------------------------------------------------------------


@router.post("/api/v1/sessions/{session_id}/certificate", status_code=201, tags=["api"])
def claim_api(session_id: int, db: SessionDep, actor: CurrentActor) -> CertificateOut:
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    certificate = commit_or_retry_once(db, lambda: certificates.claim(db, session, program, actor=actor.user))
    return _out(certificate)


@router.post("/api/v1/sessions/{session_id}/certificates", status_code=201, tags=["api"])
def issue_all_api(session_id: int, db: SessionDep, actor: CurrentActor) -> list[CertificateOut]:
    session, program = load_session(db, session_id)
    require(can_manage_certificates, actor, program)
    issued = commit_or_retry_once(db, lambda: certificates.issue_all(db, session, program, actor=actor.user))
    return [_out(c) for c in issued]


@router.get("/api/v1/sessions/{session_id}/certificates", tags=["api"])
def session_certificates_api(session_id: int, request: Request, response: Response, db: SessionDep,
                             actor: CurrentActor, after: int | None = None,
                             limit: int = Query(default=certificates.CERTIFICATE_PAGE_SIZE, ge=1, le=500),
                             ) -> list[SessionCertificateOut]:
    """One page of the session's certificates, in the order issued; a Link header (rel="next")
    points to the next page while there is one."""
    session, program = load_session(db, session_id)
    require(can_manage_certificates, actor, program)
    page, next_after = certificates.certificates_page(db, session, after_id=after, limit=limit)
    states = certificate_files.states_of(db, [c.id for c in page])
    if next_after is not None:
        response.headers["Link"] = f'<{request.url.include_query_params(after=next_after)}>; rel="next"'
    return [SessionCertificateOut(**_out(c).model_dump(), id=c.id, pdf_status=states[c.id].status,
                                  pdf_error=states[c.id].error) for c in page]


@router.get("/api/v1/sessions/{session_id}/certificates.zip", tags=["api"])
def session_zip(session_id: int, db: SessionDep, actor: CurrentActor, settings: SettingsDep) -> Response:
    session, program = load_session(db, session_id)
    require(can_manage_certificates, actor, program)
    chunks = certificate_zip.session_zip(db, session, base_url=settings.base_url, workers=settings.pdf_workers)
    day = certificates.local_date(session.starts_at, program).isoformat()
    disposition = f'attachment; filename="certificates-{day}.zip"'
    return StreamingResponse(chunks, media_type="application/zip",
                             headers={**PRIVATE, "Content-Disposition": disposition})


class CertificateAccess(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    coordinators_manage_credit: bool


@router.put("/api/v1/programs/{program_id}/certificate-access", tags=["api"])
def certificate_access_api(program_id: int, body: CertificateAccess, db: SessionDep,
                           actor: CurrentActor) -> CertificateAccess:
    """Whether the program's coordinators may issue and download its certificates (the CME office decides)."""
    program = load_program(db, program_id)
    require(can_configure_credit, actor)
    certificates.set_coordinator_access(db, program, body.coordinators_manage_credit, actor=actor.user)
    db.commit()
    return CertificateAccess(coordinators_manage_credit=program.coordinators_manage_credit)


@router.get("/api/v1/certificates", tags=["api"])
def my_certificates_api(db: SessionDep, actor: CurrentActor) -> list[CertificateOut]:
    return [_out(c) for c, _, _ in certificates.certificates_of_user(db, actor.user)]


@router.get("/certificates/{code}.pdf")
def certificate_pdf(code: str, db: SessionDep, actor: CurrentActor, settings: SettingsDep) -> Response:
    certificate = certificates.load(db, code)
    if not can_download_certificate(actor, certificate):
        require(can_manage_certificates, actor, certificates.program_of(db, certificate))
    body = certificate_files.certificate_pdf(db, certificate, base_url=settings.base_url, workers=settings.pdf_workers)
    db.commit()  # a PDF rendered just now is stored for the next download
    return _pdf(body, f"certificate-{certificate.code}.pdf")


def _transcript(db, learner: User, start, end, year, workers: int | None) -> Response:
    period = certificates.Period.parse(start, end, year)
    body = transcript_files.transcript_pdf(db, learner, period, workers=workers)
    db.commit()  # a transcript rendered just now is kept for the next download
    return _pdf(body, f"transcript-{period.start.isoformat()}-{period.end.isoformat()}.pdf")


@router.get("/api/v1/users/me/transcript.pdf", tags=["api"])
def my_transcript(db: SessionDep, actor: CurrentActor, settings: SettingsDep, start: str | None = None,
                  end: str | None = None, year: str | None = None) -> Response:
    return _transcript(db, actor.user, start, end, year, settings.pdf_workers)


@router.get("/api/v1/users/{user_id}/transcript.pdf", tags=["api"])
def learner_transcript(user_id: int, db: SessionDep, actor: CurrentActor, settings: SettingsDep,
                       start: str | None = None, end: str | None = None, year: str | None = None) -> Response:
    learner = db.get(User, user_id)
    if learner is None:
        raise NotFound("No such person.")
    if learner.id != actor.id:
        require(can_view_credit_reports, actor)
    return _transcript(db, learner, start, end, year, settings.pdf_workers)


@router.get("/api/v1/verify/{code}", tags=["api"])
def verify_api(code: str, db: SessionDep) -> dict:
    return certificates.verification(db, code)


# --- pages ----------------------------------------------------------------------------------------


@router.get("/verify/{code}", response_class=HTMLResponse)
def verify_page(request: Request, code: str, db: SessionDep, user: OptionalUser):
    facts = certificates.verification(db, code)
    response = templates.TemplateResponse(request, "certificates/verify.html", {"facts": facts})
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _list_context(request: Request, page, *, filters: dict, sorts: dict, cursor: str) -> dict:
    return {"rows": page.rows, "filters": filters, "sorts": sorts, "labels": CREDIT_TYPE_LABELS,
            "next_url": next_link(request.url, page.next_cursor), "first_url": first_link(request.url),
            "first_page": bool(cursor)}


@router.get("/certificates", response_class=HTMLResponse)
def my_certificates_page(request: Request, db: SessionDep, actor: CurrentActor, q: str = "", sort: str = "",
                         cursor: str = "", limit: str = ""):
    """The learner's certificates, 50 a page, found by program; the transcript of each year."""
    search = search_text(q)
    sort_name, page = certificate_lists.mine_page(db, actor.user, search=search, sort=sort or None,
                                                  cursor=cursor or None, limit=page_size(limit))
    context = {**_list_context(request, page, filters={"q": search, "sort": sort_name},
                               sorts=certificate_lists.MINE_SORT_LABELS, cursor=cursor),
               "total": certificate_lists.mine_count(db, actor.user),
               "years": certificate_lists.transcript_years(db, actor.user), "owed": credit.owed_for(db, actor.user)}
    return templates.TemplateResponse(request, "certificates/mine.html", context)


@router.get("/credit/certificates", response_class=HTMLResponse)
def all_certificates_page(request: Request, db: SessionDep, actor: CurrentActor, q: str = "", program_id: str = "",
                          state: str = "", sort: str = "", cursor: str = "", limit: str = ""):
    """Every program's certificates for the CME office, 50 a page: found by learner or code, of one
    program and state or any (every filter left empty means any)."""
    require(can_view_credit_reports, actor)
    search, program = search_text(q), optional_id(program_id, "program_id")
    if state not in ("", *certificate_lists.STATES):
        raise InvalidInput("Choose a state from the list.", fields={"state": "Choose valid, revoked or any."})
    sort_name, page = certificate_lists.all_page(db, search=search, program_id=program, state=state or None,
                                                 sort=sort or None, cursor=cursor or None, limit=page_size(limit))
    filters = {"q": search, "program_id": program, "state": state, "sort": sort_name}
    context = {**_list_context(request, page, filters=filters, sorts=certificate_lists.ALL_SORT_LABELS, cursor=cursor),
               "programs": certificate_lists.program_choices(db), "states": certificate_lists.STATES}
    return templates.TemplateResponse(request, "certificates/all.html", context)


@router.post("/sessions/{session_id}/certificate", response_class=HTMLResponse)
def claim_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_attend, actor, program)
    try:
        commit_or_retry_once(db, lambda: certificates.claim(db, session, program, actor=actor.user))
    except InvalidTransition as exc:
        db.rollback()
        flash(request, exc.message, "error")
        return RedirectResponse(f"/sessions/{session.id}/my-credit", status_code=303)
    flash(request, "Your certificate is ready.", "success")
    return RedirectResponse(f"/sessions/{session.id}/my-credit", status_code=303)


@router.post("/sessions/{session_id}/certificates", response_class=HTMLResponse)
def issue_all_page(request: Request, session_id: int, db: SessionDep, actor: CurrentActor):
    session, program = load_session(db, session_id)
    require(can_manage_certificates, actor, program)
    issued = commit_or_retry_once(db, lambda: certificates.issue_all(db, session, program, actor=actor.user))
    flash(request, f"{len(issued)} certificate(s) issued.", "success")
    return RedirectResponse(f"/sessions/{session.id}/credit", status_code=303)
