"""Browser tests: the real app served by uvicorn on localhost, driven in Debian's headless chromium."""

from __future__ import annotations

import shutil

import pytest

from tests.integration.live_server import free_port
from tests.integration.live_server import live_server as serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


@pytest.fixture
def live_server(app, settings):
    port = free_port()
    settings.base_url = f"http://127.0.0.1:{port}"  # links in e-mails and pages point at it
    with serve(app, port=port, lifespan="auto") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def browser_sign_in(page, base_url: str, email: str, password: str, full_name: str) -> None:
    """Sign in through the login form and wait for the home page, so the next navigation is signed in."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {full_name}")).to_be_visible()
