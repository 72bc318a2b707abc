"""Reads behind the Sandbox timeline page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from libraries.models import Library
from networks import text as textlib
from networks.client import Metrics
from networks.sandbox import Interaction, simulated_interactions
from posts.selectors import content_for_target
from publishing.models import Publication, PublicationState

RECENT_INTERACTIONS = 5


def timeline_of(library: Library) -> QuerySet[Publication]:
    """Publications (posts and shares) out on the library's sandbox accounts."""
    return (
        Publication.objects.filter(
            account__library=library,
            account__network="sandbox",
            state=PublicationState.PUBLISHED,
            remote_deleted_at__isnull=True,
        )
        .select_related("post", "account", "source__account")
        .prefetch_related("post__variants", "post__post_media__media")
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class Entry:
    publication: Publication
    text: str
    media: list
    metrics: Metrics
    recent: list[Interaction]
    anchor: str


def entries(publications, *, now: datetime | None = None) -> list[Entry]:
    now = now or timezone.now()
    found = []
    for publication in publications:
        content = content_for_target(
            post=publication.post, network_key="sandbox", account=publication.account
        )
        published_at = publication.published_at or now
        remote_id = publication.remote_id or str(publication.uuid)
        arrived = [i for i in simulated_interactions(remote_id, published_at) if i.at <= now]
        found.append(
            Entry(
                publication=publication,
                text=textlib.prepare_text(content.text),
                media=content.media,
                metrics=Metrics(
                    likes=sum(1 for i in arrived if i.kind == "like"),
                    shares=sum(1 for i in arrived if i.kind == "share"),
                    replies=sum(1 for i in arrived if i.kind == "reply"),
                ),
                recent=list(reversed(arrived[-RECENT_INTERACTIONS:])),
                anchor=f"post-{publication.key or publication.uuid}",
            )
        )
    return found
