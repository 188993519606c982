"""A coordinator opens the trends page, hovers a point, adds a note at a session and downloads a
chart's CSV; the page fits a 390 px phone without sideways scrolling."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD
from tests.integration.trends_world import build

pytestmark = pytest.mark.e2e


def test_coordinator_hovers_annotates_and_downloads(page, live_server, db, tmp_path):
    world = build(db)
    coordinator = world.people["coordinator"]
    browser_sign_in(page, live_server, coordinator.email, PASSWORD, coordinator.full_name)
    page.goto(f"{live_server}/programs/{world.program.id}")
    page.get_by_role("button", name="Trends and run charts").click()
    expect(page.get_by_role("heading", name="Trends: Hepatitis C")).to_be_visible()

    first = page.locator("#chart-attendance g.point").first
    first.hover()
    tip = page.locator("#attendance .chart-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(": 3 people")

    page.get_by_label("Session", exact=True).select_option(str(world.sessions[2].id))
    page.get_by_label("What changed").fill("Moved the session to 7 am")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added to the charts.")).to_be_visible()
    expect(page.locator("#notes ol li")).to_contain_text("Moved the session to 7 am")
    expect(page.locator("#chart-attendance g.note-marker")).to_have_count(1)
    page.locator('#chart-attendance g.point[data-index="2"]').hover()
    expect(tip).to_contain_text("note 1")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the data of “People attending” (CSV)").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert download.suggested_filename == f"{world.program.slug}-attendance-12.csv"
    assert [(r[3], r[4], r[7]) for r in rows[1:]] == [("held", "3", ""), ("cancelled", "", ""),
                                                      ("held", "2", "Moved the session to 7 am"), ("held", "0", "")]


def test_trends_page_fits_a_phone(browser, live_server, db):
    world = build(db)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        clinician = world.people["ana"]
        browser_sign_in(page, live_server, clinician.email, PASSWORD, clinician.full_name)
        page.goto(f"{live_server}/programs/{world.program.id}/trends")
        expect(page.get_by_role("heading", name="People attending")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        box = page.locator("#chart-attendance").bounding_box()
        assert box["width"] <= 390 and box["height"] > 100
    finally:
        context.close()
