"""Links typed in a post's text go out through /l/ too (not only the post's link), per
network; hashtags, mentions, e-mail addresses and links without a scheme are left as
written; the composer's counter measures what is sent; with click tracking off the
text is sent as typed."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from metrics.models import ShortLink
from networks import get_network
from publishing.models import Publication
from publishing.services.render import publish_request_for
from tests.factories import SocialAccountFactory, member
from tests.metrics.builders import published

pytestmark = pytest.mark.django_db

SITE = "https://annexe.mediatheque-exemple.fr"
AGENDA = "https://mediatheque.example.fr/agenda/nuit-de-la-lecture-2027-programme-complet"
SIGN_UP = "https://mediatheque.example.fr/inscriptions?atelier=conte&age=6-8"
BODY = (
    f"Nuit de la lecture ! Programme : {AGENDA}. Ateliers ({SIGN_UP}) avec "
    "@conteuse@bibliotheques.social #mediatheque.example.fr — écrivez à "
    "accueil@mediatheque.example.fr ou voyez mediatheque.example.fr/plan"
)
SHORT = re.compile(re.escape(SITE) + r"/l/[A-Za-z0-9_-]{8}")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def _post_on(network, networks):
    """One post (body above, no separate link) published on each network."""
    first = published(library=network.a, network=networks[0], body=BODY, link="")
    publications = [first]
    for key in networks[1:]:
        account = SocialAccountFactory(library=network.a, network=key)
        publications.append(
            Publication.objects.create(
                post=first.post,
                account=account,
                network=key,
                state="published",
                scheduled_at=first.scheduled_at,
                published_at=first.published_at,
                remote_id=f"remote-{key}",
            )
        )
    return publications


def test_every_link_typed_in_the_text_goes_out_shortened_per_network(network):
    mastodon, bluesky = _post_on(network, ["mastodon", "bluesky"])

    texts = {p.network: publish_request_for(p).text for p in (mastodon, bluesky)}

    for key, text in texts.items():
        shorts = SHORT.findall(text)
        assert len(shorts) == 2, text
        assert AGENDA not in text and SIGN_UP not in text
        # Punctuation around links stays; what is not a web link stays as typed.
        assert f"Programme : {shorts[0]}. Ateliers ({shorts[1]}) avec" in text
        assert "@conteuse@bibliotheques.social #mediatheque.example.fr" in text
        assert "accueil@mediatheque.example.fr" in text
        assert text.endswith("mediatheque.example.fr/plan")
        # Each network's clicks are counted apart and tagged with its name.
        links = ShortLink.objects.filter(publication__network=key)
        assert {link.url for link in links} == {AGENDA, SIGN_UP}
        assert {parse_qs(urlsplit(link.target_url).query)["utm_source"][0] for link in links} == {
            key
        }
    assert set(SHORT.findall(texts["mastodon"])).isdisjoint(SHORT.findall(texts["bluesky"]))
    # A retry sends the same text.
    assert publish_request_for(bluesky).text == texts["bluesky"]
    # And the body's second link leads where it was typed, with UTM.
    code = SHORT.findall(texts["bluesky"])[1].rsplit("/", 1)[1]
    response = Client().get(f"/l/{code}", HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
    target = urlsplit(response["Location"])
    assert target.path == "/inscriptions"
    assert parse_qs(target.query)["atelier"] == ["conte"]
    assert parse_qs(target.query)["utm_source"] == ["bluesky"]


def test_the_post_s_own_link_typed_in_the_text_is_one_short_link(network):
    publication = published(
        library=network.a, network="bluesky", body=f"Programme : {AGENDA}", link=AGENDA
    )

    request = publish_request_for(publication)

    assert SHORT.findall(request.text) == [request.link]  # not appended a second time
    assert ShortLink.objects.count() == 1


def test_with_click_tracking_off_the_text_is_sent_as_typed(network, settings):
    settings.METRICS_CLICK_TRACKING = False
    (publication,) = _post_on(network, ["bluesky"])

    request = publish_request_for(publication)

    assert request.text == BODY
    assert not ShortLink.objects.exists()


def _composer_count(client, key: str, body: str, link: str = "") -> int:
    html = client.post(
        reverse("posts:composer_check"),
        {"title": "Nuit", "body": body, "link": link, "targets": [f"network:{key}"]},
    ).content.decode()
    item = html[html.index(f'data-network="{key}"') :]
    return int(re.search(r'counter-count">(\d+) /', item)[1])


@pytest.mark.parametrize("tracking", [True, False])
@pytest.mark.parametrize("key", ["bluesky", "mastodon", "x", "linkedin", "threads", "facebook"])
def test_the_composer_counts_what_is_sent(client, network, settings, key, tracking):
    settings.METRICS_CLICK_TRACKING = tracking
    client.force_login(member(network.a))
    (publication,) = _post_on(network, [key])
    publication.post.link = SIGN_UP
    publication.post.save()

    counted = _composer_count(client, key, BODY, link=SIGN_UP)
    sent = publish_request_for(publication).text

    rules = get_network(key)
    assert counted == rules.measure_post(sent)
    if key == "bluesky":  # counts links in full: the short links make the text shorter
        typed = rules.measure(rules.final_text(rules_input(BODY, SIGN_UP)))
        assert (counted < typed) is tracking


def rules_input(text, link):
    from networks import VariantInput

    return VariantInput(text=text, link=link)


def test_a_text_too_long_only_as_typed_is_not_refused(client, network):
    # 300 graphemes as typed on Bluesky, but its long link goes out as a short one.
    client.force_login(member(network.a))
    filler = "a" * (300 - len(AGENDA) - 1)
    html = client.post(
        reverse("posts:composer_check"),
        {"title": "Nuit", "body": f"{filler} {AGENDA} !!", "targets": ["network:bluesky"]},
    ).content.decode()

    assert "le texte dépasse 300 caractères" not in html
    assert "counter-over" not in html
    assert "liens comptés comme les liens courts envoyés" in html
