"""On a phone, an administrator builds a three-level validation chain in one save
(adding, reordering and removing levels in the page), reloads it and finds it."""

import re

import pytest
from playwright.sync_api import expect

from libraries.models import Role
from tests.factories import PASSWORD, member
from validation.models import Chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, timezone_id="Europe/Paris", **PHONE
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def assert_fits_the_screen(page) -> None:
    overflow = page.evaluate(
        "document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page is {overflow}px wider than the phone"


def level(page, number: int):
    return page.get_by_role("group", name=f"Étape {number}", exact=True)


def test_an_administrator_builds_a_three_level_chain_in_one_save(phone, network):
    page = phone
    admin = member(network.head, Role.ADMINISTRATOR, username="admin", display_name="Adèle")
    member(network.head, Role.VALIDATOR, "Direction", display_name="Alice")
    member(network.head, Role.VALIDATOR, "Responsable de secteur", display_name="Bruno")
    member(network.head, Role.VALIDATOR, display_name="Chloé")
    sign_in(page, admin)

    page.goto("/validation/settings/")
    page.get_by_role("link", name="Modifier le circuit par défaut").click()
    page.get_by_label("Avec les étapes ci-dessous").check()

    level(page, 1).get_by_label("Nom de l'étape").fill("Responsable de secteur")
    level(page, 1).get_by_label("Niveau de validation").fill("Responsable de secteur")
    page.get_by_role("button", name="Ajouter une étape").click()
    level(page, 2).get_by_label("Nom de l'étape").fill("Élus")
    level(page, 2).get_by_label("Alice").check()
    level(page, 2).get_by_label("Chloé").check()
    level(page, 2).get_by_label("Toutes ces personnes doivent valider").check()
    page.get_by_role("button", name="Ajouter une étape").click()
    level(page, 3).get_by_label("Nom de l'étape").fill("Direction")
    level(page, 3).get_by_label("Niveau de validation").fill("Direction")
    page.get_by_role("button", name="Ajouter une étape").click()
    level(page, 4).get_by_label("Nom de l'étape").fill("Une de trop")
    assert_fits_the_screen(page)

    # Direction before the elected: moved up; the fourth one removed.
    page.get_by_role("button", name="Monter l’étape 3").click()
    expect(level(page, 2).get_by_label("Nom de l'étape")).to_have_value("Direction")
    page.get_by_role("button", name="Retirer l’étape 4").click()
    expect(level(page, 4)).to_have_count(0)
    assert_fits_the_screen(page)
    page.get_by_role("button", name="Enregistrer le circuit").click()

    expect(page.get_by_text("Le circuit de validation est enregistré.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Par défaut"))).to_contain_text(
        "Responsable de secteur, puis Direction, puis Élus (toutes ces personnes : Alice et Chloé)"
    )
    assert Chain.objects.get(library=network.head).levels.count() == 3

    page.get_by_role("link", name="Modifier le circuit par défaut").click()
    page.reload()
    expect(page.get_by_label("Avec les étapes ci-dessous")).to_be_checked()
    expect(level(page, 1).get_by_label("Nom de l'étape")).to_have_value("Responsable de secteur")
    expect(level(page, 2).get_by_label("Niveau de validation")).to_have_value("Direction")
    expect(level(page, 3).get_by_label("Nom de l'étape")).to_have_value("Élus")
    expect(level(page, 3).get_by_label("Alice")).to_be_checked()
    expect(level(page, 3).get_by_label("Bruno")).not_to_be_checked()
    expect(level(page, 3).get_by_label("Toutes ces personnes doivent valider")).to_be_checked()
    expect(level(page, 4)).to_have_count(0)
    assert_fits_the_screen(page)


def test_mistakes_are_shown_at_their_level_and_keep_what_was_typed(phone, network):
    page = phone
    sign_in(page, member(network.head, Role.ADMINISTRATOR, username="admin"))
    page.goto(f"/validation/settings/{network.head.slug}/default/")
    page.get_by_label("Avec les étapes ci-dessous").check()
    level(page, 1).get_by_label("Nom de l'étape").fill("Relecture")
    page.get_by_role("button", name="Ajouter une étape").click()
    level(page, 2).get_by_label("Nom de l'étape").fill("Élus")
    level(page, 2).get_by_label("Toutes ces personnes doivent valider").check()

    page.get_by_role("button", name="Enregistrer le circuit").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Rien n'est encore enregistré")
    expect(level(page, 1)).to_contain_text(
        "« Relecture » : choisissez un niveau de validation ou des personnes."
    )
    expect(level(page, 2)).to_contain_text(
        "« Élus » : nommez les personnes qui doivent toutes valider."
    )
    expect(level(page, 2).get_by_label("Nom de l'étape")).to_have_value("Élus")
    assert not Chain.objects.exists()
    assert_fits_the_screen(page)
