"""The highlight marks sit exactly on the words they stand for, on a phone and on a desktop, after a
check has turned the field invalid (Pico then changes the textarea's padding) and with text that
wraps over many lines and scrolls.

How it is measured, independently of how the backdrop is built: for the first and last character of
each <mark>, the x where the textarea's own caret (document.caretPositionFromPoint) moves past that
character is found by bisection; that is the character's middle as the textarea lays it out. It
must equal the middle of the same character in the backdrop (a Range on the mark's text) within 1px.
"""

import pytest
from playwright.sync_api import expect

from app.redaction import find_phi
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

pytestmark = pytest.mark.e2e

HISTORY = (
    "Patient reports fatigue for several months with intermittent nausea and poor appetite, referred after a "
    "visit on 3/14/25 with the nurse Maria Gonzales; genotype 1a confirmed, viral load pending.\n"
    "The family asks about treatment timing before the follow-up visit with Robert Smith at Riverside Clinic "
    "next spring; call 505-555-0134 if needed. Adherence has been good, alcohol use stopped two years ago, "
    "no prior treatment, platelets normal, and the fibrosis score was moderate on the last elastography "
    "done at the regional hospital by Dr. Helen Park.\n"
    "She would like to know whether to start treatment now or wait for the repeat viral load, and whether the "
    "moderate fibrosis changes the choice of regimen or the monitoring plan after the treatment ends."
)

# For each mark: its text, offset, and for its first and last character the middle x in the textarea and in
# the backdrop, with the textarea's caret offsets just left and right of that middle.
MEASURE_JS = """
async (field) => {
  const wrapper = document.querySelector(`.phi-field[data-field="${field}"]`);
  const textarea = wrapper.querySelector("textarea");
  const backdrop = wrapper.querySelector(".phi-backdrop");
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const offsetAt = (x, y) => {
    const position = document.caretPositionFromPoint(x, y);
    return position && position.offsetNode === textarea ? position.offset : null;
  };
  // Bisection between a point left of the character (caret <= index) and one right of it (> index);
  // also returns the caret offsets on either side of the found x, which must be index and index + 1.
  const textareaMiddle = (index, y, lo, hi) => {
    for (let step = 0; step < 24; step++) {
      const mid = (lo + hi) / 2;
      if (offsetAt(mid, y) > index) hi = mid; else lo = mid;
    }
    return [(lo + hi) / 2, offsetAt(lo - 0.5, y), offsetAt(hi + 0.5, y)];
  };
  const offsetOf = (node) => {
    const range = document.createRange();
    range.setStart(backdrop, 0);
    range.setEndBefore(node);
    return range.toString().length;
  };
  const results = [];
  for (const mark of backdrop.querySelectorAll("mark")) {
    const start = offsetOf(mark);
    const textNode = mark.firstChild;
    const ends = [[0, start], [textNode.length - 1, start + textNode.length - 1]];
    const row = {text: mark.textContent, start, points: []};
    for (const [local, index] of ends) {
      textarea.scrollTop = Math.max(0, mark.offsetTop - textarea.clientHeight / 2);
      textarea.dispatchEvent(new Event("scroll"));
      textarea.scrollIntoView({block: "center"});  // caretPositionFromPoint sees only the viewport
      await frame();
      const range = document.createRange();
      range.setStart(textNode, local);
      range.setEnd(textNode, local + 1);
      const rect = [...range.getClientRects()].pop();
      const y = rect.top + rect.height / 2;
      const width = rect.width;
      const [middle, before, after] = textareaMiddle(index, y, rect.left - 3 * width, rect.right + 3 * width);
      row.points.push({index, textarea: middle, backdrop: rect.left + width / 2, carets: [before, after]});
    }
    results.push(row);
  }
  return {results, invalid: textarea.getAttribute("aria-invalid"),
          overflows: textarea.scrollHeight > textarea.clientHeight, value: textarea.value};
}
"""


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_marks_cover_exactly_each_finding_at_phone_and_desktop_widths(browser, live_server, db, width, height):
    program = make_program(db, name="Hepatitis C ECHO")
    clinician = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    add_member(db, program, clinician, "clinician")
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_sign_in(page, live_server, clinician.email, PASSWORD, clinician.full_name)
        page.goto(f"{live_server}/cases/new?program_id={program.id}")
        page.get_by_label("Presenting problem and history").fill(HISTORY)
        expected = [HISTORY[f.start:f.end] for f in find_phi(HISTORY)]
        marks = page.locator(".phi-field[data-field=presenting_problem] .phi-backdrop mark")
        expect(marks).to_have_count(len(expected))

        measured = page.evaluate(MEASURE_JS, "presenting_problem")

        assert (measured["invalid"], measured["overflows"]) == ("true", True)
        assert [row["text"] for row in measured["results"]] == expected
        assert len(expected) >= 5 and expected[-1] == "Helen Park"  # findings spread over the wrapped lines
        for row in measured["results"]:
            assert HISTORY[row["start"]:row["start"] + len(row["text"])] == row["text"]
            for point in row["points"]:
                assert point["carets"] == [point["index"], point["index"] + 1], (width, row["text"], point)
                assert abs(point["textarea"] - point["backdrop"]) <= 1.0, (width, row["text"], point)
    finally:
        context.close()
