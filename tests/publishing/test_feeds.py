"""The Website feed: RSS 2.0, Atom and JSON Feed parsed and checked, the widget."""

import datetime as dt

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from posts.models import PostMedia
from publishing.models import AccountStatus, PublicationState
from tests.factories import LibraryFactory, MediaFactory, PostFactory, SocialAccountFactory
from tests.publishing.published import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def website():
    library = LibraryFactory(name="Médiathèque Jules-Verne")
    return SocialAccountFactory(
        library=library,
        network="website",
        feed_token="tok-" + "x" * 30,
        server_url="http://testserver/publishing/feeds/items/",
    )


@pytest.fixture
def items(website):
    library = website.library
    older = PostFactory(
        library=library,
        title="Interne : ne pas publier",
        body="Heure du conte 🐻 mercredi à 15 h !\nPour les 3-6 ans.",
        link="https://mediatheque.example/agenda/conte",
    )
    photo = MediaFactory(library=library, alt_text="Une conteuse et des enfants")
    PostMedia.objects.create(post=older, media=photo, position=0)
    newer = PostFactory(library=library, body="Fermeture exceptionnelle samedi.")
    draft = PostFactory(library=library, body="Pas encore publié")
    now = timezone.now()
    first = published(older, website, when=now - dt.timedelta(days=1))
    second = published(newer, website, when=now)
    published(draft, website, state=PublicationState.SCHEDULED, published_at=None)
    return first, second, photo


def _get(client, name, token):
    return client.get(reverse(f"publishing:feed_{name}", args=[token]))


def test_rss_parses_with_items_images_and_alt_text(client, website, items):
    first, second, photo = items

    response = _get(client, "rss", website.feed_token)
    feed = feedparser.parse(response.content)

    assert response["Content-Type"].startswith("application/rss+xml")
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.title == "Les actualités de Médiathèque Jules-Verne"
    assert [e.id for e in feed.entries] == [f"urn:uuid:{second.uuid}", f"urn:uuid:{first.uuid}"]
    entry = feed.entries[1]
    assert entry.title == "Heure du conte 🐻 mercredi à 15 h !"  # never the internal title
    assert entry.link == "https://mediatheque.example/agenda/conte"
    assert entry.published_parsed[:3] == first.published_at.utctimetuple()[:3]
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{photo.file.url}"
    assert enclosure.type == "image/jpeg"
    assert entry.media_content[0]["url"] == f"http://testserver{photo.file.url}"
    assert 'alt="Une conteuse et des enfants"' in entry.summary
    assert "Une conteuse et des enfants" in response.content.decode()  # media:description
    assert "Pas encore publié" not in response.content.decode()


def test_atom_parses_with_items_and_enclosures(client, website, items):
    first, _second, photo = items

    feed = feedparser.parse(_get(client, "atom", website.feed_token).content)

    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == 2
    entry = feed.entries[1]
    assert entry.id == f"urn:uuid:{first.uuid}"
    assert entry.updated_parsed
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosures[0].href == f"http://testserver{photo.file.url}"


def test_json_feed_has_the_required_fields(client, website, items):
    first, second, photo = items

    response = _get(client, "json", website.feed_token)
    feed = response.json()

    assert response["Content-Type"].startswith("application/feed+json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["feed_url"].endswith("/feed.json")
    assert feed["home_page_url"].startswith("http://testserver/")
    assert [item["id"] for item in feed["items"]] == [
        f"urn:uuid:{second.uuid}",
        f"urn:uuid:{first.uuid}",
    ]
    for item in feed["items"]:
        # Every item has an id and content; dates are RFC 3339.
        assert item["content_html"] and item["content_text"]
        dt.datetime.fromisoformat(item["date_published"])
        assert item["url"].startswith("http")
    item = feed["items"][1]
    assert item["external_url"] == "https://mediatheque.example/agenda/conte"
    assert item["image"] == f"http://testserver{photo.file.url}"
    assert item["attachments"][0]["mime_type"] == "image/jpeg"
    assert item["attachments"][0]["size_in_bytes"] == photo.bytes
    assert item["_annexe"]["images"][0]["alt"] == "Une conteuse et des enfants"


def test_widget_may_be_framed_and_nothing_else(client, website, items):
    widget = _get(client, "widget", website.feed_token)
    settings_page = client.get(reverse("login"))

    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert 'alt="Une conteuse et des enfants"' in widget.content.decode()
    assert settings_page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in settings_page["Content-Security-Policy"]


def test_item_page_is_public(client, website, items):
    first, _second, _photo = items

    response = client.get(reverse("publishing:feed_item", args=[first.key]))

    assert response.status_code == 200
    assert "Heure du conte" in response.content.decode()
    assert "Interne : ne pas publier" not in response.content.decode()


def test_unknown_or_disconnected_feed_is_not_found(client, website, items):
    assert _get(client, "rss", "nope").status_code == 404
    website.status = AccountStatus.DISABLED
    website.save()
    assert _get(client, "rss", website.feed_token).status_code == 404
    assert _get(client, "widget", website.feed_token).status_code == 404


def test_feeds_need_no_login_and_are_read_only(client, website, items):
    assert _get(client, "json", website.feed_token).status_code == 200
    assert client.post(reverse("publishing:feed_rss", args=[website.feed_token])).status_code == 405
