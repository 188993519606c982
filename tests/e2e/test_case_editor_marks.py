"""Findings are shown by more than colour: certain ones underlined solid, possible ones dashed, each
underline at least 3:1 against what it sits on; in forced-colours mode the marks stay visible as
outlines in system colours and the text stays readable through the transparent textarea."""

import re

import pytest
from playwright.sync_api import expect

from app.redaction import find_phi
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

pytestmark = pytest.mark.e2e

TEXT = "Seen on 3/14/25 by Robert Smith for fatigue; call 505-555-0134 when the results are in."
STYLE_JS = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const s = getComputedStyle(el);
  return {line: s.textDecorationLine, style: s.textDecorationStyle, decoration: s.textDecorationColor,
          thickness: s.textDecorationThickness, background: s.backgroundColor, outline: s.outlineStyle,
          outlineColor: s.outlineColor, outlineWidth: s.outlineWidth, color: s.color};
})"""


def rgb(css: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def over(top: str, bottom: str) -> tuple[float, float, float]:
    r, g, b, a = rgb(top)
    r2, g2, b2, _ = rgb(bottom)
    return (r * a + r2 * (1 - a), g * a + g2 * (1 - a), b * a + b2 * (1 - a))


def contrast(first: tuple, second: tuple) -> float:
    def luminance(color):
        channels = [c / 255 for c in color[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def open_form_with_findings(browser, live_server, db, **context_options):
    program = make_program(db, name="Hepatitis C ECHO")
    clinician = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    add_member(db, program, clinician, "clinician")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **context_options)
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_sign_in(page, live_server, clinician.email, PASSWORD, clinician.full_name)
    page.goto(f"{live_server}/cases/new?program_id={program.id}")
    page.get_by_label("Presenting problem and history").fill(TEXT)
    expect(page.locator(".phi-field[data-field=presenting_problem] .phi-backdrop mark")).to_have_count(len(find_phi(TEXT)))
    return context, page


def test_certain_findings_are_underlined_solid_and_possible_ones_dashed_at_3_to_1(browser, live_server, db):
    context, page = open_form_with_findings(browser, live_server, db)
    try:
        editor_background = page.evaluate("getComputedStyle(document.querySelector('.phi-editor')).backgroundColor")
        for certainty, style in [("certain", "solid"), ("likely", "dashed")]:
            for where in [f".phi-backdrop mark.phi-{certainty}", f".phi-finding.{certainty} mark"]:
                marks = page.evaluate(STYLE_JS, where)
                assert marks, where
                for mark in marks:
                    assert (mark["line"], mark["style"], mark["thickness"]) == ("underline", style, "2px"), where
                    under = over(mark["background"], editor_background)
                    line = over(mark["decoration"], editor_background)
                    assert contrast(line, under) >= 3.0, (where, mark)
                    assert contrast(line, rgb(editor_background)) >= 3.0, (where, mark)
        words = page.locator("#phi-presenting_problem .phi-certainty").all_inner_texts()
        assert words == ["certain" if f.certainty == "certain" else "possible" for f in find_phi(TEXT)]
    finally:
        context.close()


def test_forced_colours_keep_the_marks_visible_as_outlines(browser, live_server, db):
    context, page = open_form_with_findings(browser, live_server, db, forced_colors="active")
    try:
        for certainty, style in [("certain", "solid"), ("likely", "dashed")]:
            for mark in page.evaluate(STYLE_JS, f".phi-backdrop mark.phi-{certainty}"):
                assert (mark["outline"], mark["outlineWidth"]) == (style, "2px")
                assert rgb(mark["outlineColor"])[3] == 1.0, mark["outlineColor"]
        textarea = page.evaluate(STYLE_JS, "#f-presenting_problem")[0]
        assert rgb(textarea["background"])[3] == 0.0  # the marks behind it show through
        assert rgb(textarea["color"])[3] == 1.0
    finally:
        context.close()
