"""Certificates: wording per credit type, code and QR code, revocation, batches."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
import segno
from pypdf import PdfReader

from app.exports.pdf import (
    LEARNER_FIELDS,
    plan_batch,
    render_certificate,
    render_certificates_batch,
)
from tests.unit.test_pdf_samples import (
    ADDRESS,
    PROVIDER,
    make_certificate,
    pdf_text,
    squash,
)


@pytest.fixture(scope="module")
def physician_text() -> str:
    return pdf_text(render_certificate(make_certificate("ama_pra_1")))


def test_certificate_physician_shows_learner_activity_session_and_code(physician_text):
    assert "Amelia Hernández-Okafor, MD" in physician_text
    assert "Hepatitis C ECHO" in physician_text
    assert "Live activity, regularly scheduled series" in physician_text
    assert "Session of March 4, 2026: Drug interactions of DAAs" in physician_text
    assert "K7Q2M9XD4HTR" in physician_text
    assert "Certificate of Credit" in physician_text


def test_certificate_physician_states_credits_claimed_and_both_statements(physician_text):
    certificate = make_certificate("ama_pra_1")
    assert "and claimed 1.25 AMA PRA Category 1 Credits™" in physician_text
    assert squash(certificate.accreditation_statement) in physician_text
    assert squash(certificate.designation_statement) in physician_text
    assert "for a maximum of 52 AMA PRA Category 1 Credit(s)™" in physician_text


def test_certificate_physician_single_credit_is_singular():
    text = pdf_text(render_certificate(make_certificate("ama_pra_1", credits=Decimal("1"))))
    assert "and claimed 1 AMA PRA Category 1 Credit™" in text


def test_certificate_is_one_letter_landscape_page():
    reader = PdfReader(BytesIO(render_certificate(make_certificate())))
    assert len(reader.pages) == 1
    assert [float(value) for value in reader.pages[0].mediabox] == [0.0, 0.0, 792.0, 612.0]


def test_certificate_nursing_states_contact_hours_provider_and_address():
    text = pdf_text(render_certificate(make_certificate("nursing", learner_degree="RN")))
    assert "and was awarded 1.25 nursing contact hours" in text
    assert "accredited as a provider of nursing continuing professional development" in text
    assert f"by {PROVIDER}, {ADDRESS}" in text
    assert "AMA PRA" not in text


def test_certificate_nursing_never_names_commercial_supporters():
    certificate = make_certificate("nursing", commercial_supporters=("Acme Pharma",))
    text = pdf_text(render_certificate(certificate))
    assert "Acme Pharma" not in text
    assert "support" not in text.lower()


def test_certificate_physician_names_commercial_supporters():
    certificate = make_certificate("ama_pra_1", commercial_supporters=("Acme Pharma", "Beta Labs"))
    text = pdf_text(render_certificate(certificate))
    assert "This activity received educational support from Acme Pharma, Beta Labs." in text


def test_certificate_pharmacy_shows_license_contact_hours_ceu_and_uan():
    certificate = make_certificate("pharmacy", learner_degree="PharmD", learner_license="RPH-0412",
                                   activity_number="0039-9999-26-012-L01-P")
    text = pdf_text(render_certificate(certificate))
    assert "Amelia Hernández-Okafor, PharmD" in text
    assert "License no. RPH-0412" in text
    assert "and was awarded 1.25 contact hours (0.125 CEU)" in text
    assert "ACPE Universal Activity Number 0039-9999-26-012-L01-P" in text
    assert "Accreditation Council for Pharmacy Education (ACPE)" in text
    assert "Statement of Credit" in text


def test_certificate_pharmacy_avoids_the_word_certificate_even_when_revoked():
    text = pdf_text(render_certificate(make_certificate("pharmacy", revoked=True)))
    assert "certificate" not in text.lower()
    assert "This statement is no longer valid" in text


def test_certificate_participation_quotes_designation_and_asks_to_check_board():
    text = pdf_text(render_certificate(make_certificate("participation", learner_degree="LCSW")))
    assert "Certificate of Participation" in text
    assert "for 1.25 hours of participation" in text
    assert "This activity was designated for AMA PRA Category 1 Credit™." in text
    assert "check with your licensing board whether it accepts this credit" in text


def test_certificate_revoked_shows_revoked_mark():
    text = pdf_text(render_certificate(make_certificate(revoked=True)))
    assert "REVOKED" in text
    assert "This certificate is no longer valid" in text


def test_certificate_valid_has_no_revoked_mark(physician_text):
    assert "REVOKED" not in physician_text


def qr_modules(pdf: bytes) -> list[list[bool]]:
    """The QR code image of a one-page PDF as rows of dark (True) / light modules."""
    images = PdfReader(BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    picture = images[0].image.convert("L")
    return [[picture.getpixel((x, y)) < 128 for x in range(picture.width)]
            for y in range(picture.height)]


def test_certificate_qr_code_encodes_verify_url():
    certificate = make_certificate()
    expected = [[bool(module) for module in row]
                for row in segno.make(certificate.verify_url, error="m").matrix]
    assert qr_modules(render_certificate(certificate)) == expected


def test_certificate_embeds_only_bundled_fonts():
    reader = PdfReader(BytesIO(render_certificate(make_certificate(revoked=True))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    families = sorted({font.get_object()["/BaseFont"].split("+", 1)[1] for font in fonts.values()})
    assert families == ["Telementor-Sans", "Telementor-Sans-Bold", "Telementor-Serif",
                        "Telementor-Serif-Italic"]


LEARNERS = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Mary Jackson"]


@pytest.fixture(scope="module")
def batch() -> list[bytes]:
    certificates = [make_certificate(learner_name=name, code=f"CODE{index:04d}")
                    for index, name in enumerate(LEARNERS)]
    return render_certificates_batch(certificates)


def test_batch_yields_one_valid_single_page_pdf_per_certificate(batch):
    assert len(batch) == len(LEARNERS)
    assert [len(PdfReader(BytesIO(part)).pages) for part in batch] == [1, 1, 1, 1]
    assert all(part.startswith(b"%PDF-") and part.rstrip().endswith(b"%%EOF") for part in batch)


def test_batch_each_pdf_has_its_own_learner_and_no_other(batch):
    for index, part in enumerate(batch):
        text = pdf_text(part)
        names_present = [name for name in LEARNERS if name in text]
        assert names_present == [LEARNERS[index]]
        assert f"CODE{index:04d}" in text


def test_batch_each_pdf_carries_only_its_own_qr_code(batch):
    for index, part in enumerate(batch):
        expected = segno.make(f"https://telementor.example.org/verify/CODE{index:04d}", error="m")
        assert qr_modules(part) == [[bool(module) for module in row] for row in expected.matrix]


def test_batch_pdf_shows_the_same_text_as_a_single_render(batch):
    single = render_certificate(make_certificate(learner_name=LEARNERS[2], code="CODE0002"))
    assert sorted(pdf_text(batch[2]).split()) == sorted(pdf_text(single).split())


def test_batch_pdf_has_a_title_naming_its_code(batch):
    assert PdfReader(BytesIO(batch[1])).metadata.title == "Certificate CODE0001"


def test_batch_mixed_credit_types_get_their_own_wording():
    certificates = [make_certificate("nursing", learner_name="Nora Nurse", code="N1"),
                    make_certificate("ama_pra_1", learner_name="Phil Physician", code="P1"),
                    make_certificate("nursing", learner_name="Nina Nurse", code="N2", revoked=True)]
    texts = [pdf_text(part) for part in render_certificates_batch(certificates)]
    assert ["nursing contact hours" in text for text in texts] == [True, False, True]
    assert ["AMA PRA Category 1 Credits™" in text for text in texts] == [False, True, False]
    assert ["REVOKED" in text for text in texts] == [False, False, True]


def test_batch_of_nothing_is_empty():
    assert render_certificates_batch([]) == []


def test_certificate_long_title_and_name_stay_on_one_page():
    certificate = make_certificate(
        learner_name="Maximiliana Alexandra Konstantinopoulou-Vanderbilt-Featherstonehaugh",
        activity_title="Interdisciplinary Management of Chronic Pain, Opioid Use Disorder " * 3)
    parts = render_certificates_batch([certificate, make_certificate(code="SECOND")])
    assert [len(PdfReader(BytesIO(part)).pages) for part in parts] == [1, 1]


def test_batch_background_layer_holds_no_learner_data():
    pages = plan_batch([make_certificate(code="A1"), make_certificate(code="B2")])
    background_pages = [page for page in pages if "background" not in page]
    assert [sorted(set(page["cert"]) & set(LEARNER_FIELDS)) for page in background_pages] == [[]]
