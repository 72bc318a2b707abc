"""What the fake Graph API stores: apps, users, Pages, Instagram and Threads
accounts, tokens, posts, photos, containers and published media.

Shapes of the serialised forms are in the handler modules (``graph_*.py``),
next to the document each one comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def graph_time(timestamp: float) -> str:
    """Graph's datetime format: ``2019-08-15T17:42:04+0000``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def pacific_time(timestamp: float) -> str:
    """The expiry wording of code 463, e.g. ``Friday, 09-Jun-17 10:00:00 PDT``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")


@dataclass
class MetaApp:
    app_id: str
    secret: str
    name: str
    # Valid OAuth redirect URIs of the app dashboard; empty: any loopback URI.
    redirect_uris: list[str] = field(default_factory=list)


@dataclass
class FbUser:
    id: str
    name: str


@dataclass
class Page:
    id: str
    name: str
    category: str
    admin_ids: list[str]
    ig_user_id: str | None = None
    fan_count: int = 0


@dataclass
class IgUser:
    id: str
    username: str
    name: str
    page_id: str
    followers_count: int = 0


@dataclass
class GraphToken:
    """A user, Page or Threads token. ``targets`` maps each granted scope to the
    Page/IG ids the user picked (``granular_scopes`` of ``/debug_token``)."""

    value: str
    kind: str  # USER, PAGE, THREADS
    app_id: str
    user_id: str
    scopes: list[str]
    issued_at: float
    expires_at: float  # 0: never expires
    page_id: str | None = None
    targets: dict[str, list[str]] = field(default_factory=dict)
    long_lived: bool = False
    parent: str | None = None  # the user token a Page token was minted from
    broken: str | None = None  # a GRAPH_ERRORS name: why it no longer works

    def expired(self, now: float) -> bool:
        return bool(self.expires_at) and now >= self.expires_at

    def allows(self, scope: str, target: str | None = None) -> bool:
        if scope not in self.scopes:
            return False
        if target is None or scope not in self.targets:
            return True
        return target in self.targets[scope]


@dataclass
class AuthCode:
    code: str
    app_id: str
    redirect_uri: str
    user_id: str
    scopes: list[str]
    targets: dict[str, list[str]]
    expires_at: float
    used: bool = False


@dataclass
class FbPhoto:
    id: str
    page_id: str
    created: float
    size: int
    mime_type: str
    width: int
    height: int
    published: bool
    alt_text: str | None = None
    caption: str = ""
    source_url: str | None = None
    post_id: str | None = None  # the feed post showing it


@dataclass
class FbPost:
    id: str  # {page-id}_{post-id}
    page_id: str
    message: str
    created: float
    link: str | None = None
    photo_ids: list[str] = field(default_factory=list)
    published: bool = True
    deleted: bool = False
    reactions: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, type)
    comments: int = 0
    shares: int = 0
    insights: dict[str, Any] = field(default_factory=dict)

    @property
    def permalink_url(self) -> str:
        page, _, post = self.id.partition("_")
        return f"https://www.facebook.com/{page}/posts/{post}"


@dataclass
class Container:
    """An Instagram or Threads media container."""

    id: str
    owner_id: str
    media_type: str  # IMAGE, CAROUSEL (IG); TEXT, IMAGE, CAROUSEL (Threads)
    created: float
    text: str = ""
    alt_text: str | None = None
    image_url: str | None = None
    image: dict[str, Any] | None = None
    children: list[str] = field(default_factory=list)
    is_carousel_item: bool = False
    polls_left: int = 0
    forced_status: str | None = None  # ERROR or EXPIRED, injected
    error_message: str | None = None
    published_id: str | None = None
    link_attachment: str | None = None
    reply_to_id: str | None = None


@dataclass
class PublishedMedia:
    """An Instagram media or a Threads post, once published."""

    id: str
    owner_id: str
    container_id: str
    media_type: str
    text: str
    created: float
    shortcode: str
    children: list[str] = field(default_factory=list)
    like_count: int = 0
    comments_count: int = 0
    insights: dict[str, int] = field(default_factory=dict)
    insights_unavailable: bool = False
    deleted: bool = False
    alt_texts: list[str | None] = field(default_factory=list)


@dataclass
class ThreadsUser:
    id: str
    username: str
    name: str
