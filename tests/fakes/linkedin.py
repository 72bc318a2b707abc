"""A fake LinkedIn for tests (organization pages, Posts API): ``FakeLinkedIn``,
or ``python -m tests.fakes.linkedin``.

One server stands for ``www.linkedin.com`` (``/oauth/v2/authorization``,
``/oauth/v2/accessToken``) and ``api.linkedin.com`` (``/v2/userinfo``,
``/rest/...``); image upload URLs point back at it (``/dms-uploads/...``).

Sources (learn.microsoft.com/linkedin unless noted):
- ``shared/authentication/authorization-code-flow``: authorization page,
  ``accessToken`` answers ``{"access_token", "expires_in": 5184000 (60
  days), "scope"}``; ``shared/authentication/programmatic-refresh-tokens``:
  approved partners also get ``refresh_token`` and
  ``refresh_token_expires_in`` (365 days, not extended when used);
  ``partner_refresh_tokens`` turns that on.
- ``marketing/versioning``: every ``/rest`` call needs ``LinkedIn-Version:
  YYYYMM`` (versions live about a year; an inactive one answers 426
  NONEXISTENT_VERSION) and ``X-Restli-Protocol-Version: 2.0.0``. A missing
  version header answers 400 (wording unconfirmed); refusing a missing
  protocol header is ``require_restli_2`` (LinkedIn's own client says 1.0.0
  is deprecated; what the server does without it is unconfirmed).
- ``shared/api-guide/concepts/rate-limits``: per-day application and member
  quotas reset at midnight UTC, 429 when exceeded, no rate-limit headers;
  the quotas are not published (``app_daily_limit``, ``member_daily_limit``).
- ``shared/authentication/token-revocation`` (wording unconfirmed): ``POST
  /oauth/v2/revoke`` form ``client_id, client_secret, token`` → 200, empty
  body; the access token stops working at once.
- Handlers: ``linkedin_oauth.py`` (OAuth, userinfo), ``linkedin_content.py``
  (organizations, images, posts), ``linkedin_stats.py`` (statistics, social
  actions, reactions), ``linkedin_controls.py`` (test helpers).
"""

from __future__ import annotations

import argparse
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tests.fakes.base import FakeServer
from tests.fakes.faults import Injection, RateBudget
from tests.fakes.linkedin_content import LinkedInContentMixin
from tests.fakes.linkedin_controls import LinkedInControlsMixin
from tests.fakes.linkedin_models import (
    LiCode,
    LiImage,
    LiPost,
    LiToken,
    Member,
    Organization,
    RefreshToken,
    li_error,
)
from tests.fakes.linkedin_oauth import LinkedInOAuthMixin
from tests.fakes.linkedin_stats import LinkedInStatsMixin
from tests.fakes.web import FakeRequest, FakeResponse

VERSION_RE = re.compile(r"^(\d{6})(\d{2})?(?:\.\d+)?$")


@dataclass
class LinkedInConfig:
    """Behaviours a test may change; values no document confirmed say so."""

    client_id: str = "fake-linkedin-client-id"
    client_secret: str = "fake-linkedin-client-secret"
    redirect_uris: list[str] = field(default_factory=list)  # empty: any loopback URI
    code_ttl: float = 1800  # "The authorization code is only valid for 30 minutes"
    access_ttl: float = 5_184_000  # 60 days
    partner_refresh_tokens: bool = False
    refresh_ttl: float = 31_536_000  # 365 days
    require_version: bool = True
    oldest_version: str = "202510"  # active window of LinkedIn-Version (about a year)
    newest_version: str = "202611"
    require_restli_2: bool = True  # (unconfirmed)
    app_daily_limit: int = 100_000  # unpublished (unconfirmed)
    member_daily_limit: int = 500  # unpublished (unconfirmed)
    post_urn_kind: str = "share"  # new posts: urn:li:share:… or urn:li:ugcPost:…
    commentary_max: int = 3000  # Postiz; LinkedIn does not document it (unconfirmed)
    multi_image_min: int = 2
    multi_image_max: int = 20
    image_formats: tuple[str, ...] = ("JPEG", "MPO", "PNG", "GIF")
    image_max_pixels: int = 36_152_319  # "fewer than 36,152,320 pixels" (Ayrshare)
    image_max_bytes: int = 8_000_000  # 5 or 8 MB by source (unconfirmed)
    image_processing_polls: int = 1  # PROCESSING answers after the upload, then AVAILABLE
    upload_url_ttl: float = 3600
    duplicate_window: float | None = None  # seconds; None: any earlier post (unconfirmed)


