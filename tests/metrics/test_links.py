"""Short links /l/<code>: UTM parameters, bots, one count per visitor and hour, 404s,
no open redirect."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client

from metrics.links import (
    click_record,
    clicks_for_publications,
    clicks_forget_visitors,
    is_bot,
    short_link_for,
    tracked_url,
)
from metrics.models import Click, ShortLink
from publishing.services.render import publish_request_for
from tests.factories import EditorialLineFactory, LibraryFactory
from tests.metrics.builders import published

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def publication():
    library = LibraryFactory()
    line = EditorialLineFactory(library=library, name="Coups de cœur")
    return published(
        library=library,
        network="mastodon",
        editorial_line=line,
        link="https://mediatheque.example.fr/agenda/conte?ref=annexe",
        body="L'heure du conte : https://mediatheque.example.fr/agenda/conte?ref=annexe",
    )


def _get(client: Client, url: str, agent: str = FIREFOX, address: str = "203.0.113.7"):
    return client.get(url, HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def test_utm_parameters_do_not_clobber_those_already_in_the_link():
    library = LibraryFactory()
    url = "https://bib.fr/a?utm_source=affiche&x=1#top"
    publication = published(library=library, network="bluesky", link=url)

    link = short_link_for(publication=publication, url=url)

    parts = urlsplit(link.target_url)
    assert parse_qs(parts.query) == {
        "utm_source": ["affiche"],
        "x": ["1"],
        "utm_medium": ["social"],
        "utm_campaign": ["annexe"],
    }
    assert parts.fragment == "top"


def test_the_post_link_goes_out_shortened_and_redirects_with_utm(publication, settings):
    settings.SITE_URL = "https://annexe.example.org"

    request = publish_request_for(publication)

    link = ShortLink.objects.get(publication=publication)
    assert request.link == f"https://annexe.example.org/l/{link.code}"
    assert request.link in request.text
    assert "mediatheque.example.fr" not in request.text
    # Deterministic: a retry sends the same text.
    assert publish_request_for(publication).text == request.text

    response = _get(Client(), f"/l/{link.code}")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.netloc, target.path) == ("mediatheque.example.fr", "/agenda/conte")
    assert parse_qs(target.query) == {
        "ref": ["annexe"],
        "utm_source": ["mastodon"],
        "utm_medium": ["social"],
        "utm_campaign": ["coups-de-coeur"],
    }
    assert Click.objects.filter(publication=publication).count() == 1


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        "http.rb/5.2.0 (Mastodon/4.3.2; +https://mastodon.social/)",
        "Twitterbot/1.0",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
    ],
)
def test_bots_and_link_previews_are_redirected_but_not_counted(publication, agent):
    link = short_link_for(publication=publication, url=publication.post.link)

    response = _get(Client(), f"/l/{link.code}", agent=agent)

    assert response.status_code == 302
    assert is_bot(agent)
    assert Click.objects.count() == 0


def test_a_head_request_is_not_a_click(publication):
    link = short_link_for(publication=publication, url=publication.post.link)
    assert Client().head(f"/l/{link.code}", HTTP_USER_AGENT=FIREFOX).status_code == 302
    assert Click.objects.count() == 0


def test_a_visitor_counts_once_per_hour(publication):
    link = short_link_for(publication=publication, url=publication.post.link)
    client = Client()
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 5, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            assert _get(client, f"/l/{link.code}").status_code == 302
        _get(client, f"/l/{link.code}", agent=IPHONE)  # someone else on the same wifi
        _get(client, f"/l/{link.code}", address="198.51.100.4")
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 55, tzinfo=dt.UTC), tick=False):
        _get(client, f"/l/{link.code}")
    with time_machine.travel(dt.datetime(2026, 3, 4, 11, 10, tzinfo=dt.UTC), tick=False):
        _get(client, f"/l/{link.code}")  # a new hour: counted again

    assert clicks_for_publications([publication.pk, 999999]) == {publication.pk: 4}


def test_no_address_is_stored_and_hashes_are_forgotten_after_their_hour(publication):
    link = short_link_for(publication=publication, url=publication.post.link)
    at = dt.datetime(2026, 3, 4, 10, 5, tzinfo=dt.UTC)
    assert click_record(link=link, address="203.0.113.7", user_agent=FIREFOX, now=at)

    click = Click.objects.get()
    assert "203.0.113.7" not in str(click.visitor)
    assert len(click.visitor) == 32
    assert clicks_forget_visitors(now=at + dt.timedelta(minutes=30)) == 0
    assert clicks_forget_visitors(now=at + dt.timedelta(hours=1)) == 1
    assert Click.objects.get().visitor is None
    # Still counted.
    assert clicks_for_publications([publication.pk]) == {publication.pk: 1}


def test_the_visitor_hash_changes_every_day(publication):
    from metrics.links import visitor_hash

    day1 = dt.datetime(2026, 3, 4, 23, 0, tzinfo=dt.UTC)
    same = visitor_hash(address="203.0.113.7", user_agent=FIREFOX, now=day1)
    assert same == visitor_hash(address="203.0.113.7", user_agent=FIREFOX, now=day1)
    assert same != visitor_hash(
        address="203.0.113.7", user_agent=FIREFOX, now=day1 + dt.timedelta(hours=2)
    )


@pytest.mark.parametrize(
    "path",
    ["/l/unknown1", "/l/zzzzzzzz", "/l/https://evil.example", "/l//evil.example", "/l/"],
)
def test_unknown_codes_are_404(publication, path):
    short_link_for(publication=publication, url=publication.post.link)
    assert _get(Client(), path).status_code == 404
    assert Click.objects.count() == 0


def test_no_open_redirect(publication):
    link = short_link_for(publication=publication, url=publication.post.link)

    # Parameters cannot change the destination.
    response = _get(Client(), f"/l/{link.code}?next=https://evil.example&url=//evil.example")
    assert urlsplit(response["Location"]).netloc == "mediatheque.example.fr"
    # Only links that appear in the post can be shortened.
    with pytest.raises(ValueError):
        short_link_for(publication=publication, url="https://evil.example/phish")
    with pytest.raises(ValueError):
        short_link_for(publication=publication, url="javascript:alert(1)")
    assert tracked_url(publication, "javascript:alert(1)") == "javascript:alert(1)"
    assert ShortLink.objects.count() == 1


def test_each_publication_has_its_own_link_and_counts(publication):
    other = published(
        library=publication.post.library, network="bluesky", link=publication.post.link
    )
    first = short_link_for(publication=publication, url=publication.post.link)
    second = short_link_for(publication=other, url=other.post.link)
    assert first.code != second.code
    assert "utm_source=bluesky" in second.target_url

    _get(Client(), f"/l/{second.code}")

    assert clicks_for_publications([publication.pk, other.pk]) == {other.pk: 1}


def test_snapshots_copy_the_clicks_counted_by_the_redirects(publication):
    from metrics import refresh

    link = short_link_for(publication=publication, url=publication.post.link)
    _get(Client(), f"/l/{link.code}")

    assert refresh._clicks([publication.pk]) == {publication.pk: 1}
