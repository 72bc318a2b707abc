"""The client side of a network: publish, find, delete, repost, verify, connect.

Every network module has two sections: its *rules* (a `networks.base.Network`:
limits, measure, check) and its *client* (a `NetworkClient` subclass below),
reached with `get_network(key).client()`.

Contract of a client
--------------------
- Plain dataclasses in and out (`Account`, `PublishRequest`, `RemotePost`,
  `AccountInfo`); no ORM, no Django settings: the publishing app builds the
  inputs and saves the outputs.
- Every HTTP request goes through `networks.http.HttpClient` (timeouts, user
  agent, redacted logs, the generic error mapping), with the network's own
  `classify` for its error bodies.
- A client raises only `NetworkError` subclasses, each carrying the network's
  own message (what the librarian reads):

  ===================  ==========================================  ==========================
  exception            when                                        the engine then
  ===================  ==========================================  ==========================
  `TransientError`     5xx, connection refused, a timeout before   retries with backoff and
                       the request was sent, media still           jitter, up to a limit
                       processing
  `RateLimited`        429 or the network's quota error            retries at `reset_at`
  `AuthError`          token revoked or expired beyond refresh     account → needs reconnect
  `PermanentError`     the network refused the content (4xx)       failed, message shown
  `AmbiguousError`     the request may have been processed (read   unknown → `find` before
                       timeout, connection dropped after sending)  any retry
  ===================  ==========================================  ==========================

- Exactly once: `new_key()` chooses the key the network sees (Mastodon's
  `Idempotency-Key`, Bluesky's record key); the engine stores it *before* the
  first attempt and passes the same key to every retry. Before any retry the
  engine calls `find()`; a client that cannot find returns None only when it
  is sure the post does not exist (or when re-sending with the same key is
  harmless).
- Credentials that change during a call (a refreshed session) are handed to
  `Account.update_credentials()`, whose callback saves them encrypted;
  `Account.reload_credentials()` (when set) reads them back, for a rotating refresh
  token another process may have used first.
- Connect flows are network-specific steps on the client (`MastodonClient.
  register_app`, `BlueskyClient.login`…); `connect_kind` tells the accounts page
  which form to show: "oauth2", "app_password" or "local".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal

from networks.messages import Message

ConnectKind = Literal["oauth2", "app_password", "local"]


# --- Errors ------------------------------------------------------------------------------
class NetworkError(Exception):
    """A network call failed. `message` is what people read: the network's own words,
    or a `networks.messages.Message` (French text that keeps its msgid and parameters,
    so that whoever stores it shows it in the reader's language: `as_data`, `render`);
    `status` the HTTP status when there was one; `code` the network's error name."""

    kind: ClassVar[str] = "error"

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        # (A Message keeps its msgid: only plain text is cut.)
        self.message = message if isinstance(message, Message) else message[:1000]
        self.status = status
        self.code = code

    def __str__(self) -> str:
        return self.message


class TransientError(NetworkError):
    kind = "transient"


class RateLimited(NetworkError):
    """`scope` says what must wait until `reset_at`: "account" (every call of the
    account: Mastodon's, Bluesky's budgets) or "endpoint" (only the endpoint that
    answered: X's per-endpoint windows, LinkedIn's per-resource daily quotas; the
    account's other calls may go on)."""

    kind = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None = None,
        status: int | None = 429,
        code="",
        scope: Literal["account", "endpoint"] = "account",
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.reset_at = reset_at
        self.scope = scope


class AuthError(NetworkError):
    kind = "auth"


class PermanentError(NetworkError):
    kind = "permanent"


class AmbiguousError(NetworkError):
    kind = "ambiguous"


# --- Data in and out ---------------------------------------------------------------------
@dataclass
class Account:
    """A connected account as a client needs it. `credentials` are decrypted; a client
    that renews them calls `update_credentials` (never logs them)."""

    network: str
    server_url: str = ""
    handle: str = ""
    remote_id: str = ""
    credentials: dict[str, Any] = field(default_factory=dict, repr=False)
    settings: dict[str, Any] = field(default_factory=dict)
    on_credentials_changed: Callable[[dict[str, Any]], None] | None = field(
        default=None, repr=False
    )
    # The credentials as saved now (another worker may have refreshed a rotating token
    # meanwhile: X's refresh tokens work once).
    reload_credentials: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)

    def update_credentials(self, credentials: dict[str, Any]) -> None:
        self.credentials = credentials
        if self.on_credentials_changed is not None:
            self.on_credentials_changed(credentials)


@dataclass(frozen=True)
class Image:
    """One image to attach, already converted for the network (a rendition)."""

    data: bytes = field(repr=False)
    mime_type: str
    alt_text: str = ""
    width: int = 0
    height: int = 0
    filename: str = "image.jpg"
    url: str = ""  # a public URL of the image (feeds), when there is one


@dataclass(frozen=True)
class Event:
    """An event a post announces (Google Business Profile event posts). `start` and
    `end` are in the place's own time (the library's timezone): networks that take a
    civil date and time (Google) use them as they read."""

    title: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Offer:
    """An offer a post makes (Google Business Profile OFFER posts), with its `Event`
    as title and validity: a coupon code, a page where it is redeemed online, terms.
    Each is optional."""

    coupon_code: str = ""
    redeem_url: str = ""
    terms: str = ""


