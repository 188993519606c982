"""PDF exports: CME/CE certificates, credit transcripts and recommendation letters.

Pure rendering: callers pass plain dataclasses (app.exports.pdf_data) and get PDF bytes back.
No database, no request, no network and no file outside the bundled fonts is touched.

    render_certificate(data) -> bytes
    render_certificates_batch([data, ...]) -> [bytes, ...]   one layout, split into one PDF each
                                                             (large batches: one per worker process)
    render_transcript(data) -> bytes
    render_recommendation_letter(data) -> bytes
    in_render_process(render_x, data, workers=N) -> bytes   in a warm worker process (N >= 1)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

import segno
import weasyprint

from app.exports import pdf_workers
from app.exports.pdf_data import (
    CREDIT_TYPES,
    CREDIT_UNIT_LABELS,
    CertificateData,
    HubTeamMember,
    RecommendationLetterData,
    Statements,
    TranscriptData,
    TranscriptRow,
    default_statements,
)
from app.exports.pdf_engine import page_index_by_anchor, renderer, write_pdf
from app.exports.pdf_split import BatchSplitter

__all__ = [
    "CREDIT_TYPES",
    "CertificateData",
    "HubTeamMember",
    "RecommendationLetterData",
    "Statements",
    "TranscriptData",
    "TranscriptRow",
    "default_statements",
    "render_certificate",
    "render_certificates_batch",
    "in_render_process",
    "render_recommendation_letter",
    "render_transcript",
]

Data = TypeVar("Data")

CERTIFICATE_STYLESHEETS = ["fonts.css", "certificate.css"]
TRANSCRIPT_STYLESHEETS = ["fonts.css", "document.css", "transcript.css"]
LETTER_STYLESHEETS = ["fonts.css", "document.css", "letter.css"]

QR_COLOUR = "#1f3a5f"

# Fields that differ from learner to learner. Everything else (credits included: a session
# has only a few distinct amounts) is shared by many certificates and laid out once per batch.
LEARNER_FIELDS = ("code", "learner_name", "learner_degree", "learner_license", "verify_url",
                  "revoked")
# Context entries derived from the learner fields above.
LEARNER_DERIVED = ("qr_data_url", "name_size", "url_size")


def qr_code_data_url(url: str) -> str:
    """A one-pixel-per-module PNG, scaled up by the PDF viewer without smoothing
    (image-rendering: pixelated): a few hundred bytes per page and cheap to lay out, where an
    SVG path would be re-parsed and drawn for every certificate of a batch."""
    qr_code = segno.make(url, error="m")
    return qr_code.png_data_uri(scale=1, border=0, dark=QR_COLOUR)


def size_class(text: str, *, long: int, very_long: int) -> str:
    """One-line slots (the learner's name, the verification URL) step down a font size for long
    text instead of wrapping; the thresholds are what fits the slot at each size."""
    if len(text) > very_long:
        return "very-long"
    if len(text) > long:
        return "long"
    return ""


def certificate_context(data: CertificateData) -> dict:
    values = dataclasses.asdict(data)
    values["commercial_supporters"] = list(data.commercial_supporters)
    values["ceu"] = data.credits / 10  # ACPE: 1 contact hour = 0.1 CEU
    values["qr_data_url"] = qr_code_data_url(data.verify_url)
    values["name_size"] = size_class(f"{data.learner_name}, {data.learner_degree}",
                                     long=34, very_long=48)
    values["url_size"] = size_class(data.verify_url, long=56, very_long=68)
    return values


def background_key(data: CertificateData) -> tuple:
    return tuple(value for name, value in dataclasses.asdict(data).items()
                 if name not in LEARNER_FIELDS)


def document_name(data: CertificateData) -> str:
    kind = "Statement of credit" if data.credit_type == "pharmacy" else "Certificate"
    return f"{kind} {data.code}"


def render_certificate(data: CertificateData) -> bytes:
    page = {"anchor": "certificate", "layers": ("background", "foreground"),
            "cert": certificate_context(data)}
    return write_pdf(lay_out_certificates([page], document_name(data)))


def render_certificates_batch(certificates: list[CertificateData], *,
                              workers: int | None = None) -> list[bytes]:
    """Many certificates in one WeasyPrint document, split into one small PDF each (input order).

    The document holds one background page per distinct activity/session/credit type (usually
    one or a few per batch) followed by one foreground page per learner; each output PDF draws
    its background under its foreground. The shared part is laid out once instead of N times.

    With ``workers`` >= 1 (default: one per CPU, at most 4) the batch is rendered in the warm
    worker processes, a large one cut into one chunk per process; 0 renders in this process.
    """
    workers = pdf_workers.default_workers() if workers is None else workers
    if workers >= 1 and certificates:
        chunks = pdf_workers.chunk_count(len(certificates), workers)
        parts = pdf_workers.pool.map(render_batch_in_process,
                                     pdf_workers.split_evenly(certificates, chunks),
                                     workers=workers, initializer=warm_up)
        if parts is not None:
            return [part for chunk in parts for part in chunk]
    return render_batch_in_process(certificates)


def in_render_process(render: Callable[[Data], bytes], data: Data, *, workers: int | None = None) -> bytes:
    """``render(data)`` in one of the warm worker processes (``workers`` >= 1, default one per
    CPU, at most 4), or in this process when ``workers`` is 0 or no worker process can run."""
    workers = pdf_workers.default_workers() if workers is None else workers
    if workers >= 1:
        result = pdf_workers.pool.run(render, data, workers=workers, initializer=warm_up)
        if result is not None:
            return result
    return render(data)


def render_batch_in_process(certificates: list[CertificateData]) -> list[bytes]:
    if not certificates:
        return []
    pages = plan_batch(certificates)
    document = lay_out_certificates(pages, "Certificates")
    return split_batch(document, pages, certificates)


def plan_batch(certificates: list[CertificateData]) -> list[dict]:
    """Background pages (one per distinct shared part), then one foreground page per learner."""
    background_pages: dict[tuple, dict] = {}
    foreground_pages = []
    for index, data in enumerate(certificates):
        context = certificate_context(data)
        key = background_key(data)
        if key not in background_pages:
            # The background gets no learner field at all: should a template change ever put one
            # on the shared layer, StrictUndefined fails the batch instead of printing the first
            # learner's name on everyone's certificate.
            shared = {name: value for name, value in context.items()
                      if name not in LEARNER_FIELDS + LEARNER_DERIVED}
            background_pages[key] = {"anchor": f"background-{len(background_pages)}",
                                     "layers": ("background",), "cert": shared}
        foreground_pages.append({"anchor": f"certificate-{index}", "layers": ("foreground",),
                                 "cert": context, "background": background_pages[key]["anchor"]})
    return [*background_pages.values(), *foreground_pages]


def warm_up() -> None:
    """Load the fonts, parse the stylesheets of this thread's renderer and lay out one sample
    certificate and transcript now (Pango loads faces and shapes glyphs on first use), so the
    first real document (in a new worker process, say) does not pay for it."""
    current = renderer()
    for name in {*CERTIFICATE_STYLESHEETS, *TRANSCRIPT_STYLESHEETS}:
        current.stylesheet(name)
    statements = default_statements("Warm-up Provider", "ama_pra_1", Decimal(1))
    sample = CertificateData(
        code="WARMUP", learner_name="Warm Up", learner_degree="MD", activity_title="Warm-up",
        activity_type="Live activity", session_date=date(2026, 1, 1), session_topic="Warm-up",
        credit_type="ama_pra_1", credits=Decimal(1), provider_name="Warm-up Provider", provider_address="",
        accreditation_statement=statements.accreditation, designation_statement=statements.designation,
        verify_url="https://localhost/verify/WARMUP", issued_on=date(2026, 1, 1))
    render_certificate(sample)
    render_transcript(TranscriptData(
        learner_name="Warm Up", learner_degree="MD", provider_name="Warm-up Provider", provider_address="",
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), issued_on=date(2026, 1, 1),
        rows=(TranscriptRow(session_date=date(2026, 1, 1), activity_title="Warm-up", session_topic="Warm-up",
                            credit_type="ama_pra_1", credits=Decimal(1), certificate_code="WARMUP"),)))


def lay_out_certificates(pages: list[dict], title: str) -> weasyprint.document.Document:
    current = renderer()
    html = current.render_html("certificates.html", {"document_title": title, "pages": pages})
    return current.document(html, CERTIFICATE_STYLESHEETS)


def split_batch(document: weasyprint.document.Document, pages: list[dict],
                certificates: list[CertificateData]) -> list[bytes]:
    page_of = page_index_by_anchor(document, [page["anchor"] for page in pages])
    splitter = BatchSplitter(write_pdf(document))
    foreground_pages = [page for page in pages if "background" in page]
    return [splitter.part(page_of[page["background"]], page_of[page["anchor"]], document_name(data))
            for page, data in zip(foreground_pages, certificates, strict=True)]


def transcript_context(data: TranscriptData) -> dict:
    values = dataclasses.asdict(data)
    values["rows"] = [
        {**dataclasses.asdict(row), "credit_label": CREDIT_UNIT_LABELS[row.credit_type]}
        for row in sorted(data.rows, key=lambda row: (row.session_date, row.activity_title))
    ]
    values["totals"] = [
        {"credit_label": CREDIT_UNIT_LABELS[kind], "credits": total}
        for kind, total in data.totals_by_credit_type().items()
    ]
    return values


def render_transcript(data: TranscriptData) -> bytes:
    current = renderer()
    html = current.render_html("transcript.html", {"transcript": transcript_context(data)})
    return write_pdf(current.document(html, TRANSCRIPT_STYLESHEETS))


def render_recommendation_letter(data: RecommendationLetterData) -> bytes:
    current = renderer()
    letter = dataclasses.asdict(data)
    html = current.render_html("recommendation_letter.html", {"letter": letter})
    return write_pdf(current.document(html, LETTER_STYLESHEETS))
