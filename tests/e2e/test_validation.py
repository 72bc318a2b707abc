"""The issue's story in a browser, with the demo's people and chains (`seed_demo`):
the agent drafts and submits an event post; the responsable approves; the director
(on a phone) asks for changes; the agent edits and resubmits (approvals start over
and the responsable sees what changed); all three levels approve; the post is
approved and its trail shows every step."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from libraries.demo import DEMO_PASSWORD
from posts.models import Post
from posts.models import PostState as S
from validation.models import Action, ReviewEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Spectacle de marionnettes"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("seed_demo", stdout=io.StringIO())


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def open_from_queue(page) -> None:
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=re.compile("À valider")
    ).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name="Votre décision")).to_be_visible()


def decide(page, button: str, comment: str = "") -> None:
    if comment:
        page.get_by_label("Commentaire", exact=True).fill(comment)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def assert_fits_the_screen(page) -> None:
    overflow = page.evaluate(
        "document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 8)
        .map(e => `${e.tagName}.${e.className}#${e.id} ${e.getBoundingClientRect().right}`)"""
    )
    assert overflow <= 1, f"the page is {overflow}px wider than the phone: {wide}"


def test_the_whole_story(page, browser, live_server):
    when = timezone.localtime(timezone.now() + dt.timedelta(days=6)).replace(hour=15, minute=0)

    # the agent drafts an event post in the composer and submits it
    sign_in(page, "agent")
    page.goto("/posts/new/")
    page.get_by_label("Titre interne").fill(TITLE)
    page.get_by_label("Texte de la publication").fill(
        "Samedi à 15 h, la compagnie du Fil rouge joue « Le Loup et la Lune ». Dès 4 ans."
    )
    page.get_by_label("Ligne éditoriale").select_option(label="Événements")
    page.get_by_label("Date et heure de publication").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("checkbox", name="Mastodon", exact=True).check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    post = Post.objects.get(title=TITLE)
    page.goto(f"/posts/{post.pk}/")
    expect(page.locator("[data-panel=validation]")).to_contain_text(
        "Responsable de secteur, puis Direction, puis Service communication"
    )
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.get_by_text("La publication est soumise à validation.")).to_be_visible()
    expect(page.locator("[data-panel=validation]")).to_contain_text(
        "Étape 1 sur 3 : Responsable de secteur"
    )

    # the responsable finds it in "À valider" and approves
    sign_in(page, "responsable")
    open_from_queue(page)
    decide(page, "Valider")
    expect(page.get_by_text("Votre validation est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Étape 2 sur 3 : Direction")).to_be_visible()

    # the director, on a phone, asks for changes
    phone = browser.new_context(
        locale="fr-FR", base_url=live_server.url, timezone_id="Europe/Paris", **PHONE
    )
    mobile = phone.new_page()
    sign_in(mobile, "direction")
    open_from_queue(mobile)
    assert_fits_the_screen(mobile)
    decide(mobile, "Demander des modifications")  # without the required comment first
    expect(mobile.get_by_text("Dites à l'auteur·rice ce qu'il faut modifier.")).to_be_visible()
    decide(
        mobile, "Demander des modifications", "Précisez le lieu : salle du conte ou auditorium ?"
    )
    expect(
        mobile.get_by_text("Votre demande de modifications est envoyée à l'auteur·rice.")
    ).to_be_visible()
    assert_fits_the_screen(mobile)

    # the agent reads the request, edits and resubmits
    sign_in(page, "agent")
    page.goto(f"/posts/{post.pk}/")
    panel = page.locator("[data-panel=validation]")
    expect(panel).to_contain_text("Modifications demandées")
    expect(panel).to_contain_text("salle du conte ou auditorium ?")
    page.get_by_role("button", name="Modifier", exact=True).first.click()
    page.get_by_label("Texte de la publication").fill(
        "Samedi à 15 h, dans la salle du conte, la compagnie du Fil rouge joue "
        "« Le Loup et la Lune ». Dès 4 ans."
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Modifications enregistrées.")).to_be_visible()
    page.goto(f"/posts/{post.pk}/")
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.locator("[data-panel=validation]")).to_contain_text(
        "Étape 1 sur 3 : Responsable de secteur"
    )

    # approvals start over: the responsable approves again, seeing what changed
    sign_in(page, "responsable")
    open_from_queue(page)
    changes = page.get_by_role("region", name="Ce qui a changé depuis votre validation")
    expect(changes).to_be_visible()
    expect(changes.locator("ins")).to_contain_text("dans la salle du conte,")
    decide(page, "Valider")

    # the director approves from the phone, then the communication service
    sign_in(mobile, "direction")
    open_from_queue(mobile)
    expect(mobile.get_by_role("region", name=re.compile("Ce qui a changé"))).to_be_visible()
    assert_fits_the_screen(mobile)
    decide(mobile, "Valider")
    expect(mobile.get_by_text("Votre validation est enregistrée.")).to_be_visible()
    phone.close()

    sign_in(page, "communication")
    open_from_queue(page)
    decide(page, "Valider", "Parfait, bonne séance !")
    expect(page.locator("header .state")).to_have_text("Validée")

    # the trail shows every step, in order
    rows = page.locator("table.trail tbody tr")
    expect(rows).to_have_count(7)
    expected = [
        ("Soumise à validation", "Camille Agent"),
        ("Validée", "Dominique Responsable"),
        ("Modifications demandées", "Claude Direction"),
        ("Soumise à validation", "Camille Agent"),
        ("Validée", "Dominique Responsable"),
        ("Validée", "Claude Direction"),
        ("Validée", "Alex Communication"),
    ]
    for index, (action, who) in enumerate(expected):
        expect(rows.nth(index)).to_contain_text(action)
        expect(rows.nth(index)).to_contain_text(who)
    expect(rows.nth(2)).to_contain_text("salle du conte ou auditorium ?")

    post.refresh_from_db()
    assert post.state == S.APPROVED
    actions = list(ReviewEvent.objects.filter(post=post).values_list("action", flat=True))
    assert actions == [
        Action.SUBMIT,
        Action.APPROVE,
        Action.REQUEST_CHANGES,
        Action.SUBMIT,
        Action.APPROVE,
        Action.APPROVE,
        Action.APPROVE,
    ]
    assert (
        User.objects.get(username="agent").notifications.filter(kind="validation.approved").exists()
    )
