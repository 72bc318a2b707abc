"""Instagram (business and creator accounts, content publishing API).

Counting: captions up to 2,200 characters (error 2207010), at most 30 hashtags and 20
mentions (third-party guides: Ayrshare, Postiz). The unit is not documented; we count
UTF-16 code units, the largest of the usual counts, as for Facebook.

No text-only posts: at least one image. Images are JPEG (the one format every source
agrees on), ≤ 8 MB, 320 to 1440 pixels wide, between 4:5 (portrait) and 1.91:1
(landscape); renditions pad or crop to fit, so an image outside the ratio is a warning.
Links in captions are not clickable.

The second section is the client (`InstagramClient`): containers, carousel, quota.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from networks import graph
from networks import text as textlib
from networks.base import ImageLimits, Network, Problem, TextLimits, VariantInput
from networks.client import (
    Account,
    AccountInfo,
    Metrics,
    NetworkClient,
    PermanentError,
    PublishRequest,
    RateLimited,
    RemotePost,
    TransientError,
    utcnow,
)
from networks.messages import Message


class Instagram(Network):
    key = "instagram"
    name = "Instagram"
    text_limits = TextLimits(max_length=2200, max_hashtags=30, max_mentions=20)
    image_limits = ImageLimits(
        max_count=10,  # carousel 2–10 (Postiz)
        min_count=1,
        max_bytes=8_000_000,
        formats=("image/jpeg",),  # PNG/GIF acceptance unconfirmed: JPEG only
        min_aspect=0.8,
        max_aspect=1.91,
        aspect_fixable=True,
        min_width=320,
        max_width=1440,
        alt_text_max=1000,  # Ayrshare: 1,000 characters per image
        animated_gif="never",
    )
    link_in_text = False  # a caption link cannot be clicked: never appended

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))

    def _check_links(self, text: str, variant: VariantInput) -> Iterator[Problem]:
        # No UTM advice: nothing in a caption is clickable.
        return iter(())

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        if (variant.link or "").strip() or textlib.extract_urls(text):
            return [
                self.problem(
                    "link_not_clickable",
                    "warning",
                    "link",
                    _(
                        "{network} : les liens ne sont pas cliquables dans une légende ; "
                        "écrivez plutôt « lien en bio »."
                    ),
                )
            ]
        return []

    def client(self) -> InstagramClient:
        return InstagramClient()


# ======================================================================================
# Client: the container flow of the Instagram API with Facebook Login (graph.facebook.com).
# Sources: instagram-platform/content-publishing, reference/ig-user/media and
# media_publish, reference/ig-user/content_publishing_limit, reference/error-codes,
# reference/instagram-media/insights (NETWORKS.md § 4).
#
# Meta downloads each image itself from `Image.url`: a public, signed, expiring URL of
# the Instagram rendition (publishing.public_media), already brought within 4:5–1.91:1
# by the rendition (pad or crop, posts.images).
# ======================================================================================
FIND_SLACK = timedelta(minutes=5)
DEFAULT_QUOTA_WINDOW = 86400
# Media insights since v22 (impressions, plays, video_views retired): views, reach…
INSIGHT_METRICS = ("views", "reach", "shares", "saved")

_http = graph.make_http("Instagram")
logger = logging.getLogger(__name__)


def _auth(account: Account) -> dict[str, str]:
    return {"Authorization": f"OAuth {graph.token(account, 'Instagram')}"}


class InstagramClient(NetworkClient):
    key = "instagram"
    connect_kind = "oauth2"
    # Deleting published media is not offered by the API (Ayrshare; no delete in
    # reference/instagram-media).
    supports_delete = False
    # Images reach Meta by URL: the engine fills `Image.url` (publishing.public_media).
    needs_public_image_urls = True
    poll_delays: tuple[float, ...] = ()  # () = networks.graph.POLL_DELAYS

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        """Quota first (a full quota waits for the window instead of failing), then one
        container per image (IN_PROGRESS → FINISHED), a carousel container for several,
        and `media_publish`. Containers are never published twice: a retry makes new
        ones, after `find` said the first attempt did not go out."""
        if not request.images:
            raise PermanentError(
                Message(N_("Instagram : une publication Instagram demande au moins une photo."))
            )
        if any(not image.url for image in request.images):
            raise PermanentError(
                Message(
                    N_("{network} : les photos n'ont pas d'adresse publique."), network="Instagram"
                )
            )
        self._check_quota(account)
        carousel = len(request.images) > 1
        # Every container first, then the waits: Meta downloads and processes them
        # meanwhile, so a carousel takes about as long as its slowest image (and
        # stays well within the publication's lease).
        children = [
            self._container(
                account,
                {
                    "image_url": image.url,
                    **({"alt_text": image.alt_text} if image.alt_text else {}),
                    **({"is_carousel_item": "true"} if carousel else {"caption": request.text}),
                },
                wait=False,
            )
            for image in request.images
        ]
        for child in children:
            self._wait(account, child)
        if carousel:
            creation_id = self._container(
                account,
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": request.text},
            )
        else:
            creation_id = children[0]
        try:
            response = _http.request(
                "POST",
                f"{graph.graph_base(account)}/{account.remote_id}/media_publish",
                write=True,
                headers=_auth(account),
                data={"creation_id": creation_id},
            )
        except RateLimited as exc:
            raise self._quota_error(account, exc) from exc
        media_id = str(response.json()["id"])
        return self._media(account, media_id, container_id=creation_id)

    def _container(self, account: Account, fields: dict[str, str], *, wait: bool = True) -> str:
        response = _http.request(
            "POST",
            f"{graph.graph_base(account)}/{account.remote_id}/media",
            write=False,  # an unpublished container is harmless: it expires in 24 h
            headers=_auth(account),
            data=fields,
        )
        container_id = str(response.json()["id"])
        if wait:
            self._wait(account, container_id)
        return container_id

    def _wait(self, account: Account, container_id: str) -> None:
        graph.wait_until_finished(
            lambda: self._status(account, container_id),
            network="Instagram",
            delays=self.poll_delays,
        )

    def _status(self, account: Account, container_id: str) -> tuple[str, str]:
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{container_id}",
            headers=_auth(account),
            params={"fields": "status_code,status"},
        )
        data = response.json()
        return data.get("status_code") or "", data.get("status") or ""

    def _media(self, account: Account, media_id: str, **data: str) -> RemotePost:
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{media_id}",
            headers=_auth(account),
            params={"fields": "id,permalink,timestamp"},
        )
        media = response.json()
        return RemotePost(
            remote_id=media_id,
            url=media.get("permalink") or "",
            published_at=graph.parse_time(media.get("timestamp")),
            data=dict(data),
        )

    # --- the daily publishing quota --------------------------------------------------------
    def quota(self, account: Account) -> tuple[int, int, int]:
        """(used, total, window in seconds) from `content_publishing_limit`."""
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{account.remote_id}/content_publishing_limit",
            headers=_auth(account),
            params={"fields": "quota_usage,config"},
        )
        entry = (response.json().get("data") or [{}])[0]
        config = entry.get("config") or {}
        return (
            int(entry.get("quota_usage") or 0),
            int(config.get("quota_total") or 0),
            int(config.get("quota_duration") or DEFAULT_QUOTA_WINDOW),
        )

    def _check_quota(self, account: Account) -> None:
        used, total, window = self.quota(account)
        if total and used >= total:
            raise RateLimited(
                Message(graph.QUOTA_REACHED, network="Instagram", used=used, total=total),
                reset_at=self._quota_reset(account, used, total, window),
                status=None,
                code="quota",
            )

    def _quota_error(self, account: Account, exc: RateLimited) -> RateLimited:
        """`media_publish` refused for the quota (9/2207042): when a slot frees."""
        if exc.reset_at is not None:
            return exc
        try:
            used, total, window = self.quota(account)
            reset = self._quota_reset(account, used, max(total, 1), window)
        except (TransientError, RateLimited, PermanentError):
            reset = utcnow() + timedelta(hours=1)
        return RateLimited(exc.message, reset_at=reset, status=exc.status, code=exc.code)

    def _quota_reset(self, account: Account, used: int, total: int, window: int) -> datetime:
        """The rolling window frees a slot when the oldest counted post turns 24 h."""
        now = utcnow()
        try:
            response = _http.request(
                "GET",
                f"{graph.graph_base(account)}/{account.remote_id}/media",
                headers=_auth(account),
                params={"fields": "id,timestamp", "limit": max(used, 1) + 5},
            )
            times = [
                t
                for t in (graph.parse_time(m.get("timestamp")) for m in response.json()["data"])
                if t
            ]
        except (TransientError, RateLimited, PermanentError, KeyError, ValueError):
            times = []
        return graph.quota_reset(published=times, usage=used, total=total, window=window, now=now)

    # --- after an ambiguous failure ------------------------------------------------------
    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The account's latest media published since the first attempt whose caption
        and number of images match."""
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{account.remote_id}/media",
            headers=_auth(account),
            params={"fields": "id,caption,timestamp,permalink,children{id}", "limit": 25},
        )
        wanted = graph.comparable(request.text)
        for media in response.json().get("data") or []:
            published = graph.parse_time(media.get("timestamp"))
            if published is not None and published < since - FIND_SLACK:
                break  # newest first: older ones cannot be ours
            if graph.comparable(media.get("caption") or "") != wanted:
                continue
            count = len((media.get("children") or {}).get("data") or []) or 1
            if count == len(request.images):
                return RemotePost(
                    remote_id=str(media["id"]),
                    url=media.get("permalink") or "",
                    published_at=published,
                )
        return None

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        response = _http.request(
            "GET",
            f"{graph.graph_base(account)}/{account.remote_id}",
            headers=_auth(account),
            params={"fields": "id,username,name,profile_picture_url"},
        )
        data = response.json()
        return AccountInfo(
            remote_id=str(data["id"]),
            handle=f"@{data.get('username') or data['id']}",
            display_name=data.get("name") or data.get("username") or "",
            avatar_url=data.get("profile_picture_url") or "",
            server_url=account.server_url,
        )

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Likes and comments from the media's fields; views, shares from insights. A
        metric Meta refuses (retired name, "not enough viewers") is dropped and the
        others asked again: one bad field never fails the refresh."""
        found: dict[str, Metrics] = {}
        for post in posts:
            try:
                response = _http.request(
                    "GET",
                    f"{graph.graph_base(account)}/{post.remote_id}",
                    headers=_auth(account),
                    params={"fields": "like_count,comments_count"},
                )
            except PermanentError as exc:
                if graph.is_gone(exc):
                    continue
                raise
            data = response.json()
            insights = self._insights(account, post.remote_id)
            found[post.remote_id] = Metrics(
                likes=data.get("like_count"),
                replies=data.get("comments_count"),
                shares=insights.get("shares"),
                impressions=insights.get("views"),
            )
        return found

    def _insights(self, account: Account, media_id: str) -> dict[str, int]:
        metrics = list(INSIGHT_METRICS)
        while metrics:
            try:
                response = _http.request(
                    "GET",
                    f"{graph.graph_base(account)}/{media_id}/insights",
                    headers=_auth(account),
                    params={"metric": ",".join(metrics)},
                )
            except PermanentError as exc:
                bad = _refused_metric(exc.message, metrics)
                if bad is None:
                    logger.info("Instagram insights skipped for %s: %s", media_id, exc)
                    return {}
                logger.info("Instagram insight %s skipped for %s: %s", bad, media_id, exc)
                metrics.remove(bad)
                continue
            return {
                row["name"]: row["values"][0]["value"]
                for row in response.json().get("data") or []
                if row.get("values") and isinstance(row["values"][0].get("value"), int)
            }
        return {}


def _refused_metric(message: str, metrics: list[str]) -> str | None:
    """Which asked metric an insights error names: "metric[1] must be one of…" or
    "the impressions metric is no longer supported"."""
    index = re.search(r"metric\[(\d+)\]", message)
    if index and int(index.group(1)) < len(metrics):
        return metrics[int(index.group(1))]
    return next((m for m in metrics if f"the {m} metric" in message), None)
