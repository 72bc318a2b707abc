"""The posts app's demo data: a charter, four editorial lines, a dozen posts with photos."""

import pytest

from libraries import demo as libraries_demo
from posts import demo
from posts.models import CharterVersion, EditorialLine, Media, Post
from posts.tasks import media_prepare_renditions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_seed_is_idempotent_and_spreads_posts_over_two_months():
    ctx = libraries_demo.seed()

    demo.seed(ctx)
    demo.seed(ctx)

    assert CharterVersion.objects.count() == 1
    assert set(EditorialLine.objects.values_list("name", flat=True)) == {
        "Coups de cœur",
        "Vie de la bibliothèque",
        "Événements",
        "Chatons",
    }
    posts = list(Post.objects.all())
    assert len(posts) == 12 and Media.objects.count() == 12
    assert len({p.editorial_line_id for p in posts}) == 4
    assert len({(p.scheduled_at.year, p.scheduled_at.month) for p in posts}) == 2
    assert all(p.post_media.get().media.alt_text for p in posts)


def test_rendition_task_prepares_and_skips_what_a_network_cannot_take(network):
    ctx = libraries_demo.seed()
    demo.seed(ctx)
    media = Media.objects.first()

    media_prepare_renditions(media.pk, [["instagram", "crop"], ["bluesky", "pad"], ["nope", ""]])
    media_prepare_renditions(media.pk, [["instagram", "crop"]])

    assert sorted(media.renditions.values_list("network", "fit")) == [
        ("bluesky", ""),
        ("instagram", "crop"),
    ]
