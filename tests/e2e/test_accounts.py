"""Browser test: connect a Mastodon account through the fake instance's OAuth screens,
then test it."""

import re

import pytest
from playwright.sync_api import expect

from libraries.models import Role
from publishing.models import SocialAccount
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_connects_and_tests_a_mastodon_account(page, login, network, fake_mastodon):
    admin = member(network.a, Role.ADMINISTRATOR, username="admin-a")
    login(admin)

    page.goto("/settings/")
    page.get_by_role("link", name="Comptes des réseaux").click()
    page.get_by_role("link", name="Connecter Mastodon").click()
    page.get_by_label("Instance Mastodon").fill(fake_mastodon.url)
    page.get_by_role("button", name="Connecter").click()

    # Annexe says where the person is going and what it will ask for.
    expect(page.get_by_role("listitem").filter(has_text="write:statuses")).to_be_visible()
    page.get_by_role("button", name=f"Continuer vers {fake_mastodon.domain}").click()

    # The instance's consent screen.
    expect(page.get_by_role("heading", name="Authorization required")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()

    # Back in Annexe, on the account's page.
    expect(page.get_by_text("Le compte Médiathèque est connecté.")).to_be_visible()
    expect(page.get_by_role("heading", name="Médiathèque")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Tester").click()
    expect(page.get_by_text("Médiathèque (mastodon) répond : tout va bien.")).to_be_visible()

    account = SocialAccount.objects.get()
    assert account.library == network.a
    assert account.status == "connected"
    assert account.credentials["access_token"] not in page.content()


def test_administrator_connects_a_linkedin_page_picked_among_those_administered(
    page, login, network, fake_linkedin, settings
):
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    settings.LINKEDIN_OAUTH_URL = fake_linkedin.url
    settings.LINKEDIN_API_URL = fake_linkedin.url
    admin = member(network.a, Role.ADMINISTRATOR, username="admin-a")
    login(admin)

    page.goto("/settings/")
    page.get_by_role("link", name="Comptes des réseaux").click()
    page.get_by_role("link", name="Connecter LinkedIn").click()
    page.get_by_role("button", name="Connecter").click()

    expect(page.get_by_role("listitem").filter(has_text="w_organization_social")).to_be_visible()
    page.get_by_role("button", name=re.compile("Continuer vers")).click()

    # LinkedIn's consent screen.
    expect(page.get_by_role("heading", name=re.compile("would like to access"))).to_be_visible()
    page.get_by_role("button", name="Allow").click()

    # Back in Annexe: the pages Marie may post to, to pick from.
    page.get_by_label("Médiathèque de Lille").check()
    expect(page.get_by_label("Réseau des bibliothèques")).to_be_visible()
    page.get_by_role("button", name="Connecter").click()

    expect(page.get_by_text("Le compte Médiathèque de Lille est connecté.")).to_be_visible()
    account = SocialAccount.objects.get()
    assert (account.network, account.remote_id) == ("linkedin", "10001")
    assert account.credentials["access_token"] not in page.content()


def test_administrator_connects_an_x_account_with_pkce(page, login, network, fake_x, settings):
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret
    settings.X_OAUTH_URL = fake_x.url
    settings.X_API_URL = fake_x.url
    admin = member(network.a, Role.ADMINISTRATOR, username="admin-a")
    login(admin)

    page.goto("/settings/")
    page.get_by_role("link", name="Comptes des réseaux").click()
    page.get_by_role("link", name="Connecter X").click()
    page.get_by_role("button", name="Connecter").click()

    expect(page.get_by_role("listitem").filter(has_text="offline.access")).to_be_visible()
    page.get_by_role("button", name=re.compile("Continuer vers")).click()

    expect(
        page.get_by_role("heading", name="Annexe wants to access your X account")
    ).to_be_visible()
    page.get_by_role("button", name="Authorize app").click()

    expect(page.get_by_text("Le compte Médiathèque de Lille est connecté.")).to_be_visible()
    account = SocialAccount.objects.get()
    assert (account.network, account.handle) == ("x", "@mediatheque_lille")
    assert account.credentials["refresh_token"] not in page.content()
