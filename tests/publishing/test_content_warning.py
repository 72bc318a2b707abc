"""A post's Mastodon content warning reaches the server as `spoiler_text`, its photos
marked sensitive; other networks receive the post without it."""

import datetime as dt

import pytest
from django.utils import timezone

from posts.models import PostMedia, PostVariant
from posts.services import Target, post_create
from publishing.models import Publication, PublicationState
from publishing.services import dispatch_due, publication_publish
from tests.factories import MediaFactory

pytestmark = pytest.mark.django_db
S = PublicationState
WARNING = "Spoiler : la fin du roman"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_warning_is_sent_as_spoiler_text_and_the_photo_is_sensitive(
    cast,
    mastodon_account,
    bluesky_account,
    fake_mastodon,
    fake_bluesky,
    django_capture_on_commit_callbacks,
):
    from validation.services import post_submit

    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(
            library=cast.net.a,
            author=cast.agent,
            title="Club de lecture",
            body="Nos avis sur « Le Horla ».",
            scheduled_at=timezone.now() + dt.timedelta(seconds=30),
            targets=[Target(a.network, a.pk) for a in (mastodon_account, bluesky_account)],
            media=[MediaFactory(library=cast.net.a, alt_text="La couverture du livre")],
        )
        PostVariant.objects.create(post=post, network="mastodon", content_warning=WARNING)
        post_submit(post=post, by=cast.agent)
    assert PostMedia.objects.filter(post=post).count() == 1

    sweep = dispatch_due(now=post.scheduled_at)
    outcomes = {publication_publish(publication_id=pk) for pk, _eta in sweep.sent}

    assert outcomes == {S.PUBLISHED}
    (status,) = fake_mastodon.posts()
    assert status["spoiler_text"] == WARNING
    assert status["sensitive"] is True  # the photo is hidden behind the warning too
    assert status["text"] == "Nos avis sur « Le Horla »."
    assert [m["description"] for m in status["media_attachments"]] == ["La couverture du livre"]
    (sent,) = fake_mastodon.requests("/api/v1/statuses", "POST")
    assert WARNING in str(sent.json or sent.form)
    (record,) = fake_bluesky.posts()
    assert WARNING not in str(record)
    assert Publication.objects.filter(post=post, state=S.PUBLISHED).count() == 2
