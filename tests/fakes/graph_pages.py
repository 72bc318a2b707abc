"""Facebook Page posts and photos on the fake Graph API.

Sources (developers.facebook.com unless noted):
- ``graph-api/reference/page/feed``: ``POST /{page-id}/feed`` with
  ``message``, ``link``, ``published``, ``attached_media=[{"media_fbid"}]``
  answers ``{"id": "{page-id}_{post-id}"}``; a Page token with
  ``pages_manage_posts`` and ``pages_read_engagement`` is required (else
  ``(#200)``); ``fields`` on the POST returns those fields too
  (read-after-write).
- ``graph-api/reference/page/photos``: ``POST /{page-id}/photos`` with
  ``url`` or a multipart ``source``, ``published=false`` for photos attached
  later, ``alt_text_custom``; answers ``{"id"}`` (+ ``post_id`` when
  published); photos are JPG, PNG, GIF, TIFF, HEIF or WebP under 4 MB, else
  error 1366046 (NETWORKS.md; Postiz).
- ``graph-api/guides/error-handling``: 506 for a post repeating the last one.
- ``graph-api/reference/post`` and ``.../object/reactions``: fields
  ``reactions.summary(total_count)``, ``comments.summary(true)``, ``shares``
  (``{"count"}``, absent while nobody shared), ``permalink_url``;
  ``GET /{post-id}/reactions`` lists ``{id, name, type}``, paged.
- Insights (blog 2025-08-15 "Page Insights API Updates",
  ``platforminsights/page/deprecated-metrics``): a retired or unknown metric
  makes the whole request fail with ``(#100) The value must be a valid
  insights metric`` (airbyte PR #84408, Postiz issue #1609), so a client must
  drop the bad name and ask again.
- ``DELETE /{post-id}`` answers ``{"success": true}``; afterwards the node is
  an unsupported get (code 100, subcode 33).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.fakes.graph_fields import FieldSpec, field_names, paged
from tests.fakes.graph_models import FbPhoto, FbPost, GraphToken, graph_time
from tests.fakes.remote_media import MediaFetchError, fetch_media, inspect_image, lock_released
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.graph import FakeGraph

TRUE = {"1", "true", "yes", "on"}
POST_DEFAULT_FIELDS = ["created_time", "message", "id"]


def truthy(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE


def attached_media(request: FakeRequest) -> list[str]:
    """``attached_media`` as a JSON list, or form keys ``attached_media[0]``…"""
    raw = request.arg("attached_media")
    items: list[Any] = []
    if isinstance(raw, list):
        items = raw
    elif isinstance(raw, str) and raw.strip():
        try:
            parsed = json.loads(raw)
            items = parsed if isinstance(parsed, list) else [parsed]
        except json.JSONDecodeError:
            items = [raw]
    else:
        source = request.form or request.query
        keys = sorted(
            (k for k in source if k.startswith("attached_media[")),
            key=lambda k: int(k[15:].rstrip("]") or 0),
        )
        for key in keys:
            try:
                items.append(json.loads(source[key][0]))
            except json.JSONDecodeError:
                items.append(source[key][0])
    ids = []
    for item in items:
        if isinstance(item, dict):
            ids.append(str(item.get("media_fbid", "")))
        else:
            ids.append(str(item))
    return ids


class GraphPagesMixin:
    """Page feed, photos, post fields, insights, reactions; mixed into FakeGraph."""

    # -- access ----------------------------------------------------------------
    def _page_for_write(self: FakeGraph, token: GraphToken, page_id: str) -> FakeResponse | None:
        if page_id not in self.pages:
            return self.err("unsupported_request", method="post", id=page_id)
        if (
            token.kind != "PAGE"
            or token.page_id != page_id
            or not token.allows("pages_manage_posts", page_id)
            or not token.allows("pages_read_engagement", page_id)
        ):
            return self.err("permission_manage_posts")
        return None

    def _page_for_read(self: FakeGraph, token: GraphToken, page_id: str) -> FakeResponse | None:
        if token.kind == "PAGE" and token.page_id == page_id:
            return None
        page = self.pages.get(page_id)
        if (
            token.kind == "USER"
            and page is not None
            and token.user_id in page.admin_ids
            and token.allows("pages_read_engagement", page_id)
        ):
            return None
        return self.err("permission_read")

    # -- create ----------------------------------------------------------------
    def create_feed_post(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        page_id = request.params["id"]
        problem = self._page_for_write(token, page_id)
        if problem:
            return problem
        message = request.arg("message") or ""
        link = request.arg("link") or None
        media_ids = attached_media(request)
        if not message.strip() and not link and not media_ids:
            return self.err("invalid_param", detail="Missing message or attachment")
        if len(message) > self.config.message_max:
            return self.err("invalid_param", detail="Message is too long")
        if len(media_ids) > self.config.max_attached_media:
            return self.err("invalid_param", detail="Too many attached media")
        for index, media_id in enumerate(media_ids):
            photo = self.photos.get(media_id)
            if photo is None or photo.page_id != page_id or photo.post_id or photo.published:
                return self.err(
                    "invalid_param",
                    detail=f"param attached_media[{index}] has invalid media_fbid {media_id}",
                )
        if self.config.duplicate_check and self._repeats_last_post(page_id, message, link):
            return self.err("duplicate_post")
        post = FbPost(
            id=f"{page_id}_{self.new_id(122_000_000_000_000_000)}",
            page_id=page_id,
            message=message,
            created=self.now(),
            link=link,
            photo_ids=media_ids,
            published=truthy(request.arg("published"), True),
        )
        self.posts[post.id] = post
        for media_id in media_ids:
            self.photos[media_id].post_id = post.id
        return json_response(self._read_after_write(post.id, request))

    def _repeats_last_post(self: FakeGraph, page_id: str, message: str, link: str | None) -> bool:
        live = [p for p in self.posts.values() if p.page_id == page_id and not p.deleted]
        if not live or not message.strip():
            return False
        last = max(live, key=lambda p: p.created)
        return last.message == message and last.link == link

    def _read_after_write(self: FakeGraph, node_id: str, request: FakeRequest) -> dict[str, Any]:
        body: dict[str, Any] = {"id": node_id}
        specs = field_names(request)
        if specs and node_id in self.posts:
            body.update(self.serialize_post(self.posts[node_id], specs))
        return body

    def create_photo(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        page_id = request.params["id"]
        problem = self._page_for_write(token, page_id)
        if problem:
            return problem
        upload = request.files.get("source")
        url = request.arg("url")
        if upload is not None:
            data = upload.data
        elif url:
            try:
                with lock_released(self.lock):
                    data = fetch_media(url).data
            except MediaFetchError:
                return self.err("photo_url_unreachable")
        else:
            return self.err("param_required", param="url or source")
        facts = inspect_image(data)
        if (
            facts is None
            or facts.format not in self.config.photo_formats
            or facts.size > self.config.photo_max_bytes
        ):
            return self.err("photo_rejected")
        published = truthy(request.arg("published"), True)
        photo = FbPhoto(
            id=self.new_id(123_000_000_000_000_000),
            page_id=page_id,
            created=self.now(),
            size=facts.size,
            mime_type=facts.mime_type,
            width=facts.width,
            height=facts.height,
            published=published,
            alt_text=request.arg("alt_text_custom"),
            caption=request.arg("caption") or request.arg("message") or "",
            source_url=url,
        )
        self.photos[photo.id] = photo
        if not published:
            return json_response({"id": photo.id})
        post = FbPost(
            id=f"{page_id}_{self.new_id(122_000_000_000_000_000)}",
            page_id=page_id,
            message=photo.caption,
            created=photo.created,
            photo_ids=[photo.id],
        )
        self.posts[post.id] = post
        photo.post_id = post.id
        return json_response({"id": photo.id, "post_id": post.id})

    # -- read ------------------------------------------------------------------
    def read_fb_post(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = request.params["id"]
        post = self.posts.get(node)
        photo = self.photos.get(node)
        page_id = post.page_id if post else photo.page_id
        problem = self._page_for_read(token, page_id)
        if problem:
            return problem
        if (post and post.deleted) or (
            photo and photo.post_id and self.posts[photo.post_id].deleted
        ):
            return self.err("unsupported_request", method="get", id=node)
        specs = field_names(request)
        if post is None:
            return json_response(self.serialize_photo(photo, specs))
        return json_response(self.serialize_post(post, specs or self._default_specs()))

    @staticmethod
    def _default_specs() -> list[FieldSpec]:
        return [FieldSpec(n) for n in POST_DEFAULT_FIELDS]

    def serialize_post(self: FakeGraph, post: FbPost, specs: list[FieldSpec]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in specs:
            name = spec.name
            if name == "id":
                out["id"] = post.id
            elif name == "message" and post.message:
                out["message"] = post.message
            elif name in ("created_time", "updated_time"):
                out[name] = graph_time(post.created)
            elif name == "permalink_url":
                out[name] = post.permalink_url
            elif name == "is_published":
                out[name] = post.published
            elif name == "full_picture" and post.photo_ids:
                out[name] = f"{self.url}/photos/{post.photo_ids[0]}.jpg"
            elif name == "shares" and post.shares:
                out[name] = {"count": post.shares}
            elif name == "reactions":
                out[name] = self._edge_summary(
                    spec,
                    [self._reaction(r) for r in post.reactions],
                    {"total_count": len(post.reactions), "viewer_reaction": "NONE"},
                )
            elif name == "comments":
                out[name] = self._edge_summary(
                    spec,
                    [],
                    {"order": "ranked", "total_count": post.comments, "can_comment": True},
                )
            elif name == "attachments" and post.photo_ids:
                out[name] = {"data": [self._attachment(post)]}
        return out

    def _attachment(self: FakeGraph, post: FbPost) -> dict[str, Any]:
        subs = [
            {"media_type": "photo", "target": {"id": pid}, "description": self.photos[pid].alt_text}
            for pid in post.photo_ids
        ]
        if len(subs) == 1:
            return subs[0]
        return {"media_type": "album", "subattachments": {"data": subs}}

    def _reaction(self: FakeGraph, reaction: tuple[str, str, str]) -> dict[str, Any]:
        user_id, name, kind = reaction
        if self.config.reactions_with_identity:
            return {"id": user_id, "name": name, "type": kind}
        return {"type": kind}

    @staticmethod
    def _edge_summary(spec: FieldSpec, data: list[Any], summary: dict[str, Any]) -> dict[str, Any]:
        limit = int(spec.modifiers.get("limit", 25) or 0)
        body: dict[str, Any] = {"data": data[:limit]}
        if data[:limit]:
            body["paging"] = {"cursors": {"before": "QVFIUjBi", "after": "QVFIUmFm"}}
        wanted = spec.modifiers.get("summary")
        if wanted and wanted != "false":
            if wanted in ("true", "1"):
                body["summary"] = summary
            else:
                keys = [k.strip() for k in wanted.split(",")]
                body["summary"] = {k: summary[k] for k in keys if k in summary}
        return body

    def serialize_photo(self: FakeGraph, photo: FbPhoto, specs: list[FieldSpec]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": photo.id}
        for spec in specs:
            if spec.name == "alt_text_custom" and photo.alt_text is not None:
                out["alt_text_custom"] = photo.alt_text
            elif spec.name == "created_time":
                out["created_time"] = graph_time(photo.created)
            elif spec.name in ("width", "height"):
                out[spec.name] = getattr(photo, spec.name)
            elif spec.name == "page_story_id" and photo.post_id:
                out["page_story_id"] = photo.post_id
            elif spec.name == "name" and photo.caption:
                out["name"] = photo.caption
        return out

    def list_page_posts(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        page_id = request.params["id"]
        if page_id not in self.pages:
            return self.err("unsupported_request", method="get", id=page_id)
        problem = self._page_for_read(token, page_id)
        if problem:
            return problem
        posts = [p for p in self.posts.values() if p.page_id == page_id and not p.deleted]
        if request.path.endswith("/published_posts"):
            posts = [p for p in posts if p.published]
        since, until = request.arg("since"), request.arg("until")
        if since:
            posts = [p for p in posts if p.created >= float(since)]
        if until:
            posts = [p for p in posts if p.created <= float(until)]
        posts.sort(key=lambda p: p.created, reverse=True)
        chunk, paging = paged(posts, request, self.url)
        specs = field_names(request) or self._default_specs()
        data = [self.serialize_post(p, specs) for p in chunk]
        return json_response({"data": data, "paging": paging} if paging else {"data": data})

    def list_reactions(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        post = self.posts.get(request.params["id"])
        if post is None or post.deleted:
            return self.err("unsupported_request", method="get", id=request.params["id"])
        problem = self._page_for_read(token, post.page_id)
        if problem:
            return problem
        rows = post.reactions
        if request.arg("type"):
            rows = [r for r in rows if r[2] == request.arg("type").upper()]
        reactions = [self._reaction(r) for r in rows]
        chunk, paging = paged(reactions, request, self.url)
        body: dict[str, Any] = {"data": chunk, "paging": paging} if paging else {"data": chunk}
        if request.arg("summary") in ("total_count", "true", "1"):
            body["summary"] = {"total_count": len(rows), "viewer_reaction": "NONE"}
        return json_response(body)

    # -- insights --------------------------------------------------------------
    def node_insights(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = request.params["id"]
        if node in self.media:
            return self.ig_insights(request, token)
        post = self.posts.get(node)
        if post is None or post.deleted:
            return self.err("unsupported_request", method="get", id=node)
        if token.kind != "PAGE" or not token.allows("read_insights", post.page_id):
            return self.err("permission_read")
        metrics = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
        if not metrics or any(m not in self.config.fb_post_metrics for m in metrics):
            return self.err("invalid_insights_metric")
        data = []
        for metric in metrics:
            default: Any = {} if metric.endswith("_by_type_total") or "by_type" in metric else 0
            data.append(
                {
                    "name": metric,
                    "period": "lifetime",
                    "values": [{"value": post.insights.get(metric, default)}],
                    "title": metric.replace("_", " ").capitalize(),
                    "description": f"Lifetime: {metric.replace('_', ' ')}",
                    "id": f"{post.id}/insights/{metric}/lifetime",
                }
            )
        return json_response({"data": data, "paging": {"previous": "", "next": ""}})

    # -- delete ----------------------------------------------------------------
    def delete_fb_post(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = request.params["id"]
        post = self.posts.get(node) or (
            self.posts.get(self.photos[node].post_id or "") if node in self.photos else None
        )
        page_id = post.page_id if post else self.photos[node].page_id
        problem = self._page_for_write(token, page_id)
        if problem:
            return problem
        if post is None or post.deleted:
            if post is None and node in self.photos:
                del self.photos[node]
                return json_response({"success": True})
            return self.err("unsupported_request", method="delete", id=node)
        post.deleted = True
        return json_response({"success": True})
