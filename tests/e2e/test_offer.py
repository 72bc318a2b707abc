"""In the browser: a librarian ticks "C'est une offre" in the composer, fills its title,
validity, coupon code and redemption page; the live checks name what Google would
refuse (an offer already over, a redemption page that is not a web address) while
everything typed stays; she fixes both, saves, and the post page shows the offer."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from posts.models import Post
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = dt.date.today().year + 1  # an offer still to come
TERMS = "Sur présentation d'un justificatif."


def test_an_offer_checked_live_fixed_saved_and_shown(page, login, network):
    login(member(network.a, username="agent"))
    page.goto("/posts/new/")
    page.get_by_label("Titre interne").fill("Carte gratuite")
    page.get_by_label("Texte de la publication").fill(
        "La carte de la médiathèque est gratuite pour les moins de 26 ans en décembre."
    )
    page.get_by_role("checkbox", name="Google Business Profile", exact=True).check()

    page.get_by_label("C'est une offre (Google Business Profile)").check()
    page.get_by_label("Titre de l'événement").fill("Carte gratuite")
    page.get_by_label("Début de l'événement").fill("2026-11-01T09:00")
    page.get_by_label("Fin de l'événement").fill("2026-11-30T19:00")  # already over
    page.get_by_label("Code promo").fill("NOEL")
    page.get_by_label("Lien pour profiter de l'offre en ligne").fill("inscription à l'accueil")
    page.get_by_label("Conditions de l'offre").fill(TERMS)

    problems = page.locator("#event-problems")
    expect(problems).to_contain_text(
        "Google Business Profile : l'offre est déjà terminée (sa fin de validité est passée)"
    )
    expect(problems).to_contain_text(
        "le lien pour profiter de l'offre en ligne, « inscription à l'accueil », n'est pas "
        "une adresse web complète (https://…)."
    )
    # The checks come back as she types; nothing she typed is touched.
    expect(page.get_by_label("Lien pour profiter de l'offre en ligne")).to_have_value(
        "inscription à l'accueil"
    )
    expect(page.get_by_label("Code promo")).to_have_value("NOEL")
    expect(page.get_by_label("Conditions de l'offre")).to_have_value(TERMS)

    # Saving as it is: refused next to the field, every field kept as typed.
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".field-error")).to_contain_text(re.compile("URL valide|valid URL"))
    expect(page.get_by_label("Lien pour profiter de l'offre en ligne")).to_have_value(
        "inscription à l'accueil"
    )
    expect(page.get_by_label("C'est une offre (Google Business Profile)")).to_be_checked()
    expect(page.get_by_label("Titre de l'événement")).to_have_value("Carte gratuite")
    expect(page.get_by_label("Code promo")).to_have_value("NOEL")
    assert not Post.objects.exists()

    page.get_by_label("Fin de l'événement").fill(f"{YEAR}-12-31T19:00")
    page.get_by_label("Début de l'événement").fill(f"{YEAR}-12-01T09:00")
    page.get_by_label("Lien pour profiter de l'offre en ligne").fill(
        "https://bm.example.fr/inscription"
    )
    expect(problems).not_to_contain_text("déjà terminée")
    expect(problems).not_to_contain_text("adresse web")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()

    post = Post.objects.get()
    assert post.is_offer and post.offer_redeem_url == "https://bm.example.fr/inscription"
    page.goto(f"/posts/{post.pk}/")
    offer = page.locator(".post-event")
    expect(offer.get_by_text("Offre", exact=True)).to_be_visible()
    expect(offer).to_contain_text("Carte gratuite")
    expect(offer).to_contain_text(f"1 décembre {YEAR}")
    expect(offer.get_by_text("NOEL", exact=True)).to_be_visible()
    expect(offer.get_by_role("link", name="https://bm.example.fr/inscription")).to_be_visible()
    expect(offer).to_contain_text(TERMS)
