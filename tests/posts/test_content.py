"""What counts as content (resetting approvals) and what does not."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from libraries.models import Role
from posts.content import post_fingerprint
from posts.services import Target, post_create, post_update
from posts.signals import post_content_changed
from tests.factories import EditorialLineFactory, MediaFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    post_content_changed.connect(receiver)
    yield received
    post_content_changed.disconnect(receiver)


@pytest.fixture
def post(network):
    author = member(network.a)
    return post_create(
        library=network.a,
        author=author,
        title="Coup de cœur",
        body="Un roman lumineux.",
        targets=[Target("mastodon"), Target("bluesky")],
        media=[MediaFactory(library=network.a)],
    )


@pytest.mark.parametrize(
    "change",
    [
        {"body": "Un roman éblouissant."},
        {"link": "https://mediatheque.example.org/roman"},
        {"targets": [Target("mastodon")]},
        {"media": []},
    ],
)
def test_content_changes_are_signalled(post, changes, change):
    before = post_fingerprint(post)

    post = post_update(post=post, by=post.author, **change)

    assert post_fingerprint(post) != before
    assert len(changes) == 1
    assert changes[0]["previous_snapshot"] != changes[0]["snapshot"]


def test_alt_text_is_content(post):
    before = post_fingerprint(post)
    media = post.post_media.get().media
    media.alt_text = "Une couverture bleue"
    media.save()

    assert post_fingerprint(post) != before


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Autre titre interne"},
        {"notes": "À relire"},
        {"scheduled_at": timezone.now() + dt.timedelta(days=3)},
        {"editorial_line": "new"},
        {"body": "Un roman lumineux."},  # same text: nothing changed
    ],
)
def test_other_changes_keep_the_fingerprint(post, changes, change):
    before = post_fingerprint(post)
    if change.get("editorial_line") == "new":
        change["editorial_line"] = EditorialLineFactory(library=post.library)

    post = post_update(post=post, by=post.author, **change)

    assert post_fingerprint(post) == before
    assert changes == []


def test_another_contributor_cannot_edit(post, network):
    colleague = member(network.a, Role.CONTRIBUTOR)

    with pytest.raises(PermissionDenied):
        post_update(post=post, by=colleague, body="Piraté")


def test_a_validator_of_the_library_can_edit(post, network):
    validator = member(network.head, Role.VALIDATOR)

    post_update(post=post, by=validator, body="Corrigé")

    post.refresh_from_db()
    assert post.body == "Corrigé"


def test_asap_clears_the_date(post):
    post_update(post=post, by=post.author, scheduled_at=timezone.now(), publish_when_approved=True)

    post.refresh_from_db()
    assert post.scheduled_at is None
    assert post.publish_when_approved
