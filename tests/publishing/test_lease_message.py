"""A worker that dies mid-publish leaves a message on the post page: it is stored as a
code and shown in the reader's language (rows stored in French before read translated)."""

import datetime as dt

import pytest
from django.urls import reverse

from publishing.models import Publication, PublicationState
from publishing.services.dispatch import expire_leases

pytestmark = pytest.mark.django_db
S = PublicationState

FRENCH = "Le travail de publication s'est interrompu ; vérification sur le réseau."
ENGLISH = "The publishing job was interrupted; checking on the network."


@pytest.fixture
def interrupted(approve, mastodon_account):
    """A publication whose worker was killed: its lease ran out a minute ago."""
    post = approve([mastodon_account])
    publication = Publication.objects.get(post=post)
    Publication.objects.filter(pk=publication.pk).update(
        state=S.PUBLISHING, lease_expires_at=post.scheduled_at, attempts=1
    )
    assert expire_leases(post.scheduled_at + dt.timedelta(minutes=1)) == 1
    publication.refresh_from_db()
    return publication


def _post_page(client, user, post_id, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("posts:detail", args=[post_id])).content.decode()


def test_an_english_speaking_user_reads_the_lease_message_in_english(client, cast, interrupted):
    assert interrupted.state == S.UNKNOWN and interrupted.error_kind == "lease"
    assert interrupted.error_message == ""  # a code, not French text

    page = _post_page(client, cast.agent, interrupted.post_id, "en")

    assert ENGLISH in page
    assert "interrompu" not in page


def test_a_french_speaking_user_reads_it_in_french(client, cast, interrupted):
    page = _post_page(client, cast.agent, interrupted.post_id, "fr")

    assert "Le travail de publication s&#x27;est interrompu" in page


def test_a_row_stored_in_french_before_the_change_reads_in_english(client, cast, interrupted):
    Publication.objects.filter(pk=interrupted.pk).update(error_message=FRENCH)

    page = _post_page(client, cast.agent, interrupted.post_id, "en")

    assert ENGLISH in page and "interrompu" not in page


def test_a_networks_own_message_is_shown_as_it_came(client, cast, interrupted):
    Publication.objects.filter(pk=interrupted.pk).update(
        state=S.FAILED, error_kind="permanent", error_message="Mastodon : Validation failed"
    )

    page = _post_page(client, cast.agent, interrupted.post_id, "en")

    assert "Mastodon : Validation failed" in page
