"""A clinician types a case with a name and a date, sees both highlighted in place, redacts them,
attests and submits; what is stored carries the placeholders only."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import CasePresentation
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

pytestmark = pytest.mark.e2e


def test_clinician_redacts_and_submits_a_case(page, live_server, db):
    program = make_program(db, name="Hepatitis C ECHO")
    clinician = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    add_member(db, program, clinician, "clinician")

    browser_sign_in(page, live_server, clinician.email, PASSWORD, clinician.full_name)
    page.goto(f"{live_server}/cases/new?program_id={program.id}")

    page.get_by_label("Age bracket").select_option("40–64")
    page.get_by_label("Sex / gender").select_option("Female")
    page.get_by_label("Question for the hub").fill("Should we treat now or first repeat the viral load?")
    history = page.get_by_label("Presenting problem and history")
    history.press_sequentially("Seen with Maria Gonzales on 3/14/25 for fatigue; HCV genotype 1a.", delay=5)

    findings = page.locator("#phi-presenting_problem .phi-finding")
    expect(findings).to_have_count(2)
    expect(findings.nth(0)).to_contain_text("Maria Gonzales")
    expect(findings.nth(0)).to_contain_text("NAME")
    expect(findings.nth(1)).to_contain_text("3/14/25")
    expect(page.locator(".phi-field[data-field=presenting_problem] .phi-backdrop mark")).to_have_count(2)

    findings.nth(0).get_by_role("button", name="Redact").click()
    expect(findings).to_have_count(1)
    findings.nth(0).get_by_role("button", name="Redact").click()
    expect(findings).to_have_count(0)
    expect(history).to_have_value("Seen with [NAME] on [DATE] for fatigue; HCV genotype 1a.")

    page.get_by_label("I confirm this case is de-identified", exact=False).check()
    page.get_by_role("button", name="Submit to the hub").click()
    expect(page.get_by_text("is submitted to the hub")).to_be_visible()

    db.expire_all()
    case = db.exec(select(CasePresentation)).one()
    assert (case.status, case.presenting_problem) == ("submitted", "Seen with [NAME] on [DATE] for fatigue; HCV genotype 1a.")
