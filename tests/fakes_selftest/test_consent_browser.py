"""A browser can click through the fake Mastodon's consent page by role."""

import re
from urllib.parse import urlencode

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_authorize_button_redirects_with_code_and_state(browser, fake_mastodon):
    callback = f"{fake_mastodon.url}/callback"
    app = requests.post(
        f"{fake_mastodon.url}/api/v1/apps",
        data={"client_name": "Annexe", "redirect_uris": callback, "scopes": "write profile"},
        timeout=5,
    ).json()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app["client_id"],
            "redirect_uri": callback,
            "scope": "write profile",
            "state": "etat-42",
        }
    )
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{fake_mastodon.url}/oauth/authorize?{query}")
        expect(page.get_by_role("heading", name="Authorization required")).to_be_visible()
        expect(page.get_by_role("form", name="Authorize Annexe")).to_be_visible()

        page.get_by_role("button", name="Authorize").click()

        page.wait_for_url(re.compile(r".*/callback\?code=[^&]+&state=etat-42$"))
    finally:
        context.close()
