"""Browser tests of the shell: language, throttling, members."""

import pytest
from playwright.sync_api import expect

from libraries.models import Membership, Role
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_in_in_french_and_switches_to_english(page, login, network):
    agent = member(network.a, username="agent")

    login(agent)
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Réglages")).to_be_visible()

    page.get_by_role("button", name="English").click()

    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The choice sticks to the person, not only to this browser.
    agent.refresh_from_db()
    assert agent.language == "en"


def test_five_wrong_passwords_throttle_the_login(page, network):
    agent = member(network.a, username="agent")

    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Nom d’utilisateur").fill(agent.username)
        page.get_by_label("Mot de passe").fill("pas-le-bon")
        page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Trop de tentatives de connexion")).to_be_visible()
    # Even the right password is refused now.
    page.goto("/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(agent.username)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Trop de tentatives de connexion")).to_be_visible()


def test_administrator_changes_a_members_role(page, login, network):
    admin = member(network.a, Role.ADMINISTRATOR, username="admin")
    agent = member(network.a, username="agent", display_name="Camille")

    login(admin)
    page.goto("/settings/")
    page.get_by_role("link", name="Membres").click()
    page.get_by_label("Rôle de Camille").select_option(label="Validateur·rice")
    page.get_by_label("Niveau de validation de Camille").fill("Responsable de secteur")
    page.get_by_role("row", name="Camille").get_by_role("button", name="Modifier le rôle").click()

    expect(page.get_by_text("Le rôle de Camille est modifié.")).to_be_visible()
    membership = Membership.objects.get(user=agent)
    assert (membership.role, membership.validation_level) == (
        Role.VALIDATOR,
        "Responsable de secteur",
    )
