"""Mastodon's content warning (`spoiler_text`) counts toward the status limit as typed
(StatusLengthValidator: graphemes of `spoiler_text + countable_text(text)`); the fake
Mastodon counts the same way, so what the composer allows the server accepts."""

import pytest

from networks import VariantInput, get_network
from networks.client import Account, Image, PermanentError, PublishRequest
from networks.mastodon import SCOPES, MastodonClient

mastodon = get_network("mastodon")
URL = "https://mediatheque.example.org/une-tres-longue-adresse-de-page-de-programme"


def test_the_warning_counts_with_the_text():
    assert mastodon.measure_post("Bonjour", content_warning="Spoiler") == 14
    assert mastodon.measure_post("Bonjour") == mastodon.measure("Bonjour") == 7


def test_the_text_is_shortened_but_not_the_warning():
    # A URL in the text counts 23; in the warning it counts every character.
    assert mastodon.measure_post(URL) == 23
    assert mastodon.measure_post("", content_warning=URL) == len(URL)
    # A remote mention too: "@user@instance" counts as "@user" in the text only.
    assert mastodon.measure_post("@ana@bib.social", content_warning="@ana@bib.social") == 19


def test_the_warning_counts_in_graphemes_and_is_stripped():
    assert mastodon.measure_post("x", content_warning="  Fin du livre 📖👨‍👩‍👧  ") == 16


def test_check_says_the_warning_and_text_together_are_too_long():
    text = "a" * 490
    assert mastodon.check(VariantInput(text=text, content_warning="a" * 10)) == []

    (problem,) = mastodon.check(VariantInput(text=text, content_warning="a" * 11))

    assert problem.code == "text_too_long"
    assert str(problem.message) == (
        "Mastodon : l'avertissement de contenu et le texte dépassent ensemble 500 caractères (501)."
    )


def test_an_instance_with_a_higher_limit_counts_the_same_way():
    instance = mastodon.with_instance_configuration({"statuses": {"max_characters": 1000}})
    assert instance.remaining("a" * 900, content_warning="b" * 100) == 0


@pytest.mark.parametrize("key", ["bluesky", "x", "linkedin", "threads"])
def test_networks_without_a_content_warning_ignore_it(key):
    network = get_network(key)
    assert not network.supports_content_warning
    assert network.measure_post("Bonjour", content_warning="Spoiler") == network.measure("Bonjour")
    # Bluesky has self-labels, but only for adult content: not a content warning.


@pytest.fixture
def account(fake_mastodon):
    token = fake_mastodon.issue_token(scopes=" ".join(SCOPES))
    account = Account("mastodon", server_url=fake_mastodon.url, credentials={"access_token": token})
    account.remote_id = MastodonClient().verify(account).remote_id
    return account


def test_the_fake_server_agrees_at_the_limit(fake_mastodon, account):
    text = f"Rencontre avec l'autrice {URL} " + "a" * (500 - 23 - 26 - 40)
    warning = f"Attention : {URL}"[:40]
    assert mastodon.measure_post(text, content_warning=warning) == 500

    MastodonClient().publish(account, PublishRequest(key="k1", text=text, content_warning=warning))
    with pytest.raises(PermanentError, match="character limit"):
        MastodonClient().publish(
            account, PublishRequest(key="k2", text=text + "a", content_warning=warning)
        )

    (status,) = fake_mastodon.posts()
    assert status["spoiler_text"] == warning
    assert status["sensitive"] is True


def test_a_warning_without_text_is_published_as_the_text_and_says_so():
    from networks.base import ImageInfo

    photo = ImageInfo(width=800, height=600, bytes=50_000, mime_type="image/jpeg", alt_text="x")
    (problem,) = mastodon.check(VariantInput(text="", images=[photo], content_warning="Araignées"))

    assert (problem.code, problem.severity) == ("content_warning_without_text", "warning")
    assert mastodon.check(VariantInput(text="", images=[photo])) == []


def test_reconciliation_finds_a_status_whose_warning_became_its_text(fake_mastodon, account):
    from datetime import UTC, datetime, timedelta

    from tests.factories import make_image

    image = Image(data=make_image(60, 40), mime_type="image/jpeg", alt_text="Une araignée")
    request = PublishRequest(key="k3", text="", images=(image,), content_warning="Araignées")
    since = datetime.now(UTC) - timedelta(minutes=1)
    fake_mastodon.inject("/api/v1/statuses", method="POST", mode="drop_after")
    with pytest.raises(Exception):  # noqa: B017 - the answer is lost after the post is made
        MastodonClient().publish(account, request)

    found = MastodonClient().find(account, request, since=since)

    assert found is not None and found.remote_id == fake_mastodon.posts()[0]["id"]
