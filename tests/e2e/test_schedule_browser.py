"""A coordinator builds a biweekly series in the browser, cancels one session, moves another and
downloads the series; the file is read back with two parsers."""

from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.calendar_readers import read_with_vobject, utc_iso
from tests.e2e.conftest import browser_sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user

pytestmark = pytest.mark.e2e


def test_coordinator_schedules_cancels_moves_and_downloads(page, live_server, db, tmp_path):
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver", video_url="https://zoom.us/j/555")
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    add_member(db, program, coordinator, "coordinator")

    browser_sign_in(page, live_server, coordinator.email, PASSWORD, coordinator.full_name)
    page.goto(f"{live_server}/programs/{program.id}")
    page.get_by_role("button", name="Add sessions").click()

    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Every how many weeks or months").fill("2")
    page.locator("#f-weekday").select_option(label="Tuesday")
    page.locator("#f-first_date").fill("2030-02-26")
    page.locator("#f-start_time").fill("12:00")
    page.locator("#f-duration_minutes").fill("60")
    page.get_by_label("After a number of sessions").check()
    page.get_by_role("spinbutton", name="Number of sessions").fill("4")
    page.get_by_role("button", name="Create the series").click()
    expect(page.get_by_text("Series created: Every 2 weeks on Tuesday at 12:00 PM America/Denver, 4 sessions.")).to_be_visible()

    page.get_by_role("link", name="Tue 12 Mar 2030, 12:00 PM MDT").click()
    page.get_by_text("Cancel this session").click()
    page.get_by_label("Reason").fill("Hub team at the ECHO conference")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("The session is cancelled.")).to_be_visible()

    page.get_by_role("link", name="← Hepatitis C ECHO").click()
    page.get_by_role("link", name="Tue 26 Mar 2030, 12:00 PM MDT").click()
    page.get_by_text("Move or change this session").click()
    page.locator("#f-local_date").fill("2030-03-27")
    page.locator("#f-start_time").fill("13:00")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("The session is moved.")).to_be_visible()

    page.get_by_role("link", name="← Hepatitis C ECHO").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download series (.ics)").click()
    path = Path(tmp_path) / "series.ics"
    download_info.value.save_as(path)
    ics = path.read_bytes()

    events = sorted(Calendar.from_ical(ics).walk("VEVENT"), key=lambda e: e.start)
    assert [(utc_iso(e.start), str(e.get("STATUS")), int(e["SEQUENCE"])) for e in events] == [
        ("2030-02-26T19:00:00Z", "CONFIRMED", 0),
        ("2030-03-12T18:00:00Z", "CANCELLED", 1),
        ("2030-03-27T19:00:00Z", "CONFIRMED", 1),
        ("2030-04-09T18:00:00Z", "CONFIRMED", 0),
    ]
    second_reader = sorted(read_with_vobject(ics).vevent_list, key=lambda e: e.dtstart.value)
    assert [(utc_iso(e.dtstart.value), utc_iso(e.dtend.value)) for e in second_reader] == [
        ("2030-02-26T19:00:00Z", "2030-02-26T20:00:00Z"),
        ("2030-03-12T18:00:00Z", "2030-03-12T19:00:00Z"),
        ("2030-03-27T19:00:00Z", "2030-03-27T20:00:00Z"),
        ("2030-04-09T18:00:00Z", "2030-04-09T19:00:00Z"),
    ]
