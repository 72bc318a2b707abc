"""Identity resolution and AppView reads of the fake Bluesky.

Handle → DID → PDS, and how the fake stands in for it
------------------------------------------------------
A real client resolves a handle to a DID (DNS TXT ``_atproto.<handle>``, or
``https://<handle>/.well-known/atproto-did``, or
``com.atproto.identity.resolveHandle`` on any PDS/AppView), then fetches the
DID document (``https://plc.directory/<did>`` for ``did:plc``) and reads the
PDS URL from its ``#atproto_pds`` service. The fake cannot answer for
arbitrary host names, so it offers:

- ``GET /xrpc/com.atproto.identity.resolveHandle?handle=…`` → ``{"did": …}``,
  or ``400 InvalidRequest "Unable to resolve handle"``;
- a PLC directory at ``fake.plc_url`` (``<fake url>/plc``): ``GET /plc/<did>``
  returns the DID document, whose ``#atproto_pds`` endpoint is ``fake.pds_url``
  (the fake itself unless configured otherwise); unknown DIDs are 404
  ``{"message": "DID not registered: <did>"}``, as plc.directory answers;
- ``GET /.well-known/atproto-did`` answers the DID of the account whose handle
  is the request's ``Host`` name (so a resolver that maps host names to the
  fake can use it); otherwise 404.

A client under test should therefore take the handle-resolver URL and the PLC
directory URL from settings, which tests point at the fake.

AppView reads (lexicons ``app/bsky/feed/{getPosts,getLikes,getRepostedBy}.json``
and ``defs.json#postView``): getPosts takes ≤ 25 ``uris`` and silently omits
posts that do not exist or were deleted; getLikes/getRepostedBy take
``limit`` 1–100 (default 50) and an opaque ``cursor``, newest first. Like the
AppView's keyset pagination, a cursor is returned with every non-empty page,
so a walk ends on an empty page without cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.bluesky_records import POST
from tests.fakes.bluesky_session import xrpc_error
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.bluesky import Actor, BlueskyAccount, FakeBluesky, StoredRecord

MAX_URIS = 25


def _limit(request: FakeRequest) -> int | FakeResponse:
    raw = request.arg("limit", "50")
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        return xrpc_error(400, "InvalidRequest", "Error: Params/limit must be an integer")
    if not 1 <= limit <= 100:
        bound = "greater than or equal to 1" if limit < 1 else "less than or equal to 100"
        return xrpc_error(400, "InvalidRequest", f"Error: Params/limit can not be {bound}")
    return limit


class BlueskyFeedMixin:
    """Identity and feed routes; mixed into ``FakeBluesky``."""

    # -- identity --------------------------------------------------------------
    def did_document(self: FakeBluesky, account: BlueskyAccount) -> dict[str, Any]:
        return {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1",
            ],
            "id": account.did,
            "alsoKnownAs": [f"at://{account.handle}"],
            "verificationMethod": [
                {
                    "id": f"{account.did}#atproto",
                    "type": "Multikey",
                    "controller": account.did,
                    "publicKeyMultibase": "zQ3shFakeKeyForTestsOnly",
                }
            ],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": self.pds_url,
                }
            ],
        }

    def resolve_handle(self: FakeBluesky, request: FakeRequest) -> FakeResponse:
        handle = request.arg("handle")
        if not handle:
            return xrpc_error(
                400, "InvalidRequest", 'Error: Params must have the property "handle"'
            )
        account = self.accounts_by_handle.get(handle.lower())
        if account is None:
            return xrpc_error(400, "InvalidRequest", "Unable to resolve handle")
        return json_response({"did": account.did})

    def plc_document(self: FakeBluesky, request: FakeRequest) -> FakeResponse:
        did = request.params["did"]
        account = self.accounts_by_did.get(did)
        if account is None:
            return json_response({"message": f"DID not registered: {did}"}, 404)
        response = json_response(self.did_document(account))
        response.content_type = "application/did+ld+json; charset=utf-8"
        return response

    def well_known_did(self: FakeBluesky, request: FakeRequest) -> FakeResponse:
        host = request.header("host").split(":")[0].lower()
        account = self.accounts_by_handle.get(host)
        if account is None:
            return FakeResponse(404, "not found", content_type="text/plain")
        return FakeResponse(200, account.did, content_type="text/plain; charset=utf-8")

    # -- AppView ---------------------------------------------------------------
    def profile_view(self: FakeBluesky, actor: Actor, *, basic: bool = False) -> dict[str, Any]:
        view = {
            "did": actor.did,
            "handle": actor.handle,
            "displayName": actor.display_name or actor.handle,
            "avatar": f"{self.url}/img/avatar/plain/{actor.did}/avatar@jpeg",
            "viewer": {"muted": False, "blockedBy": False},
            "labels": [],
            "createdAt": actor.created_at,
        }
        if not basic:
            view["indexedAt"] = actor.created_at
            view["description"] = ""
        return view

    def post_view(self: FakeBluesky, record: StoredRecord) -> dict[str, Any]:
        counts = self.counts.setdefault(record.uri, self.empty_counts())
        view: dict[str, Any] = {
            "uri": record.uri,
            "cid": record.cid,
            "author": self.profile_view(self.actor(record.did), basic=True),
            "record": record.value,
            **counts,
            "indexedAt": record.indexed_at,
            "viewer": {"threadMuted": False, "embeddingDisabled": False},
            "labels": [],
        }
        embed = record.value.get("embed") if isinstance(record.value, dict) else None
        if isinstance(embed, dict) and embed.get("$type") == "app.bsky.embed.images":
            images = f"{self.url}/img/{record.did}"
            view["embed"] = {
                "$type": "app.bsky.embed.images#view",
                "images": [
                    {
                        "thumb": f"{images}/feed_thumbnail/{img['image']['ref']['$link']}@jpeg",
                        "fullsize": f"{images}/feed_fullsize/{img['image']['ref']['$link']}@jpeg",
                        "alt": img.get("alt", ""),
                        **({"aspectRatio": img["aspectRatio"]} if "aspectRatio" in img else {}),
                    }
                    for img in embed.get("images", [])
                ],
            }
        return view

    def get_posts(self: FakeBluesky, request: FakeRequest, creds: Any) -> FakeResponse:
        uris = request.query.get("uris", []) or request.query.get("uris[]", [])
        if not uris:
            return xrpc_error(400, "InvalidRequest", 'Error: Params must have the property "uris"')
        if len(uris) > MAX_URIS:
            return xrpc_error(
                400,
                "InvalidRequest",
                f"Error: Params/uris must not have more than {MAX_URIS} elements",
            )
        posts = []
        for uri in uris:
            record = self.record_by_uri(uri)
            if record is not None and record.collection == POST:
                posts.append(self.post_view(record))
        return json_response({"posts": posts})

    def get_likes(self: FakeBluesky, request: FakeRequest, creds: Any) -> FakeResponse:
        return self._actor_page(request, self.likes, "likes")

    def get_reposted_by(self: FakeBluesky, request: FakeRequest, creds: Any) -> FakeResponse:
        return self._actor_page(request, self.reposts, "repostedBy")

    def _actor_page(
        self: FakeBluesky,
        request: FakeRequest,
        source: dict[str, list[tuple[int, str, str]]],
        key: str,
    ) -> FakeResponse:
        uri = request.arg("uri")
        if not uri:
            return xrpc_error(400, "InvalidRequest", 'Error: Params must have the property "uri"')
        limit = _limit(request)
        if isinstance(limit, FakeResponse):
            return limit
        rows = sorted(source.get(uri, []), key=lambda r: r[0], reverse=True)
        cursor = request.arg("cursor")
        if cursor:
            try:
                rows = [r for r in rows if r[0] < int(cursor)]
            except ValueError:
                return xrpc_error(400, "InvalidRequest", "Malformed cursor")
        page = rows[:limit]
        if key == "likes":
            items: list[Any] = [
                {
                    "indexedAt": created,
                    "createdAt": created,
                    "actor": self.profile_view(self.actor(did)),
                }
                for _, did, created in page
            ]
        else:
            items = [self.profile_view(self.actor(did)) for _, did, _ in page]
        body: dict[str, Any] = {"uri": uri, key: items}
        record = self.record_by_uri(uri)
        if record is not None:
            body["cid"] = record.cid
        if page:
            body["cursor"] = str(page[-1][0])
        return json_response(body)
