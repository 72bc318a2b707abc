"""Playwright fixtures for browser tests in headless Debian Chromium.

Never `playwright install`: the browser is Debian's /usr/bin/chromium.
Usage:
    @pytest.mark.browser
    def test_x(page, live_server, login): login(user); page.goto(live_server.url + "/")
"""

import os
import shutil

import pytest

from tests.factories import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI: apt-get install -y chromium chromium-driver")
        pytest.skip(
            "Chromium not installed: apt-get install -y chromium chromium-driver"
            " (or run CI=true make test, which installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, timezone_id="Europe/Paris"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the real login form."""

    def _login(user, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Nom d’utilisateur").or_(page.get_by_label("Username")).fill(
            user.username
        )
        page.get_by_label("Mot de passe").or_(page.get_by_label("Password")).fill(password)
        page.get_by_role("button", name="Se connecter").or_(
            page.get_by_role("button", name="Log in")
        ).click()
        page.wait_for_load_state()

    return _login
