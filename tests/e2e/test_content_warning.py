"""In the browser: a content warning typed in the Mastodon tab counts toward Mastodon's
500 characters as it is typed, hides the text in the preview until "Afficher plus",
and is still there after saving and reloading, and on the post page."""

import re

import pytest
from playwright.sync_api import expect

from posts.models import Post
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNING = "Spoiler : la fin du roman"


def test_a_content_warning_counts_shows_in_the_preview_and_is_kept(page, login, network):
    login(member(network.a, username="agent"))
    page.goto("/posts/new/")
    page.get_by_label("Titre interne").fill("Club de lecture")
    page.get_by_role("checkbox", name="Mastodon", exact=True).check()
    page.get_by_role("checkbox", name="Bluesky", exact=True).check()
    page.get_by_label("Texte de la publication").fill("a" * 480)
    counter = page.locator("#counters li[data-network='mastodon']")
    expect(counter).to_contain_text("480 / 500")

    page.get_by_role("tab", name=re.compile("^Mastodon")).click()
    page.get_by_label("Avertissement de contenu pour Mastodon").fill(WARNING)

    expect(counter).to_contain_text("505 / 500")
    expect(counter).to_contain_text("5 caractères de trop")
    expect(page.locator("#counters li[data-network='bluesky']")).to_contain_text("480 / 300")
    preview = page.locator("#preview-mastodon")
    expect(preview.get_by_text(WARNING)).to_be_visible()
    expect(preview.locator(".pv-text")).to_be_hidden()
    preview.get_by_text("Afficher plus").click()
    expect(preview.locator(".pv-text")).to_be_visible()

    page.get_by_label("Texte de la publication").fill("Nos avis sur « Le Horla ».")
    expect(counter).to_contain_text(f"{26 + len(WARNING)} / 500")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.reload()
    page.get_by_role("tab", name=re.compile("^Mastodon")).click()
    expect(page.get_by_label("Avertissement de contenu pour Mastodon")).to_have_value(WARNING)

    page.goto(f"/posts/{Post.objects.get().pk}/")
    expect(page.get_by_text("Avertissement de contenu pour Mastodon :")).to_be_visible()
    expect(page.get_by_text(WARNING)).to_be_visible()
