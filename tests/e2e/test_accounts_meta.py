"""Browser test: connect a Facebook Page and its Instagram account through the fake
Facebook Login dialog (Page and Instagram picking), then test the Page."""

import re

import pytest
from playwright.sync_api import expect

from libraries.models import Role
from publishing.models import SocialAccount
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_connects_a_facebook_page_and_its_instagram_account(
    page, login, network, fake_graph, settings
):
    settings.META_APP_ID = fake_graph.config.app_id
    settings.META_APP_SECRET = fake_graph.config.app_secret
    settings.META_DIALOG_URL = fake_graph.url
    settings.META_GRAPH_URL = fake_graph.url
    admin = member(network.a, Role.ADMINISTRATOR, username="admin-a")
    login(admin)

    page.goto("/settings/")
    page.get_by_role("link", name="Comptes des réseaux").click()
    page.get_by_role("link", name="Connecter Facebook").click()
    page.get_by_role("button", name="Connecter").click()

    # Annexe says where the person is going and what it will ask for.
    expect(page.get_by_role("listitem").filter(has_text="pages_manage_posts")).to_be_visible()
    page.get_by_role("button", name=re.compile("Continuer vers")).click()

    # Facebook Login for Business: tick one Page and its Instagram account.
    expect(page.get_by_role("heading", name="Annexe is requesting access")).to_be_visible()
    choices = page.get_by_role("group", name=re.compile("Choose the Pages"))
    choices.get_by_role("checkbox", name="Médiathèque de Lille").check()
    choices.get_by_role("checkbox", name="Instagram @mediatheque_lille").check()
    page.get_by_role("button", name="Continue").click()

    # Back in Annexe: pick among what Facebook granted.
    expect(page.get_by_role("heading", name="Choisir les comptes à connecter")).to_be_visible()
    expect(page.get_by_label(re.compile("Bibliothèque Wazemmes"))).to_have_count(0)
    page.get_by_label("Facebook : Médiathèque de Lille", exact=True).check()
    page.get_by_role("checkbox", name=re.compile("@mediatheque_lille")).check()
    page.get_by_role("button", name="Connecter").click()

    expect(page.get_by_text("Le compte Médiathèque de Lille est connecté.").first).to_be_visible()
    accounts = {a.network: a for a in SocialAccount.objects.filter(library=network.a)}
    assert set(accounts) == {"facebook", "instagram"}
    facebook = accounts["facebook"]
    assert facebook.remote_id == fake_graph.ids()["pages"]["Médiathèque de Lille"]
    assert facebook.credentials["access_token"] not in page.content()

    page.goto(f"/publishing/accounts/{facebook.pk}/")
    page.get_by_role("main").get_by_role("button", name="Tester").click()
    expect(page.get_by_text(re.compile("répond : tout va bien"))).to_be_visible()
