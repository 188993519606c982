"""The coordinator imports a Zoom report and resolves its unmatched row; the CME officer issues
the session's certificates and downloads the ZIP; a clinician downloads their own certificate."""

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from app.services import credit
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report

pytestmark = pytest.mark.e2e


def sign_in(page, base_url, user):
    browser_sign_in(page, base_url, user.email, PASSWORD, user.full_name)


def test_import_reconcile_issue_zip_and_own_certificate(page, live_server, db, tmp_path):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    cme = make_user(db, email="cme@example.org", full_name="Priya Raman", is_cme_office=True)
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    marcus = make_user(db, email="marcus@clinic.example.org", full_name="Marcus Tsosie", degree="DO")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, jenna, "clinician")
    add_member(db, program, marcus, "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    credit.save_settings(db, program, credit.CreditForm(provider_name="Mountain West CME", evaluation_required=False),
                         actor=cme)
    db.commit()
    report = tmp_path / "participants_81234567890.csv"
    report.write_bytes(zoom_report(session, [
        ("Jenna Whitfield", jenna.email, 0, 30), ("iPhone (Jenna Whitfield)", "", 32, 60),
        ("MT home laptop", "mtsosie@home.example.org", 0, 60), ("Spare row", "", 0, 5),
    ]))

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server}/sessions/{session.id}")
    page.get_by_role("button", name="Attendance").click()
    page.get_by_label("Attendance report (at most 5 MB)").set_input_files(str(report))
    page.get_by_role("button", name="Import the report").click()
    expect(page.get_by_text("Imported 3 people: 1 matched, 2 to reconcile.")).to_be_visible()
    # one search box per row (no 730-option list): find the member, then match
    page.get_by_label("Find a member for MT home laptop (name or e-mail)").fill("Marcus")
    page.get_by_label("Find a member for MT home laptop (name or e-mail)").press("Enter")
    page.get_by_role("button", name="Match MT home laptop to Marcus Tsosie").click()
    expect(page.get_by_text("MT home laptop is matched.")).to_be_visible()
    page.get_by_role("button", name="Ignore Spare row").click()
    expect(page.get_by_text("Spare row is ignored.")).to_be_visible()
    expect(page.get_by_role("heading", name="Who attended (2)")).to_be_visible()

    sign_in(page, live_server, cme)
    page.goto(f"{live_server}/sessions/{session.id}")
    page.get_by_role("button", name="Credit and certificates").click()
    page.get_by_role("button", name="Issue certificates to everyone eligible").click()
    expect(page.get_by_text("2 certificate(s) issued.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download all certificates (.zip)").click()
    zip_path = Path(tmp_path) / "certificates.zip"
    download_info.value.save_as(zip_path)
    archive = zipfile.ZipFile(zip_path)
    assert sorted(archive.namelist()) == ["Jenna-Whitfield.pdf", "Marcus-Tsosie.pdf"]

    sign_in(page, live_server, jenna)
    page.goto(f"{live_server}/sessions/{session.id}")
    page.get_by_role("button", name="Your credit and certificate").click()
    expect(page.get_by_text("Minutes attended")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your certificate (PDF)").click()
    pdf_path = Path(tmp_path) / "mine.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "Jenna Whitfield, MD" in text
    assert "Hepatitis C ECHO" in text
