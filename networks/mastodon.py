"""Mastodon: the rules of one instance (500 characters by default; each instance sets its own).

Counting, as Mastodon's StatusLengthValidator does (app/validators/status_length_validator.rb,
Mastodon 4.x): grapheme clusters of the text in which every URL written with `http://` or
`https://` counts `characters_reserved_per_url` (23) whatever its length, and a remote
mention `@user@instance.example` counts as `@user`. A URL without a scheme counts its
characters. (Mastodon also links a few other schemes, gemini:// or ipfs://; we count those
in full, which can only over-count.)

A content warning (`spoiler_text`) counts toward the same limit, as typed (its URLs are
not shortened): the validator counts the graphemes of `spoiler_text + countable_text(text)`.
The server also marks the status and its media sensitive when one is given
(PostStatusService: `sensitive || spoiler_text.present?`); the client says so too.

Defaults are mastodon.social's `/api/v2/instance` configuration; an account passes its own
instance's configuration with `with_instance_configuration()`.

The second section is the client (`MastodonClient`): statuses with media and alt text,
Idempotency-Key, finding a status after an ambiguous failure, boosts, the app
registration and OAuth connect flow.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Mapping
from datetime import datetime
from html.parser import HTMLParser
from typing import Any, Self
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from networks import oauth
from networks import text as textlib
from networks.base import ImageLimits, Network, Problem, TextLimits, VariantInput
from networks.client import (
    Account,
    AccountInfo,
    AuthError,
    EngagementKind,
    Engager,
    Image,
    Metrics,
    NetworkClient,
    NetworkError,
    PermanentError,
    PublishRequest,
    RemotePost,
    TransientError,
)
from networks.http import HttpClient, error_text
from networks.messages import Message


class Mastodon(Network):
    key = "mastodon"
    name = "Mastodon"
    characters_reserved_per_url = 23
    text_limits = TextLimits(max_length=500)
    image_limits = ImageLimits(
        max_count=4,  # configuration.statuses.max_media_attachments
        max_bytes=10_485_760,  # configuration.media_attachments.image_size_limit
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        max_pixels=16_777_216,  # configuration.media_attachments.image_matrix_limit
        # description_limit: 1500 in Mastodon's MediaAttachment and compatible servers
        # (NETWORKS.md: unconfirmed); instances report their own.
        alt_text_max=1500,
        animated_gif="always",  # Mastodon turns GIFs into looping videos
    )
    config_attributes = ("characters_reserved_per_url",)
    config_aliases = {
        "max_characters": "max_length",
        "max_media_attachments": "max_count",
        "image_size_limit": "image_max_bytes",
        "image_matrix_limit": "max_pixels",
        "description_limit": "alt_text_max",
        "supported_mime_types": "formats",
    }

    supports_content_warning = True

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(self._countable(textlib.prepare_text(text)))

    def measure_post(self, text: str, *, content_warning: str = "") -> int:
        warning = textlib.prepare_text(content_warning).strip()
        return textlib.grapheme_count(warning + self._countable(textlib.prepare_text(text)))

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        # PostStatusService: with no text, the warning becomes the text (photos stay
        # sensitive) and the status has no warning.
        if variant.content_warning.strip() and not text.strip():
            return [
                self.problem(
                    "content_warning_without_text",
                    "warning",
                    "text",
                    _(
                        "{network} : sans texte, l'avertissement de contenu sera publié "
                        "comme texte (les photos restent masquées)."
                    ),
                )
            ]
        return []

    def _countable(self, text: str) -> str:
        """The text as the validator counts it: URLs as 23 x, remote mentions as @user."""
        entities: list[tuple[int, int, str]] = [
            (url.start, url.end, "x" * self.characters_reserved_per_url)
            for url in textlib.extract_urls(text, without_scheme=False)
        ]
        entities += [
            (mention.start, mention.end, mention.local)
            for mention in textlib.extract_mentions(text)
            if mention.domain
        ]
        if not entities:
            return text
        # Rewrite the text as Mastodon does: overlapping entities keep the first one.
        entities.sort()
        pieces, position = [], 0
        for start, end, replacement in entities:
            if start < position:
                continue
            pieces += [text[position:start], replacement]
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def with_instance_configuration(self, instance: Mapping[str, Any]) -> Self:
        """A copy with the limits of an instance, from its `GET /api/v2/instance` JSON
        (or just its `configuration` object). Missing keys keep the defaults."""
        configuration = instance.get("configuration", instance)
        statuses = configuration.get("statuses") or {}
        media = configuration.get("media_attachments") or {}
        overrides: dict[str, Any] = {}
        for key in ("max_characters", "max_media_attachments", "characters_reserved_per_url"):
            if isinstance(statuses.get(key), int):
                overrides[key] = statuses[key]
        for key in ("image_size_limit", "image_matrix_limit", "description_limit"):
            if isinstance(media.get(key), int):
                overrides[key] = media[key]
        mime_types = media.get("supported_mime_types")
        if isinstance(mime_types, list):
            images = [t for t in mime_types if isinstance(t, str) and t.startswith("image/")]
            # Keep JPEG first: it is what renditions convert to.
            if "image/jpeg" in images:
                overrides["supported_mime_types"] = ["image/jpeg"] + [
                    t for t in images if t != "image/jpeg"
                ]
        return self.with_config(**overrides)

    def client(self) -> MastodonClient:
        return MastodonClient()


# ======================================================================================
# Client: publish, find, delete, boost, verify, and the connect flow.
# Sources: mastodon/documentation methods/apps.md, oauth.md, media.md, statuses.md,
# accounts.md; api/rate-limits.md (NETWORKS.md § 1).
# ======================================================================================
# What posting and reading the account's own statuses need, nothing more
# (oauth-scopes.md): `profile` would do for verify_credentials on 4.3+ only.
SCOPES = ["read:accounts", "read:statuses", "write:statuses", "write:media"]
MEDIA_READY_TIMEOUT = 60.0


def _classify(response: requests.Response, write: bool) -> NetworkError | None:
    message = error_text(response)
    text = Message(N_("{network} : {words}"), network="Mastodon", words=message)
    if response.status_code == 403 and "scope" in message:
        return AuthError(text, status=403)
    if response.status_code == 422 and "finished processing" in message:
        return TransientError(text, status=422)
    if response.status_code in (403, 404, 410, 422):
        return PermanentError(text, status=response.status_code)
    if response.status_code == 401:
        # "The access token is invalid" / "was revoked"; "Your login is currently disabled".
        return AuthError(text, status=401)
    return None


_http = HttpClient("mastodon", classify=_classify, name="Mastodon")


class _Text(HTMLParser):
    """A status's `content` HTML back to plain text (paragraphs, line breaks)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_REMOTE_MENTION = re.compile(r"@([\w.]+)@[\w.\-]+")


