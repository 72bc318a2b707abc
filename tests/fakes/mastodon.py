"""A fake Mastodon instance for tests: ``FakeMastodon`` and ``python -m tests.fakes.mastodon``.

What it models, with the document each behaviour comes from:
- instance configuration, ``GET /api/v2/instance`` and ``/api/v1/instance``
  (mastodon/documentation ``methods/instance.md``, ``entities/Instance.md``);
- apps and OAuth, with a consent page a browser test can click through
  (``mastodon_oauth.py``);
- media, statuses, boosts, who favourited/boosted, an account's statuses
  (``mastodon_statuses.py``);
- ``verify_credentials`` (``methods/accounts.md``); 401 bodies from
  ``spec/requests/api/v1/apps/credentials_spec.rb``: an unknown token is
  ``{"error": "The access token is invalid"}``, a revoked one
  ``{"error": "The access token was revoked"}``;
- rate limits (``api/rate-limits.md`` and ``config/initializers/rack_attack.rb``):
  ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` (ISO 8601 timestamp) on API
  answers, 429 ``{"error": "Too many requests"}`` when a budget is spent.
  Budgets: all API calls per account (default 300 per 5 min, windows aligned
  like Rack::Attack), ``POST /api/v*/media`` per account (30 per 30 min),
  and status creation (the ``statuses`` rate-limit family: 300 per 3 h).
  The headers report the budget closest to exhaustion.

Test helpers (also callable through ``POST /__fake__/call``): ``issue_token``,
``revoke_token``, ``add_user``, ``login_as``, ``add_account``, ``favourite``,
``reblog_by``, ``set_counts``, ``delete_status``, ``posts``,
``exhaust_rate_limit``, ``configure``.
"""

from __future__ import annotations

import argparse
import itertools
from datetime import UTC, datetime
from typing import Any, ClassVar

from tests.fakes.base import FakeServer
from tests.fakes.faults import BudgetState, RateBudget, tightest
from tests.fakes.mastodon_controls import MastodonControlsMixin
from tests.fakes.mastodon_entities import Account, Media, Status, Token
from tests.fakes.mastodon_oauth import MastodonOAuthMixin, scope_allows
from tests.fakes.mastodon_statuses import NOT_FOUND, MastodonStatusesMixin
from tests.fakes.web import FakeRequest, FakeResponse, json_response

SUPPORTED_MIME_TYPES = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/heic",
    "image/heif",
    "image/webp",
    "image/avif",
    "video/webm",
    "video/mp4",
    "video/quicktime",
    "video/ogg",
    "audio/wave",
    "audio/wav",
    "audio/x-wav",
    "audio/ogg",
    "audio/mpeg",
    "audio/mp3",
    "audio/webm",
    "audio/flac",
    "audio/aac",
    "audio/m4a",
    "audio/mp4",
]


def _reset_header(reset_at: float) -> str:
    # Rack::Attack throttled_responder: (now + …).iso8601(6), e.g. 2020-09-08T13:25:00.019685Z
    return datetime.fromtimestamp(reset_at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rate_headers(state: BudgetState) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(state.limit),
        "X-RateLimit-Remaining": str(state.remaining),
        "X-RateLimit-Reset": _reset_header(state.reset_at),
    }


