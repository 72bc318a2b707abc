"""A fake Bluesky PDS (plus the AppView reads Annexe needs) for tests.

Run in-process (``with FakeBluesky() as fake:``) or as
``python -m tests.fakes.bluesky --port N``. XRPC errors have the shape
``{"error": "<Name>", "message": "<text>"}`` (atproto ``xrpc-server``).

Behaviours and their sources:
- sessions: ``bluesky_session.py``; repository endpoints (uploadBlob,
  createRecord, getRecord, listRecords, deleteRecord): ``bluesky_repo.py``;
  record validation: ``bluesky_records.py``; identity and AppView reads:
  ``bluesky_feed.py``; test helpers: ``bluesky_controls.py``.
- Rate limits (``xrpc-server/src/rate-limiter.ts``, PDS ``rate-limits``):
  headers ``RateLimit-Limit``, ``-Remaining``, ``-Reset`` (epoch seconds),
  ``-Policy`` (``<limit>;w=<seconds>``) from the tightest limiter;
  ``429 RateLimitExceeded "Rate Limit Exceeded"``. Budgets: 3,000 requests per
  5 min per IP; createSession 30 per 5 min and 300 per day per identifier;
  repo writes 5,000 points per hour and 35,000 per day per DID (create 3,
  delete 1).
"""

from __future__ import annotations

import argparse
import itertools
import secrets
from typing import Any, ClassVar

from tests.fakes.base import FakeServer
from tests.fakes.bluesky_controls import BlueskyControlsMixin
from tests.fakes.bluesky_feed import BlueskyFeedMixin
from tests.fakes.bluesky_models import Actor, Blob, BlueskyAccount, StoredRecord, rate_headers
from tests.fakes.bluesky_repo import BlueskyRepoMixin
from tests.fakes.bluesky_session import (
    ACCESS_SCOPE,
    REFRESH_SCOPE,
    BlueskySessionMixin,
    Credentials,
    xrpc_error,
)
from tests.fakes.faults import BudgetState, RateBudget, tightest
from tests.fakes.web import FakeRequest, FakeResponse

__all__ = ["Actor", "BlueskyAccount", "FakeBluesky", "StoredRecord"]


