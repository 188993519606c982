"""The case form's PHI editor in the browser: focus and announcements after each action, waivers that
name their words and follow them, program switching without losing text, the unsaved-changes warning,
the 30-second draft autosave, and an error summary that links to the fields.

Which spans are findings comes from the detector itself (find_phi), so these tests follow the
detector's labels and only assume what the editor promises."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import CasePresentation, PhiWaiver
from app.redaction import find_phi, redact
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

pytestmark = pytest.mark.e2e

FIELD = "presenting_problem"
TEXT = "Seen on 3/14/25 by Robert Smith for fatigue; call 505-555-0134 when the results are in."
WAIVERS_JS = "() => [...document.querySelectorAll('input[name=waive]')].map((i) => i.value)"


def open_new_case(page, live_server, db, *program_names: str):
    programs = [make_program(db, name=name) for name in program_names or ("Hepatitis C ECHO",)]
    clinician = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    for program in programs:
        add_member(db, program, clinician, "clinician")
    browser_sign_in(page, live_server, clinician.email, PASSWORD, clinician.full_name)
    page.goto(f"{live_server}/cases/new?program_id={programs[0].id}")
    return programs


def count_message(findings) -> str:
    certain = sum(f.certainty == "certain" for f in findings)
    return f"{len(findings)} possible identifiers to resolve: {certain} certain, {len(findings) - certain} possible."


def likely_after_certain(findings) -> int:
    """Index of the first "likely" finding that has a "certain" one before it."""
    return next(i for i, f in enumerate(findings) if f.certainty == "likely"
                and any(g.certainty == "certain" for g in findings[:i]))


def test_not_phi_undo_and_redact_all_keep_focus_and_announce(page, live_server, db):
    findings = find_phi(TEXT)
    waived = likely_after_certain(findings)
    snippet = TEXT[findings[waived].start:findings[waived].end]
    open_new_case(page, live_server, db)
    page.get_by_label("Presenting problem and history").fill(TEXT)
    items = page.locator(f"#phi-{FIELD} .phi-finding")
    status = page.locator("#phi-status")
    expect(items).to_have_count(len(findings))
    expect(status).to_have_text(count_message(findings))
    for item, finding in zip(items.all(), findings):
        expect(item.locator(".phi-certainty")).to_have_text("certain" if finding.certainty == "certain" else "possible")

    items.nth(waived).get_by_role("button", name="Not PHI").click()
    expect(items.nth(waived).get_by_role("button", name="Undo")).to_be_focused()
    rest = [f for i, f in enumerate(findings) if i != waived]
    expect(status).to_have_text(f"Marked {snippet} not PHI. {count_message(rest)}")
    page.keyboard.press("Enter")
    expect(items.nth(waived).get_by_role("button", name="Not PHI")).to_be_focused()
    expect(status).to_have_text(f"{snippet} is a finding again. {count_message(findings)}")
    page.keyboard.press("Enter")
    expect(items.nth(waived).get_by_role("button", name="Undo")).to_be_focused()

    # Redact all keeps the waiver and moves it by the length change of the redactions before it.
    waivers = page.evaluate("() => { const b = document.getElementById('redact-all'); b.focus(); b.click();"
                            f" return ({WAIVERS_JS})(); }}")
    redacted = redact(TEXT, rest)
    before = TEXT[:findings[waived].start]
    start = len(redact(before, [f for f in rest if f.end <= len(before)]))
    assert waivers == [f"{FIELD}:{start}:{start + len(snippet)}:{findings[waived].label}:{snippet}"]
    assert redacted[start:start + len(snippet)] == snippet
    expect(page.get_by_label("Presenting problem and history")).to_have_value(redacted)
    expect(status).to_contain_text(f"Redacted {len(rest)} findings.")
    expect(page.locator("#redact-all")).to_be_focused()
    expect(page.locator("#redact-all")).to_have_attribute("aria-disabled", "true")


def test_redact_moves_focus_to_the_next_finding_then_back_to_the_text(page, live_server, db):
    findings = find_phi(TEXT)
    open_new_case(page, live_server, db)
    history = page.get_by_label("Presenting problem and history")
    history.fill(TEXT)
    items = page.locator(f"#phi-{FIELD} .phi-finding")
    expect(items).to_have_count(len(findings))

    first = TEXT[findings[0].start:findings[0].end]
    items.nth(0).get_by_role("button", name="Redact").click()
    expect(items).to_have_count(len(findings) - 1)
    expect(items.nth(0).get_by_role("button", name="Redact")).to_be_focused()
    expect(page.locator("#phi-status")).to_have_text(re.compile(f"^Redacted {re.escape(first)}\\. "))
    # Enter on the focused Redact, finding after finding, until the detector finds nothing more.
    for _ in range(6):
        expected = find_phi(history.input_value())
        expect(items).to_have_count(len(expected))
        if not expected:
            break
        expect(items.nth(0).get_by_role("button", name="Redact")).to_be_focused()
        page.keyboard.press("Enter")
    expect(items).to_have_count(0)
    expect(history).to_be_focused()


def test_a_waiver_names_its_words_follows_them_and_goes_when_they_change(page, live_server, db):
    findings = find_phi(TEXT)
    waived = likely_after_certain(findings)
    finding = findings[waived]
    snippet = TEXT[finding.start:finding.end]
    open_new_case(page, live_server, db)
    history = page.get_by_label("Presenting problem and history")
    history.fill(TEXT)
    items = page.locator(f"#phi-{FIELD} .phi-finding")
    expect(items).to_have_count(len(findings))
    items.nth(waived).get_by_role("button", name="Not PHI").click()
    assert page.evaluate(WAIVERS_JS) == [f"{FIELD}:{finding.start}:{finding.end}:{finding.label}:{snippet}"]

    history.press("Control+Home")
    history.press_sequentially("Today: ")
    moved = [f for f in find_phi("Today: " + TEXT) if f.label == finding.label and f.start == finding.start + 7]
    assert moved, "the detector still finds the same words after the prefix"
    expect(page.locator("input[name=waive]")).to_have_value(
        f"{FIELD}:{finding.start + 7}:{finding.end + 7}:{finding.label}:{snippet}")
    expect(items.locator("mark", has_text=snippet).locator("xpath=..")).to_have_class(re.compile("waived"))

    history.fill(TEXT.replace(snippet, snippet[:-1] + "x"))
    expect(page.locator("input[name=waive]")).to_have_count(0)


def test_switching_program_keeps_what_was_typed_and_puts_none_of_it_in_the_url(page, live_server, db):
    first, second = open_new_case(page, live_server, db, "Hepatitis C ECHO", "Chronic Pain ECHO")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_label("Age bracket").select_option("40–64")
    page.get_by_label("Question for the hub").fill("Treat now or repeat the viral load first?")
    page.get_by_label("Presenting problem and history").fill(TEXT)
    findings = find_phi(TEXT)
    waived = likely_after_certain(findings)
    items = page.locator(f"#phi-{FIELD} .phi-finding")
    expect(items).to_have_count(len(findings))
    items.nth(waived).get_by_role("button", name="Not PHI").click()
    waivers = page.evaluate(WAIVERS_JS)

    page.get_by_label("Program").select_option(str(second.id))
    page.get_by_role("button", name="Switch").click()

    expect(page.get_by_role("heading", name="Present a case")).to_be_visible()
    expect(page.locator("hgroup p")).to_have_text("Chronic Pain ECHO")
    expect(page.get_by_label("Question for the hub")).to_have_value("Treat now or repeat the viral load first?")
    expect(page.get_by_label("Presenting problem and history")).to_have_value(TEXT)
    expect(page.get_by_label("Age bracket")).to_have_value("40–64")
    expect(items.nth(waived)).to_have_class(re.compile("waived"))
    assert page.evaluate(WAIVERS_JS) == waivers
    assert page.url == f"{live_server}/cases/new?program_id={second.id}"
    assert page.locator("#case-form").get_attribute("action") == f"/cases/new?program_id={second.id}"
    assert dialogs == []
    assert db.exec(select(CasePresentation)).all() == []


def test_leaving_with_unsaved_changes_asks_first(page, live_server, db):
    open_new_case(page, live_server, db)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.get_by_label("Question for the hub").press_sequentially("Treat now?")
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == ["beforeunload"]


def test_leaving_without_changes_does_not_ask(page, live_server, db):
    open_new_case(page, live_server, db)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.get_by_label("Question for the hub").click()
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == []


def test_a_draft_is_saved_every_30_seconds_once_and_only_when_clean(page, live_server, db):
    page.clock.install()
    open_new_case(page, live_server, db)
    question = page.get_by_label("Question for the hub")
    status = page.locator("#draft-status")
    phi_status = page.locator("#phi-status")

    checked = page.locator("#case-form[data-phi=clean]")
    question.fill("Treat now or repeat the viral load first?")
    page.clock.run_for(500)
    expect(checked).to_have_count(1)
    expect(phi_status).to_have_text("")  # nothing found: nothing to announce
    page.clock.run_for(20_000)
    expect(status).to_have_text("")  # 30 s have not passed yet
    page.clock.run_for(11_000)
    expect(status).to_have_text(re.compile(r"^Draft saved at \d\d:\d\d$"))
    db.expire_all()
    case = db.exec(select(CasePresentation)).one()
    assert (case.status, case.question) == ("draft", "Treat now or repeat the viral load first?")
    expect(page.locator("#case-form")).to_have_attribute("action", f"/cases/{case.id}/edit")

    question.fill("Treat now, or repeat the viral load first?")
    page.clock.run_for(500)
    expect(checked).to_have_count(1)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(f"/cases/{case.id}/edit")) as saved:
        page.clock.run_for(30_000)
    assert saved.value.status == 200
    expect(status).to_have_text(re.compile(r"^Draft saved at \d\d:\d\d$"))
    db.expire_all()
    cases = db.exec(select(CasePresentation)).all()
    assert [(c.id, c.question) for c in cases] == [(case.id, "Treat now, or repeat the viral load first?")]

    page.get_by_label("Presenting problem and history").fill(TEXT)
    page.clock.run_for(500)
    expect(phi_status).to_have_text(count_message(find_phi(TEXT)))
    expect(page.locator("#case-form[data-phi=findings]")).to_have_count(1)
    page.clock.run_for(30_000)
    expect(status).to_have_text("Not saved: resolve the highlighted findings first.")
    db.expire_all()
    assert db.exec(select(CasePresentation.presenting_problem)).one() == ""


def test_a_refused_save_lists_each_field_with_findings_and_links_to_it(page, live_server, db):
    open_new_case(page, live_server, db)
    history = page.get_by_label("Presenting problem and history")
    history.fill(TEXT)
    expect(page.locator(f"#phi-{FIELD} .phi-finding")).to_have_count(len(find_phi(TEXT)))
    page.get_by_role("button", name="Save draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Nothing was saved")
    link = summary.get_by_role("link", name=re.compile("^Presenting problem and history: "))
    expect(link).to_have_attribute("href", f"#f-{FIELD}")
    link.click()
    expect(history).to_be_focused()
    expect(history).to_have_value(TEXT)


def test_an_over_long_text_the_check_refuses_is_explained_beside_its_field(page, live_server, db):
    open_new_case(page, live_server, db)
    history = page.get_by_label("Presenting problem and history")
    # Set as a paste from elsewhere would be, past the textarea's maxlength.
    history.evaluate("(el, text) => { el.value = text; el.dispatchEvent(new Event('input', {bubbles: true})); }",
                     "Seen for fatigue and nausea. " * 700)
    note = page.locator(f"#phi-refused-{FIELD}")
    expect(note).to_have_text("Use at most 20,000 characters (this has 20,300).")
    expect(history).to_have_attribute("aria-invalid", "true")
    expect(history).to_have_attribute("aria-describedby", re.compile(f"phi-refused-{FIELD}"))
    expect(page.locator("#phi-status")).to_have_text("No unresolved identifiers. 1 field to correct first.")

    history.fill("Seen for fatigue and nausea.")
    expect(note).to_have_count(0)
    expect(history).to_have_attribute("aria-invalid", "false")


def test_invisible_characters_are_named_and_removed_on_request(page, live_server, db):
    open_new_case(page, live_server, db)
    history = page.get_by_label("Presenting problem and history")
    history.fill("Seen for fatigue\u200b and\u202e nausea.")
    note = page.locator(f"#phi-refused-{FIELD}")
    expect(note).to_have_text("Remove the invisible character U+200B at character 17 and 1 more: "
                              "zero-width and text-direction characters are not accepted.")
    expect(history).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#case-form")).to_have_attribute("data-phi", "refused")

    page.get_by_role("button", name="Remove invisible characters").click()
    expect(history).to_have_value("Seen for fatigue and nausea.")
    expect(history).to_be_focused()
    expect(note).to_have_count(0)
    expect(page.locator("#case-form")).to_have_attribute("data-phi", "clean")


def test_a_waiver_kept_through_redact_all_is_honoured_by_the_save(page, live_server, db):
    findings = find_phi(TEXT)
    waived = likely_after_certain(findings)
    rest = [f for i, f in enumerate(findings) if i != waived]
    open_new_case(page, live_server, db)
    history = page.get_by_label("Presenting problem and history")
    history.fill(TEXT)
    items = page.locator(f"#phi-{FIELD} .phi-finding")
    expect(items).to_have_count(len(findings))
    items.nth(waived).get_by_role("button", name="Not PHI").click()
    page.get_by_role("button", name="Redact all").click()
    expect(history).to_have_value(redact(TEXT, rest))
    expect(page.locator("#case-form[data-phi=clean]")).to_have_count(1)

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash-success")).to_have_text(re.compile(r"^Draft .* saved\.$"))
    db.expire_all()
    case = db.exec(select(CasePresentation)).one()
    snippet = TEXT[findings[waived].start:findings[waived].end]
    stored = db.exec(select(PhiWaiver).where(PhiWaiver.case_id == case.id)).all()
    assert case.presenting_problem == redact(TEXT, rest)
    assert [(w.field_name, case.presenting_problem[w.start:w.end], w.label) for w in stored] == [
        (FIELD, snippet, findings[waived].label)]
