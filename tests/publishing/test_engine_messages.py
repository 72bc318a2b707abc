"""What the engine itself says about a publication (cannot be found after the last
attempt, an email relay that cannot go out, content not approved) is stored with its
msgid (networks.messages) and shown in the reader's language, on the post page and in
the validation trail where the failure is copied; rows stored in French before read
translated too, and a network's own words are shown as they came."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from posts.models import PostState
from publishing import hooks
from publishing.models import Publication, PublicationKind, PublicationState
from publishing.services import publication_publish, publication_retry
from validation.models import Action, ReviewEvent

pytestmark = pytest.mark.django_db
S = PublicationState

NOT_FOUND_FR = (
    "Après plusieurs tentatives sans réponse claire, la publication est introuvable "
    "sur le réseau : elle n'a pas été publiée."
)
NOT_FOUND_EN = (
    "After several attempts without a clear answer, the post cannot be found on the "
    "network: it was not published."
)
UNCONFIRMED_EN = "The email could not be confirmed as sent; check with the recipients."
NO_RECIPIENTS_EN = "This relay has no recipients."
NO_BUILDER_EN = "No relay email template is installed."


def _page(client, user, name, post_id, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse(name, args=[post_id])).content.decode()


@pytest.fixture
def not_found(approve, mastodon_account, fake_mastodon, settings):
    """The last attempt of an ambiguous publication: it looks on the network, finds
    nothing, and gives up without sending again."""
    post = approve([mastodon_account])
    publication = Publication.objects.get(post=post)
    Publication.objects.filter(pk=publication.pk).update(
        state=S.QUEUED,
        attempts=settings.PUBLISHING_MAX_ATTEMPTS,
        first_attempt_at=timezone.now(),
        error_kind="ambiguous",
    )
    assert publication_publish(publication_id=publication.pk) == S.FAILED
    assert fake_mastodon.posts() == []
    publication.refresh_from_db()
    return publication


def test_not_found_is_stored_with_its_msgid_and_read_in_english(client, cast, not_found):
    assert not_found.error_data["msgid"] == NOT_FOUND_FR
    assert not_found.post.state == PostState.FAILED

    page = _page(client, cast.agent, "posts:detail", not_found.post_id, "en")

    assert NOT_FOUND_EN in page and "introuvable" not in page


def test_the_failure_in_the_validation_trail_is_read_in_english(client, cast, not_found):
    failed = ReviewEvent.objects.get(post=not_found.post, action=Action.FAILED)
    assert failed.comment == NOT_FOUND_FR and failed.comment_data["msgid"] == NOT_FOUND_FR

    english = _page(client, cast.agent, "validation:review", not_found.post_id, "en")
    french = _page(client, cast.agent, "validation:review", not_found.post_id, "fr")

    assert NOT_FOUND_EN in english and "introuvable" not in english
    assert "la publication est introuvable" in french


def test_a_row_stored_in_french_before_reads_in_english(client, cast, not_found):
    Publication.objects.filter(pk=not_found.pk).update(error_data={})
    ReviewEvent.objects.filter(post=not_found.post).update(comment_data={})

    post_page = _page(client, cast.agent, "posts:detail", not_found.post_id, "en")
    review_page = _page(client, cast.agent, "validation:review", not_found.post_id, "en")

    assert NOT_FOUND_EN in post_page and "introuvable" not in post_page
    assert NOT_FOUND_EN in review_page and "introuvable" not in review_page


def test_a_networks_message_in_the_trail_is_shown_as_it_came(
    client, cast, approve, mastodon_account, fake_mastodon
):
    post = approve([mastodon_account])
    fake_mastodon.inject("/api/v1/statuses", method="POST", status=422, times=None)
    (publication,) = Publication.objects.filter(post=post)
    Publication.objects.filter(pk=publication.pk).update(state=S.QUEUED)

    assert publication_publish(publication_id=publication.pk) == S.FAILED

    failed = ReviewEvent.objects.get(post=post, action=Action.FAILED)
    publication.refresh_from_db()
    assert failed.comment == publication.error_message
    assert failed.comment_data == publication.error_data
    page = _page(client, cast.agent, "validation:review", post.pk, "en")
    with translation.override("en"):
        english = failed.comment_text
    assert english != failed.comment  # "Mastodon: …", the network's words kept
    assert escape(english) in page


# --- email relays ---------------------------------------------------------------------
@pytest.fixture
def email_relay(approve, mastodon_account, fake_mastodon):
    """An email relay of a published post, due now (its rule has no partner yet)."""
    from publishing.models import RelayRule

    post = approve([mastodon_account])
    source = Publication.objects.get(post=post)
    Publication.objects.filter(pk=source.pk).update(
        state=S.PUBLISHED, remote_id="1", published_at=timezone.now()
    )
    rule = RelayRule.objects.create(
        library=post.library, source_account=mastodon_account, action="email"
    )
    return Publication.objects.create(
        post=post,
        network="email",
        kind=PublicationKind.EMAIL,
        source=source,
        relay_rule=rule,
        state=S.QUEUED,
        scheduled_at=timezone.now(),
    )


def test_a_relay_without_recipients_says_so_in_english(client, cast, email_relay):
    assert publication_publish(publication_id=email_relay.pk) == S.FAILED

    email_relay.refresh_from_db()
    assert email_relay.error_data["msgid"] == "Ce relais n'a aucun destinataire."
    page = _page(client, cast.agent, "posts:detail", email_relay.post_id, "en")
    assert NO_RECIPIENTS_EN in page


def test_a_relay_without_an_email_template_says_so_in_english(client, cast, email_relay):
    builder = hooks.email_relay_builder()
    hooks._EMAIL_RELAY_BUILDER.clear()
    try:
        assert publication_publish(publication_id=email_relay.pk) == S.FAILED
    finally:
        hooks.register_email_relay_builder(builder)

    email_relay.refresh_from_db()
    page = _page(client, cast.agent, "posts:detail", email_relay.post_id, "en")
    assert NO_BUILDER_EN in page


def test_an_unconfirmed_email_is_never_sent_twice_even_after_a_retry(client, cast, email_relay):
    from publishing.models import RelayPartner

    partner = RelayPartner.objects.create(
        library=email_relay.post.library, name="Mairie", email="com@ville.example"
    )
    email_relay.relay_rule.partners.add(partner)
    # An earlier attempt died mid-send: the mail server may have taken it.
    Publication.objects.filter(pk=email_relay.pk).update(attempts=1, error_kind="lease")

    assert publication_publish(publication_id=email_relay.pk) == S.FAILED
    email_relay.refresh_from_db()
    page = _page(client, cast.agent, "posts:detail", email_relay.post_id, "en")
    assert UNCONFIRMED_EN in page

    email_relay.refresh_from_db()
    publication_retry(publication=email_relay, by=cast.agent)
    assert publication_publish(publication_id=email_relay.pk) == S.FAILED
    assert mail.outbox == []


def test_content_changed_behind_the_approvals_back_fails_in_the_readers_language(
    client, cast, approve, mastodon_account, fake_mastodon
):
    from posts.models import PostVariant

    post = approve([mastodon_account])
    PostVariant.objects.create(post=post, network="mastodon", link="https://autre.example/")
    publication = Publication.objects.get(post=post)
    Publication.objects.filter(pk=publication.pk).update(state=S.QUEUED)

    assert publication_publish(publication_id=publication.pk) == S.FAILED

    assert fake_mastodon.posts() == []
    english = _page(client, cast.agent, "posts:detail", post.pk, "en")
    assert "The content of this post is not the content that was approved." in english
    assert "pas celui qui a été validé" not in english