def comparable_text(text: str) -> str:
    """Text as Mastodon shows it, for matching: whitespace collapsed, remote mentions
    shortened to `@user` (Mastodon renders `@user@instance` as `@user`)."""
    return " ".join(_REMOTE_MENTION.sub(r"@\1", text).split())


def html_to_text(content: str) -> str:
    parser = _Text()
    parser.feed(content)
    return html.unescape("".join(parser.parts))


def snowflake_floor(moment: datetime) -> int:
    """The smallest status id Mastodon could give at `moment` (ids are ms << 16)."""
    return int(moment.timestamp() * 1000) << 16


def _bearer(account: Account) -> dict[str, str]:
    token = account.credentials.get("access_token")
    if not token:
        raise AuthError(
            Message(N_("{network} : le compte n'a pas de jeton d'accès."), network="Mastodon")
        )
    return {"Authorization": f"Bearer {token}"}


def _remote(status: dict) -> RemotePost:
    created = status.get("created_at")
    return RemotePost(
        remote_id=str(status["id"]),
        url=status.get("url") or status.get("uri") or "",
        published_at=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
        data={"uri": status.get("uri", "")},
    )


# GET /api/v1/statuses?id[]=… (Mastodon 4.3+) takes at most 20 ids
# (Api::BaseController DEFAULT_STATUSES_LIMIT); older servers answer 404 there.
STATUSES_BATCH = 20
# favourited_by / reblogged_by: `limit` at most 80 (methods/statuses.md).
ACCOUNTS_PAGE = 80
# Servers that refused the batch lookup, remembered for the life of the process.
_NO_BATCH_LOOKUP: set[str] = set()


def _count(status: dict, key: str) -> int | None:
    value = status.get(key)
    return int(value) if isinstance(value, int) else None


def _metrics(status: dict) -> Metrics:
    # quotes_count arrives with Mastodon 4.5's quote posts; None before.
    return Metrics(
        likes=_count(status, "favourites_count"),
        shares=_count(status, "reblogs_count"),
        replies=_count(status, "replies_count"),
        quotes=_count(status, "quotes_count"),
    )


def _engager(account: dict, instance_host: str) -> Engager:
    acct = str(account.get("acct") or account.get("username") or "").lower()
    username, _at, domain = acct.partition("@")
    domain = domain or instance_host
    return Engager(key=f"{username}@{domain}", handle=f"@{username}@{domain}", domain=domain)


