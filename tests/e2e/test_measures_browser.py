"""A clinician reports their site's counts from the measure page on a 390 px phone: the form, the
charts and the tables fit without sideways scrolling, and a point's tooltip names the period."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.services import measures
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD
from tests.integration.test_measures import build, define, report

pytestmark = pytest.mark.e2e


def test_clinician_reports_on_a_phone(browser, live_server, db):
    world = build(db, sites=3)
    measure = define(db, world)
    last, before = measures.recent_periods(measure, world.program)[1:3]  # the report form offers them
    report(db, world, measure, "ben", 1, before.isoformat(), 1, 4)
    report(db, world, measure, "ben", 1, last.isoformat(), 2, 4)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        ana = world.people["ana"]
        browser_sign_in(page, live_server, ana.email, PASSWORD, ana.full_name)
        page.goto(f"{live_server}/programs/{world.program.id}/measures")
        page.get_by_role("link", name="A1c checked").click()
        page.get_by_label("Period", exact=True).select_option(last.isoformat())
        page.get_by_label("Numerator").fill("3")
        page.get_by_label("Denominator").fill("4")
        page.get_by_role("button", name="Save report").click()
        expect(page.get_by_text("Report saved.")).to_be_visible()
        expect(page.get_by_role("heading", name="Clinic 00 (your site)")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("#chart-pooled").bounding_box()
        assert box["width"] <= 390 and box["height"] > 100
        page.locator("#chart-pooled g.point").nth(1).hover()
        expect(page.locator(".chart-figure .chart-tip").first).to_contain_text(f"{last:%Y-%m}: 62.5 %")
    finally:
        context.close()