class FakeMastodon(MastodonOAuthMixin, MastodonStatusesMixin, MastodonControlsMixin, FakeServer):
    name = "mastodon"
    control_methods: ClassVar[tuple[str, ...]] = (
        "issue_token",
        "revoke_token",
        "add_user",
        "login_as",
        "add_account",
        "favourite",
        "reblog_by",
        "set_counts",
        "delete_status",
        "posts",
        "exhaust_rate_limit",
        "configure",
    )

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        username: str = "mediatheque",
        display_name: str = "Médiathèque",
        title: str = "Fake Mastodon",
        version: str = "4.4.0",
        max_characters: int = 500,
        max_media_attachments: int = 4,
        characters_reserved_per_url: int = 23,
        description_limit: int = 1500,
        image_size_limit: int = 10_485_760,
        media_processing_seconds: float = 0.0,
        rate_limit: int = 300,
        rate_window: float = 300,
        media_rate_limit: int = 30,
        media_rate_window: float = 1800,
        status_rate_limit: int = 300,
        status_rate_window: float = 10_800,
        idempotency_ttl: float = 3600,
        batch_lookup: bool = True,
    ) -> None:
        self.title = title
        self.version = version
        self.default_username = username
        self.default_display_name = display_name
        self.media_processing_seconds = media_processing_seconds
        self.idempotency_ttl = idempotency_ttl
        # GET /api/v1/statuses?id[]= exists since Mastodon 4.3; False: an older server
        # (no such route: 404).
        self.batch_lookup = batch_lookup
        self.instance_config: dict[str, Any] = {
            "statuses": {
                "max_characters": max_characters,
                "max_media_attachments": max_media_attachments,
                "characters_reserved_per_url": characters_reserved_per_url,
            },
            "media_attachments": {
                "supported_mime_types": SUPPORTED_MIME_TYPES,
                "description_limit": description_limit,
                "image_size_limit": image_size_limit,
                "image_matrix_limit": 16_777_216,
                "video_size_limit": 103_809_024,
                "video_frame_rate_limit": 120,
                "video_matrix_limit": 8_294_400,
            },
            "polls": {
                "max_options": 4,
                "max_characters_per_option": 50,
                "min_expiration": 300,
                "max_expiration": 2_629_746,
            },
        }
        self.api_budget = RateBudget(rate_limit, rate_window, aligned=True)
        self.media_budget = RateBudget(media_rate_limit, media_rate_window, aligned=True)
        self.status_budget = RateBudget(status_rate_limit, status_rate_window, aligned=True)
        super().__init__(host=host, port=port, latency=latency)
        self.reset_state()

    # -- state -----------------------------------------------------------------
    def reset_state(self) -> None:
        self._oauth_reset()
        self.accounts: dict[str, Account] = {}
        self.media: dict[str, Media] = {}
        self.statuses: dict[str, Status] = {}
        self.status_counts: dict[str, int] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, float]] = {}
        self.favourites: dict[str, list[tuple[int, str]]] = {}
        self.reblogs: dict[str, list[tuple[int, str, str | None]]] = {}
        self._ids = itertools.count(1)
        self._interaction_ids = itertools.count(1000)
        self._last_id = 0
        for budget in (self.api_budget, self.media_budget, self.status_budget):
            budget.reset()
        self.current_user_id = self.add_user(self.default_username, self.default_display_name)["id"]

    def next_id(self) -> str:
        """A snowflake-like id: milliseconds << 16 plus a sequence (sortable, like Mastodon's)."""
        candidate = (int(self.now() * 1000) << 16) + next(self._ids) % 65536
        self._last_id = max(candidate, self._last_id + 1)
        return str(self._last_id)

    def next_interaction_id(self) -> int:
        return next(self._interaction_ids)

    @property
    def domain(self) -> str:
        return f"{self.host}:{self.port}"

    def state(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "configuration": self.instance_config,
            "accounts": {i: a.serialize(self.url) for i, a in self.accounts.items()},
            "apps": [a.serialize(with_secret=False) for a in self.apps.values()],
            "tokens": len(self.tokens),
            "posts": self.posts(include_deleted=True),
        }

    # -- network-specific answers ----------------------------------------------
    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        default = {
            401: "The access token is invalid",
            403: "This action is not allowed",
            404: "Record not found",
            422: "Validation failed",
            429: "Too many requests",
            500: "We're sorry, but something went wrong on our end.",
            503: "Service Unavailable",
        }
        return json_response({"error": message or default.get(status, "Error")}, status)

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        state = BudgetState(limit=limit, remaining=0, reset_at=reset_at, window=0, allowed=False)
        return json_response({"error": "Too many requests"}, 429, rate_headers(state))

    def unauthorized_response(self) -> FakeResponse:
        return json_response({"error": "The access token is invalid"}, 401)

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        if request.path.startswith("/api/"):
            return json_response(NOT_FOUND, 404)
        return FakeResponse(
            404, "<h1>The page you are looking for isn't here.</h1>", content_type="text/html"
        )

    # -- auth and rate limits --------------------------------------------------
    def api(
        self,
        handler: Any,
        *,
        scope: str | None = None,
        user: bool = True,
        budgets: tuple[str, ...] = (),
    ) -> Any:
        """Wrap a handler with token checks (``scope`` None: token optional) and budgets."""

        def wrapped(request: FakeRequest) -> FakeResponse:
            token = self.tokens.get(request.bearer or "")
            if scope is not None or request.bearer:
                if token is None:
                    return json_response({"error": "The access token is invalid"}, 401)
                if token.revoked:
                    return json_response({"error": "The access token was revoked"}, 401)
            if scope is not None:
                if not any(scope_allows(token.scopes, s) for s in scope.split("|")):
                    return json_response(
                        {"error": "This action is outside the authorized scopes"}, 403
                    )
                if user and token.account_id is None:
                    return json_response(
                        {"error": "This method requires an authenticated user"}, 422
                    )
            states = self._consume_budgets(request, token, budgets)
            state = tightest(states)
            if state is not None and not state.allowed:
                return json_response({"error": "Too many requests"}, 429, rate_headers(state))
            response = handler(request, token)
            if state is not None:
                response.headers.update(rate_headers(state))
            return response

        return wrapped

    def _consume_budgets(
        self, request: FakeRequest, token: Token | None, extra: tuple[str, ...]
    ) -> list[BudgetState]:
        now = self.now()
        key = (token.account_id or f"app:{token.client_id}") if token else f"ip:{request.client_ip}"
        states = [self.api_budget.consume(key, now)]
        if "media" in extra:
            states.append(self.media_budget.consume(key, now))
        if "statuses" in extra:
            states.append(self.status_budget.consume(key, now))
        return states

    # -- routes ----------------------------------------------------------------
    def setup_routes(self) -> None:
        add = self.router.add
        add("GET", r"/api/v2/instance", self.api(lambda r, t: json_response(self.instance_v2())))
        add("GET", r"/api/v1/instance", self.api(lambda r, t: json_response(self.instance_v1())))
        add("POST", r"/api/v1/apps", self.api(lambda r, t: self.create_app(r)))
        add("GET", r"/oauth/authorize", self.authorize_page)
        add("POST", r"/oauth/authorize", self.authorize_decision)
        add("POST", r"/oauth/token", self.token)
        add("POST", r"/oauth/revoke", self.revoke)
        add(
            "GET",
            r"/api/v1/accounts/verify_credentials",
            self.api(self.verify_credentials, scope="read:accounts|profile"),
        )
        add("GET", r"/api/v1/accounts/(?P<id>\d+)", self.api(self.get_account))
        add("GET", r"/api/v1/accounts/(?P<id>\d+)/statuses", self.api(self.account_statuses))
        for version in ("v1", "v2"):
            add(
                "POST",
                rf"/api/{version}/media",
                self.api(
                    lambda r, t, v2=(version == "v2"): self.create_media(r, t, v2=v2),
                    scope="write:media",
                    budgets=("media",),
                ),
            )
        add("GET", r"/api/v1/media/(?P<id>\d+)", self.api(self.get_media, scope="write:media"))
        add("PUT", r"/api/v1/media/(?P<id>\d+)", self.api(self.update_media, scope="write:media"))
        add(
            "DELETE", r"/api/v1/media/(?P<id>\d+)", self.api(self.delete_media, scope="write:media")
        )
        add(
            "POST",
            r"/api/v1/statuses",
            self.api(self.create_status, scope="write:statuses", budgets=("statuses",)),
        )
        add("GET", r"/api/v1/statuses", self.api(self.list_statuses))
        add("GET", r"/api/v1/statuses/(?P<id>\d+)", self.api(self.get_status))
        add(
            "DELETE",
            r"/api/v1/statuses/(?P<id>\d+)",
            self.api(self.delete_status_route, scope="write:statuses"),
        )
        add(
            "POST",
            r"/api/v1/statuses/(?P<id>\d+)/reblog",
            self.api(self.reblog, scope="write:statuses"),
        )
        add("GET", r"/api/v1/statuses/(?P<id>\d+)/favourited_by", self.api(self.favourited_by))
        add("GET", r"/api/v1/statuses/(?P<id>\d+)/reblogged_by", self.api(self.reblogged_by))

    # -- instance and accounts -------------------------------------------------
    def instance_v2(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "title": self.title,
            "version": self.version,
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "A fake Mastodon instance for tests.",
            "usage": {"users": {"active_month": len(self.accounts)}},
            "thumbnail": {"url": f"{self.url}/packs/media/images/preview.png"},
            "languages": ["fr", "en"],
            "configuration": {
                "urls": {"streaming": f"ws://{self.domain}"},
                "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                **self.instance_config,
                "translation": {"enabled": False},
            },
            "registrations": {"enabled": False, "approval_required": False, "message": None},
            "api_versions": {"mastodon": 6},
            "contact": {"email": "admin@example.org", "account": None},
            "rules": [],
        }

    def instance_v1(self) -> dict[str, Any]:
        return {
            "uri": self.domain,
            "title": self.title,
            "short_description": "A fake Mastodon instance for tests.",
            "description": "A fake Mastodon instance for tests.",
            "email": "admin@example.org",
            "version": self.version,
            "urls": {"streaming_api": f"ws://{self.domain}"},
            "stats": {
                "user_count": len(self.accounts),
                "status_count": len(self.statuses),
                "domain_count": 1,
            },
            "thumbnail": f"{self.url}/packs/media/images/preview.png",
            "languages": ["fr", "en"],
            "registrations": False,
            "approval_required": False,
            "invites_enabled": False,
            "configuration": self.instance_config,
            "contact_account": None,
            "rules": [],
        }

    def verify_credentials(self, request: FakeRequest, token: Token) -> FakeResponse:
        account = self.accounts[token.account_id or ""]
        data = account.serialize(self.url, self._statuses_count(account.id))
        data["source"] = {
            "privacy": "public",
            "sensitive": False,
            "language": "fr",
            "note": "",
            "fields": [],
            "follow_requests_count": 0,
        }
        data["role"] = {
            "id": "-99",
            "name": "",
            "permissions": "0",
            "color": "",
            "highlighted": False,
        }
        return json_response(data)

    def get_account(self, request: FakeRequest, token: Token | None) -> FakeResponse:
        account = self.accounts.get(request.params["id"])
        if account is None:
            return json_response(NOT_FOUND, 404)
        return json_response(account.serialize(self.url, self._statuses_count(account.id)))

    # -- command line ----------------------------------------------------------
    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--max-characters", type=int, default=500)
        parser.add_argument("--media-processing-seconds", type=float, default=0.0)
        parser.add_argument(
            "--rate-limit", type=int, default=300, help="API calls per window per account"
        )
        parser.add_argument("--rate-window", type=float, default=300)
        parser.add_argument("--status-rate-limit", type=int, default=300)

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "max_characters": args.max_characters,
            "media_processing_seconds": args.media_processing_seconds,
            "rate_limit": args.rate_limit,
            "rate_window": args.rate_window,
            "status_rate_limit": args.status_rate_limit,
        }


if __name__ == "__main__":
    FakeMastodon.main()
