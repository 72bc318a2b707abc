"""A fake Meta Graph API for tests: Facebook Pages, Instagram (Facebook Login
variant) and Threads. ``FakeGraph`` in-process, or ``python -m tests.fakes.graph``.

One server stands for several Meta hosts; a client is configured with:
- ``fake.url`` for ``www.facebook.com`` (the login dialog) and
  ``graph.facebook.com`` (Graph API, with or without ``/vNN.0``);
- ``fake.threads_url`` (``fake.url + "/threads"``) for ``www.threads.net``
  (authorize page) and ``graph.threads.net`` (Threads API, ``/v1.0``).

Behaviours and the documents they come from are in the handler modules:
``graph_oauth.py`` (login dialog with Page and Instagram picking, token
exchanges, ``/debug_token``, ``/me/accounts``), ``graph_pages.py`` (Page
feed and photos, post fields, insights, reactions, delete),
``graph_instagram.py`` (containers, publishing, quota, insights),
``graph_threads.py`` (Threads OAuth and publishing), ``graph_errors.py``
(error bodies), ``graph_controls.py`` (test helpers).

Rate limits (graph-api/overview/rate-limiting): Page-token calls count
against the Page's Business Use Case budget and answer
``X-Business-Use-Case-Usage: {"<page-id>": [{"type": "pages", "call_count",
"total_cputime", "total_time", "estimated_time_to_regain_access"}]}``
(percentages; minutes to wait); calls on an Instagram account count against
its ``instagram`` BUC budget, same header; user-token calls answer
``X-App-Usage: {"call_count", "total_cputime", "total_time"}``. Past the budget
the call fails with code 4 (app), 32 or 80001 (Page: ``page_throttle_error``)
or 80002 (Instagram). Field names of the headers come from clients' code,
not Meta's page (unconfirmed).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tests.fakes.base import FakeServer
from tests.fakes.faults import BudgetState, Injection, RateBudget
from tests.fakes.graph_controls import GraphControlsMixin
from tests.fakes.graph_errors import GRAPH_ERRORS, graph_error
from tests.fakes.graph_instagram import GraphInstagramMixin
from tests.fakes.graph_models import (
    AuthCode,
    Container,
    FbPhoto,
    FbPost,
    FbUser,
    GraphToken,
    IgUser,
    MetaApp,
    Page,
    PublishedMedia,
    ThreadsUser,
    pacific_time,
)
from tests.fakes.graph_oauth import GraphOAuthMixin
from tests.fakes.graph_pages import GraphPagesMixin
from tests.fakes.graph_threads import GraphThreadsMixin
from tests.fakes.web import FakeRequest, FakeResponse

V = r"(?:/v\d+\.\d+)?"
ID = r"/(?P<id>\d+(?:_\d+)?)"


@dataclass
class GraphConfig:
    """Every behaviour a test may change (``FakeGraph(**options)`` or ``configure``).

    Values no document confirmed are marked (unconfirmed)."""

    app_id: str = "1000000000000001"
    app_secret: str = "fake-meta-app-secret"
    app_name: str = "Annexe"
    threads_app_id: str = "2000000000000002"
    threads_app_secret: str = "fake-threads-app-secret"
    redirect_uris: list[str] = field(default_factory=list)  # empty: any loopback URI
    code_ttl: float = 600  # authorization code lifetime (unconfirmed)
    # Whether the dialog's Page and Instagram checkboxes start checked (unconfirmed).
    dialog_preselect: bool = False
    # Tokens (facebook-login/guides/access-tokens/get-long-lived): short-lived
    # "expiring in hours" (2 h here, unconfirmed); long-lived ~60 days, the
    # documented sample answers expires_in 5183944.
    short_token_ttl: float = 2 * 3600
    long_token_ttl: float = 5_183_944
    # Page tokens from a long-lived user token have no expiry (widely reported,
    # unconfirmed in Meta's pages); False: they expire with the user token.
    page_token_never_expires: bool = True
    auth_error_status: int = 400  # HTTP status of code 190/104 answers (unconfirmed)
    throttle_status: int = 400  # HTTP status of codes 4/17/32/613/800xx (unconfirmed)
    usage_headers: bool = True
    app_call_limit: int = 10_000  # "200 × users" per rolling hour
    app_call_window: float = 3600
    page_call_limit: int = 4800  # "4,800 × engaged users" per 24 h (2016 blog)
    page_call_window: float = 86400
    ig_call_limit: int = 4800  # Instagram BUC budget (unconfirmed)
    ig_call_window: float = 86400
    page_throttle_error: str = "throttle_page"  # or "throttle_pages_buc" (80001)
    # Facebook Pages.
    duplicate_check: bool = True  # 506 when a post repeats the Page's last one
    photo_max_bytes: int = 4_000_000  # "photos should be less than 4 MB" (1366046)
    photo_formats: tuple[str, ...] = ("JPEG", "MPO", "PNG", "GIF", "TIFF", "HEIF", "WEBP")
    max_attached_media: int = 10  # photos per feed post (unconfirmed)
    message_max: int = 63_206
    # 2025 Page Insights update: post_impressions* retired, *_media_view new.
    fb_post_metrics: tuple[str, ...] = (
        "post_media_view",
        "post_total_media_view_unique",
        "post_reactions_like_total",
        "post_reactions_by_type_total",
        "post_clicks",
        "post_clicks_by_type",
        "post_video_views",
    )
    reactions_with_identity: bool = True  # /reactions lists id and name (unconfirmed)
    # Instagram (content-publishing guide, reference/error-codes, Ayrshare guide).
    ig_processing_polls: int = 1  # IN_PROGRESS answers before FINISHED
    ig_container_ttl: float = 86400  # containers expire after 24 h (unconfirmed)
    ig_max_bytes: int = 8 * 1024 * 1024  # "less than 8 MiB" (2207004)
    ig_formats: tuple[str, ...] = ("JPEG", "MPO")  # "Supported formats are: JPEG"
    ig_min_aspect: float = 0.8  # 4:5
    ig_max_aspect: float = 1.91  # 1.91:1
    ig_caption_max: int = 2200
    ig_max_hashtags: int = 30
    ig_carousel_max: int = 10
    ig_quota_total: int = 100  # sources say 25, 50 or 100 (unconfirmed)
    ig_quota_window: float = 86400
    republish: str = "error"  # IG and Threads; or "same_id": answer the first media id again
    ig_delete_supported: bool = False  # deleting IG media: unsupported (Ayrshare)
    ig_metrics: tuple[str, ...] = (
        "views",
        "reach",
        "likes",
        "comments",
        "shares",
        "saved",
        "total_interactions",
        "follows",
        "profile_visits",
        "profile_activity",
    )
    # Deprecated for media in v22 / April 2025 (NETWORKS.md; Postiz issue #622).
    ig_deprecated_metrics: tuple[str, ...] = (
        "impressions",
        "plays",
        "video_views",
        "clips_replays_count",
        "ig_reels_aggregated_all_plays_count",
        "engagement",
    )
    # Threads (threads/posts, long-lived-tokens, publishing limits).
    threads_short_token_ttl: float = 3600
    threads_long_token_ttl: float = 5_183_944
    threads_refresh_min_age: float = 86400  # "at least 24 hours old"
    threads_processing_polls: int = 0
    threads_container_ttl: float = 86400
    threads_text_max: int = 500
    threads_max_links: int = 5
    threads_carousel_max: int = 20
    threads_max_bytes: int = 8 * 1024 * 1024
    threads_formats: tuple[str, ...] = ("JPEG", "MPO", "PNG")
    threads_max_aspect: float = 10.0
    threads_quota_total: int = 250
    threads_delete_quota: int = 100
    threads_metrics: tuple[str, ...] = ("views", "likes", "replies", "reposts", "quotes", "shares")
    threads_error_type: str = "THApiException"  # type of non-auth errors (unconfirmed)


class FakeGraph(
    GraphOAuthMixin,
    GraphPagesMixin,
    GraphInstagramMixin,
    GraphThreadsMixin,
    GraphControlsMixin,
    FakeServer,
):
    name = "graph"
    control_methods: ClassVar[tuple[str, ...]] = GraphControlsMixin.CONTROL_METHODS

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0, **options: Any
    ) -> None:
        self.config = GraphConfig(**options)
        self.app_budget = RateBudget(self.config.app_call_limit, self.config.app_call_window)
        self.page_budget = RateBudget(self.config.page_call_limit, self.config.page_call_window)
        self.ig_budget = RateBudget(self.config.ig_call_limit, self.config.ig_call_window)
        super().__init__(host=host, port=port, latency=latency)
        self.reset_state()

    @property
    def threads_url(self) -> str:
        return self.url + "/threads"

    # -- state -----------------------------------------------------------------
    def reset_state(self) -> None:
        self.apps: dict[str, MetaApp] = {
            self.config.app_id: MetaApp(
                self.config.app_id,
                self.config.app_secret,
                self.config.app_name,
                list(self.config.redirect_uris),
            ),
            self.config.threads_app_id: MetaApp(
                self.config.threads_app_id,
                self.config.threads_app_secret,
                self.config.app_name,
                list(self.config.redirect_uris),
            ),
        }
        self.users: dict[str, FbUser] = {}
        self.pages: dict[str, Page] = {}
        self.ig_users: dict[str, IgUser] = {}
        self.threads_users: dict[str, ThreadsUser] = {}
        self.tokens: dict[str, GraphToken] = {}
        self.codes: dict[str, AuthCode] = {}
        self.posts: dict[str, FbPost] = {}
        self.photos: dict[str, FbPhoto] = {}
        self.containers: dict[str, Container] = {}
        self.media: dict[str, PublishedMedia] = {}
        self.publish_log: list[tuple[str, float]] = []  # (owner id, time): quotas
        self.revocations: list[dict[str, Any]] = []  # DELETE /{user-id}/permissions
        self.threads_deletes: list[tuple[str, float]] = []
        self.page_tokens: dict[tuple[str, str], str] = {}
        self._seq = itertools.count(1)
        for budget in (self.app_budget, self.page_budget, self.ig_budget):
            budget.reset()
        self.seed_default_accounts()

    def new_id(self, base: int) -> str:
        return str(base + next(self._seq))

    def state(self) -> dict[str, Any]:
        return {
            "pages": [dataclasses.asdict(p) for p in self.pages.values()],
            "ig_users": [dataclasses.asdict(u) for u in self.ig_users.values()],
            "threads_users": [dataclasses.asdict(u) for u in self.threads_users.values()],
            "tokens": len(self.tokens),
            "posts": self.fb_posts(),
            "ig_media": self.ig_posts(),
            "threads": self.threads_posts(),
            "containers": [dataclasses.asdict(c) for c in self.containers.values()],
        }

    # -- errors ----------------------------------------------------------------
    def err(self, name: str, *, threads: bool = False, **fmt: Any) -> FakeResponse:
        """A catalogue error, with the configured HTTP status for auth and throttling."""
        code = GRAPH_ERRORS[name][1]
        status = None
        if code in (190, 104):
            status = self.config.auth_error_status
        elif code in (4, 17, 32, 613, 80001, 80002):
            status = self.config.throttle_status
        error_type = None
        if threads and code not in (190, 104):
            error_type = self.config.threads_error_type
        return graph_error(name, status=status, error_type=error_type, **fmt)

    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        name = "service_unavailable" if status >= 500 else "invalid_param"
        response = graph_error(name, detail=message or "Invalid parameter")
        response.status = status
        return response

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        minutes = max(1, math.ceil((reset_at - self.now()) / 60))
        headers = {
            "X-App-Usage": json.dumps({"call_count": 100, "total_cputime": 0, "total_time": 0})
        }
        response = self.err("throttle_app")
        response.headers.update(headers)
        response.headers["X-Business-Use-Case-Usage"] = json.dumps(
            {
                self.config.app_id: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 0,
                        "total_time": 0,
                        "estimated_time_to_regain_access": minutes,
                    }
                ]
            }
        )
        return response

    def unauthorized_response(self) -> FakeResponse:
        now = self.now()
        return self.err("token_expired", expired=pacific_time(now - 60), now=pacific_time(now))

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        return self.err("unknown_path", path=request.path)

    def method_not_allowed_response(self, request: FakeRequest) -> FakeResponse:
        node = request.path.rstrip("/").rsplit("/", 1)[-1]
        return self.err("unsupported_request", method=request.method.lower(), id=node)

    def inject_graph_error(
        self,
        path: str,
        name: str,
        *,
        method: str | None = None,
        times: int | None = 1,
        regex: bool = False,
        regain_minutes: int | None = None,
        **fmt: Any,
    ) -> Injection:
        """Answer catalogue error ``name`` (``token_expired``, ``duplicate_post``,
        ``throttle_page``…) on ``path``; throttling errors carry the usage header
        with ``estimated_time_to_regain_access`` = ``regain_minutes``."""
        defaults = {"app_id": self.config.app_id, "param": "message", "detail": "Invalid"}
        defaults |= {"method": "get", "id": "0", "path": path, "ratio": "3.0", "uri": "?"}
        now = self.now()
        defaults |= {"expired": pacific_time(now - 60), "now": pacific_time(now)}
        response = self.err(name, **(defaults | fmt))
        if regain_minutes is not None:
            response.headers.update(self._throttled_headers(GRAPH_ERRORS[name][1], regain_minutes))
        return self.inject(
            path,
            method=method,
            status=response.status,
            body=response.body,
            headers=response.headers,
            times=times,
            regex=regex,
        )

    def _throttled_headers(self, code: int, minutes: int) -> dict[str, str]:
        if code in (4, 17, 613):
            usage = {"call_count": 100, "total_cputime": 30, "total_time": 30}
            return {"X-App-Usage": json.dumps(usage)}
        kind = "instagram" if code == 80002 else "pages"
        entry = {
            "type": kind,
            "call_count": 100,
            "total_cputime": 30,
            "total_time": 30,
            "estimated_time_to_regain_access": minutes,
        }
        return {"X-Business-Use-Case-Usage": json.dumps({"0": [entry]})}

    # -- authentication and usage ----------------------------------------------
    def token_value(self, request: FakeRequest) -> str | None:
        value = request.arg("access_token") or request.bearer
        header = request.header("authorization")
        if not value and header[:6].lower() == "oauth ":
            value = header[6:].strip()
        return value or None

    def authenticate(self, request: FakeRequest, *, threads: bool = False) -> Any:
        """The request's token, or the Graph error answering a missing/bad one."""
        value = self.token_value(request)
        if not value:
            return self.err("token_missing")
        token = self.tokens.get(value)
        if token is None or (token.kind == "THREADS") != threads:
            return self.err("token_invalid")
        parent = self.tokens.get(token.parent) if token.parent else None
        broken = token.broken or (parent.broken if parent else None)
        if broken:
            return self.err(broken, app_id=token.app_id)
        now = self.now()
        if token.expired(now):
            return self.err(
                "token_expired", expired=pacific_time(token.expires_at), now=pacific_time(now)
            )
        return token

    def graph(self, handler: Any, *, threads: bool = False) -> Any:
        """Wrap a handler: token check, usage budgets and headers."""

        def wrapped(request: FakeRequest) -> FakeResponse:
            token = self.authenticate(request, threads=threads)
            if isinstance(token, FakeResponse):
                return token
            kind, key, budget = self._usage_target(request, token)
            state = budget.consume(key, self.now())
            headers = self._usage_headers(kind, key, state) if self.config.usage_headers else {}
            if not state.allowed:
                name = {
                    "app": "throttle_app",
                    "pages": self.config.page_throttle_error,
                    "instagram": "throttle_instagram_buc",
                }[kind]
                response = self.err(name, threads=threads)
            else:
                response = handler(request, token)
            response.headers.update(headers)
            return response

        return wrapped

    def _usage_target(self, request: FakeRequest, token: GraphToken) -> tuple[str, str, RateBudget]:
        if token.kind == "PAGE" and token.page_id:
            return "pages", token.page_id, self.page_budget
        owner = self.ig_owner(request.params.get("id", ""))
        if owner:
            return "instagram", owner, self.ig_budget
        return "app", token.app_id, self.app_budget

    def _usage_headers(self, kind: str, key: str, state: BudgetState) -> dict[str, str]:
        used = state.limit - state.remaining if state.allowed else state.limit
        percent = min(100, math.ceil(100 * used / max(state.limit, 1)))
        if kind == "app":
            usage = {
                "call_count": percent,
                "total_cputime": percent // 4,
                "total_time": percent // 4,
            }
            return {"X-App-Usage": json.dumps(usage)}
        regain = 0 if state.allowed else max(1, math.ceil((state.reset_at - self.now()) / 60))
        entry = {
            "type": kind,
            "call_count": percent,
            "total_cputime": percent // 4,
            "total_time": percent // 4,
            "estimated_time_to_regain_access": regain,
        }
        return {"X-Business-Use-Case-Usage": json.dumps({key: [entry]})}

    # -- routes ----------------------------------------------------------------
    def setup_routes(self) -> None:
        add = self.router.add
        add("GET", V + r"/dialog/oauth", self.dialog_page)
        add("POST", r"/dialog/oauth/decision", self.dialog_decision)
        add("GET", V + r"/oauth/access_token", self.access_token)
        add("GET", V + r"/debug_token", self.debug_token)
        add("GET", V + r"/me", self.graph(self.me))
        add("GET", V + r"/me/accounts", self.graph(self.me_accounts))
        add("GET", V + r"/me/permissions", self.graph(self.me_permissions))
        add("DELETE", V + ID + r"/permissions", self.revoke_permissions)
        add("DELETE", V + ID + r"/permissions/(?P<permission>\w+)", self.revoke_permissions)
        add("POST", V + ID + r"/feed", self.graph(self.create_feed_post))
        for edge in ("feed", "posts", "published_posts"):
            add("GET", V + ID + rf"/{edge}", self.graph(self.list_page_posts))
        add("POST", V + ID + r"/photos", self.graph(self.create_photo))
        add("GET", V + ID + r"/insights", self.graph(self.node_insights))
        add("GET", V + ID + r"/reactions", self.graph(self.list_reactions))
        add("POST", V + ID + r"/media", self.graph(self.create_ig_container))
        add("GET", V + ID + r"/media", self.graph(self.list_ig_media))
        add("POST", V + ID + r"/media_publish", self.graph(self.ig_media_publish))
        add("GET", V + ID + r"/content_publishing_limit", self.graph(self.ig_publishing_limit))
        add("GET", V + ID, self.graph(self.read_node))
        add("DELETE", V + ID, self.graph(self.delete_node))
        self.setup_threads_routes()

    def read_node(self, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = request.params["id"]
        if node in self.pages:
            return self.read_page(request, token)
        if node in self.posts or node in self.photos:
            return self.read_fb_post(request, token)
        if node in self.ig_users or node in self.containers or node in self.media:
            return self.read_ig_node(request, token)
        return self.err("unsupported_request", method="get", id=node)

    def delete_node(self, request: FakeRequest, token: GraphToken) -> FakeResponse:
        node = request.params["id"]
        if node in self.posts or node in self.photos:
            return self.delete_fb_post(request, token)
        if node in self.media and self.config.ig_delete_supported:
            return self.delete_ig_media(request, token)
        return self.err("unsupported_request", method="delete", id=node)

    # -- command line ----------------------------------------------------------
    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--ig-processing-polls", type=int, default=1)
        parser.add_argument("--ig-quota-total", type=int, default=100)
        parser.add_argument("--page-token-expires", action="store_true")

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "ig_processing_polls": args.ig_processing_polls,
            "ig_quota_total": args.ig_quota_total,
            "page_token_never_expires": not args.page_token_expires,
        }


if __name__ == "__main__":
    FakeGraph.main()
