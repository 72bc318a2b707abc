"""Threads on the fake Graph API, under ``fake.threads_url`` (``/threads``),
standing for both ``www.threads.net`` and ``graph.threads.net``.

Sources (developers.facebook.com/docs/threads):
- ``get-started/get-access-tokens-and-permissions``: authorize window
  ``/oauth/authorize?client_id&redirect_uri&scope&response_type=code&state``
  (redirect ends ``#_``); ``POST /oauth/access_token`` (``client_id,
  client_secret, code, grant_type=authorization_code, redirect_uri``) answers
  ``{"access_token", "user_id"}``, a token valid one hour.
- ``get-started/long-lived-tokens``: ``GET /access_token?grant_type=
  th_exchange_token&client_secret&access_token`` answers ``{"access_token",
  "token_type": "bearer", "expires_in": 5183944}``; ``GET
  /refresh_access_token?grant_type=th_refresh_token&access_token`` refreshes
  a long-lived token at least 24 hours old and not expired, for 60 more days.
- ``posts``: ``POST /{user-id}/threads`` with ``media_type=TEXT|IMAGE|
  CAROUSEL``, ``text``, ``image_url``, ``alt_text``, ``is_carousel_item``,
  ``children``, ``link_attachment``, ``reply_to_id``; ``POST
  /{user-id}/threads_publish?creation_id``; container ``status`` IN_PROGRESS,
  FINISHED, ERROR (``error_message``), EXPIRED, PUBLISHED. Text up to 500
  characters (emoji as UTF-8 bytes: ``networks.threads`` counts), more than 5
  links fail (``THREADS_API__LINK_LIMIT_EXCEEDED``), carousels up to 20 items.
  Unlike Instagram, a bad image does not fail the POST: the container ends in
  ERROR (image error names unconfirmed: ``FAILED_DOWNLOADING_IMAGE``,
  ``INVALID_IMAGE_FORMAT``, ``INVALID_ASPEC_RATIO``, ``IMAGE_TOO_LARGE``).
- ``troubleshooting/publishing-limits``: ``GET /{user-id}/threads_publishing_
  limit?fields=quota_usage,config`` → ``{"data": [{"quota_usage", "config":
  {"quota_total": 250, "quota_duration": 86400}}]}`` (+ replies, deletes).
- ``insights``: ``GET /{media-id}/insights?metric=views,likes,replies,reposts,
  quotes,shares``.
- ``posts/delete-posts``: ``DELETE /{media-id}`` → ``{"success": true,
  "deleted_id"}``, needs ``threads_delete``, 100 deletes per 24 h.
"""

from __future__ import annotations

import html
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakes.graph_fields import FieldSpec, field_names, paged
from tests.fakes.graph_instagram import id_list
from tests.fakes.graph_models import AuthCode, Container, GraphToken, PublishedMedia, graph_time
from tests.fakes.graph_oauth import split_scopes
from tests.fakes.remote_media import MediaFetchError, fetch_media, inspect_image, lock_released
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    html_response,
    json_response,
    redirect_response,
)

if TYPE_CHECKING:
    from tests.fakes.graph import FakeGraph

T = r"/threads"
TV = r"/threads(?:/v\d+\.\d+)?"
TID = r"/(?P<id>\d+|me)"
THREADS_SCOPES = [
    "threads_basic",
    "threads_content_publish",
    "threads_manage_insights",
    "threads_delete",
]


