"""Publications already out, for the feed, sandbox and relay tests (the engine's
publish task normally gets them there)."""

import datetime as dt
import uuid

from django.utils import timezone

from publishing.models import Publication, PublicationState


def published(post, account, *, when: dt.datetime | None = None, **fields) -> Publication:
    when = when or timezone.now()
    key = str(uuid.uuid4())
    defaults = {
        "network": account.network,
        "state": PublicationState.PUBLISHED,
        "scheduled_at": when,
        "published_at": when,
        "key": key,
        "uuid": key,
        "remote_id": f"{account.network}:{key}",
        "remote_url": f"{account.server_url or 'http://example.org/'}{key}/",
    }
    return Publication.objects.create(post=post, account=account, **(defaults | fields))
