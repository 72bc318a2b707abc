"""Bluesky (AT Protocol, app.bsky.feed.post).

Counting: the record's `text` is limited to 300 grapheme clusters AND 3000 UTF-8 bytes
(lexicon `app/bsky/feed/post.json`: maxGraphemes 300, maxLength 3000). `measure` returns
graphemes (what people see); `check` also reports the bytes. Links count in full: the
server does not shorten them (the official app shortens the visible text of long links
and keeps the full URL in the facet; if our publisher ever does the same, `measure` must
follow it).

The second section is the client (`BlueskyClient`): app-password sessions kept and
refreshed, posts with facets at UTF-8 byte offsets, images with alt text and aspect
ratio or an external link card, client-chosen record keys (TIDs) and getRecord to find a
post after an ambiguous failure, reposts, handle → PDS resolution.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime

import requests
from django.utils.translation import gettext_noop as _

from networks import atproto, linkcard
from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
from networks.client import (
    Account,
    AccountInfo,
    AuthError,
    EngagementKind,
    Engager,
    Metrics,
    NetworkClient,
    NetworkError,
    PermanentError,
    PublishRequest,
    RateLimited,
    RemotePost,
    TransientError,
)
from networks.http import HttpClient, error_text, reset_time
from networks.messages import Message


class Bluesky(Network):
    key = "bluesky"
    name = "Bluesky"
    text_limits = TextLimits(max_length=300, max_bytes=3000)
    image_limits = ImageLimits(
        max_count=4,  # app.bsky.embed.images
        # Blobs may be 2,000,000 bytes since April 2026 but older PDSs still refuse more
        # than 1,000,000 (NETWORKS.md): the conservative value; a PDS known to be recent
        # can be given `with_config(image_max_bytes=2_000_000)`.
        max_bytes=1_000_000,
        formats=("image/jpeg", "image/png", "image/webp"),
        alt_text_max=2000,  # graphemes; bluesky-social/social-app MAX_ALT_TEXT
        animated_gif="never",  # embed.images shows still images only
    )

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(text))

    def measure_alt_text(self, alt_text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(alt_text))

    def client(self) -> BlueskyClient:
        return BlueskyClient()


# ======================================================================================
# Client: sessions, posts with images or a link card, facets, reposts, the connect flow.
# Sources: NETWORKS.md § 2; atproto lexicons com/atproto/server/{createSession,
# refreshSession,getSession}.json, com/atproto/repo/{uploadBlob,createRecord,getRecord,
# deleteRecord}.json, app/bsky/embed/{images,external}.json, app/bsky/feed/repost.json.
# ======================================================================================
POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
THUMB_MAX_BYTES = 1_000_000  # embed/external.json: thumb maxSize
# Refresh the access token when it has less than this left (seconds).
REFRESH_MARGIN = 60


class _SessionExpired(AuthError):
    """ExpiredToken / InvalidToken: refresh or re-create the session, then retry."""


def _classify(response: requests.Response, write: bool) -> NetworkError | None:
    try:
        body = response.json()
    except ValueError:
        body = {}
    name = str(body.get("error", "")) if isinstance(body, dict) else ""
    message = Message(_("{network} : {words}"), network="Bluesky", words=error_text(response))
    status = response.status_code
    if name in ("ExpiredToken", "InvalidToken"):
        return _SessionExpired(message, status=status, code=name)
    if status == 401 or name in ("AuthMissing", "AuthenticationRequired", "AccountTakedown"):
        return AuthError(message, status=status, code=name)
    if status == 429:
        return RateLimited(message, reset_at=reset_time(response.headers), status=status, code=name)
    if status >= 500:
        return TransientError(message, status=status, code=name)
    if 400 <= status < 500:
        return PermanentError(message, status=status, code=name)
    return None


_http = HttpClient("bluesky", classify=_classify, name="Bluesky")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


# app.bsky.feed.getPosts takes at most 25 uris; getLikes/getRepostedBy pages of ≤ 100
# (lexicons app/bsky/feed/{getPosts,getLikes,getRepostedBy}.json).
POSTS_BATCH = 25
ACTORS_PAGE = 100


def _engager(actor: dict) -> Engager:
    handle = str(actor.get("handle") or "").lower()
    return Engager(key=str(actor.get("did") or handle), handle=handle, domain=handle)


class BlueskyClient(NetworkClient):
    key = "bluesky"
    connect_kind = "app_password"
    supports_repost = True
    metrics_batch_size = POSTS_BATCH
    supports_engagers = True
    metrics_shared_reads = True

    def new_key(self, publication_uuid: str, now: datetime) -> str:
        # The record key is chosen by us and stored before the first attempt: a retry
        # with the same key cannot create a second post, and getRecord finds the first.
        return atproto.tid_for(publication_uuid, now)

    # --- session -------------------------------------------------------------------------
    def login(self, server_url: str, *, identifier: str, app_password: str) -> dict:
        """createSession with the app password → the credentials to store."""
        response = _http.request(
            "POST",
            f"{server_url}/xrpc/com.atproto.server.createSession",
            json={"identifier": identifier, "password": app_password},
        )
        data = response.json()
        return {
            "identifier": identifier,
            "app_password": app_password,
            "did": data["did"],
            "handle": data["handle"],
            "access_jwt": data["accessJwt"],
            "refresh_jwt": data["refreshJwt"],
        }

    def logout(self, account: Account) -> None:
        """deleteSession with the refresh token (com/atproto/server/deleteSession.json):
        the stored session can no longer be refreshed. An access token already issued
        lives until it expires (two hours at most); the app password itself can only be
        revoked by the account's owner, in Bluesky's settings. A session that has
        already expired or been revoked leaves nothing to give back."""
        refresh_jwt = account.credentials.get("refresh_jwt")
        if not refresh_jwt:
            return
        with contextlib.suppress(_SessionExpired):
            _http.request(
                "POST",
                f"{account.server_url}/xrpc/com.atproto.server.deleteSession",
                headers={"Authorization": f"Bearer {refresh_jwt}"},
            )

    def _refresh(self, account: Account) -> None:
        """refreshSession with the refresh token; when that has expired or was revoked,
        a new session from the stored app password (createSession is rate limited, so
        sessions are kept in the account's credentials and reused)."""
        credentials = dict(account.credentials)
        try:
            if not credentials.get("refresh_jwt"):
                raise _SessionExpired("no refresh token")
            response = _http.request(
                "POST",
                f"{account.server_url}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {credentials['refresh_jwt']}"},
            )
            data = response.json()
            credentials.update(access_jwt=data["accessJwt"], refresh_jwt=data["refreshJwt"])
        except _SessionExpired:
            if not credentials.get("app_password"):
                raise AuthError(
                    Message(_("Bluesky : la session a expiré ; reconnectez le compte."))
                ) from None
            try:
                credentials = self.login(
                    account.server_url,
                    identifier=credentials.get("identifier") or account.handle.lstrip("@"),
                    app_password=credentials["app_password"],
                )
            except _SessionExpired as exc:
                raise AuthError(exc.message, status=exc.status, code=exc.code) from exc
        account.update_credentials(credentials)

    def _call(
        self,
        account: Account,
        method: str,
        nsid: str,
        *,
        write: bool = False,
        headers: dict | None = None,
        **kwargs,
    ) -> requests.Response:
        token = account.credentials.get("access_jwt")
        expiry = atproto.jwt_expiry(token) if token else None
        if not token or (expiry is not None and expiry - time.time() < REFRESH_MARGIN):
            self._refresh(account)
        url = f"{account.server_url}/xrpc/{nsid}"
        for attempt in range(2):
            auth = {"Authorization": f"Bearer {account.credentials['access_jwt']}"}
            try:
                return _http.request(
                    method, url, write=write, headers={**auth, **(headers or {})}, **kwargs
                )
            except _SessionExpired as exc:
                # The PDS refused the token before doing anything: safe to retry once.
                if attempt:
                    raise AuthError(exc.message, status=exc.status, code=exc.code) from exc
                self._refresh(account)
        raise AssertionError("unreachable")

    def _did(self, account: Account) -> str:
        return account.remote_id or account.credentials["did"]

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        record: dict = {
            "$type": POST,
            "text": request.text,
            "createdAt": _iso(request.created_at or datetime.now(UTC)),
        }
        facets = atproto.build_facets(
            request.text, lambda handle: self.resolve_handle(account, handle)
        )
        if facets:
            record["facets"] = facets
        if request.language:
            record["langs"] = [request.language]
        embed = self._embed(account, request)
        if embed:
            record["embed"] = embed
        created = self._create(account, POST, request.key, record)
        return self._remote(account, created, request.key)

    def _create(self, account: Account, collection: str, rkey: str, record: dict) -> dict:
        response = self._call(
            account,
            "POST",
            "com.atproto.repo.createRecord",
            write=True,
            json={
                "repo": self._did(account),
                "collection": collection,
                "rkey": rkey,
                "record": record,
            },
        )
        return response.json()

    def _remote(self, account: Account, created: dict, rkey: str) -> RemotePost:
        app_url = account.settings.get("app_url", "https://bsky.app").rstrip("/")
        handle = account.handle.lstrip("@") or self._did(account)
        return RemotePost(
            remote_id=created["uri"],
            url=f"{app_url}/profile/{handle}/post/{rkey}",
            published_at=datetime.now(UTC),
            data={"uri": created["uri"], "cid": created["cid"]},
        )

    def _upload(self, account: Account, data: bytes, mime_type: str) -> dict:
        response = self._call(
            account,
            "POST",
            "com.atproto.repo.uploadBlob",
            data=data,
            headers={"Content-Type": mime_type},
        )
        return response.json()["blob"]

    def _embed(self, account: Account, request: PublishRequest) -> dict | None:
        if request.images:
            images = []
            for image in request.images:
                entry = {
                    "image": self._upload(account, image.data, image.mime_type),
                    "alt": image.alt_text,
                }
                if image.width and image.height:
                    entry["aspectRatio"] = {"width": image.width, "height": image.height}
                images.append(entry)
            return {"$type": "app.bsky.embed.images", "images": images}
        link = request.link or next(
            (u.url for u in textlib.extract_urls(request.text) if u.has_scheme), ""
        )
        card = linkcard.fetch_link_card(link) if link else None
        if card is None:
            return None
        external = {"uri": card.url, "title": card.title, "description": card.description}
        if card.image and len(card.image) <= THUMB_MAX_BYTES:
            external["thumb"] = self._upload(account, card.image, card.image_mime_type)
        return {"$type": "app.bsky.embed.external", "external": external}

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        return self._get_record(account, POST, request.key)

    def _get_record(self, account: Account, collection: str, rkey: str) -> RemotePost | None:
        try:
            response = _http.request(
                "GET",
                f"{account.server_url}/xrpc/com.atproto.repo.getRecord",
                params={"repo": self._did(account), "collection": collection, "rkey": rkey},
            )
        except PermanentError as exc:
            if exc.code == "RecordNotFound":
                return None
            raise
        return self._remote(account, response.json(), rkey)

    def delete(self, account: Account, post: RemotePost) -> None:
        uri = post.data.get("uri") or post.remote_id
        collection = uri.split("/")[-2] if uri.count("/") >= 4 else POST
        self._call(
            account,
            "POST",
            "com.atproto.repo.deleteRecord",
            write=True,
            json={"repo": self._did(account), "collection": collection, "rkey": _rkey(uri)},
        )

    def repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost:
        record = {
            "$type": REPOST,
            "subject": {"uri": original.data["uri"], "cid": original.data["cid"]},
            "createdAt": _iso(datetime.now(UTC)),
        }
        created = self._create(account, REPOST, key, record)
        return RemotePost(
            remote_id=created["uri"],
            url=original.url,
            data={"uri": created["uri"], "cid": created["cid"]},
        )

    def find_repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost | None:
        found = self._get_record(account, REPOST, key)
        if found is None:
            return None
        return RemotePost(remote_id=found.remote_id, url=original.url, data=found.data)

    # --- metrics ----------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """getPosts, 25 uris per request (asked of the PDS, which proxies app.bsky reads
        to the AppView); posts deleted or taken down are silently left out."""
        by_uri = {post.data.get("uri") or post.remote_id: post.remote_id for post in posts}
        uris = list(by_uri)
        found: dict[str, Metrics] = {}
        for start in range(0, len(uris), POSTS_BATCH):
            response = self._call(
                account,
                "GET",
                "app.bsky.feed.getPosts",
                params={"uris": uris[start : start + POSTS_BATCH]},
            )
            for view in response.json().get("posts") or []:
                remote_id = by_uri.get(view.get("uri"))
                if remote_id is None:
                    continue
                found[remote_id] = Metrics(
                    likes=view.get("likeCount"),
                    shares=view.get("repostCount"),
                    replies=view.get("replyCount"),
                    quotes=view.get("quoteCount"),
                )
        return found

    def fetch_engagers(
        self,
        account: Account,
        post: RemotePost,
        *,
        kind: EngagementKind,
        known=None,
        max_pages: int = 20,
        total: int | None = None,
    ) -> list[Engager]:
        """getLikes / getRepostedBy, newest first, following the cursor."""
        nsid, key = (
            ("app.bsky.feed.getLikes", "likes")
            if kind == "like"
            else ("app.bsky.feed.getRepostedBy", "repostedBy")
        )
        params: dict = {"uri": post.data.get("uri") or post.remote_id, "limit": ACTORS_PAGE}
        engagers: list[Engager] = []
        for _page in range(max_pages):
            body = self._call(account, "GET", nsid, params=params).json()
            items = body.get(key) or []
            page = [_engager(item.get("actor", item)) for item in items]
            engagers += page
            seen = known is not None and any(known(e.key) for e in page)
            seen = seen or (total is not None and len(engagers) >= total)
            if seen or not page or not body.get("cursor"):
                break
            params = {**params, "cursor": body["cursor"]}
        return engagers

    # --- the account and identity -------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        data = self._call(account, "GET", "com.atproto.server.getSession").json()
        return AccountInfo(
            remote_id=data["did"],
            handle=f"@{data['handle']}",
            display_name=data["handle"],
            server_url=account.server_url,
        )

    def resolve_handle(self, account: Account, handle: str) -> str | None:
        """A mentioned handle's DID, asked of the account's PDS (None if unknown)."""
        try:
            response = _http.request(
                "GET",
                f"{account.server_url}/xrpc/com.atproto.identity.resolveHandle",
                params={"handle": handle},
            )
        except PermanentError:
            return None
        return response.json().get("did")

    def resolve_pds(self, handle: str, *, resolver_url: str, plc_url: str) -> str:
        """The PDS of a handle: handle → DID (resolveHandle) → DID document → its
        `#atproto_pds` service."""
        handle = handle.strip().lstrip("@").lower()
        try:
            response = _http.request(
                "GET",
                f"{resolver_url}/xrpc/com.atproto.identity.resolveHandle",
                params={"handle": handle},
            )
        except PermanentError as exc:
            raise PermanentError(
                Message(_("Bluesky : le compte « {handle} » est introuvable."), handle=handle)
            ) from exc
        did = response.json()["did"]
        if did.startswith("did:web:"):
            document_url = f"https://{did.removeprefix('did:web:')}/.well-known/did.json"
        else:
            document_url = f"{plc_url}/{did}"
        document = _http.request("GET", document_url).json()
        pds = atproto.pds_from_did_document(document)
        if not pds:
            raise PermanentError(
                Message(_("Bluesky : aucun serveur (PDS) pour « {handle} »."), handle=handle)
            )
        return pds
