"""A fake Bluesky PDS (plus the AppView reads Annexe needs) for tests.

Run in-process (``with FakeBluesky() as fake:``) or as
``python -m tests.fakes.bluesky --port N``. XRPC errors have the shape
``{"error": "<Name>", "message": "<text>"}`` (atproto ``xrpc-server``).

Behaviours and their sources:
- sessions: ``bluesky_session.py``; identity and AppView reads: ``bluesky_feed.py``;
  record validation: ``bluesky_records.py``.
- ``com.atproto.repo.uploadBlob`` (lexicon ``uploadBlob.json``): raw body, the
  ``Content-Type`` is the blob's mimeType; answers
  ``{"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType", "size"}}``; a
  body over ``blob_limit`` (default 2,000,000 bytes) is ``413 PayloadTooLarge
  "request entity too large"`` (bluesky-social/pds issues #90, #217).
- ``createRecord`` (lexicon; PDS ``api/com/atproto/repo/createRecord.ts``):
  ``{uri, cid, commit: {cid, rev}, validationStatus}``; a referenced blob that
  this account did not upload is ``400 BlobNotFound "Could not find blob: <cid>"``
  (PDS ``actor-store/blob/transactor.ts``); an image over ``image_max_size`` is
  ``400 BlobTooLarge`` (message unconfirmed). Creating a repost (or like) of a
  subject already reposted deletes the earlier one (``getBacklinkDeletions``).
- A second create with the same ``rkey``: today's reference PDS fails inside
  the repository tree ("There is already a value at key") and answers
  ``500 {"error": "InternalServerError", "message": "Internal Server Error"}``
  (atproto issue #3718, indigo issue #873). atproto PR #4728 (open in March
  2026) adds an explicit error whose name and status are unconfirmed: set
  ``duplicate_rkey=(409, "RecordAlreadyExists", "…")`` to try a client against
  that variant. ``app.bsky.feed.post`` keys must be TIDs (lexicon ``"key": "tid"``;
  refusal message unconfirmed), unless ``enforce_tid_rkeys=False``.
- ``getRecord``: ``400 RecordNotFound "Could not locate record: <uri>"``
  (PDS ``getRecord.ts``); public. ``deleteRecord``: a no-op ``{}`` when the
  record does not exist (PDS ``deleteRecord.ts``).
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from tests.fakes.atproto_ids import blob_cid, did_for, is_record_key, is_tid, make_tid, record_cid
from tests.fakes.base import FakeServer
from tests.fakes.bluesky_feed import BlueskyFeedMixin
from tests.fakes.bluesky_records import LIKE, POST, REPOST, RecordError, validate
from tests.fakes.bluesky_session import ACCESS_SCOPE, REFRESH_SCOPE, BlueskySessionMixin, Credentials, xrpc_error
from tests.fakes.faults import BudgetState, RateBudget, tightest
from tests.fakes.web import FakeRequest, FakeResponse, json_response


def iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Actor:
    did: str
    handle: str
    display_name: str = ""
    created_at: str = "2024-01-01T00:00:00.000Z"


@dataclass
class BlueskyAccount(Actor):
    email: str = ""
    passwords: list[str] = field(default_factory=list)


@dataclass
class Blob:
    cid: str
    did: str
    mime_type: str
    size: int


@dataclass
class StoredRecord:
    did: str
    collection: str
    rkey: str
    value: dict[str, Any]
    cid: str
    indexed_at: str
    deleted: bool = False

    @property
    def uri(self) -> str:
        return f"at://{self.did}/{self.collection}/{self.rkey}"


def rate_headers(state: BudgetState) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(state.limit),
        "RateLimit-Remaining": str(state.remaining),
        "RateLimit-Reset": str(int(state.reset_at)),
        "RateLimit-Policy": f"{state.limit};w={int(state.window)}",
    }


class FakeBluesky(BlueskySessionMixin, BlueskyFeedMixin, FakeServer):
    name = "bluesky"
    control_methods: ClassVar[tuple[str, ...]] = (
        "add_account", "add_actor", "add_like", "add_repost", "set_counts", "delete_post",
        "expire_access_tokens", "revoke_refresh_tokens", "posts", "exhaust_rate_limit", "configure",
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
        duplicate_rkey: tuple[int, str, str] = (500, "InternalServerError", "Internal Server Error"),
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

    # -- state ------------------------------------------------------------------
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
        for budget in (self.global_budget, self.session_budget, self.session_daily_budget,
                       self.write_budget, self.write_daily_budget):
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
        return {"replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0, "bookmarkCount": 0}

    def find_account(self, identifier: str) -> BlueskyAccount | None:
        identifier = identifier.lower()
        if identifier in self.accounts_by_did:
            return self.accounts_by_did[identifier]
        if identifier in self.accounts_by_handle:
            return self.accounts_by_handle[identifier]
        return next((a for a in self.accounts_by_did.values() if a.email.lower() == identifier), None)

    def actor(self, did: str) -> Actor:
        return self.actors.get(did) or Actor(did=did, handle="handle.invalid")

    def record_by_uri(self, uri: str) -> StoredRecord | None:
        parts = uri.removeprefix("at://").split("/")
        if len(parts) != 3:
            return None
        account = self.find_account(parts[0])
        did = account.did if account else parts[0]
        return self.records.get((did, parts[1], parts[2]))

    # -- test helpers ------------------------------------------------------------------------
    def add_account(self, handle: str, password: str, email: str | None = None) -> str:
        """An account of this PDS (can log in with ``password``); returns its DID."""
        with self.lock:
            did = did_for(handle)
            account = BlueskyAccount(
                did=did, handle=handle.lower(), email=email or f"{handle.split('.')[0]}@example.org",
                passwords=[password], created_at=iso(self.now()),
            )
            self.accounts_by_did[did] = account
            self.accounts_by_handle[account.handle] = account
            self.actors[did] = account
            return did

    def add_actor(self, handle: str, display_name: str = "") -> str:
        """Another network user (a liker or reposter); returns its DID."""
        with self.lock:
            did = did_for(handle)
            self.actors.setdefault(did, Actor(did=did, handle=handle.lower(), display_name=display_name))
            return did

    def _engage(self, table: dict[str, list[tuple[int, str, str]]], uri: str, handle: str | None, did: str | None, counter: str) -> None:
        did = did or self.add_actor(handle or f"user{next(self._seq)}.bsky.social")
        table.setdefault(uri, []).append((next(self._seq), did, iso(self.now())))
        self.counts.setdefault(uri, self.empty_counts())[counter] += 1

    def add_like(self, uri: str, handle: str | None = None, did: str | None = None) -> None:
        """A like by another user: listed by getLikes and counted in likeCount."""
        with self.lock:
            self._engage(self.likes, uri, handle, did, "likeCount")

    def add_repost(self, uri: str, handle: str | None = None, did: str | None = None) -> None:
        with self.lock:
            self._engage(self.reposts, uri, handle, did, "repostCount")

    def set_counts(self, uri: str, **counts: int) -> None:
        """Override counters: ``likes``, ``reposts``, ``replies``, ``quotes``, ``bookmarks``."""
        names = {"likes": "likeCount", "reposts": "repostCount", "replies": "replyCount",
                 "quotes": "quoteCount", "bookmarks": "bookmarkCount"}
        with self.lock:
            current = self.counts.setdefault(uri, self.empty_counts())
            for key, value in counts.items():
                current[names[key]] = value

    def delete_post(self, uri: str) -> None:
        """Delete a record as if from another app: getRecord 400, absent from getPosts."""
        with self.lock:
            record = self.record_by_uri(uri)
            if record is not None:
                self._delete(record)

    def posts(self, include_deleted: bool = True) -> list[dict[str, Any]]:
        """Every ``app.bsky.feed.post`` record created through the API."""
        with self.lock:
            return [
                {"uri": r.uri, "cid": r.cid, "rkey": r.rkey, "did": r.did, "value": r.value,
                 "deleted": r.deleted}
                for r in self.created
                if r.collection == POST and (include_deleted or not r.deleted)
            ]

    def exhaust_rate_limit(self, kind: str = "write", key: str | None = None) -> None:
        """Spend a budget: ``write`` (key: DID), ``session`` (key: identifier), ``global`` (IP)."""
        with self.lock:
            budget = {"write": self.write_budget, "session": self.session_budget,
                      "global": self.global_budget}[kind]
            default = {"write": self.did, "session": self.default_handle, "global": "127.0.0.1"}[kind]
            budget.exhaust(key or default, self.now())

    def configure(self, **options: Any) -> None:
        allowed = {"access_ttl", "refresh_ttl", "refresh_grace", "blob_limit", "image_max_size",
                   "strict_facets", "enforce_tid_rkeys", "duplicate_rkey"}
        with self.lock:
            for key, value in options.items():
                if key not in allowed:
                    raise KeyError(f"unknown option {key!r}")
                setattr(self, key, tuple(value) if key == "duplicate_rkey" else value)

    # -- network-specific answers -----------------------------------------------------------------
    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        names = {400: "InvalidRequest", 401: "AuthenticationRequired", 403: "Forbidden",
                 404: "XRPCNotSupported", 413: "PayloadTooLarge", 429: "RateLimitExceeded",
                 500: "InternalServerError", 501: "MethodNotImplemented",
                 502: "UpstreamFailure", 503: "NotEnoughResources", 504: "UpstreamTimeout"}
        texts = {500: "Internal Server Error", 502: "Upstream Failure", 503: "Not Enough Resources",
                 504: "Upstream Timeout", 429: "Rate Limit Exceeded", 401: "Authentication Required"}
        return xrpc_error(status, names.get(status, "InternalServerError"),
                          message or texts.get(status, "Error"))

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
        return xrpc_error(400, "InvalidRequest", f"Incorrect HTTP method ({request.method}) expected {expected}")

    # -- auth + rate limits wrapper --------------------------------------------------------------
    def xrpc(self, handler: Any, *, auth: str | None = None, limits: Any = None) -> Any:
        """``auth``: ``access``, ``refresh``, ``optional`` or None; ``limits(request, creds)``
        returns extra (budget, key, points) triples."""

        def wrapped(request: FakeRequest) -> FakeResponse:
            creds: Credentials | None = None
            if auth in ("access", "refresh") or (auth == "optional" and request.bearer):
                checked = self.verify(request, scope=REFRESH_SCOPE if auth == "refresh" else ACCESS_SCOPE)
                if isinstance(checked, FakeResponse):
                    return checked
                creds = checked
            now = self.now()
            states = [self.global_budget.consume(request.client_ip, now)]
            for budget, key, points in (limits(request, creds) if limits else []):
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

    def _session_limits(self, request: FakeRequest, creds: Any) -> list[tuple[RateBudget, str, int]]:
        body = request.json if isinstance(request.json, dict) else {}
        key = f"{str(body.get('identifier', '')).lower()}-{request.client_ip}"
        return [(self.session_budget, key, 1), (self.session_daily_budget, key, 1)]

    def _write_limits(self, points: int) -> Any:
        def limits(request: FakeRequest, creds: Credentials) -> list[tuple[RateBudget, str, int]]:
            return [(self.write_budget, creds.did, points), (self.write_daily_budget, creds.did, points)]

        return limits

    def setup_routes(self) -> None:
        def x(nsid: str) -> str:
            return "/xrpc/" + nsid.replace(".", r"\.")

        add = self.router.add
        add("POST", x("com.atproto.server.createSession"), self.xrpc(self.create_session, limits=self._session_limits))
        add("POST", x("com.atproto.server.refreshSession"), self.xrpc(self.refresh_session, auth="refresh"))
        add("GET", x("com.atproto.server.getSession"), self.xrpc(self.get_session, auth="access"))
        add("POST", x("com.atproto.server.deleteSession"), self.xrpc(self.delete_session, auth="refresh"))
        add("GET", x("com.atproto.server.describeServer"), self.xrpc(self.describe_server))
        add("GET", x("com.atproto.identity.resolveHandle"), self.xrpc(self.resolve_handle))
        add("POST", x("com.atproto.repo.uploadBlob"), self.xrpc(self.upload_blob, auth="access"))
        add("POST", x("com.atproto.repo.createRecord"), self.xrpc(self.create_record, auth="access", limits=self._write_limits(3)))
        add("POST", x("com.atproto.repo.deleteRecord"), self.xrpc(self.delete_record, auth="access", limits=self._write_limits(1)))
        add("GET", x("com.atproto.repo.getRecord"), self.xrpc(self.get_record))
        add("GET", x("com.atproto.repo.listRecords"), self.xrpc(self.list_records))
        add("GET", x("app.bsky.feed.getPosts"), self.xrpc(self.get_posts, auth="optional"))
        add("GET", x("app.bsky.feed.getLikes"), self.xrpc(self.get_likes, auth="optional"))
        add("GET", x("app.bsky.feed.getRepostedBy"), self.xrpc(self.get_reposted_by, auth="optional"))
        add("GET", r"/plc/(?P<did>did:[a-z]+:[A-Za-z0-9._:%-]+)", self.plc_document)
        add("GET", r"/\.well-known/atproto-did", self.well_known_did)

    # -- repo endpoints -----------------------------------------------------------------------------
    def describe_server(self, request: FakeRequest) -> FakeResponse:
        return json_response({"did": self.service_did, "availableUserDomains": [".bsky.social"],
                              "inviteCodeRequired": True, "links": {}})

    def upload_blob(self, request: FakeRequest, creds: Credentials) -> FakeResponse:
        if len(request.body) > self.blob_limit:
            return xrpc_error(413, "PayloadTooLarge", "request entity too large")
        mime = request.content_type or "application/octet-stream"
        blob = Blob(cid=blob_cid(request.body), did=creds.did, mime_type=mime, size=len(request.body))
        self.blobs[(creds.did, blob.cid)] = blob
        return json_response({"blob": {"$type": "blob", "ref": {"$link": blob.cid},
                                       "mimeType": mime, "size": blob.size}})

    def _repo_did(self, repo: Any) -> str | FakeResponse:
        account = self.find_account(str(repo or ""))
        if account is None:
            return xrpc_error(400, "InvalidRequest", f"Could not find repo: {repo}")
        return account.did

    def _next_tid(self) -> str:
        micros = max(int(self.now() * 1_000_000), self._last_tid_us + 1)
        self._last_tid_us = micros
        return make_tid(micros, clock_id=7)

    def create_record(self, request: FakeRequest, creds: Credentials) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else {}
        for key in ("repo", "collection", "record"):
            if key not in body:
                return xrpc_error(400, "InvalidRequest", f'Input must have the property "{key}"')
        did = self._repo_did(body["repo"])
        if isinstance(did, FakeResponse):
            return did
        if did != creds.did:
            return xrpc_error(401, "AuthenticationRequired", "Authentication Required")
        collection, record = body["collection"], body["record"]
        rkey = body.get("rkey")
        if rkey is not None:
            keyed = collection in (POST, REPOST, LIKE) and self.enforce_tid_rkeys
            if not is_record_key(str(rkey)) or (keyed and not is_tid(str(rkey))):
                return xrpc_error(400, "InvalidRequest", f"Invalid {collection} record: invalid record key {rkey!r} (expected a TID)")
        rkey = rkey or self._next_tid()
        validated = body.get("validate") is not False
        if validated:
            try:
                uses = validate(collection, record, image_max_size=self.image_max_size, strict_facets=self.strict_facets)
            except RecordError as exc:
                return xrpc_error(400, "InvalidRequest", f"Invalid {collection} record: {exc}")
            for use in uses:
                problem = self._check_blob(did, use)
                if problem:
                    return problem
        if (did, collection, rkey) in self.records:
            status, error, message = self.duplicate_rkey
            return xrpc_error(int(status), error, message)
        if collection in (REPOST, LIKE) and isinstance(record.get("subject"), dict):
            self._delete_backlinks(did, collection, record["subject"].get("uri"))
        value = {"$type": collection, **record}
        stored = StoredRecord(did=did, collection=collection, rkey=rkey, value=value,
                              cid=record_cid(value), indexed_at=iso(self.now()))
        self.records[(did, collection, rkey)] = stored
        self.created.append(stored)
        if collection == REPOST:
            self._engage(self.reposts, record["subject"]["uri"], None, did, "repostCount")
        elif collection == LIKE:
            self._engage(self.likes, record["subject"]["uri"], None, did, "likeCount")
        return json_response({"uri": stored.uri, "cid": stored.cid,
                              "commit": {"cid": record_cid({"commit": stored.cid}), "rev": self._next_tid()},
                              "validationStatus": "valid" if validated else "unknown"})

    def _check_blob(self, did: str, use: Any) -> FakeResponse | None:
        blob = self.blobs.get((did, use.cid))
        if blob is None:
            return xrpc_error(400, "BlobNotFound", f"Could not find blob: {use.cid}")
        if blob.size > use.max_size:
            return xrpc_error(400, "BlobTooLarge",
                              f"This file is too large. It is {blob.size} but the maximum size is {use.max_size}.")
        major = use.accept.split("/")[0]
        if not blob.mime_type.startswith(major + "/"):
            return xrpc_error(400, "InvalidMimeType",
                              f"Wrong type of file. It is {blob.mime_type} but it must match {use.accept}.")
        return None

    def _delete_backlinks(self, did: str, collection: str, subject_uri: Any) -> None:
        for record in list(self.records.values()):
            if (record.did == did and record.collection == collection
                    and record.value.get("subject", {}).get("uri") == subject_uri):
                self._delete(record)

    def _delete(self, record: StoredRecord) -> None:
        self.records.pop((record.did, record.collection, record.rkey), None)
        record.deleted = True
        if record.collection in (REPOST, LIKE):
            table, counter = (self.reposts, "repostCount") if record.collection == REPOST else (self.likes, "likeCount")
            subject = record.value.get("subject", {}).get("uri", "")
            before = table.get(subject, [])
            table[subject] = [row for row in before if row[1] != record.did]
            if len(table[subject]) < len(before):
                counts = self.counts.setdefault(subject, self.empty_counts())
                counts[counter] = max(counts[counter] - 1, 0)

    def get_record(self, request: FakeRequest) -> FakeResponse:
        for key in ("repo", "collection", "rkey"):
            if not request.arg(key):
                return xrpc_error(400, "InvalidRequest", f'Error: Params must have the property "{key}"')
        did = self._repo_did(request.arg("repo"))
        if isinstance(did, FakeResponse):
            return did
        uri = f"at://{did}/{request.arg('collection')}/{request.arg('rkey')}"
        record = self.records.get((did, request.arg("collection"), request.arg("rkey")))
        if record is None or (request.arg("cid") and request.arg("cid") != record.cid):
            return xrpc_error(400, "RecordNotFound", f"Could not locate record: {uri}")
        return json_response({"uri": record.uri, "cid": record.cid, "value": record.value})

    def list_records(self, request: FakeRequest) -> FakeResponse:
        did = self._repo_did(request.arg("repo"))
        if isinstance(did, FakeResponse):
            return did
        limit = max(1, min(int(request.arg("limit", 50)), 100))
        rows = sorted((r for r in self.records.values()
                       if r.did == did and r.collection == request.arg("collection")),
                      key=lambda r: r.rkey, reverse=str(request.arg("reverse")).lower() != "true")
        cursor = request.arg("cursor")
        if cursor:
            rows = [r for r in rows if (r.rkey < cursor if str(request.arg("reverse")).lower() != "true" else r.rkey > cursor)]
        page = rows[:limit]
        body: dict[str, Any] = {"records": [{"uri": r.uri, "cid": r.cid, "value": r.value} for r in page]}
        if page:
            body["cursor"] = page[-1].rkey
        return json_response(body)

    def delete_record(self, request: FakeRequest, creds: Credentials) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else {}
        for key in ("repo", "collection", "rkey"):
            if key not in body:
                return xrpc_error(400, "InvalidRequest", f'Input must have the property "{key}"')
        did = self._repo_did(body["repo"])
        if isinstance(did, FakeResponse):
            return did
        if did != creds.did:
            return xrpc_error(401, "AuthenticationRequired", "Authentication Required")
        record = self.records.get((did, body["collection"], body["rkey"]))
        if record is None:
            return json_response({})
        self._delete(record)
        return json_response({"commit": {"cid": record_cid({"delete": record.cid}), "rev": self._next_tid()}})

    # -- command line -----------------------------------------------------------------------------------
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
