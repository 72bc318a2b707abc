"""Browser test: connect Google Business Profile locations through the fake Google's
consent screen, picking them among those the Google account manages."""

import re

import pytest
from playwright.sync_api import expect

from libraries.models import Role
from publishing.models import SocialAccount
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_connects_google_locations_picked_among_those_managed(
    page, login, network, fake_google_business, settings
):
    settings.GOOGLE_BUSINESS_CLIENT_ID = fake_google_business.config.client_id
    settings.GOOGLE_BUSINESS_CLIENT_SECRET = fake_google_business.config.client_secret
    settings.GOOGLE_BUSINESS_SERVER_URL = fake_google_business.url
    admin = member(network.a, Role.ADMINISTRATOR, username="admin-a")
    login(admin)

    page.goto("/settings/")
    page.get_by_role("link", name="Comptes des réseaux").click()
    page.get_by_role("link", name="Connecter Google Business Profile").click()
    page.get_by_role("button", name="Connecter").click()

    expect(page.get_by_role("listitem").filter(has_text="business.manage")).to_be_visible()
    page.get_by_role("button", name=re.compile("Continuer vers")).click()

    # Google's consent screen.
    expect(page.get_by_role("heading", name=re.compile("wants access"))).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    # Back in Annexe: the verified locations Marie manages, to pick from.
    expect(page.get_by_label("Bibliothèque Wazemmes")).to_be_visible()
    expect(page.get_by_label("Bibliothèque du Vieux-Lille")).to_have_count(0)  # not verified
    page.get_by_label("Médiathèque de Lille").check()
    page.get_by_role("button", name="Connecter").click()

    expect(page.get_by_text("Le compte Médiathèque de Lille est connecté.")).to_be_visible()
    account = SocialAccount.objects.get()
    assert account.network == "google_business"
    assert account.remote_id.endswith("/locations/4000000001")
    assert account.credentials["refresh_token"] not in page.content()
