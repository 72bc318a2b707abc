"""A fake Google Business Profile for tests: ``FakeGoogleBusiness``, or
``python -m tests.fakes.google_business``.

One server stands for ``accounts.google.com`` (``/o/oauth2/v2/auth``),
``oauth2.googleapis.com`` (``/token``, ``/revoke``),
``mybusinessaccountmanagement.googleapis.com`` (``/v1/accounts``),
``mybusinessbusinessinformation.googleapis.com`` (``/v1/accounts/{a}/locations``),
``mybusiness.googleapis.com`` (``/v4/.../localPosts``) and
``businessprofileperformance.googleapis.com``
(``/v1/locations/{l}:fetchMultiDailyMetricsTimeSeries``).

Sources (developers.google.com): ``identity/protocols/oauth2/web-server``
(``google_oauth.py``); ``my-business/reference/accountmanagement/rest/v1/
accounts/list``, ``.../businessinformation/rest/v1/accounts.locations/list``
(``readMask`` required), ``my-business/content/posts-data`` and
``my-business/reference/rest/v4/accounts.locations.localPosts``
(``google_posts.py``); ``my-business/content/limits``: 300 queries per
minute per project by default (``qpm``), answered past the budget with 429
``RESOURCE_EXHAUSTED`` and a ``RATE_LIMIT_EXCEEDED`` ErrorInfo; an
unauthenticated call 401 ``UNAUTHENTICATED``; a token without the
``business.manage`` scope or a location of someone else 403
``PERMISSION_DENIED``.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tests.fakes.base import FakeServer
from tests.fakes.faults import Injection, RateBudget
from tests.fakes.google_controls import GoogleControlsMixin
from tests.fakes.google_locations import GoogleLocationsMixin
from tests.fakes.google_models import (
    MISSING_CREDENTIALS,
    UNAUTHENTICATED,
    GbpAccount,
    GbpLocation,
    GCode,
    GoogleUser,
    GRefresh,
    GToken,
    LocalPost,
    error_info,
    google_error,
    not_found,
)
from tests.fakes.google_oauth import GoogleOAuthMixin
from tests.fakes.google_posts import GooglePostsMixin
from tests.fakes.web import FakeRequest, FakeResponse

SCOPE = "https://www.googleapis.com/auth/business.manage"
ACCOUNTS = r"/v4/accounts/(?P<account>\d+)/locations/(?P<location>\d+)/localPosts"


@dataclass
class GoogleConfig:
    client_id: str = "fake-client.apps.googleusercontent.com"
    client_secret: str = "fake-google-client-secret"
    redirect_uris: list[str] = field(default_factory=list)  # empty: any loopback URI
    code_ttl: float = 600  # (unconfirmed)
    access_ttl: float = 3599  # "expires_in": 3599 in Google's examples
    # Refresh tokens last until revoked; apps in "Testing" get 7 days: 604800.
    refresh_ttl: float | None = None
    qpm: int = 300  # queries per minute per project
    summary_max: int = 1500
    event_title_max: int = 58  # (third-party: PostSyncer)
    offer_coupon_max: int = 58  # (unconfirmed)
    offer_terms_max: int = 5000  # (unconfirmed)
    max_media: int = 1  # photos per post (third-party: Late; unconfirmed)
    media_formats: tuple[str, ...] = ("JPEG", "MPO", "PNG")  # "JPG and PNG" (Ayrshare)
    media_min_bytes: int = 10_240  # "between 10 KB and 5 MB"
    media_max_bytes: int = 5 * 1024 * 1024
    media_min_side: int = 250  # "minimum 250 × 250 px"
    post_processing_polls: int = 0  # PROCESSING answers before LIVE (unconfirmed)
    reject_phone_numbers: bool = True  # Google rejects posts with phone numbers (Ayrshare)
    # accounts.locations.localPosts.reportInsights is deprecated in favour of the
    # Performance API, which has no per-post metrics; "retired" answers 404.
    post_insights: str = "available"


class FakeGoogleBusiness(
    GoogleOAuthMixin, GoogleLocationsMixin, GooglePostsMixin, GoogleControlsMixin, FakeServer
):
    name = "google_business"
    control_methods: ClassVar[tuple[str, ...]] = GoogleControlsMixin.CONTROL_METHODS

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0, **options: Any
    ) -> None:
        self.config = GoogleConfig(**options)
        self.budget = RateBudget(self.config.qpm, 60, aligned=True)
        super().__init__(host=host, port=port, latency=latency)
        self.reset_state()

    def reset_state(self) -> None:
        self.users: dict[str, GoogleUser] = {}
        self.accounts: dict[str, GbpAccount] = {}
        self.locations: dict[str, GbpLocation] = {}
        self.tokens: dict[str, GToken] = {}
        self.refresh_tokens: dict[str, GRefresh] = {}
        self.codes: dict[str, GCode] = {}
        self.granted: set[tuple[str, str]] = set()  # (user id, scope) consented once
        self.local_posts: dict[str, LocalPost] = {}
        self.daily_metrics: dict[str, dict[str, int]] = {}
        self.daily_values: dict[tuple[str, str], dict[str, int]] = {}  # (location, day)
        self._seq = itertools.count(1)
        self.budget.reset()
        self.seed_default_accounts()

    def new_id(self, base: int) -> str:
        return str(base + next(self._seq))

    def state(self) -> dict[str, Any]:
        return {
            "accounts": [vars(a) for a in self.accounts.values()],
            "locations": [vars(loc) for loc in self.locations.values()],
            "posts": self.gbp_posts(),
        }

    # -- network-specific answers ----------------------------------------------
    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        statuses = {
            400: "INVALID_ARGUMENT",
            401: "UNAUTHENTICATED",
            403: "PERMISSION_DENIED",
            404: "NOT_FOUND",
            409: "ALREADY_EXISTS",
            429: "RESOURCE_EXHAUSTED",
            500: "INTERNAL",
            503: "UNAVAILABLE",
            504: "DEADLINE_EXCEEDED",
        }
        texts = {
            500: "Internal error encountered.",
            503: "The service is currently unavailable.",
            504: "Deadline exceeded.",
        }
        text = message or texts.get(status, "Request failed.")
        return google_error(status, statuses.get(status, "UNKNOWN"), text)

    def quota_response(self) -> FakeResponse:
        return google_error(
            429,
            "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of "
            "service 'mybusiness.googleapis.com' for consumer 'project_number:123456789012'.",
            [
                error_info(
                    "RATE_LIMIT_EXCEEDED",
                    "mybusiness.googleapis.com",
                    quota_metric="mybusiness.googleapis.com/default_requests",
                    quota_limit="DefaultRequestsPerMinutePerProject",
                    quota_limit_value=str(self.config.qpm),
                    consumer="projects/123456789012",
                )
            ],
        )

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        return self.quota_response()

    def unauthorized_response(self) -> FakeResponse:
        return google_error(
            401,
            "UNAUTHENTICATED",
            UNAUTHENTICATED,
            [error_info("ACCESS_TOKEN_EXPIRED", "mybusiness.googleapis.com")],
        )

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        return not_found()

    def inject_google_error(
        self,
        path: str,
        status: int,
        message: str | None = None,
        *,
        method: str | None = None,
        times: int | None = 1,
        regex: bool = False,
    ) -> Injection:
        """Answer Google's error body for ``status`` (429 with its quota details)."""
        response = self.quota_response() if status == 429 else self.error_response(status, message)
        return self.inject(
            path, method=method, status=status, body=response.body, times=times, regex=regex
        )

    # -- authentication and quota ----------------------------------------------
    def api(self, handler: Any, service: str = "mybusiness.googleapis.com") -> Any:
        def wrapped(request: FakeRequest) -> FakeResponse:
            value = request.bearer or request.arg("access_token")
            if not value:
                return google_error(
                    401,
                    "UNAUTHENTICATED",
                    MISSING_CREDENTIALS,
                    [error_info("CREDENTIALS_MISSING", service)],
                )
            token = self.tokens.get(value)
            if token is None or token.revoked or self.now() >= token.expires_at:
                reason = (
                    "ACCESS_TOKEN_EXPIRED" if token is not None else "ACCESS_TOKEN_TYPE_UNSUPPORTED"
                )
                return google_error(
                    401, "UNAUTHENTICATED", UNAUTHENTICATED, [error_info(reason, service)]
                )
            if (
                SCOPE not in token.scopes
                and "https://www.googleapis.com/auth/plus.business.manage" not in token.scopes
            ):
                return google_error(
                    403,
                    "PERMISSION_DENIED",
                    "Request had insufficient authentication scopes.",
                    [error_info("ACCESS_TOKEN_SCOPE_INSUFFICIENT", service)],
                )
            if not self.budget.consume("project", self.now()).allowed:
                return self.quota_response()
            return handler(request, token)

        return wrapped

    def setup_routes(self) -> None:
        add = self.router.add
        add("GET", r"/o/oauth2/v2/auth", self.consent_page)
        add("POST", r"/o/oauth2/v2/auth", self.consent_decision)
        add("POST", r"/token", self.token)
        add("POST", r"/revoke", self.revoke)
        add(
            "GET",
            r"/v1/accounts",
            self.api(self.list_accounts, "mybusinessaccountmanagement.googleapis.com"),
        )
        info = "mybusinessbusinessinformation.googleapis.com"
        add("GET", r"/v1/accounts/(?P<account>\d+)/locations", self.api(self.list_locations, info))
        add("GET", r"/v1/locations/(?P<location>\d+)", self.api(self.get_location, info))
        add(
            "GET",
            r"/v1/locations/(?P<location>\d+):fetchMultiDailyMetricsTimeSeries",
            self.api(self.fetch_daily_metrics, "businessprofileperformance.googleapis.com"),
        )
        add("POST", ACCOUNTS, self.api(self.create_local_post))
        add("GET", ACCOUNTS, self.api(self.list_local_posts))
        add("POST", ACCOUNTS + r":reportInsights", self.api(self.report_insights))
        add("GET", ACCOUNTS + r"/(?P<post>\d+)", self.api(self.get_local_post))
        add("DELETE", ACCOUNTS + r"/(?P<post>\d+)", self.api(self.delete_local_post))

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--post-insights", default="available", choices=("available", "retired")
        )

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"post_insights": args.post_insights}


__all__ = ["FakeGoogleBusiness", "GoogleConfig"]

if __name__ == "__main__":
    FakeGoogleBusiness.main()