class FakeBluesky(
    BlueskySessionMixin, BlueskyFeedMixin, BlueskyRepoMixin, BlueskyControlsMixin, FakeServer
):
    name = "bluesky"
    control_methods: ClassVar[tuple[str, ...]] = (
        "add_account",
        "add_actor",
        "add_like",
        "add_repost",
        "set_counts",
        "delete_post",
        "expire_access_tokens",
        "revoke_refresh_tokens",
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
        handle: str = "mediatheque.bsky.social",
        app_password: str = "abcd-efgh-ijkl-mnop",
        access_ttl: float = 7200,
        refresh_ttl: float = 90 * 86400,
        refresh_grace: float = 7200,
        blob_limit: int = 2_000_000,
        image_max_size: int = 2_000_000,
        strict_facets: bool = True,
        enforce_tid_rkeys: bool = True,
        duplicate_rkey: tuple[int, str, str] = (
            500,
            "InternalServerError",
            "Internal Server Error",
        ),
        global_rate_limit: int = 3000,
        session_rate_limit: int = 30,
        session_daily_limit: int = 300,
        write_points_per_hour: int = 5000,
        write_points_per_day: int = 35000,
        pds_url: str | None = None,
    ) -> None:
        self.default_handle = handle
        self.default_password = app_password
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.refresh_grace = refresh_grace
        self.blob_limit = blob_limit
        self.image_max_size = image_max_size
        self.strict_facets = strict_facets
        self.enforce_tid_rkeys = enforce_tid_rkeys
        self.duplicate_rkey = tuple(duplicate_rkey)
        self._pds_url = pds_url
        self.jwt_secret = secrets.token_bytes(32)
        self.global_budget = RateBudget(global_rate_limit, 300)
        self.session_budget = RateBudget(session_rate_limit, 300)
        self.session_daily_budget = RateBudget(session_daily_limit, 86400)
        self.write_budget = RateBudget(write_points_per_hour, 3600)
        self.write_daily_budget = RateBudget(write_points_per_day, 86400)
        super().__init__(host=host, port=port, latency=latency)
        self.reset_state()

    # -- state -----------------------------------------------------------------
    def reset_state(self) -> None:
        self._session_reset()
        self.accounts_by_did: dict[str, BlueskyAccount] = {}
        self.accounts_by_handle: dict[str, BlueskyAccount] = {}
        self.actors: dict[str, Actor] = {}
        self.blobs: dict[tuple[str, str], Blob] = {}
        self.records: dict[tuple[str, str, str], StoredRecord] = {}
        self.created: list[StoredRecord] = []
        self.counts: dict[str, dict[str, int]] = {}
        self.likes: dict[str, list[tuple[int, str, str]]] = {}
        self.reposts: dict[str, list[tuple[int, str, str]]] = {}
        self._seq = itertools.count(1)
        self._last_tid_us = 0
        for budget in (
            self.global_budget,
            self.session_budget,
            self.session_daily_budget,
            self.write_budget,
            self.write_daily_budget,
        ):
            budget.reset()
        self.add_account(self.default_handle, self.default_password)

    @property
    def pds_url(self) -> str:
        return self._pds_url or self.url

    @property
    def plc_url(self) -> str:
        return f"{self.url}/plc"

    @property
    def service_did(self) -> str:
        return f"did:web:{self.host}"

    @property
    def did(self) -> str:
        """The DID of the default account."""
        return self.accounts_by_handle[self.default_handle].did

    def state(self) -> dict[str, Any]:
        return {
            "accounts": [{"did": a.did, "handle": a.handle} for a in self.accounts_by_did.values()],
            "blobs": [vars(b) for b in self.blobs.values()],
            "posts": self.posts(include_deleted=True),
            "counts": self.counts,
        }

    @staticmethod
    def empty_counts() -> dict[str, int]:
        return {
            "replyCount": 0,
            "repostCount": 0,
            "likeCount": 0,
            "quoteCount": 0,
            "bookmarkCount": 0,
        }

    def find_account(self, identifier: str) -> BlueskyAccount | None:
        identifier = identifier.lower()
        if identifier in self.accounts_by_did:
            return self.accounts_by_did[identifier]
        if identifier in self.accounts_by_handle:
            return self.accounts_by_handle[identifier]
        return next(
            (a for a in self.accounts_by_did.values() if a.email.lower() == identifier), None
        )

    def actor(self, did: str) -> Actor:
        return self.actors.get(did) or Actor(did=did, handle="handle.invalid")

    def record_by_uri(self, uri: str) -> StoredRecord | None:
        parts = uri.removeprefix("at://").split("/")
        if len(parts) != 3:
            return None
        account = self.find_account(parts[0])
        did = account.did if account else parts[0]
        return self.records.get((did, parts[1], parts[2]))

    # -- network-specific answers ----------------------------------------------
    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        names = {
            400: "InvalidRequest",
            401: "AuthenticationRequired",
            403: "Forbidden",
            404: "XRPCNotSupported",
            413: "PayloadTooLarge",
            429: "RateLimitExceeded",
            500: "InternalServerError",
            501: "MethodNotImplemented",
            502: "UpstreamFailure",
            503: "NotEnoughResources",
            504: "UpstreamTimeout",
        }
        texts = {
            500: "Internal Server Error",
            502: "Upstream Failure",
            503: "Not Enough Resources",
            504: "Upstream Timeout",
            429: "Rate Limit Exceeded",
            401: "Authentication Required",
        }
        return xrpc_error(
            status, names.get(status, "InternalServerError"), message or texts.get(status, "Error")
        )

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        state = BudgetState(limit=limit, remaining=0, reset_at=reset_at, window=3600, allowed=False)
        response = xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded")
        response.headers.update(rate_headers(state))
        return response

    def unauthorized_response(self) -> FakeResponse:
        return xrpc_error(400, "ExpiredToken", "Token has expired")

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        if request.path.startswith("/xrpc/"):
            return xrpc_error(501, "MethodNotImplemented", "Method Not Implemented")
        return FakeResponse(404, "Not Found", content_type="text/plain")

    def method_not_allowed_response(self, request: FakeRequest) -> FakeResponse:
        expected = "GET" if request.method == "POST" else "POST"
        return xrpc_error(
            400, "InvalidRequest", f"Incorrect HTTP method ({request.method}) expected {expected}"
        )

    # -- auth + rate limits wrapper --------------------------------------------
    def xrpc(self, handler: Any, *, auth: str | None = None, limits: Any = None) -> Any:
        """``auth``: ``access``, ``refresh``, ``optional`` or None; ``limits(request, creds)``
        returns extra (budget, key, points) triples."""

        def wrapped(request: FakeRequest) -> FakeResponse:
            creds: Credentials | None = None
            if auth in ("access", "refresh") or (auth == "optional" and request.bearer):
                checked = self.verify(
                    request, scope=REFRESH_SCOPE if auth == "refresh" else ACCESS_SCOPE
                )
                if isinstance(checked, FakeResponse):
                    return checked
                creds = checked
            now = self.now()
            states = [self.global_budget.consume(request.client_ip, now)]
            for budget, key, points in limits(request, creds) if limits else []:
                states.append(budget.consume(key, now, points))
            state = tightest(states)
            if state is not None and not state.allowed:
                response = xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded")
            else:
                response = handler(request, creds) if auth is not None else handler(request)
            if state is not None:
                response.headers.update(rate_headers(state))
            return response

        return wrapped

    def _session_limits(
        self, request: FakeRequest, creds: Any
    ) -> list[tuple[RateBudget, str, int]]:
        body = request.json if isinstance(request.json, dict) else {}
        key = f"{str(body.get('identifier', '')).lower()}-{request.client_ip}"
        return [(self.session_budget, key, 1), (self.session_daily_budget, key, 1)]

    def _write_limits(self, points: int) -> Any:
        def limits(request: FakeRequest, creds: Credentials) -> list[tuple[RateBudget, str, int]]:
            return [
                (self.write_budget, creds.did, points),
                (self.write_daily_budget, creds.did, points),
            ]

        return limits

    def setup_routes(self) -> None:
        def x(nsid: str) -> str:
            return "/xrpc/" + nsid.replace(".", r"\.")

        add = self.router.add
        add(
            "POST",
            x("com.atproto.server.createSession"),
            self.xrpc(self.create_session, limits=self._session_limits),
        )
        add(
            "POST",
            x("com.atproto.server.refreshSession"),
            self.xrpc(self.refresh_session, auth="refresh"),
        )
        add("GET", x("com.atproto.server.getSession"), self.xrpc(self.get_session, auth="access"))
        add(
            "POST",
            x("com.atproto.server.deleteSession"),
            self.xrpc(self.delete_session, auth="refresh"),
        )
        add("GET", x("com.atproto.server.describeServer"), self.xrpc(self.describe_server))
        add("GET", x("com.atproto.identity.resolveHandle"), self.xrpc(self.resolve_handle))
        add("POST", x("com.atproto.repo.uploadBlob"), self.xrpc(self.upload_blob, auth="access"))
        add(
            "POST",
            x("com.atproto.repo.createRecord"),
            self.xrpc(self.create_record, auth="access", limits=self._write_limits(3)),
        )
        add(
            "POST",
            x("com.atproto.repo.deleteRecord"),
            self.xrpc(self.delete_record, auth="access", limits=self._write_limits(1)),
        )
        add("GET", x("com.atproto.repo.getRecord"), self.xrpc(self.get_record))
        add("GET", x("com.atproto.repo.listRecords"), self.xrpc(self.list_records))
        add("GET", x("app.bsky.feed.getPosts"), self.xrpc(self.get_posts, auth="optional"))
        add("GET", x("app.bsky.feed.getLikes"), self.xrpc(self.get_likes, auth="optional"))
        add(
            "GET",
            x("app.bsky.feed.getRepostedBy"),
            self.xrpc(self.get_reposted_by, auth="optional"),
        )
        add("GET", r"/plc/(?P<did>did:[a-z]+:[A-Za-z0-9._:%-]+)", self.plc_document)
        add("GET", r"/\.well-known/atproto-did", self.well_known_did)

    # -- command line ----------------------------------------------------------
    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--handle", default="mediatheque.bsky.social")
        parser.add_argument("--app-password", default="abcd-efgh-ijkl-mnop")
        parser.add_argument("--access-ttl", type=float, default=7200)
        parser.add_argument("--write-points-per-hour", type=int, default=5000)
        parser.add_argument("--session-rate-limit", type=int, default=30)

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "handle": args.handle,
            "app_password": args.app_password,
            "access_ttl": args.access_ttl,
            "write_points_per_hour": args.write_points_per_hour,
            "session_rate_limit": args.session_rate_limit,
        }


if __name__ == "__main__":
    FakeBluesky.main()