class MastodonClient(NetworkClient):
    key = "mastodon"
    connect_kind = "oauth2"
    supports_repost = True
    metrics_batch_size = STATUSES_BATCH
    supports_engagers = True
    metrics_shared_reads = True

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        media_ids = [self._upload(account, image) for image in request.images]
        body: dict = {
            "status": request.text,
            "visibility": request.visibility or account.settings.get("visibility", "public"),
        }
        if media_ids:
            body["media_ids"] = media_ids
        if request.content_warning:
            body["spoiler_text"] = request.content_warning
            # Mastodon does it anyway; compatible servers may not (media hidden too).
            body["sensitive"] = True
        if request.language:
            body["language"] = request.language
        response = _http.request(
            "POST",
            f"{account.server_url}/api/v1/statuses",
            write=True,
            json=body,
            # The server answers a replay of this key (kept 1 h) with the original status.
            headers={**_bearer(account), "Idempotency-Key": request.key},
        )
        return _remote(response.json())

    def _upload(self, account: Account, image: Image) -> str:
        # Not idempotent, but harmless to repeat: an unattached upload is discarded.
        response = _http.request(
            "POST",
            f"{account.server_url}/api/v2/media",
            write=False,
            headers=_bearer(account),
            files={"file": (image.filename, image.data, image.mime_type)},
            data={"description": image.alt_text},
        )
        media = response.json()
        if response.status_code == 202 or not media.get("url"):
            self._wait_until_processed(account, str(media["id"]))
        return str(media["id"])

    def _wait_until_processed(self, account: Account, media_id: str) -> None:
        """202 on upload: poll until 200 (206 while processing), as media.md says."""
        deadline = time.monotonic() + MEDIA_READY_TIMEOUT
        delay = 0.25
        while time.monotonic() < deadline:
            response = _http.request(
                "GET", f"{account.server_url}/api/v1/media/{media_id}", headers=_bearer(account)
            )
            if response.status_code == 200:
                return
            time.sleep(delay)
            delay = min(delay * 2, 4.0)
        raise TransientError(
            Message(
                N_("{network} : l'image est encore en cours de traitement."), network="Mastodon"
            )
        )

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The account's statuses since `since` whose text and media count match.
        (A retry also sends the same Idempotency-Key, which the server honours for an
        hour: two safeguards.)"""
        response = _http.request(
            "GET",
            f"{account.server_url}/api/v1/accounts/{account.remote_id}/statuses",
            headers=_bearer(account),
            params={
                "min_id": str(snowflake_floor(since) - (300_000 << 16)),
                "limit": 40,
                "exclude_reblogs": "true",
            },
        )
        # With no text, Mastodon published the warning as the text (see extra_checks).
        wanted = comparable_text(request.text or request.content_warning)
        for status in response.json():
            same_text = comparable_text(html_to_text(status.get("content") or "")) == wanted
            if same_text and len(status.get("media_attachments") or []) == len(request.images):
                return _remote(status)
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        try:
            _http.request(
                "DELETE",
                f"{account.server_url}/api/v1/statuses/{post.remote_id}",
                write=True,
                headers=_bearer(account),
            )
        except PermanentError as exc:
            if exc.status != 404:  # already gone: what we wanted
                raise

    def repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost:
        # Boosting twice returns the existing boost (reblog_service.rb): idempotent.
        status_id = self._local_id(account, original)
        response = _http.request(
            "POST",
            f"{account.server_url}/api/v1/statuses/{status_id}/reblog",
            write=True,
            headers=_bearer(account),
        )
        boost = response.json()
        return RemotePost(
            remote_id=str(boost["id"]), url=original.url, data={"reblog_of": status_id}
        )

    def find_repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost | None:
        status_id = self._local_id(account, original)
        response = _http.request(
            "GET", f"{account.server_url}/api/v1/statuses/{status_id}", headers=_bearer(account)
        )
        if response.json().get("reblogged"):
            return RemotePost(remote_id="", url=original.url, data={"reblog_of": status_id})
        return None

    def _local_id(self, account: Account, original: RemotePost) -> str:
        """The id of `original` on `account`'s instance."""
        if original.url.startswith(account.server_url + "/") or not original.url:
            return original.remote_id
        response = _http.request(
            "GET",
            f"{account.server_url}/api/v2/search",
            headers=_bearer(account),
            params={"q": original.url, "type": "statuses", "resolve": "true", "limit": 1},
        )
        statuses = response.json().get("statuses") or []
        if not statuses:
            raise PermanentError(
                Message(N_("Mastodon : la publication à partager est introuvable sur ce serveur."))
            )
        return str(statuses[0]["id"])

    # --- metrics ----------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Counts from the statuses, 20 per request where the server has the batch
        lookup (a missing id is skipped: deleted or hidden); one by one otherwise."""
        found: dict[str, Metrics] = {}
        ids = list(dict.fromkeys(post.remote_id for post in posts))
        if account.server_url not in _NO_BATCH_LOOKUP:
            try:
                for start in range(0, len(ids), STATUSES_BATCH):
                    response = _http.request(
                        "GET",
                        f"{account.server_url}/api/v1/statuses",
                        headers=_bearer(account),
                        params=[("id[]", i) for i in ids[start : start + STATUSES_BATCH]],
                    )
                    for status in response.json():
                        found[str(status["id"])] = _metrics(status)
                return found
            except PermanentError as exc:
                if exc.status not in (404, 405, 422) or found:
                    raise
                _NO_BATCH_LOOKUP.add(account.server_url)
        for status_id in ids:
            try:
                response = _http.request(
                    "GET",
                    f"{account.server_url}/api/v1/statuses/{status_id}",
                    headers=_bearer(account),
                )
            except PermanentError as exc:
                if exc.status in (404, 410):
                    continue
                raise
            found[status_id] = _metrics(response.json())
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
        """favourited_by / reblogged_by, newest first, following the `Link: rel="next"`
        header (on the same server only). Remote interactions the server never
        received are counted but not listed: the list can be shorter than the count."""
        path = "favourited_by" if kind == "like" else "reblogged_by"
        url: str = f"{account.server_url}/api/v1/statuses/{post.remote_id}/{path}"
        params: dict | None = {"limit": ACCOUNTS_PAGE}
        origin = urlsplit(account.server_url)
        host = origin.netloc.lower()  # as in `verify`'s handle: @user@host
        engagers: list[Engager] = []
        for _page in range(max_pages):
            response = _http.request("GET", url, headers=_bearer(account), params=params)
            page = [_engager(a, host) for a in response.json()]
            engagers += page
            following = (response.links.get("next") or {}).get("url", "")
            seen = known is not None and any(known(e.key) for e in page)
            seen = seen or (total is not None and len(engagers) >= total)
            if seen or not page or not following:
                break
            if urlsplit(following)[:2] != origin[:2]:
                break  # never follow a link to another server
            url, params = following, None
        return engagers

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        response = _http.request(
            "GET",
            f"{account.server_url}/api/v1/accounts/verify_credentials",
            headers=_bearer(account),
        )
        data = response.json()
        host = account.server_url.split("://", 1)[-1]
        return AccountInfo(
            remote_id=str(data["id"]),
            handle=f"@{data.get('acct') or data.get('username')}@{host}",
            display_name=data.get("display_name") or data.get("username") or "",
            avatar_url=data.get("avatar") or "",
            server_url=account.server_url,
        )

    def instance_configuration(self, server_url: str) -> dict:
        """`GET /api/v2/instance` → its `configuration` (limits for the composer)."""
        response = _http.request("GET", f"{server_url}/api/v2/instance")
        return response.json().get("configuration") or {}

    # --- connect flow ----------------------------------------------------------------------
    def register_app(self, server_url: str, *, redirect_uri: str, website: str = "") -> dict:
        """`POST /api/v1/apps`: once per instance; returns client_id and client_secret."""
        response = _http.request(
            "POST",
            f"{server_url}/api/v1/apps",
            data={
                "client_name": "Annexe",
                "redirect_uris": redirect_uri,
                "scopes": " ".join(SCOPES),
                "website": website,
            },
        )
        data = response.json()
        return {"client_id": data["client_id"], "client_secret": data["client_secret"]}

    def authorization_url(
        self, server_url: str, *, client_id: str, redirect_uri: str, state: str, code_verifier: str
    ) -> str:
        return oauth.authorization_url(
            authorize_url=f"{server_url}/oauth/authorize",
            client_id=client_id,
            redirect_uri=redirect_uri,
            scopes=SCOPES,
            state=state,
            code_verifier=code_verifier,
        )

    def exchange_code(
        self,
        server_url: str,
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        code: str,
        code_verifier: str,
    ) -> dict:
        token = oauth.exchange_code(
            network="Mastodon",
            token_url=f"{server_url}/oauth/token",
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=code_verifier,
        )
        # Mastodon tokens do not expire; there is no refresh token (oauth-tokens.md).
        return {"access_token": token["access_token"], "scope": token.get("scope", "")}

    def revoke(self, account: Account, *, client_id: str, client_secret: str) -> None:
        """`POST /oauth/revoke` (on disconnect); a failure is not worth stopping for."""
        token = account.credentials.get("access_token")
        if not token:
            return
        _http.request(
            "POST",
            f"{account.server_url}/oauth/revoke",
            data={"client_id": client_id, "client_secret": client_secret, "token": token},
        )
