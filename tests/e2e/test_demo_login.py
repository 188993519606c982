"""A newcomer's first minutes: the demo users sign in in a real browser and see their own home page."""

import pytest
from playwright.sync_api import expect

from app import demo

pytestmark = pytest.mark.e2e
PASSWORD = "demo-password-1"


@pytest.fixture
def demo_hub(db, settings):
    demo.build(db, settings, password=PASSWORD)
    db.commit()


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome", exact=False)).to_be_visible()


@pytest.mark.parametrize(("email", "heading", "text"), [
    ("admin@example.org", "Welcome, Alex Morgan", "Site administration"),
    ("coordinator@example.org", "Welcome, Rosa Delgado", "You manage the schedule, members and spoke sites."),
    ("specialist@example.org", "Welcome, Samuel Okafor", "You review cases and write recommendations."),
    ("clinician@example.org", "Welcome, Jenna Whitfield", "You present cases and earn credit"),
    ("cme@example.org", "Welcome, Priya Raman", "Continuing education"),
])
def test_demo_user_signs_in_and_sees_role_page(page, live_server, demo_hub, email, heading, text):
    sign_in(page, live_server, email)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text(text).first).to_be_visible()


def test_wrong_password_then_sign_out(page, live_server, demo_hub):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("clinician@example.org")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect e-mail or password.")
    sign_in(page, live_server, "clinician@example.org")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_profile_edit_in_browser_on_a_phone(browser, live_server, demo_hub):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "clinician@example.org")
    page.goto(f"{live_server}/profile")
    page.get_by_label("Full name").fill("Jenna A. Whitfield")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Jenna A. Whitfield")
    context.close()