class FakeLinkedIn(
    LinkedInOAuthMixin,
    LinkedInContentMixin,
    LinkedInStatsMixin,
    LinkedInControlsMixin,
    FakeServer,
):
    name = "linkedin"
    control_methods: ClassVar[tuple[str, ...]] = LinkedInControlsMixin.CONTROL_METHODS

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0, **options: Any
    ) -> None:
        self.config = LinkedInConfig(**options)
        self._make_budgets()
        super().__init__(host=host, port=port, latency=latency)
        self.reset_state()

    def _make_budgets(self) -> None:
        self.app_budget = RateBudget(self.config.app_daily_limit, 86400, aligned=True)
        self.member_budget = RateBudget(self.config.member_daily_limit, 86400, aligned=True)

    def reset_state(self) -> None:
        self.members: dict[str, Member] = {}
        self.organizations: dict[str, Organization] = {}
        self.tokens: dict[str, LiToken] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.codes: dict[str, LiCode] = {}
        self.images: dict[str, LiImage] = {}
        self.posts: dict[str, LiPost] = {}
        self._seq = itertools.count(1)
        self.app_budget.reset()
        self.member_budget.reset()
        self.seed_default_accounts()

    def new_number(self, base: int) -> int:
        return base + next(self._seq)

    def state(self) -> dict[str, Any]:
        return {
            "members": [vars(m) for m in self.members.values()],
            "organizations": [vars(o) for o in self.organizations.values()],
            "images": [
                {k: v for k, v in vars(i).items() if k != "data"} for i in self.images.values()
            ],
            "posts": self.li_posts(),
        }

    # -- network-specific answers ----------------------------------------------
    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        if status >= 500:
            return li_error("server_error")
        response = li_error("bad_request", detail=message or "Bad Request")
        response.status = status
        response.body["status"] = status
        return response

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        return li_error("throttled", scope="APPLICATION")  # no headers: none are documented

    def unauthorized_response(self) -> FakeResponse:
        return li_error("revoked_token")

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        return li_error("not_found", detail=request.path)

    def inject_li_error(
        self,
        path: str,
        name: str,
        *,
        method: str | None = None,
        times: int | None = 1,
        regex: bool = False,
        **fmt: Any,
    ) -> Injection:
        """Answer error ``name`` of ``LI_ERRORS`` (``expired_token``, ``duplicate``…)."""
        defaults = {"urn": "urn:li:share:7000000000000000001", "detail": "Injected"}
        defaults |= {"version": "20240101", "resource": "partnerApiPostsExternal.CREATE"}
        defaults |= {"scope": "APPLICATION"}
        response = li_error(name, **(defaults | fmt))
        return self.inject(
            path,
            method=method,
            status=response.status,
            body=response.body,
            headers=response.headers,
            times=times,
            regex=regex,
        )

    # -- authentication, versions, quotas --------------------------------------
    def authenticate(self, request: FakeRequest) -> LiToken | FakeResponse:
        token = self.tokens.get(request.bearer or request.arg("oauth2_access_token") or "")
        if token is None:
            return li_error("invalid_token")
        if token.revoked:
            return li_error("revoked_token")
        if self.now() >= token.expires_at:
            return li_error("expired_token")
        return token

    def check_version(self, request: FakeRequest) -> FakeResponse | None:
        if not self.config.require_version:
            return None
        raw = request.header("linkedin-version").strip()
        if not raw:
            return li_error("version_missing")
        found = VERSION_RE.match(raw)
        month = found.group(1) if found else ""
        echoed = f"{month}{found.group(2) or '01'}" if found else raw
        if not (self.config.oldest_version <= month <= self.config.newest_version):
            return li_error("version_inactive", version=echoed)
        if self.config.require_restli_2 and request.header("x-restli-protocol-version") != "2.0.0":
            return li_error("protocol_missing")
        return None

    def api(self, handler: Any, *, rest: bool = True, scopes: tuple[str, ...] = ()) -> Any:
        """Wrap a handler: token, version headers (``rest``), scopes, daily quotas."""

        def wrapped(request: FakeRequest) -> FakeResponse:
            token = self.authenticate(request)
            if isinstance(token, FakeResponse):
                return token
            if rest:
                problem = self.check_version(request)
                if problem:
                    return problem
            if scopes and not any(s in token.scopes for s in scopes):
                return li_error("access_denied", resource=request.path)
            now = self.now()
            if not self.app_budget.consume(self.config.client_id, now).allowed:
                return li_error("throttled", scope="APPLICATION")
            if not self.member_budget.consume(token.member_id, now).allowed:
                return li_error("throttled", scope="MEMBER")
            return handler(request, token)

        return wrapped

    # -- routes ----------------------------------------------------------------
    def setup_routes(self) -> None:
        add = self.router.add
        add("GET", r"/oauth/v2/authorization", self.authorization_page)
        add("POST", r"/oauth/v2/authorization", self.authorization_decision)
        add("POST", r"/oauth/v2/accessToken", self.access_token)
        add("POST", r"/oauth/v2/revoke", self.revoke)
        add("GET", r"/v2/userinfo", self.api(self.userinfo, rest=False, scopes=("openid",)))
        add("GET", r"/v2/me", self.api(self.me, rest=False, scopes=("profile", "r_liteprofile")))
        add(
            "GET",
            r"/rest/organizationAcls",
            self.api(
                self.organization_acls, scopes=("rw_organization_admin", "r_organization_admin")
            ),
        )
        add("GET", r"/rest/organizations/(?P<id>\d+)", self.api(self.get_organization))
        add(
            "POST",
            r"/rest/images",
            self.api(self.initialize_upload, scopes=("w_organization_social", "w_member_social")),
        )
        add("PUT", r"/dms-uploads/(?P<key>[A-Za-z0-9]+)", self.upload_image)
        add("GET", r"/rest/images/(?P<urn>[^/]+)", self.api(self.get_image))
        add(
            "POST",
            r"/rest/posts",
            self.api(self.create_post, scopes=("w_organization_social", "w_member_social")),
        )
        add(
            "GET",
            r"/rest/posts",
            self.api(self.find_posts, scopes=("r_organization_social", "r_member_social")),
        )
        add(
            "GET",
            r"/rest/posts/(?P<urn>[^/]+)",
            self.api(self.get_post, scopes=("r_organization_social", "r_member_social")),
        )
        add(
            "DELETE",
            r"/rest/posts/(?P<urn>[^/]+)",
            self.api(self.delete_post, scopes=("w_organization_social", "w_member_social")),
        )
        add(
            "GET",
            r"/rest/organizationalEntityShareStatistics",
            self.api(
                self.share_statistics, scopes=("rw_organization_admin", "r_organization_admin")
            ),
        )
        add(
            "GET",
            r"/rest/socialActions/(?P<urn>[^/]+)",
            self.api(self.social_actions, scopes=("r_organization_social", "r_member_social")),
        )
        add(
            "GET",
            r"/rest/reactions/(?P<key>[^/]+)",
            self.api(
                self.list_reactions,
                scopes=("r_organization_social", "r_organization_social_feed", "r_member_social"),
            ),
        )

    # -- command line ----------------------------------------------------------
    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--partner-refresh-tokens", action="store_true")
        parser.add_argument("--image-processing-polls", type=int, default=1)

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "partner_refresh_tokens": args.partner_refresh_tokens,
            "image_processing_polls": args.image_processing_polls,
        }


__all__ = ["FakeLinkedIn", "LiCode", "LiImage", "LiPost", "LinkedInConfig"]

if __name__ == "__main__":
    FakeLinkedIn.main()