@dataclass(frozen=True)
class PublishRequest:
    """What to publish. `key` is stable across retries (see `NetworkClient.new_key`);
    `text` is the network's final text (`Network.final_text`). `event`, `offer` (with
    an event: an offer valid from its start to its end) and `call_to_action` (a button
    kind such as "LEARN_MORE", whose link is `link`) are used by the networks that have
    them (Google Business Profile) and ignored by the others."""

    key: str
    text: str
    images: tuple[Image, ...] = ()
    link: str = ""
    title: str = ""
    language: str = ""
    content_warning: str = ""
    visibility: str = ""
    created_at: datetime | None = None
    event: Event | None = None
    offer: Offer | None = None
    call_to_action: str = ""


@dataclass(frozen=True)
class RemotePost:
    """A post as it exists on the network. `data` holds network extras (Bluesky's
    `uri` and `cid`) that later calls (delete, repost, metrics) need."""

    remote_id: str
    url: str = ""
    published_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountInfo:
    """Who an account is on the network (after connecting or testing it)."""

    remote_id: str
    handle: str
    display_name: str = ""
    avatar_url: str = ""
    server_url: str = ""


@dataclass(frozen=True)
class Metrics:
    """Counts of one remote post at one time (None: the network does not say)."""

    likes: int | None = None
    shares: int | None = None
    replies: int | None = None
    quotes: int | None = None
    impressions: int | None = None
    clicks: int | None = None  # clicks on the post's link or button, where counted
    reach: int | None = None  # distinct accounts reached, where the network says


EngagementKind = Literal["like", "share"]


@dataclass(frozen=True)
class Engager:
    """Someone who liked or shared a post, as much as classifying them needs: `key` is
    the account's stable identifier on the network (Mastodon `user@domain`, a Bluesky
    DID), `handle` what people write (`@user@domain`, `name.bsky.social`), `domain`
    what a domain rule matches (the Mastodon instance, the Bluesky handle). No profile
    data: the metrics app hashes `key` and forgets the rest."""

    key: str
    handle: str
    domain: str


# --- The client --------------------------------------------------------------------------
class NetworkClient:
    """Base class of the network clients. Subclasses set `key` and implement what the
    network supports; the rest raises NotImplementedError (the engine checks the
    `supports_*` flags first)."""

    key: ClassVar[str]
    # Metrics of the account itself, per day (Google Business Profile's location views,
    # calls, direction requests…): names of those `fetch_account_daily` returns.
    account_daily_metrics: ClassVar[tuple[str, ...]] = ()
    connect_kind: ClassVar[ConnectKind] = "oauth2"
    supports_delete: ClassVar[bool] = True
    supports_repost: ClassVar[bool] = False
    # Whether the network is reached over HTTP (False: Sandbox and Website feed, which
    # live inside Annexe).
    remote: ClassVar[bool] = True
    # Whether the network downloads images from `Image.url` itself (Instagram,
    # Threads): the engine then gives a public, signed, expiring URL of each rendition.
    needs_public_image_urls: ClassVar[bool] = False
    # How many posts one `fetch_metrics` request covers (the refresh sweep groups an
    # account's due publications by this), and whether `fetch_engagers` works.
    metrics_batch_size: ClassVar[int] = 1
    supports_engagers: ClassVar[bool] = False
    # Which lists `fetch_engagers` gives (LinkedIn lists reactions, not reshares).
    engager_kinds: ClassVar[tuple[EngagementKind, ...]] = ("like", "share")
    # Whether any account of a server may read the counts of another's public posts
    # (Mastodon statuses, Bluesky AppView): batches then span a server's accounts.
    metrics_shared_reads: ClassVar[bool] = False

    def new_key(self, publication_uuid: str, now: datetime) -> str:
        """The idempotency key the network will see, chosen once per publication."""
        return publication_uuid

    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        raise NotImplementedError

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The post published by an earlier attempt of `request` (sent after `since`),
        or None when there is none."""
        raise NotImplementedError

    def delete(self, account: Account, post: RemotePost) -> None:
        """Delete the post; a post already gone is not an error."""
        raise NotImplementedError

    def repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost:
        """Boost/repost `original` (published by another account) from `account`."""
        raise NotImplementedError

    def find_repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost | None:
        raise NotImplementedError

    def verify(self, account: Account) -> AccountInfo:
        """Check the credentials still work; who the account is."""
        raise NotImplementedError

    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Counts per `remote_id` (batched where the network allows). A post missing
        from the answer was not found: deleted on the network (or no longer visible).
        Raises RateLimited (with the reset) and AuthError like any call."""
        raise NotImplementedError

    def fetch_account_daily(
        self, account: Account, *, start: date, end: date
    ) -> dict[date, dict[str, int]]:
        """The account's own metrics (`account_daily_metrics`) for each day from `start`
        to `end` included that the network answers: {day: {metric: value}}. Raises
        RateLimited and AuthError like any call."""
        raise NotImplementedError

    def fetch_engagers(
        self,
        account: Account,
        post: RemotePost,
        *,
        kind: EngagementKind,
        known: Callable[[str], bool] | None = None,
        max_pages: int = 20,
        total: int | None = None,
    ) -> list[Engager]:
        """Who liked (`kind="like"`) or shared the post, newest first. With `known`,
        the walk stops after the page holding the first engager whose key is known
        (everything older was seen by an earlier walk); with `total` (the count just
        read), once that many are listed (no request for an empty last page).
        Never a partial list: a walk that cannot finish raises (RateLimited with
        scope "endpoint" when only the list's endpoint must wait)."""
        raise NotImplementedError


def utcnow() -> datetime:
    return datetime.now(UTC)
