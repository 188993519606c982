"""A visitor signs up for a public program in a real browser, in the browser's own time zone."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import User
from app.services import outbox
from tests.factories import make_program

pytestmark = pytest.mark.e2e


@pytest.fixture
def chicago_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="America/Chicago")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_visitor_signs_up_with_the_browser_time_zone_and_confirms_the_e_mail(chicago_page, live_server, db, settings):
    page = chicago_page
    program = make_program(db, name="Pediatric Asthma", visibility="public", description="Monthly asthma teleECHO.")

    page.goto(f"{live_server}/programs/{program.id}")
    page.get_by_role("button", name="Sign up for this program").click()
    expect(page.get_by_role("heading", name="Sign up for Pediatric Asthma")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("America/Chicago")
    page.get_by_label("Full name").fill("Nia Brooks")
    page.get_by_label("E-mail").fill("nia@example.org")
    page.get_by_label("This is my time zone").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    outbox.drain(db, settings)
    db.commit()
    [message] = list(settings.mail_dir.glob("*.eml"))
    body = message_from_bytes(message.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    link = next(line for line in body.splitlines() if "/signup/verify/" in line).strip()
    page.goto(link)
    page.locator("#f-password").fill("my own passphrase")
    page.get_by_label("Password again").fill("my own passphrase")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_role("heading", name="Your e-mail is confirmed")).to_be_visible()
    nia = db.exec(select(User).where(User.email == "nia@example.org")).one()
    assert (nia.timezone, nia.email_verified_at is not None) == ("America/Chicago", True)
