"""Facebook Page posts (Graph API `/{page-id}/feed` and `/photos`).

Counting: 63,206 characters for `message` (Postiz). Meta does not say in which unit; we
count UTF-16 code units, the unit of its JavaScript and Java clients and the largest
count of the usual ones (an emoji outside the BMP counts 2), so a text we accept is never
too long. Buffer's character-limit guide counts the same way.

The second section is the client (`FacebookClient`).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from networks import graph
from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
from networks.client import (
    Account,
    AccountInfo,
    AuthError,
    Image,
    Metrics,
    NetworkClient,
    PermanentError,
    PublishRequest,
    RemotePost,
)


class Facebook(Network):
    key = "facebook"
    name = "Facebook"
    text_limits = TextLimits(max_length=63_206)
    image_limits = ImageLimits(
        max_count=10,  # photos per post via attached_media: unconfirmed, conservative
        max_bytes=4_000_000,  # "photos should be under 4 MB" (error 1366046)
        formats=("image/jpeg", "image/png"),
        alt_text_max=1000,  # alt_text_custom: limit unconfirmed, conservative
        animated_gif="never",  # unconfirmed: conservative
    )

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))

    def client(self) -> FacebookClient:
        return FacebookClient()


# ======================================================================================
# Client: Page posts with photos (unpublished photos + attached_media), links, delete,
# find after an ambiguous failure, verify, metrics. Sources: graph-api/reference/page/feed
# and page/photos, graph-api/reference/post, object/reactions, Page Insights 2025 update
# (NETWORKS.md § 3). The connect flow (Facebook Login for Business) is in
# `networks.meta_login`.
# ======================================================================================
# Looking back this far before the first attempt when finding a post: Page posts carry
# Meta's clock, which may differ a little from ours.
FIND_SLACK = timedelta(minutes=5)
# "views" since the 2025 Page Insights update (post_impressions* retired).
INSIGHT_METRICS = ("post_total_media_view_unique",)

_http = graph.make_http("Facebook")
logger = logging.getLogger(__name__)


def _auth(account: Account) -> dict[str, str]:
    return {"Authorization": f"OAuth {graph.token(account, 'Facebook')}"}


def _remote(data: dict) -> RemotePost:
    return RemotePost(
        remote_id=str(data["id"]),
        url=data.get("permalink_url") or "",
        published_at=graph.parse_time(data.get("created_time")),
        data={"page_id": str(data["id"]).split("_", 1)[0]},
    )


class FacebookClient(NetworkClient):
    key = "facebook"
    connect_kind = "oauth2"

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        """Photos are uploaded unpublished first (`published=false`, alt text in
        `alt_text_custom`), then one feed post attaches them all (page/feed
        `attached_media`). Uploading an unpublished photo twice is harmless: nothing
        appears on the Page until the feed post."""
        base = graph.graph_base(account)
        photo_ids = [self._upload(account, image) for image in request.images]
        body: dict[str, str] = {"message": request.text, "published": "true"}
        if photo_ids:
            body["attached_media"] = json.dumps([{"media_fbid": pid} for pid in photo_ids])
        elif request.link:
            body["link"] = request.link
        response = _http.request(
            "POST",
            f"{base}/{account.remote_id}/feed",
            write=True,
            headers=_auth(account),
            params={"fields": "id,permalink_url,created_time"},
            data=body,
        )
        data = response.json()
        if not data.get("permalink_url"):
            data.update(self._read(account, str(data["id"])))
        return _remote(data)

    def _upload(self, account: Account, image: Image) -> str:
        data = {"published": "false"}
        if image.alt_text:
            data["alt_text_custom"] = image.alt_text
        response = _http.request(
            "POST",
            f"{graph.graph_base(account)}/{account.remote_id}/photos",
            write=False,
            headers=_auth(account),
            data=data,
            files={"source": (image.filename, image.data, image.mime_type)},
        )
        return str(response.json()["id"])

    def _read(self, account: Account, post_id: str) -> dict:
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{post_id}",
            headers=_auth(account),
            params={"fields": "id,permalink_url,created_time"},
        )
        return response.json()

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The Page's posts since the first attempt whose message (whitespace aside)
        and photo count match: Graph has no idempotency key, and refuses a post that
        repeats the previous one (506), so an exact match is the earlier attempt."""
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{account.remote_id}/feed",
            headers=_auth(account),
            params={
                "fields": "id,message,created_time,permalink_url,attachments",
                "since": int((since - FIND_SLACK).timestamp()),
                "limit": 25,
            },
        )
        wanted = graph.comparable(request.text)
        for post in response.json().get("data") or []:
            if graph.comparable(post.get("message") or "") != wanted:
                continue
            if _photo_count(post) == len(request.images):
                return _remote(post)
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        try:
            _http.request(
                "DELETE",
                f"{graph.graph_base(account)}/{post.remote_id}",
                write=True,
                headers=_auth(account),
            )
        except PermanentError as exc:
            if not graph.is_gone(exc):  # already deleted: what we wanted
                raise

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/me",
            headers=_auth(account),
            params={"fields": "id,name"},
        )
        data = response.json()
        return AccountInfo(
            remote_id=str(data["id"]),
            handle=data.get("name") or str(data["id"]),
            display_name=data.get("name") or "",
            server_url=account.server_url,
        )

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Reactions, comments and shares from the post's fields; views from insights
        (a retired or refused metric is logged and skipped, never fails the refresh)."""
        found: dict[str, Metrics] = {}
        for post in posts:
            try:
                response = _http.request(
                    "GET",
                    f"{graph.graph_base(account)}/{post.remote_id}",
                    headers=_auth(account),
                    params={
                        "fields": "reactions.limit(0).summary(total_count),"
                        "comments.limit(0).summary(true),shares"
                    },
                )
            except PermanentError as exc:
                if graph.is_gone(exc):
                    continue
                raise
            data = response.json()
            found[post.remote_id] = Metrics(
                likes=_summary(data.get("reactions")),
                replies=_summary(data.get("comments")),
                shares=int((data.get("shares") or {}).get("count") or 0),
                impressions=self._views(account, post.remote_id),
            )
        return found

    def _views(self, account: Account, post_id: str) -> int | None:
        for metric in INSIGHT_METRICS:
            try:
                response = _http.request(
                    "GET",
                    f"{graph.graph_base(account)}/{post_id}/insights",
                    headers=_auth(account),
                    params={"metric": metric},
                )
            except (PermanentError, AuthError) as exc:
                logger.info("Facebook insight %s skipped for %s: %s", metric, post_id, exc)
                continue
            for row in response.json().get("data") or []:
                value = (row.get("values") or [{}])[0].get("value")
                if isinstance(value, int):
                    return value
        return None


def _summary(edge: dict | None) -> int:
    return int(((edge or {}).get("summary") or {}).get("total_count") or 0)


def _photo_count(post: dict) -> int:
    attachments = (post.get("attachments") or {}).get("data") or []
    if not attachments:
        return 0
    first = attachments[0]
    subs = (first.get("subattachments") or {}).get("data")
    if subs:
        return len(subs)
    return 1 if first.get("media_type") == "photo" else 0
