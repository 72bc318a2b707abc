"""A fake X (API v2) for tests: ``FakeX``, or ``python -m tests.fakes.x``.

One server stands for ``x.com`` (``/i/oauth2/authorize``) and ``api.x.com``
(``/2/...``). Sources (xdevplatform/docs and docs.x.com):
- ``resources/fundamentals/authentication/oauth-2-0/authorization-code``:
  OAuth 2.0 with PKCE (``x_oauth.py``);
- ``x-api/media/quickstart/media-upload-chunked`` and the v2 media
  reference: simple and chunked upload, metadata (``x_media.py``);
- ``x-api/posts/manage-tweets``, ``.../lookup``, ``x-api/fundamentals/metrics``,
  ``x-api/posts/likes``: posts, metrics, likers (``x_tweets.py``);
- ``x-api/fundamentals/rate-limits``: every answer of a limited endpoint
  carries ``x-rate-limit-limit``, ``x-rate-limit-remaining`` and
  ``x-rate-limit-reset`` (epoch seconds); past the limit, 429 with a problem
  body (``rate_limit_body="v1"`` answers v1.1's ``{"errors": [{"code": 88,
  "message": "Rate limit exceeded"}]}`` instead). 15-minute windows per user:
  POST /2/tweets 100 (and 10,000 per 24 h per app), DELETE 50, media upload
  500, GET /2/tweets/:id 900, liking_users 75, retweeted_by 75, users/me 75,
  users/:id/tweets 900. ``x-api/fundamentals/post-cap``: when the pay-per-use budget is spent,
  429 ``usage-capped`` (``cap_usage()``).
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tests.fakes.base import FakeServer
from tests.fakes.faults import BudgetState, Injection, RateBudget, tightest
from tests.fakes.web import FakeRequest, FakeResponse, json_response
from tests.fakes.x_controls import XControlsMixin
from tests.fakes.x_media import XMediaMixin
from tests.fakes.x_models import TWEPOCH_MS, Tweet, XCode, XMedia, XRefresh, XToken, XUser, problem
from tests.fakes.x_oauth import XOAuthMixin
from tests.fakes.x_tweets import XTweetsMixin

# (limit, window seconds) per user (or per app with "app:")
RATE_LIMITS: dict[str, tuple[int, float]] = {
    "tweets_create": (100, 900),
    "tweets_create_app": (10_000, 86400),
    "tweets_delete": (50, 900),
    "media_upload": (500, 900),
    "tweet_lookup": (900, 900),
    "tweets_lookup": (900, 900),  # GET /2/tweets?ids= (up to 100 per request)
    "user_tweets": (900, 900),
    "liking_users": (75, 900),
    "retweeted_by": (75, 900),
    "users_me": (75, 900),
}


@dataclass
class XConfig:
    client_id: str = "fake-x-client-id"
    client_secret: str | None = "fake-x-client-secret"  # None: a public client (no secret)
    redirect_uris: list[str] = field(default_factory=list)  # empty: any loopback URI
    code_ttl: float = 30  # "valid for 30 seconds"
    access_ttl: float = 7200  # two hours
    refresh_ttl: float = 180 * 86400  # (unconfirmed)
    text_max: int = 280  # weighted, networks.x measure; 25,000 for long posts (unconfirmed)
    photos_max: int = 4
    image_max_bytes: int = 5 * 1024 * 1024
    gif_max_bytes: int = 15 * 1024 * 1024
    image_formats: tuple[str, ...] = ("JPEG", "MPO", "PNG", "GIF", "WEBP")
    alt_text_max: int = 1000  # "Must be <= 1000 chars" (media/metadata/create)
    media_ttl: float = 86400  # expires_after_secs
    processing_polls: int = 2  # STATUS answers before "succeeded" (videos, GIFs)
    check_after_secs: int = 1
    duplicate_window: float | None = None  # None: any earlier live post (unconfirmed)
    non_public_days: int = 30  # non_public/organic metrics: own posts ≤ 30 days
    liking_users_cap: int = 100  # "only the 100 most recent" per post
    rate_limit_body: str = "problem"  # or "v1"
    rate_limits: dict[str, tuple[int, float]] = field(default_factory=lambda: dict(RATE_LIMITS))


class FakeX(XOAuthMixin, XMediaMixin, XTweetsMixin, XControlsMixin, FakeServer):
    name = "x"
    control_methods: ClassVar[tuple[str, ...]] = XControlsMixin.CONTROL_METHODS

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0, **options: Any
    ) -> None:
        self.config = XConfig(**options)
        self._make_budgets()
        super().__init__(host=host, port=port, latency=latency)
        self.reset_state()

    def _make_budgets(self) -> None:
        self.budgets = {
            name: RateBudget(limit, window)
            for name, (limit, window) in self.config.rate_limits.items()
        }

    def reset_state(self) -> None:
        self.users: dict[str, XUser] = {}
        self.tokens: dict[str, XToken] = {}
        self.refresh_tokens: dict[str, XRefresh] = {}
        self.codes: dict[str, XCode] = {}
        self.media: dict[str, XMedia] = {}
        self.tweets: dict[str, Tweet] = {}
        self.usage_capped = False
        self._seq = itertools.count(1)
        self._last_id = 0
        for budget in self.budgets.values():
            budget.reset()
        self.seed_default_accounts()

    def snowflake(self) -> str:
        candidate = (int(self.now() * 1000) - TWEPOCH_MS) << 22 | (next(self._seq) % 4096)
        self._last_id = max(candidate, self._last_id + 1)
        return str(self._last_id)

    def state(self) -> dict[str, Any]:
        return {
            "users": [vars(u) for u in self.users.values()],
            "media": [
                {k: v for k, v in vars(m).items() if k != "segments"} for m in self.media.values()
            ],
            "posts": self.x_posts(),
        }

    # -- network-specific answers ----------------------------------------------
    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        return problem(status, message)

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        state = BudgetState(limit=limit, remaining=0, reset_at=reset_at, window=900, allowed=False)
        return self.too_many(state)

    def unauthorized_response(self) -> FakeResponse:
        return problem(401, "Unauthorized")

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        return problem(404, "Sorry, that page does not exist.")

    @staticmethod
    def rate_headers(state: BudgetState) -> dict[str, str]:
        return {
            "x-rate-limit-limit": str(state.limit),
            "x-rate-limit-remaining": str(state.remaining),
            "x-rate-limit-reset": str(int(state.reset_at)),
        }

    def too_many(self, state: BudgetState) -> FakeResponse:
        headers = self.rate_headers(state)
        if self.config.rate_limit_body == "v1":
            return json_response(
                {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}, 429, headers
            )
        return problem(429, "Too Many Requests", headers=headers)

    def usage_capped_response(self) -> FakeResponse:
        return problem(
            429,
            "Usage cap exceeded: Monthly product cap",
            title="UsageCapExceeded",
            kind="usage-capped",
            period="Monthly",
            scope="Product",
        )

    def inject_problem(
        self,
        path: str,
        status: int,
        detail: str | None = None,
        *,
        kind: str | None = None,
        title: str | None = None,
        method: str | None = None,
        times: int | None = 1,
        regex: bool = False,
    ) -> Injection:
        """Answer a problem body (``status``, ``detail``, ``type`` from ``kind``)."""
        response = problem(status, detail, kind=kind, title=title)
        return self.inject(
            path, method=method, status=status, body=response.body, times=times, regex=regex
        )

    # -- authentication and rate limits ----------------------------------------
    def api(
        self,
        handler: Any,
        *,
        scopes: tuple[str, ...] = (),
        limits: tuple[str, ...] = (),
        capped: bool = True,
    ) -> Any:
        """Wrap a handler: bearer token, scopes, rate limits (headers on every answer)."""

        def wrapped(request: FakeRequest) -> FakeResponse:
            token = self.tokens.get(request.bearer or "")
            if token is None or token.revoked or self.now() >= token.expires_at:
                return problem(401, "Unauthorized")
            if any(s not in token.scopes for s in scopes):
                return problem(403, "Forbidden")
            if capped and self.usage_capped:
                return self.usage_capped_response()
            now = self.now()
            states = []
            for name in limits:
                key = self.config.client_id if name.endswith("_app") else token.user_id
                states.append(self.budgets[name].consume(key, now))
            state = tightest(states)
            if state is not None and not state.allowed:
                return self.too_many(state)
            response = handler(request, token)
            if state is not None:
                response.headers.update(self.rate_headers(state))
            return response

        return wrapped

    def setup_routes(self) -> None:
        add = self.router.add
        add("GET", r"/i/oauth2/authorize", self.authorize_page)
        add("POST", r"/i/oauth2/authorize", self.authorize_decision)
        add("POST", r"/2/oauth2/token", self.token)
        add("POST", r"/2/oauth2/revoke", self.revoke)
        add(
            "GET",
            r"/2/users/me",
            self.api(self.users_me, scopes=("users.read", "tweet.read"), limits=("users_me",)),
        )
        upload = dict(scopes=("media.write",), limits=("media_upload",))
        add("POST", r"/2/media/upload", self.api(self.media_upload, **upload))
        add("GET", r"/2/media/upload", self.api(self.media_status, **upload))
        add("POST", r"/2/media/upload/initialize", self.api(self.media_initialize, **upload))
        add("POST", r"/2/media/upload/(?P<id>\d+)/append", self.api(self.media_append, **upload))
        add(
            "POST", r"/2/media/upload/(?P<id>\d+)/finalize", self.api(self.media_finalize, **upload)
        )
        add("POST", r"/2/media/metadata", self.api(self.media_metadata, scopes=("media.write",)))
        add(
            "POST",
            r"/2/tweets",
            self.api(
                self.create_tweet,
                scopes=("tweet.read", "tweet.write", "users.read"),
                limits=("tweets_create", "tweets_create_app"),
            ),
        )
        add(
            "DELETE",
            r"/2/tweets/(?P<id>\d+)",
            self.api(
                self.delete_tweet,
                scopes=("tweet.read", "tweet.write", "users.read"),
                limits=("tweets_delete",),
            ),
        )
        add(
            "GET",
            r"/2/tweets",
            self.api(
                self.get_tweets, scopes=("tweet.read", "users.read"), limits=("tweets_lookup",)
            ),
        )
        add(
            "GET",
            r"/2/tweets/(?P<id>\d+)",
            self.api(self.get_tweet, scopes=("tweet.read", "users.read"), limits=("tweet_lookup",)),
        )
        add(
            "GET",
            r"/2/users/(?P<id>\d+)/tweets",
            self.api(
                self.user_tweets, scopes=("tweet.read", "users.read"), limits=("user_tweets",)
            ),
        )
        add(
            "GET",
            r"/2/tweets/(?P<id>\d+)/liking_users",
            self.api(
                self.liking_users,
                scopes=("tweet.read", "users.read", "like.read"),
                limits=("liking_users",),
            ),
        )
        add(
            "GET",
            r"/2/tweets/(?P<id>\d+)/retweeted_by",
            self.api(
                self.retweeted_by, scopes=("tweet.read", "users.read"), limits=("retweeted_by",)
            ),
        )

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--processing-polls", type=int, default=2)
        parser.add_argument("--rate-limit-body", default="problem", choices=("problem", "v1"))

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"processing_polls": args.processing_polls, "rate_limit_body": args.rate_limit_body}


__all__ = ["FakeX", "XCode", "XConfig", "XMedia", "XRefresh", "XToken", "XUser"]

if __name__ == "__main__":
    FakeX.main()
