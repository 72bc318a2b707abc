"""Instagram content publishing on the fake Graph API (Facebook Login variant).

Sources (developers.facebook.com/docs/instagram-platform unless noted):
- ``content-publishing``: ``POST /{ig-user-id}/media`` with ``image_url``,
  ``caption``, ``alt_text`` (images only, since 2025-03-24),
  ``is_carousel_item=true`` for carousel items, ``media_type=CAROUSEL`` with
  ``children`` (comma-separated container ids); ``GET /{container}?fields=
  status_code,status`` (EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED);
  ``POST /{ig-user-id}/media_publish?creation_id=`` answers the media id; Meta
  downloads the image itself from the public URL (the fake really GETs it,
  loopback only).
- ``reference/error-codes``: 36000/2207004 image over 8 MiB, 36003/2207009
  aspect ratio outside 4:5–1.91:1, 9004/2207052 download failed, 9/2207042
  publishing limit reached, -2/2207020 expired container, 9007/2207027 not
  ready; bodies carry ``is_transient``. Format errors (36001/2207005) and the
  answer to re-publishing a PUBLISHED container (default: 9007/2207027,
  ``republish="same_id"`` answers the first media id) are unconfirmed.
- ``reference/ig-user/content_publishing_limit``: ``{"data": [{"quota_usage",
  "config": {"quota_total", "quota_duration"}}]}``, rolling 24 h; carousels
  count once. The quota (25, 50 or 100 by source) is ``ig_quota_total``.
- ``reference/instagram-media`` and ``.../insights``: ``like_count``,
  ``comments_count``, ``permalink``; metrics ``views, reach, likes, comments,
  shares, saved, total_interactions``; ``impressions``, ``plays``,
  ``video_views`` retired in v22 (error 100, whole request fails); ``(#10) Not
  enough viewers`` for small accounts (``set_insights_unavailable``).
"""

from __future__ import annotations

import base64
import json
import secrets
from typing import TYPE_CHECKING, Any

from tests.fakes.graph_fields import FieldSpec, field_names, paged
from tests.fakes.graph_models import Container, GraphToken, PublishedMedia, graph_time
from tests.fakes.remote_media import MediaFetchError, fetch_media, inspect_image, lock_released
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.graph import FakeGraph

STATUS_TEXT = {
    "IN_PROGRESS": "In Progress: Media is still being processed.",
    "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
    "PUBLISHED": "Published: Media has been successfully published.",
    "EXPIRED": "Expired: Media was not published within 24 hours.",
    "ERROR": "Error: Media upload has failed with error code 2207001.",
}


def id_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value or "").strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except json.JSONDecodeError:
            pass
    return [v.strip() for v in text.split(",") if v.strip()]


def shortcode() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(8)).decode().rstrip("=")[:11]


