"""Browser tests of the composer: live counters from the server, the X limit, a photo with
its alt text saved and found again, nothing lost on reload or on an expired session."""

import re

import pytest
from playwright.sync_api import expect

from posts.models import Post
from tests.factories import make_image, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def counter(page, key):
    return page.locator(f"#counters li[data-network='{key}']")


def test_counters_follow_the_typing_and_x_turns_red_past_its_limit(page, login, network):
    login(member(network.a, username="agent"))
    page.goto("/posts/new/")

    page.get_by_role("checkbox", name="X", exact=True).check()
    page.get_by_role("checkbox", name="Mastodon", exact=True).check()
    page.get_by_label("Texte de la publication").fill("Bonjour à toutes et à tous 👋")

    expect(counter(page, "x")).to_contain_text("29 / 280")  # the emoji weighs 2 on X
    expect(counter(page, "mastodon")).to_contain_text("28 / 500")
    expect(counter(page, "x")).not_to_have_class(re.compile("counter-over"))

    page.get_by_label("Texte de la publication").fill("Lecture " * 40)  # 320 characters

    expect(counter(page, "x")).to_have_class(re.compile("counter-over"))
    expect(counter(page, "x")).to_contain_text("40 caractères de trop")
    expect(page.locator("#counters")).to_contain_text("X : le texte dépasse 280 caractères (320).")
    expect(counter(page, "mastodon")).not_to_have_class(re.compile("counter-over"))
    # The X tab shows the error too, and its own text fixes it for X only.
    page.get_by_role("tab", name=re.compile("^X")).click()
    page.get_by_label("Texte pour X").fill("Lecture ce soir !")
    expect(counter(page, "x")).to_contain_text("17 / 280")
    expect(counter(page, "x")).not_to_have_class(re.compile("counter-over"))


def test_upload_a_photo_add_alt_text_save_reload_and_find_everything(
    page, login, network, tmp_path
):
    login(member(network.a, username="agent"))
    photo = tmp_path / "lectrice.jpg"
    photo.write_bytes(make_image(1600, 1200))
    page.goto("/posts/new/")

    page.get_by_label("Titre interne").fill("Coup de cœur de mars")
    page.get_by_label("Texte de la publication").fill("Notre coup de cœur du mois #LireEnsemble")
    page.get_by_role("checkbox", name="Bluesky", exact=True).check()
    page.get_by_label("Ajouter des photos depuis cet appareil").set_input_files(str(photo))
    alt = page.get_by_label("Texte alternatif de lectrice.jpg")
    expect(alt).to_be_visible()
    expect(page.locator("#media-problems")).to_contain_text("n'a pas de texte alternatif")
    alt.fill("Une lectrice dans un fauteuil rouge")
    expect(page.locator("#media-problems")).not_to_contain_text("texte alternatif")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Titre interne")).to_have_value("Coup de cœur de mars")
    expect(page.get_by_label("Texte de la publication")).to_have_value(
        "Notre coup de cœur du mois #LireEnsemble"
    )
    expect(page.get_by_role("checkbox", name="Bluesky", exact=True)).to_be_checked()
    expect(page.get_by_label("Texte alternatif de lectrice.jpg")).to_have_value(
        "Une lectrice dans un fauteuil rouge"
    )
    post = Post.objects.get()
    media = post.post_media.get().media
    assert (media.alt_text, media.original_name) == (
        "Une lectrice dans un fauteuil rouge",
        "lectrice.jpg",
    )


def test_text_typed_but_not_saved_comes_back_after_a_reload(page, login, network):
    login(member(network.a, username="agent"))
    page.goto("/posts/new/")

    page.get_by_label("Texte de la publication").fill("Un long texte que je ne veux pas perdre")
    page.wait_for_timeout(700)  # the browser keeps a copy after a short pause
    page.reload()

    expect(page.get_by_label("Texte de la publication")).to_have_value(
        "Un long texte que je ne veux pas perdre"
    )
    expect(
        page.get_by_role("status").filter(has_text="retrouvé dans ce navigateur")
    ).to_be_visible()


def test_expired_session_keeps_the_text_and_saves_after_logging_in_again(page, login, network):
    agent = member(network.a, username="agent")
    login(agent)
    page.goto("/posts/new/")
    page.get_by_label("Titre interne").fill("Heure du conte")
    page.get_by_label("Texte de la publication").fill("Mercredi 15 h, contes pour les 3-6 ans.")
    page.context.clear_cookies(name="sessionid")  # the session expires

    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_role("heading", name="Votre texte est conservé")).to_be_visible()
    expect(page.get_by_label("Texte de la publication")).to_have_value(
        "Mercredi 15 h, contes pour les 3-6 ans."
    )
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Connectez-vous dans un nouvel onglet").click()
    other = new_tab.value
    other.get_by_label("Nom d’utilisateur").fill("agent")
    other.get_by_label("Mot de passe").fill("correct-horse-battery")
    other.get_by_role("button", name="Se connecter").click()
    expect(other.get_by_role("heading", name="Vous êtes reconnecté·e")).to_be_visible()
    other.close()

    page.get_by_role("button", name="Enregistrer à nouveau").click()

    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    assert Post.objects.get().body == "Mercredi 15 h, contes pour les 3-6 ans."
