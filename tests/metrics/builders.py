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