class GraphInstagramMixin:
    """IG containers, publishing, quota, media fields, insights; mixed into FakeGraph."""

    def ig_owner(self: FakeGraph, node_id: str) -> str | None:
        if node_id in self.ig_users:
            return node_id
        owner = None
        if node_id in self.containers:
            owner = self.containers[node_id].owner_id
        elif node_id in self.media:
            owner = self.media[node_id].owner_id
        return owner if owner in self.ig_users else None

    def _ig_access(
        self: FakeGraph, token: GraphToken, ig_id: str, scope: str
    ) -> FakeResponse | None:
        ig = self.ig_users.get(ig_id)
        if ig is None:
            return self.err("unsupported_request", method="get", id=ig_id)
        page = self.pages[ig.page_id]
        if (
            token.user_id not in page.admin_ids
            or not token.allows(scope, ig_id)
            or not token.allows("instagram_basic", ig_id)
        ):
            return self.err("permission_instagram")
        return None

    # -- containers ------------------------------------------------------------
    def container_status(self: FakeGraph, container: Container, *, poll: bool = False) -> str:
        if container.published_id:
            return "PUBLISHED"
        if container.forced_status:
            return container.forced_status
        ttl = (
            self.config.ig_container_ttl
            if container.owner_id in self.ig_users
            else self.config.threads_container_ttl
        )
        if self.now() >= container.created + ttl:
            return "EXPIRED"
        if container.polls_left > 0:
            if poll:
                container.polls_left -= 1
            return "IN_PROGRESS"
        return "FINISHED"

    def create_ig_container(
        self: FakeGraph, request: FakeRequest, token: GraphToken
    ) -> FakeResponse:
        ig_id = request.params["id"]
        problem = self._ig_access(token, ig_id, "instagram_content_publish")
        if problem:
            return problem
        media_type = (request.arg("media_type") or "IMAGE").upper()
        caption = request.arg("caption") or ""
        is_item = str(request.arg("is_carousel_item") or "").lower() == "true"
        if not is_item:
            problem = self._check_caption(caption)
            if problem:
                return problem
        if media_type == "CAROUSEL":
            return self._create_carousel(request, ig_id, caption)
        if media_type != "IMAGE":
            return self.err(
                "invalid_param", detail=f"The fake supports images only, not {media_type}"
            )
        url = request.arg("image_url")
        if not url:
            return self.err("param_required", param="image_url")
        try:
            with lock_released(self.lock):
                data = fetch_media(url, max_bytes=self.config.ig_max_bytes * 2).data
        except MediaFetchError:
            return self.err("ig_fetch_failed", uri=url)
        facts = inspect_image(data)
        if facts is None or facts.format not in self.config.ig_formats:
            return self.err("ig_image_format")
        if facts.size > self.config.ig_max_bytes:
            return self.err("ig_image_too_large")
        if not self.config.ig_min_aspect <= facts.aspect_ratio <= self.config.ig_max_aspect:
            return self.err("ig_aspect_ratio", ratio=f"{facts.aspect_ratio:.2f}")
        container = Container(
            id=self.new_id(17_890_000_000_000_000),
            owner_id=ig_id,
            media_type="IMAGE",
            created=self.now(),
            text="" if is_item else caption,
            alt_text=request.arg("alt_text"),
            image_url=url,
            image={"width": facts.width, "height": facts.height, "size": facts.size},
            is_carousel_item=is_item,
            polls_left=self.config.ig_processing_polls,
        )
        self.containers[container.id] = container
        return json_response({"id": container.id})

    def _check_caption(self: FakeGraph, caption: str) -> FakeResponse | None:
        from networks import get_network

        instagram = get_network("instagram")
        if instagram.measure(caption) > self.config.ig_caption_max:
            return self.err("ig_caption_too_long")
        from networks import text as textlib

        if len(textlib.extract_hashtags(caption)) > self.config.ig_max_hashtags:
            return self.err("invalid_param", detail="The caption contains too many hashtags")
        return None

    def _create_carousel(
        self: FakeGraph, request: FakeRequest, ig_id: str, caption: str
    ) -> FakeResponse:
        children = id_list(request.arg("children"))
        if not 2 <= len(children) <= self.config.ig_carousel_max:
            return self.err("ig_carousel_children")
        for child_id in children:
            child = self.containers.get(child_id)
            if (
                child is None
                or child.owner_id != ig_id
                or not child.is_carousel_item
                or self.container_status(child) != "FINISHED"
            ):
                return self.err("ig_carousel_children")
        container = Container(
            id=self.new_id(17_890_000_000_000_000),
            owner_id=ig_id,
            media_type="CAROUSEL",
            created=self.now(),
            text=caption,
            children=children,
            polls_left=self.config.ig_processing_polls,
        )
        self.containers[container.id] = container
        return json_response({"id": container.id})

    # -- publishing ------------------------------------------------------------
    def _published_within(
        self: FakeGraph, owner_id: str, window: float, since: float | None = None
    ) -> int:
        start = max(self.now() - window, since or 0)
        return sum(1 for owner, when in self.publish_log if owner == owner_id and when > start)

    def ig_media_publish(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        ig_id = request.params["id"]
        problem = self._ig_access(token, ig_id, "instagram_content_publish")
        if problem:
            return problem
        creation_id = request.arg("creation_id")
        if not creation_id:
            return self.err("param_required", param="creation_id")
        container = self.containers.get(str(creation_id))
        if container is None or container.owner_id != ig_id:
            return self.err("unsupported_request", method="post", id=creation_id)
        status = self.container_status(container)
        if status == "PUBLISHED":
            if self.config.republish == "same_id":
                return json_response({"id": container.published_id})
            return self.err("ig_already_published")
        if status == "EXPIRED":
            return self.err("ig_expired")
        if status == "ERROR":
            return self.err("ig_server_error")
        if status == "IN_PROGRESS":
            return self.err("ig_not_ready")
        if container.is_carousel_item:
            return self.err("invalid_param", detail="A carousel item cannot be published alone")
        if self._published_within(ig_id, self.config.ig_quota_window) >= self.config.ig_quota_total:
            return self.err("ig_quota_reached")
        media = self._publish(container, ig_id, "CAROUSEL_ALBUM" if container.children else "IMAGE")
        return json_response({"id": media.id})

    def _publish(
        self: FakeGraph, container: Container, owner_id: str, media_type: str
    ) -> PublishedMedia:
        now = self.now()
        child_ids = []
        for child_id in container.children:
            child = self.containers[child_id]
            child_media = PublishedMedia(
                id=self.new_id(17_950_000_000_000_000),
                owner_id=owner_id,
                container_id=child_id,
                media_type="IMAGE",
                text="",
                created=now,
                shortcode=shortcode(),
                alt_texts=[child.alt_text],
            )
            self.media[child_media.id] = child_media
            child.published_id = child_media.id
            child_ids.append(child_media.id)
        media = PublishedMedia(
            id=self.new_id(17_950_000_000_000_000),
            owner_id=owner_id,
            container_id=container.id,
            media_type=media_type,
            text=container.text,
            created=now,
            shortcode=shortcode(),
            children=child_ids,
            alt_texts=[self.containers[c].alt_text for c in container.children]
            if container.children
            else [container.alt_text],
        )
        self.media[media.id] = media
        container.published_id = media.id
        self.publish_log.append((owner_id, now))
        return media

    def ig_publishing_limit(
        self: FakeGraph, request: FakeRequest, token: GraphToken
    ) -> FakeResponse:
        ig_id = request.params["id"]
        problem = self._ig_access(token, ig_id, "instagram_content_publish")
        if problem:
            return problem
        since = float(request.arg("since")) if request.arg("since") else None
        usage = self._published_within(ig_id, self.config.ig_quota_window, since)
        entry: dict[str, Any] = {"quota_usage": usage}
        names = [s.name for s in field_names(request)]
        if "config" in names:
            entry["config"] = {
                "quota_total": self.config.ig_quota_total,
                "quota_duration": int(self.config.ig_quota_window),
            }
        return json_response({"data": [entry]})

    # -- reads -----------------------------------------------------------------
    def read_ig_node(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = request.params["id"]
        owner = self.ig_owner(node)
        problem = self._ig_access(token, owner or node, "instagram_basic")
        if problem:
            return problem
        specs = field_names(request)
        if node in self.ig_users:
            return json_response(
                self.serialize_ig_user(self.ig_users[node], specs or [FieldSpec("id")])
            )
        if node in self.containers:
            container = self.containers[node]
            names = [s.name for s in specs]
            wants_status = "status_code" in names or "status" in names
            status = self.container_status(container, poll=wants_status)
            body: dict[str, Any] = {"id": container.id}
            if "status_code" in names:
                body["status_code"] = status
            if "status" in names:
                body["status"] = (
                    container.error_message
                    if status == "ERROR" and container.error_message
                    else STATUS_TEXT[status]
                )
            return json_response(body)
        media = self.media[node]
        if media.deleted:
            return self.err("unsupported_request", method="get", id=node)
        return json_response(self.serialize_ig_media(media, specs or [FieldSpec("id")]))

    def serialize_ig_user(self: FakeGraph, ig: Any, specs: list[FieldSpec]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        values = {
            "id": ig.id,
            "username": ig.username,
            "name": ig.name,
            "profile_picture_url": f"{self.url}/ig/{ig.username}.jpg",
            "followers_count": ig.followers_count,
            "media_count": sum(
                1
                for m in self.media.values()
                if m.owner_id == ig.id and not m.deleted and m.id not in self._child_ids()
            ),
        }
        for spec in specs:
            if spec.name in values:
                out[spec.name] = values[spec.name]
        return out

    def _child_ids(self: FakeGraph) -> set[str]:
        return {c for m in self.media.values() for c in m.children}

    def serialize_ig_media(
        self: FakeGraph, media: PublishedMedia, specs: list[FieldSpec]
    ) -> dict[str, Any]:
        ig = self.ig_users[media.owner_id]
        values: dict[str, Any] = {
            "id": media.id,
            "caption": media.text,
            "media_type": media.media_type,
            "media_product_type": "FEED",
            "permalink": f"https://www.instagram.com/p/{media.shortcode}/",
            "shortcode": media.shortcode,
            "timestamp": graph_time(media.created),
            "like_count": media.like_count,
            "comments_count": media.comments_count,
            "username": ig.username,
            "owner": {"id": ig.id},
            "media_url": f"{self.url}/ig/media/{media.id}.jpg",
            "is_comment_enabled": True,
        }
        out: dict[str, Any] = {}
        for spec in specs:
            if spec.name == "children" and media.children:
                sub = spec.subfields or [FieldSpec("id")]
                out["children"] = {
                    "data": [self.serialize_ig_media(self.media[c], sub) for c in media.children]
                }
            elif spec.name in values and not (spec.name == "caption" and not media.text):
                out[spec.name] = values[spec.name]
        return out

    def list_ig_media(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        ig_id = request.params["id"]
        problem = self._ig_access(token, ig_id, "instagram_basic")
        if problem:
            return problem
        children = self._child_ids()
        items = [
            m
            for m in self.media.values()
            if m.owner_id == ig_id and not m.deleted and m.id not in children
        ]
        items.sort(key=lambda m: m.created, reverse=True)
        chunk, paging = paged(items, request, self.url)
        specs = field_names(request) or [FieldSpec("id")]
        data = [self.serialize_ig_media(m, specs) for m in chunk]
        return json_response({"data": data, "paging": paging} if paging else {"data": data})

    def ig_insights(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        media = self.media[request.params["id"]]
        problem = self._ig_access(token, media.owner_id, "instagram_manage_insights")
        if problem:
            return problem
        metrics = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
        if not metrics:
            return self.err("param_required", param="metric")
        for index, metric in enumerate(metrics):
            if metric in self.config.ig_deprecated_metrics:
                return self.err("ig_metric_deprecated", metric=metric)
            if metric not in self.config.ig_metrics:
                return self.err(
                    "ig_metric_invalid", index=index, values=", ".join(self.config.ig_metrics)
                )
        if media.insights_unavailable:
            return self.err("permission_insights")
        data = [
            {
                "name": metric,
                "period": "lifetime",
                "values": [{"value": self._ig_metric_value(media, metric)}],
                "title": metric.replace("_", " ").capitalize(),
                "description": f"The number of {metric.replace('_', ' ')} of this media.",
                "id": f"{media.id}/insights/{metric}/lifetime",
            }
            for metric in metrics
        ]
        return json_response({"data": data})

    @staticmethod
    def _ig_metric_value(media: PublishedMedia, metric: str) -> int:
        if metric in media.insights:
            return media.insights[metric]
        if metric == "likes":
            return media.like_count
        if metric == "comments":
            return media.comments_count
        if metric == "total_interactions":
            return (
                media.like_count
                + media.comments_count
                + media.insights.get("shares", 0)
                + media.insights.get("saved", 0)
            )
        return 0

    def delete_ig_media(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        media = self.media[request.params["id"]]
        problem = self._ig_access(token, media.owner_id, "instagram_content_publish")
        if problem:
            return problem
        media.deleted = True
        return json_response({"success": True})
