"""Sample inputs and helpers for the PDF export tests (no tests here; named test_pdf_* so it
 sits with the tests it serves)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader

from app.exports.pdf import CertificateData, default_statements

PROVIDER = "University Health Sciences Center"
ADDRESS = "1 Medical Center Drive, Albuquerque, NM 87131"
VERIFY_BASE = "https://telementor.example.org/verify/"


def make_certificate(credit_type: str = "ama_pra_1", **changes) -> CertificateData:
    statement_kind = "ama_pra_1" if credit_type == "participation" else credit_type
    statements = default_statements(PROVIDER, statement_kind, Decimal("52"))
    code = changes.pop("code", "K7Q2M9XD4HTR")
    certificate = CertificateData(
        code=code,
        learner_name="Amelia Hernández-Okafor",
        learner_degree="MD",
        activity_title="Hepatitis C ECHO",
        activity_type="Live activity, regularly scheduled series",
        session_date=date(2026, 3, 4),
        session_topic="Drug interactions of DAAs",
        credit_type=credit_type,
        credits=Decimal("1.25"),
        provider_name=PROVIDER,
        provider_address=ADDRESS,
        accreditation_statement=statements.accreditation,
        designation_statement=statements.designation,
        verify_url=VERIFY_BASE + code,
        issued_on=date(2026, 3, 6),
    )
    return replace(certificate, **changes)


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, whitespace collapsed so wrapped sentences compare as one line."""
    reader = PdfReader(BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
