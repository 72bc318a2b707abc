"""A browser picks a Page and its Instagram account on the fake Facebook Login dialog."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_pick_one_page_and_its_instagram_account(browser, fake_graph):
    callback = f"{fake_graph.url}/callback"
    query = urlencode(
        {
            "client_id": fake_graph.config.app_id,
            "redirect_uri": callback,
            "state": "etat-meta",
            "scope": "pages_show_list,pages_manage_posts,pages_read_engagement,instagram_basic,"
            "instagram_content_publish",
            "response_type": "code",
        }
    )
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{fake_graph.url}/v25.0/dialog/oauth?{query}")
        expect(page.get_by_role("heading", name="Annexe is requesting access")).to_be_visible()
        choices = page.get_by_role("group", name=re.compile("Choose the Pages"))
        choices.get_by_role("checkbox", name="Bibliothèque Wazemmes").check()
        choices.get_by_role("checkbox", name="Instagram @bib_wazemmes").check()
        expect(choices.get_by_role("checkbox", name="Médiathèque de Lille")).not_to_be_checked()

        page.get_by_role("button", name="Continue").click()

        page.wait_for_url(re.compile(r".*/callback\?code=[^&]+&state=etat-meta(#_=_)?$"))
        code = parse_qs(urlsplit(page.url).query)["code"][0]
    finally:
        context.close()
    token = requests.get(
        f"{fake_graph.url}/v25.0/oauth/access_token",
        params={
            "client_id": fake_graph.config.app_id,
            "client_secret": fake_graph.config.app_secret,
            "redirect_uri": callback,
            "code": code,
        },
        timeout=5,
    ).json()["access_token"]
    accounts = requests.get(
        f"{fake_graph.url}/v25.0/me/accounts",
        params={"fields": "name,instagram_business_account{username}", "access_token": token},
        timeout=5,
    ).json()["data"]
    assert accounts == [
        {
            "name": "Bibliothèque Wazemmes",
            "instagram_business_account": {"username": "bib_wazemmes"},
        }
    ]
