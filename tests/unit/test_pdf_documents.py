"""Transcripts, recommendation letters, statement wording and input checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.exports.pdf import (
    HubTeamMember,
    RecommendationLetterData,
    TranscriptData,
    TranscriptRow,
    default_statements,
    render_recommendation_letter,
    render_transcript,
)
from tests.unit.test_pdf_samples import ADDRESS, PROVIDER, make_certificate, pdf_text


def test_default_statements_physician_standard_wording():
    statements = default_statements("Acme Health", "ama_pra_1", Decimal("52"))
    assert statements.accreditation == (
        "Acme Health is accredited by the Accreditation Council for Continuing Medical Education "
        "(ACCME) to provide continuing medical education for physicians.")
    assert statements.designation == (
        "Acme Health designates this live activity for a maximum of 52 AMA PRA Category 1 "
        "Credit(s)™. Physicians should claim only the credit commensurate with the extent of "
        "their participation in the activity.")


def test_default_statements_nursing_names_ancc_and_contact_hours():
    statements = default_statements("Acme Health", "nursing", Decimal("1.5"))
    assert statements.accreditation == (
        "Acme Health is accredited as a provider of nursing continuing professional development "
        "by the American Nurses Credentialing Center's Commission on Accreditation.")
    assert statements.designation == "This activity awards a maximum of 1.5 nursing contact hours."


def test_default_statements_pharmacy_gives_contact_hours_and_ceu():
    statements = default_statements("Acme Health", "pharmacy", Decimal("12"))
    assert statements.designation == (
        "This live activity provides a maximum of 12 contact hours (1.2 CEU) of continuing "
        "pharmacy education.")


def test_default_statements_participation_uses_the_ama_designation():
    assert default_statements("Acme", "participation", Decimal("2")) == default_statements(
        "Acme", "ama_pra_1", Decimal("2"))


def test_default_statements_unknown_credit_type_is_refused():
    with pytest.raises(ValueError, match="unknown credit type 'moc'"):
        default_statements("Acme", "moc", Decimal("1"))


@pytest.mark.parametrize("credits", [Decimal("1.1"), Decimal("-0.25"), Decimal("0.3")])
def test_certificate_data_credits_off_quarter_steps_are_refused(credits):
    with pytest.raises(ValueError, match="multiple of 0.25"):
        make_certificate(credits=credits)


def test_certificate_data_float_credits_are_refused():
    with pytest.raises(TypeError, match="credits must be a Decimal"):
        make_certificate(credits=1.25)


def test_certificate_data_relative_verify_url_is_refused():
    with pytest.raises(ValueError, match="absolute URL"):
        make_certificate(verify_url="/verify/abc")


def transcript(rows: tuple[TranscriptRow, ...]) -> TranscriptData:
    return TranscriptData(
        learner_name="Grace Hopper", learner_degree="MD", provider_name=PROVIDER,
        provider_address=ADDRESS, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
        issued_on=date(2026, 7, 1), rows=rows, learner_license="NM-1234")


ROWS = (
    TranscriptRow(date(2026, 2, 4), "Hepatitis C ECHO", "Cirrhosis", "ama_pra_1",
                  Decimal("1.25"), "CODE-B"),
    TranscriptRow(date(2026, 1, 7), "Hepatitis C ECHO", "Screening", "ama_pra_1",
                  Decimal("1"), "CODE-A"),
    TranscriptRow(date(2026, 3, 4), "Pain ECHO", "Tapering <opioids>", "participation",
                  Decimal("1.5")),
)


def test_transcript_lists_each_session_with_date_credit_type_and_credits():
    text = pdf_text(render_transcript(transcript(ROWS)))
    assert "Transcript of Continuing Education Credit" in text
    assert "Grace Hopper, MD" in text
    assert "License no. NM-1234" in text
    assert "January 1, 2026 – June 30, 2026" in text
    assert ("January 7, 2026 Hepatitis C ECHO Screening Code CODE-A AMA PRA Category 1 Credit™ 1"
            in text)
    assert "February 4, 2026 Hepatitis C ECHO Cirrhosis Code CODE-B" in text
    assert "Pain ECHO Tapering <opioids> Hours of participation 1.5" in text


def test_transcript_totals_each_credit_type_apart():
    text = pdf_text(render_transcript(transcript(ROWS)))
    assert "Total: AMA PRA Category 1 Credit™ 2.25" in text
    assert "Total: Hours of participation 1.5" in text


def test_transcript_totals_by_credit_type_in_fixed_order():
    assert transcript(ROWS).totals_by_credit_type() == {
        "ama_pra_1": Decimal("2.25"), "participation": Decimal("1.5")}


def test_transcript_without_rows_says_so():
    text = pdf_text(render_transcript(transcript(())))
    assert "No credit was recorded for this period." in text


def test_transcript_many_rows_flow_onto_numbered_pages():
    many = tuple(replace(ROWS[0], session_topic=f"Topic {index}") for index in range(60))
    reader = PdfReader(BytesIO(render_transcript(transcript(many))))
    assert len(reader.pages) > 1
    assert "Page 1 of" in reader.pages[0].extract_text()


LETTER = RecommendationLetterData(
    program_name="Hepatitis C ECHO",
    hub_name=PROVIDER,
    hub_address=ADDRESS,
    case_number="HCV-2026-014",
    presenter_name="Dr. Jordan Lee",
    session_date=date(2026, 3, 4),
    letter_date=date(2026, 3, 6),
    question="Which DAA regimen is safest with amiodarone?",
    recommendations=("Avoid sofosbuvir while on amiodarone.",
                     "Prefer glecaprevir/pibrentasvir for 12 weeks.",
                     "Check HBV serologies first."),
    summary="Treatment is appropriate now.",
    follow_up="Present again at week 4.",
    hub_team=(HubTeamMember("Dr. Ana Ruiz", "Hepatology"),
              HubTeamMember("Sam Cole, PharmD", "Pharmacy")),
)


@pytest.fixture(scope="module")
def letter_text() -> str:
    return pdf_text(render_recommendation_letter(LETTER))


def test_recommendation_letter_shows_header_case_question_and_date(letter_text):
    assert "Hepatitis C ECHO" in letter_text
    assert "Case number HCV-2026-014" in letter_text
    assert "Presented by Dr. Jordan Lee" in letter_text
    assert "Which DAA regimen is safest with amiodarone?" in letter_text
    assert "Date March 6, 2026" in letter_text


def test_recommendation_letter_numbers_recommendations_in_order(letter_text):
    assert ("1. Avoid sofosbuvir while on amiodarone. 2. Prefer glecaprevir/pibrentasvir for 12 "
            "weeks. 3. Check HBV serologies first.") in letter_text


def test_recommendation_letter_has_summary_follow_up_and_team(letter_text):
    assert "Summary Treatment is appropriate now." in letter_text.replace("SUMMARY", "Summary")
    assert "Present again at week 4." in letter_text
    assert "Dr. Ana Ruiz · Hepatology" in letter_text
    assert "Sam Cole, PharmD · Pharmacy" in letter_text


def test_recommendation_letter_states_recommendations_are_advisory(letter_text):
    assert "These recommendations are advisory." in letter_text
    assert "The presenting clinician remains responsible for the patient's care" in letter_text
