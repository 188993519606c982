"""The hub's journey in a browser: review queue → approve → agenda → recommendations → presenter
reads them and downloads the letter."""

from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from app.services import cases
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user

pytestmark = pytest.mark.e2e


def sign_in(page, base, user):
    browser_sign_in(page, base, user.email, PASSWORD, user.full_name)


def test_review_assign_recommend_and_read(page, live_server, db, tmp_path):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    presenter = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    specialist = make_user(db, email="sam@example.org", full_name="Samuel Okafor")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    add_member(db, program, presenter, "clinician")
    add_member(db, program, specialist, "specialist")
    add_member(db, program, coordinator, "coordinator")
    make_series(db, program, coordinator, count=2)
    form = cases.CaseForm(texts={"question": "Treat now or wait for elastography?",
                                 "presenting_problem": "HCV genotype 1a, fatigue only."},
                          age_bracket="40–64", sex_gender="Female", attested=True)
    case = cases.save(db, program, None, form, actor=presenter, submit=True)
    db.commit()

    sign_in(page, live_server, specialist)
    page.get_by_role("link", name="Review").click()
    page.get_by_role("link", name=case.number).click()
    expect(page.get_by_text("Treat now or wait for elastography?")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Case approved.")).to_be_visible()

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server}/cases/{case.id}")
    page.get_by_label("Present at").select_option(index=1)
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("Case added to the session's agenda.")).to_be_visible()

    sign_in(page, live_server, specialist)
    page.goto(f"{live_server}/cases/{case.id}")
    page.get_by_label("Summary of the discussion").fill("Fibrosis is likely mild; treatment need not wait.")
    page.get_by_label("Recommendation 1", exact=True).fill("Start glecaprevir/pibrentasvir for 8 weeks.")
    page.get_by_label("Recommendation 2", exact=True).fill("Check HCV RNA 12 weeks after the last dose.")
    page.get_by_role("button", name="Save draft recommendations").click()
    expect(page.get_by_text("Recommendations saved.")).to_be_visible()
    page.get_by_role("button", name="Finalise and notify the presenter").click()
    # Finalise asks first, naming the case and the presenter who will be told.
    expect(page.get_by_role("heading", name=f"Finalise the recommendations for case {case.number}?")).to_be_visible()
    page.get_by_role("button", name=f"Finalise and notify {presenter.full_name}").click()
    expect(page.get_by_text(f"Finalised the recommendations for case {case.number}; {presenter.full_name} is told")).to_be_visible()

    sign_in(page, live_server, presenter)
    page.goto(f"{live_server}/cases/{case.id}")
    expect(page.get_by_text("Start glecaprevir/pibrentasvir for 8 weeks.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the recommendation letter (PDF)").click()
    path = Path(tmp_path) / "letter.pdf"
    download_info.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)
    assert case.number in text and "Start glecaprevir/pibrentasvir for 8 weeks." in text
