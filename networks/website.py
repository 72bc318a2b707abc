"""Website feed: published posts as RSS/Atom and JSON feed items and an embeddable widget
for the library's portal and the town's site.

No practical text limit (10,000 grapheme clusters keeps feeds sane); the post's link is
the item's own link, not appended to its text.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
from networks.client import Account, AccountInfo, NetworkClient, PublishRequest, RemotePost


class Website(Network):
    key = "website"
    name = _("Site web (flux)")
    text_limits = TextLimits(max_length=10_000)
    image_limits = ImageLimits(
        max_count=10,
        max_bytes=10_000_000,
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        alt_text_max=1500,
        animated_gif="always",
    )
    link_in_text = False

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(text))

    def client(self) -> WebsiteClient:
        return WebsiteClient()


# ======================================================================================
# Client: nothing leaves Annexe. A published item appears in the library's feeds (RSS,
# Atom, JSON Feed) and widget, which the publishing app builds from the publications;
# `account.server_url` is the base URL of the items' public pages.
# ======================================================================================
class WebsiteClient(NetworkClient):
    key = "website"
    connect_kind = "local"
    remote = False

    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        return RemotePost(
            remote_id=request.key,
            url=f"{account.server_url}{request.key}/",
            published_at=datetime.now(UTC),
        )

    def find(self, account: Account, request: PublishRequest, *, since: datetime) -> None:
        return None  # publishing is a pure function of the key

    def delete(self, account: Account, post: RemotePost) -> None:
        return None  # the feeds leave out deleted publications

    def verify(self, account: Account) -> AccountInfo:
        return AccountInfo(
            remote_id=account.remote_id,
            handle=account.handle,
            display_name=account.handle,
            server_url=account.server_url,
        )
