"""The Website feed: a library's published posts as RSS 2.0, Atom 1.0 and JSON Feed 1.1,
and the items shown by the embeddable widget.

Items come from the Publication rows published on the library's Website account
(publishing.views.feeds serves them publicly, by the account's `feed_token`). The
post's internal title is never published: an item's title is the start of its text.
Images carry absolute URLs and their alt text: RSS and Atom items hold them in
Media RSS (`media:content` + `media:description`) and in their HTML; JSON Feed items
in `image` and an `_annexe.images` extension (JSON Feed has no alt-text field).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import linebreaks, urlize

from networks import text as textlib
from posts.selectors import content_for_target
from publishing.models import Publication, PublicationKind, PublicationState, SocialAccount

FEED_LENGTH = 30
TITLE_LENGTH = 80
MEDIA_NS = "http://search.yahoo.com/mrss/"


@dataclass(frozen=True)
class FeedImage:
    url: str
    alt: str
    mime_type: str
    size: int
    width: int
    height: int


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str  # the item's own public page
    link: str  # the post's link (an event page…), or the item's page
    title: str
    text: str
    html: str
    published: datetime
    images: tuple[FeedImage, ...]


def published_on(account: SocialAccount, *, limit: int = FEED_LENGTH):
    """The account's publications that are out and not deleted, newest first."""
    return (
        Publication.objects.filter(
            account=account,
            kind=PublicationKind.POST,
            state=PublicationState.PUBLISHED,
            remote_deleted_at__isnull=True,
        )
        .select_related("post")
        .prefetch_related("post__variants", "post__post_media__media")
        .order_by("-published_at", "-id")[:limit]
    )


def title_of(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if textlib.grapheme_count(first) <= TITLE_LENGTH:
        return first
    return first[: TITLE_LENGTH - 1].rstrip() + "…"


def item_for(publication: Publication, absolute: Callable[[str], str]) -> FeedItem:
    """One feed item. `absolute` turns a media URL into an absolute one."""
    content = content_for_target(
        post=publication.post, network_key="website", account=publication.account
    )
    text = textlib.prepare_text(content.text)
    images = tuple(
        FeedImage(
            url=absolute(media.file.url),
            alt=media.alt_text,
            mime_type=media.mime_type or "image/jpeg",
            size=media.bytes,
            width=media.width,
            height=media.height,
        )
        for media in content.media
        if media.file
    )
    body = linebreaks(urlize(text, nofollow=True, autoescape=True))
    for image in images:
        body += (
            f'<p><img src="{html.escape(image.url)}" alt="{html.escape(image.alt)}"'
            f' width="{image.width}" height="{image.height}"></p>'
        )
    url = publication.remote_url
    return FeedItem(
        id=f"urn:uuid:{publication.uuid}",
        url=url,
        link=content.link or url,
        title=title_of(text),
        text=text,
        html=body,
        published=publication.published_at or publication.updated_at,
        images=images,
    )


class _MediaMixin:
    """Media RSS for the images and their alt text."""

    def media_attributes(self, attrs: dict) -> dict:
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_media(self, handler, item) -> None:
        for image in item["images"]:
            handler.startElement(
                "media:content",
                {
                    "url": image.url,
                    "type": image.mime_type,
                    "medium": "image",
                    "width": str(image.width),
                    "height": str(image.height),
                },
            )
            if image.alt:
                handler.addQuickElement("media:description", image.alt, {"type": "plain"})
            handler.endElement("media:content")


class RssFeed(_MediaMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return self.media_attributes(super().rss_attributes())

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_media(handler, item)


class AtomFeed(_MediaMixin, Atom1Feed):
    def root_attributes(self):
        return self.media_attributes(super().root_attributes())

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_media(handler, item)


@dataclass(frozen=True)
class FeedInfo:
    title: str
    description: str
    home_page_url: str
    urls: dict[str, str]  # rss, atom, json, widget (absolute)
    language: str = "fr"


def syndication(kind: str, info: FeedInfo, items: list[FeedItem]) -> str:
    """RSS 2.0 (`kind="rss"`) or Atom 1.0 (`"atom"`) as text."""
    feed_class = RssFeed if kind == "rss" else AtomFeed
    feed = feed_class(
        title=info.title,
        link=info.home_page_url,
        description=info.description,
        language=info.language,
        feed_url=info.urls[kind],
        feed_guid=info.urls[kind],
    )
    for item in items:
        # RSS allows one enclosure per item: the first image (all are in media:content).
        images = item.images[:1] if kind == "rss" else item.images
        feed.add_item(
            title=item.title,
            link=item.link,
            description=item.html,
            unique_id=item.id,
            unique_id_is_permalink=False,
            pubdate=item.published,
            updateddate=item.published,
            enclosures=[Enclosure(i.url, str(i.size), i.mime_type) for i in images],
            images=item.images,
        )
    return feed.writeString("utf-8")


def json_feed(info: FeedInfo, items: list[FeedItem]) -> dict:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "description": info.description,
        "home_page_url": info.home_page_url,
        "feed_url": info.urls["json"],
        "language": info.language,
        "items": [
            {
                "id": item.id,
                "url": item.url,
                **({"external_url": item.link} if item.link != item.url else {}),
                "title": item.title,
                "content_html": item.html,
                "content_text": item.text,
                "date_published": item.published.isoformat(),
                **({"image": item.images[0].url} if item.images else {}),
                "attachments": [
                    {"url": i.url, "mime_type": i.mime_type, "size_in_bytes": i.size}
                    for i in item.images
                ],
                "_annexe": {"images": [{"url": i.url, "alt": i.alt} for i in item.images]},
            }
            for item in items
        ],
    }