class GraphThreadsMixin:
    """Threads OAuth, containers, publishing, limits, insights; mixed into FakeGraph."""

    def setup_threads_routes(self: FakeGraph) -> None:
        add = self.router.add
        api = lambda handler: self.graph(handler, threads=True)  # noqa: E731
        add("GET", T + r"/oauth/authorize", self.threads_authorize_page)
        add("POST", T + r"/oauth/authorize", self.threads_authorize_decision)
        add("POST", T + r"/oauth/access_token", self.threads_code_exchange)
        add("GET", T + r"/access_token", self.threads_exchange)
        add("GET", T + r"/refresh_access_token", self.threads_refresh)
        add("POST", TV + TID + r"/threads", api(self.threads_create))
        add("GET", TV + TID + r"/threads", api(self.threads_list))
        add("POST", TV + TID + r"/threads_publish", api(self.threads_publish))
        add("GET", TV + TID + r"/threads_publishing_limit", api(self.threads_limit))
        add("GET", TV + TID + r"/insights", api(self.threads_insights))
        add("GET", TV + TID, api(self.threads_read))
        add("DELETE", TV + TID, api(self.threads_delete))

    def _threads_user_id(self: FakeGraph, request: FakeRequest, token: GraphToken) -> str:
        node = request.params["id"]
        return token.user_id if node == "me" else node

    def _threads_scope(self: FakeGraph, token: GraphToken, scope: str) -> FakeResponse | None:
        if scope in token.scopes and "threads_basic" in token.scopes:
            return None
        return self.err("permission_instagram", threads=True)

    # -- OAuth -----------------------------------------------------------------
    def threads_authorize_page(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        problem = self._dialog_problem(request)
        if problem:
            return problem
        user = self.threads_users[self.current_threads_user_id]
        scopes = split_scopes(request.arg("scope")) or ["threads_basic"]
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
            for k, v in {
                "client_id": request.arg("client_id"),
                "redirect_uri": request.arg("redirect_uri"),
                "state": request.arg("state") or "",
                "scope": ",".join(scopes),
            }.items()
        )
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        name = html.escape(self.apps[request.arg("client_id")].name)
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Threads</title></head><body><main>
<h1>Allow {name} to access your Threads profile?</h1>
<p>Logged in as <strong>@{html.escape(user.username)}</strong>.</p>
<ul aria-label="Permissions">{items}</ul>
<form method="post" action="/threads/oauth/authorize" aria-label="Authorize {name}">
{hidden}
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></main></body></html>"""
        return html_response(page)

    def threads_authorize_decision(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        problem = self._dialog_problem(request)
        if problem:
            return problem
        redirect_uri = request.arg("redirect_uri")
        state = request.arg("state") or ""
        if request.arg("decision") != "approve":
            params = {
                "error": "access_denied",
                "error_reason": "user_denied",
                "error_description": "Permissions error",
            }
        else:
            code = AuthCode(
                code=secrets.token_urlsafe(48),
                app_id=request.arg("client_id"),
                redirect_uri=redirect_uri,
                user_id=self.current_threads_user_id,
                scopes=split_scopes(request.arg("scope")),
                targets={},
                expires_at=self.now() + self.config.code_ttl,
            )
            self.codes[code.code] = code
            params = {"code": code.code}
        if state:
            params["state"] = state
        return redirect_response(f"{redirect_uri}?{urlencode(params)}#_")

    def threads_code_exchange(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        app = self.apps.get(request.arg("client_id") or "")
        if app is None:
            return self.err("client_id_invalid")
        if not secrets.compare_digest(app.secret, request.arg("client_secret") or ""):
            return self.err("client_secret_invalid")
        if request.arg("grant_type") != "authorization_code":
            return self.err("invalid_param", detail="Unsupported grant_type")
        code = self.codes.get(request.arg("code") or "")
        if code is None or code.app_id != app.app_id:
            return self.err("code_invalid")
        if code.used:
            return self.err("code_used")
        if code.expires_at <= self.now():
            return self.err("code_expired")
        if code.redirect_uri != request.arg("redirect_uri"):
            return self.err("code_redirect_mismatch")
        code.used = True
        token = self.issue_threads_token(code.user_id, scopes=code.scopes, app_id=app.app_id)
        return json_response({"access_token": token.value, "user_id": int(code.user_id)})

    def issue_threads_token(
        self: FakeGraph,
        user_id: str,
        *,
        scopes: list[str] | None = None,
        app_id: str | None = None,
        long_lived: bool = False,
    ) -> GraphToken:
        now = self.now()
        ttl = (
            self.config.threads_long_token_ttl
            if long_lived
            else self.config.threads_short_token_ttl
        )
        token = GraphToken(
            value="THAA" + secrets.token_urlsafe(60),
            kind="THREADS",
            app_id=app_id or self.config.threads_app_id,
            user_id=user_id,
            scopes=list(scopes if scopes is not None else THREADS_SCOPES),
            issued_at=now,
            expires_at=now + ttl,
            long_lived=long_lived,
        )
        self.tokens[token.value] = token
        return token

    def _long_lived_answer(self: FakeGraph, token: GraphToken) -> FakeResponse:
        return json_response(
            {
                "access_token": token.value,
                "token_type": "bearer",
                "expires_in": round(token.expires_at - self.now()),
            }
        )

    def threads_exchange(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        if request.arg("grant_type") != "th_exchange_token":
            return self.err("invalid_param", detail="Unsupported grant_type")
        short = self.authenticate(request, threads=True)
        if isinstance(short, FakeResponse):
            return short
        app = self.apps[short.app_id]
        if not secrets.compare_digest(app.secret, request.arg("client_secret") or ""):
            return self.err("client_secret_invalid")
        token = self.issue_threads_token(
            short.user_id, scopes=short.scopes, app_id=app.app_id, long_lived=True
        )
        return self._long_lived_answer(token)

    def threads_refresh(self: FakeGraph, request: FakeRequest) -> FakeResponse:
        if request.arg("grant_type") != "th_refresh_token":
            return self.err("invalid_param", detail="Unsupported grant_type")
        old = self.authenticate(request, threads=True)
        if isinstance(old, FakeResponse):
            return old
        if not old.long_lived or self.now() - old.issued_at < self.config.threads_refresh_min_age:
            return self.err("threads_refresh_too_early")
        token = self.issue_threads_token(
            old.user_id, scopes=old.scopes, app_id=old.app_id, long_lived=True
        )
        return self._long_lived_answer(token)

    # -- containers and publishing ---------------------------------------------
    def threads_create(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        user_id = self._threads_user_id(request, token)
        problem = self._threads_scope(token, "threads_content_publish")
        if problem or user_id != token.user_id:
            return problem or self.err("permission_instagram", threads=True)
        media_type = (request.arg("media_type") or "").upper()
        text = request.arg("text") or ""
        is_item = str(request.arg("is_carousel_item") or "").lower() == "true"
        from networks import get_network
        from networks import text as textlib

        if get_network("threads").measure(text) > self.config.threads_text_max:
            return self.err(
                "threads_text_too_long", threads=True, limit=self.config.threads_text_max
            )
        if len({u.url for u in textlib.extract_urls(text)}) > self.config.threads_max_links:
            return self.err("threads_link_limit", threads=True)
        container = Container(
            id=self.new_id(18_000_000_000_000_000),
            owner_id=user_id,
            media_type=media_type,
            created=self.now(),
            text=text,
            alt_text=request.arg("alt_text"),
            is_carousel_item=is_item,
            polls_left=self.config.threads_processing_polls,
            link_attachment=request.arg("link_attachment"),
            reply_to_id=request.arg("reply_to_id"),
        )
        if media_type == "TEXT":
            if not text.strip():
                return self.err("param_required", threads=True, param="text")
        elif media_type == "IMAGE":
            url = request.arg("image_url")
            if not url:
                return self.err("param_required", threads=True, param="image_url")
            container.image_url = url
            self._threads_check_image(container, url)
        elif media_type == "CAROUSEL":
            children = id_list(request.arg("children"))
            ok = 2 <= len(children) <= self.config.threads_carousel_max and all(
                c in self.containers
                and self.containers[c].owner_id == user_id
                and self.containers[c].is_carousel_item
                for c in children
            )
            if not ok:
                return self.err("invalid_param", threads=True, detail="Invalid carousel children")
            container.children = children
        else:
            return self.err(
                "invalid_param",
                threads=True,
                detail=f"media_type must be TEXT, IMAGE or CAROUSEL, not {media_type or 'empty'}",
            )
        self.containers[container.id] = container
        return json_response({"id": container.id})

    def _threads_check_image(self: FakeGraph, container: Container, url: str) -> None:
        """Download the image; a bad one leaves the container in ERROR (asynchronous)."""
        try:
            with lock_released(self.lock):
                data = fetch_media(url, max_bytes=self.config.threads_max_bytes * 2).data
        except MediaFetchError:
            container.forced_status, container.error_message = "ERROR", "FAILED_DOWNLOADING_IMAGE"
            return
        facts = inspect_image(data)
        if facts is None or facts.format not in self.config.threads_formats:
            container.forced_status, container.error_message = "ERROR", "INVALID_IMAGE_FORMAT"
        elif facts.size > self.config.threads_max_bytes:
            container.forced_status, container.error_message = "ERROR", "IMAGE_TOO_LARGE"
        elif (
            not 1 / self.config.threads_max_aspect
            <= facts.aspect_ratio
            <= self.config.threads_max_aspect
        ):
            container.forced_status, container.error_message = "ERROR", "INVALID_ASPEC_RATIO"
        else:
            container.image = {"width": facts.width, "height": facts.height, "size": facts.size}

    def threads_publish(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        user_id = self._threads_user_id(request, token)
        problem = self._threads_scope(token, "threads_content_publish")
        if problem:
            return problem
        container = self.containers.get(str(request.arg("creation_id") or ""))
        if container is None or container.owner_id != user_id:
            return self.err("param_required", threads=True, param="creation_id")
        status = self.container_status(container)
        if status == "PUBLISHED":
            if self.config.republish == "same_id":
                return json_response({"id": container.published_id})
            return self.err("ig_already_published", threads=True)
        if status in ("EXPIRED", "ERROR", "IN_PROGRESS"):
            name = {
                "EXPIRED": "ig_expired",
                "ERROR": "ig_server_error",
                "IN_PROGRESS": "ig_not_ready",
            }
            return self.err(name[status], threads=True)
        if self._published_within(user_id, 86400) >= self.config.threads_quota_total:
            return self.err("threads_quota_reached", threads=True)
        kind = {"TEXT": "TEXT_POST", "IMAGE": "IMAGE", "CAROUSEL": "CAROUSEL_ALBUM"}[
            container.media_type
        ]
        media = self._publish(container, user_id, kind)
        return json_response({"id": media.id})

    def threads_limit(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        user_id = self._threads_user_id(request, token)
        names = [s.name for s in field_names(request)] or ["quota_usage"]
        now = self.now()
        entry: dict[str, Any] = {}
        if "quota_usage" in names:
            entry["quota_usage"] = self._published_within(user_id, 86400)
        if "config" in names:
            entry["config"] = {
                "quota_total": self.config.threads_quota_total,
                "quota_duration": 86400,
            }
        if "reply_quota_usage" in names:
            entry["reply_quota_usage"] = 0
        if "reply_config" in names:
            entry["reply_config"] = {"quota_total": 1000, "quota_duration": 86400}
        if "delete_quota_usage" in names:
            entry["delete_quota_usage"] = sum(
                1 for u, t in self.threads_deletes if u == user_id and t > now - 86400
            )
        if "delete_config" in names:
            entry["delete_config"] = {
                "quota_total": self.config.threads_delete_quota,
                "quota_duration": 86400,
            }
        return json_response({"data": [entry]})

    # -- reads, insights, delete -----------------------------------------------
    def threads_read(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = self._threads_user_id(request, token)
        specs = field_names(request)
        if node in self.threads_users:
            user = self.threads_users[node]
            values = {
                "id": user.id,
                "username": user.username,
                "name": user.name,
                "threads_profile_picture_url": f"{self.threads_url}/pictures/{user.username}.jpg",
                "threads_biography": "",
            }
            wanted = [s.name for s in specs] or ["id"]
            return json_response({k: values[k] for k in wanted if k in values})
        if node in self.containers and self.containers[node].owner_id in self.threads_users:
            container = self.containers[node]
            names = [s.name for s in specs]
            status = self.container_status(container, poll="status" in names)
            body: dict[str, Any] = {"id": container.id}
            if "status" in names:
                body["status"] = status
            if "error_message" in names and status == "ERROR":
                body["error_message"] = container.error_message or "UNKNOWN"
            return json_response(body)
        media = self.media.get(node)
        if media is None or media.deleted or media.owner_id not in self.threads_users:
            return self.err("unsupported_request", threads=True, method="get", id=node)
        return json_response(self.serialize_thread(media, specs or [FieldSpec("id")]))

    def serialize_thread(
        self: FakeGraph, media: PublishedMedia, specs: list[FieldSpec]
    ) -> dict[str, Any]:
        user = self.threads_users[media.owner_id]
        values: dict[str, Any] = {
            "id": media.id,
            "media_product_type": "THREADS",
            "media_type": media.media_type,
            "text": media.text,
            "timestamp": graph_time(media.created),
            "permalink": f"https://www.threads.com/@{user.username}/post/{media.shortcode}",
            "shortcode": media.shortcode,
            "username": user.username,
            "owner": {"id": user.id},
            "is_quote_post": False,
        }
        out = {s.name: values[s.name] for s in specs if s.name in values}
        if any(s.name == "children" for s in specs) and media.children:
            out["children"] = {"data": [{"id": c} for c in media.children]}
        return out

    def threads_list(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        user_id = self._threads_user_id(request, token)
        children = self._child_ids()
        items = [
            m
            for m in self.media.values()
            if m.owner_id == user_id and not m.deleted and m.id not in children
        ]
        since, until = request.arg("since"), request.arg("until")
        if since:
            items = [m for m in items if m.created >= float(since)]
        if until:
            items = [m for m in items if m.created <= float(until)]
        items.sort(key=lambda m: m.created, reverse=True)
        chunk, paging = paged(items, request, self.threads_url)
        specs = field_names(request) or [FieldSpec("id")]
        data = [self.serialize_thread(m, specs) for m in chunk]
        return json_response({"data": data, "paging": paging} if paging else {"data": data})

    def threads_insights(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        problem = self._threads_scope(token, "threads_manage_insights")
        if problem:
            return problem
        media = self.media.get(request.params["id"])
        if media is None or media.deleted or media.owner_id != token.user_id:
            return self.err(
                "unsupported_request", threads=True, method="get", id=request.params["id"]
            )
        metrics = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
        if not metrics or any(m not in self.config.threads_metrics for m in metrics):
            return self.err("invalid_insights_metric", threads=True)
        data = [
            {
                "name": metric,
                "period": "lifetime",
                "values": [{"value": media.insights.get(metric, 0)}],
                "title": metric.capitalize(),
                "description": f"The number of {metric} of your post.",
                "id": f"{media.id}/insights/{metric}/lifetime",
            }
            for metric in metrics
        ]
        return json_response({"data": data})

    def threads_delete(self: FakeGraph, request: FakeRequest, token: GraphToken) -> FakeResponse:
        problem = self._threads_scope(token, "threads_delete")
        if problem:
            return problem
        media = self.media.get(request.params["id"])
        if media is None or media.deleted or media.owner_id != token.user_id:
            return self.err(
                "unsupported_request", threads=True, method="delete", id=request.params["id"]
            )
        now = self.now()
        recent = sum(1 for u, t in self.threads_deletes if u == token.user_id and t > now - 86400)
        if recent >= self.config.threads_delete_quota:
            return self.err("threads_quota_reached", threads=True)
        media.deleted = True
        self.threads_deletes.append((token.user_id, now))
        return json_response({"success": True, "deleted_id": media.id})
