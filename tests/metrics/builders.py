"""Published posts for the metrics pages' tests (no engine run needed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from publishing.models import Publication
from tests.factories import PostFactory, SocialAccountFactory


def published(
    *,
    library,
    network: str = "mastodon",
    account=None,
    at: dt.datetime | None = None,
    **post_fields,
) -> Publication:
    """A published post with one publication on `account` (made on `network`)."""
    at = at or timezone.now() - dt.timedelta(days=1)
    account = account or SocialAccountFactory(library=library, network=network)
    post = PostFactory(library=library, state="published", scheduled_at=at, **post_fields)
    return Publication.objects.create(
        post=post,
        account=account,
        network=account.network,
        state="published",
        scheduled_at=at,
        published_at=at,
        remote_id=f"remote-{post.pk}",
    )


def with_metrics(
    publication: Publication,
    *,
    at: dt.datetime | None = None,
    likes: int = 0,
    shares: int = 0,
    replies: int = 0,
    colleague_likes: int = 0,
    colleague_shares: int = 0,
    impressions: int | None = None,
):
    """A snapshot of the publication, made its latest (as metrics.refresh keeps it)."""
    from metrics.models import MetricRefresh, MetricSnapshot

    snapshot = MetricSnapshot.objects.create(
        publication=publication,
        taken_at=at or publication.published_at + dt.timedelta(hours=1),
        likes=likes,
        shares=shares,
        replies=replies,
        impressions=impressions,
        public_likes=likes - colleague_likes,
        public_shares=shares - colleague_shares,
        colleague_likes=colleague_likes,
        colleague_shares=colleague_shares,
        audience_known=True,
    )
    MetricRefresh.objects.update_or_create(
        publication=publication,
        defaults={
            "account": publication.account,
            "published_at": publication.published_at,
            "latest": snapshot,
        },
    )
    return snapshot
