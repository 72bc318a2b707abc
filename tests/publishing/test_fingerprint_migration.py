"""Posts approved before a network's own link (and photo fit) counted in the approved
content keep publishing: the data migration carries their approval over to the new
fingerprint, when the stored one is exactly the old computation of their content."""

import importlib

import pytest
from django.apps import apps

from posts.content import post_fingerprint
from posts.models import PostVariant
from publishing.models import Publication, PublicationState
from publishing.services import dispatch_due, publication_publish
from validation.errors import ContentNotApproved
from validation.models import Review, ReviewEvent
from validation.services import post_check_publishable

pytestmark = pytest.mark.django_db
S = PublicationState
MIGRATION = importlib.import_module("validation.migrations.0002_fingerprint_variant_link_and_fit")
LINK = "https://bm.example.fr/contes?utm_source=mastodon"


def as_stored_before(post) -> str:
    """What the database held for a post approved before the change: the approval, the
    review and the trail carry the old computation (without the network's link)."""
    content = MIGRATION.snapshot(post, with_link_and_fit=False)
    old = MIGRATION.fingerprint_of(content)
    Review.objects.filter(post=post).update(approved_fingerprint=old, fingerprint=old)
    ReviewEvent.objects.filter(post=post).exclude(fingerprint="").update(
        fingerprint=old, snapshot=content
    )
    return old


@pytest.fixture
def approved_with_a_link(approve, mastodon_account):
    post = approve([mastodon_account])
    PostVariant.objects.create(post=post, network="mastodon", link=LINK, image_fit="crop")
    as_stored_before(post)
    with pytest.raises(ContentNotApproved):  # what the change alone would do to it
        post_check_publishable(post=post)
    return post


def test_an_approved_post_with_a_network_link_still_publishes(
    approved_with_a_link, fake_mastodon, settings
):
    settings.METRICS_CLICK_TRACKING = False  # links sent as typed
    post = approved_with_a_link

    assert MIGRATION.recompute_fingerprints(apps, None) == 1

    assert Review.objects.get(post=post).approved_fingerprint == post_fingerprint(post)
    post_check_publishable(post=post)
    sweep = dispatch_due(now=post.scheduled_at)
    assert {publication_publish(publication_id=pk) for pk, _eta in sweep.sent} == {S.PUBLISHED}
    assert len(fake_mastodon.posts()) == 1
    assert Publication.objects.get(post=post).state == S.PUBLISHED
    (sent,) = fake_mastodon.requests("/api/v1/statuses", "POST")
    assert sent.json["status"].endswith(f"\n\n{LINK}")  # the network's own link


def test_a_post_changed_since_its_approval_is_left_alone(approved_with_a_link):
    post = approved_with_a_link
    post.body = "Un autre texte, jamais validé."
    post.save()
    stored = Review.objects.get(post=post).approved_fingerprint

    assert MIGRATION.recompute_fingerprints(apps, None) == 0

    assert Review.objects.get(post=post).approved_fingerprint == stored
    with pytest.raises(ContentNotApproved):
        post_check_publishable(post=post)


def test_going_back_restores_the_old_fingerprint(approved_with_a_link):
    old = Review.objects.get(post=approved_with_a_link).approved_fingerprint
    MIGRATION.recompute_fingerprints(apps, None)

    MIGRATION.restore_fingerprints(apps, None)

    assert Review.objects.get(post=approved_with_a_link).approved_fingerprint == old


def test_the_frozen_computation_is_todays(approved_with_a_link):
    # The migration's copy of posts.content must give today's fingerprint.
    new = MIGRATION.snapshot(approved_with_a_link, with_link_and_fit=True)
    assert MIGRATION.fingerprint_of(new) == post_fingerprint(approved_with_a_link)
