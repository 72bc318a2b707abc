"""Threads (Meta's Threads API).

Counting: "Text posts are limited to 500 characters. Emojis are counted as the number of
UTF-8 bytes." (developers.facebook.com/documentation/threads/posts, Limitations, read
2026-04). We count user-perceived characters (grapheme clusters, as the page's reference
to grapheme-splitter suggests), an emoji counting its UTF-8 length instead of 1: 😀 is 4,
👍🏽 is 8, the ZWJ family 👨‍👩‍👧‍👦 is 25. Links count in full. More than five links make the
post fail (THREADS_API__LINK_LIMIT_EXCEEDED, since 2025-12-22).

Only one hashtag becomes the post's topic; more are kept as plain text (Ayrshare).

The second section is the client (`ThreadsClient`), with Threads' own OAuth.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from networks import graph, oauth
from networks import text as textlib
from networks.base import ImageLimits, Network, Problem, TextLimits, VariantInput
from networks.client import (
    Account,
    AccountInfo,
    Image,
    Metrics,
    NetworkClient,
    PermanentError,
    PublishRequest,
    RateLimited,
    RemotePost,
    TransientError,
    utcnow,
)
from networks.messages import Message


class Threads(Network):
    key = "threads"
    name = "Threads"
    text_limits = TextLimits(max_length=500, max_links=5)
    image_limits = ImageLimits(
        max_count=20,  # carousel up to 20 items (third-party guides)
        max_bytes=8_000_000,
        formats=("image/jpeg", "image/png"),
        min_aspect=0.1,  # at most 10:1 either way
        max_aspect=10.0,
        min_width=320,
        max_width=1440,
        alt_text_max=1000,  # alt_text limit unconfirmed: conservative
        animated_gif="never",
    )

    def measure(self, text: str) -> int:
        text = textlib.prepare_text(text)
        count = textlib.grapheme_count(text)
        for start, end in textlib.emoji_clusters(text):
            count += textlib.utf8_length(text[start:end]) - 1
        return count

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        if len({h.tag.casefold() for h in textlib.extract_hashtags(text)}) > 1:
            return [
                self.problem(
                    "hashtags_not_topics",
                    "warning",
                    "text",
                    _(
                        "{network} : seul le premier hashtag devient le sujet du post ; "
                        "les autres restent du texte."
                    ),
                )
            ]
        return []

    def client(self) -> ThreadsClient:
        return ThreadsClient()


# ======================================================================================
# Client: Threads containers (TEXT, IMAGE, CAROUSEL), publishing quota, find, delete,
# metrics, and the Threads OAuth (its own app id, `graph.threads.net`). Sources:
# developers.facebook.com/docs/threads: posts, get-started/long-lived-tokens,
# troubleshooting/publishing-limits, insights, posts/delete-posts (NETWORKS.md § 7).
# ======================================================================================
FIND_SLACK = timedelta(minutes=5)
SCOPES = ["threads_basic", "threads_content_publish", "threads_manage_insights", "threads_delete"]
INSIGHT_METRICS = ("views", "likes", "replies", "reposts", "quotes")
QUOTA_WINDOW = 86400

_http = graph.make_http("Threads")
logger = logging.getLogger(__name__)


def _auth(account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {graph.token(account, 'Threads')}"}


def threads_base(server_url: str = "") -> str:
    return f"{(server_url or graph.THREADS_URL).rstrip('/')}/{graph.THREADS_VERSION}"


class ThreadsClient(NetworkClient):
    key = "threads"
    connect_kind = "oauth2"
    needs_public_image_urls = True
    poll_delays: tuple[float, ...] = ()

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        if any(not image.url for image in request.images):
            raise PermanentError(
                Message(
                    N_("{network} : les photos n'ont pas d'adresse publique."), network="Threads"
                )
            )
        self._check_quota(account)
        images = request.images
        if not images:
            fields = {"media_type": "TEXT", "text": request.text}
            if request.link and request.link not in request.text:
                fields["link_attachment"] = request.link
            creation_id = self._container(account, fields)
        elif len(images) == 1:
            creation_id = self._container(
                account, {"media_type": "IMAGE", "text": request.text, **_image_fields(images[0])}
            )
        else:
            # Every item first, then the waits (see InstagramClient.publish).
            children = [
                self._container(
                    account,
                    {"media_type": "IMAGE", "is_carousel_item": "true", **_image_fields(image)},
                    wait=False,
                )
                for image in images
            ]
            for child in children:
                self._wait(account, child)
            creation_id = self._container(
                account,
                {"media_type": "CAROUSEL", "children": ",".join(children), "text": request.text},
            )
        try:
            response = _http.request(
                "POST",
                f"{threads_base(account.server_url)}/{account.remote_id}/threads_publish",
                write=True,
                headers=_auth(account),
                data={"creation_id": creation_id},
            )
        except RateLimited as exc:
            if exc.reset_at is not None:
                raise
            raise RateLimited(
                exc.message, reset_at=self._quota_reset(account), status=exc.status, code=exc.code
            ) from exc
        return self._post(account, str(response.json()["id"]), container_id=creation_id)

    def _container(self, account: Account, fields: dict[str, str], *, wait: bool = True) -> str:
        response = _http.request(
            "POST",
            f"{threads_base(account.server_url)}/{account.remote_id}/threads",
            write=False,  # an unpublished container is harmless: it expires
            headers=_auth(account),
            data=fields,
        )
        container_id = str(response.json()["id"])
        if wait:
            self._wait(account, container_id)
        return container_id

    def _wait(self, account: Account, container_id: str) -> None:
        graph.wait_until_finished(
            lambda: self._status(account, container_id), network="Threads", delays=self.poll_delays
        )

    def _status(self, account: Account, container_id: str) -> tuple[str, str]:
        response = _http.request(
            "GET",
            f"{threads_base(account.server_url)}/{container_id}",
            headers=_auth(account),
            params={"fields": "status,error_message"},
        )
        data = response.json()
        return data.get("status") or "", data.get("error_message") or ""

    def _post(self, account: Account, media_id: str, **data: str) -> RemotePost:
        response = _http.request(
            "GET",
            f"{threads_base(account.server_url)}/{media_id}",
            headers=_auth(account),
            params={"fields": "id,permalink,timestamp"},
        )
        media = response.json()
        return RemotePost(
            remote_id=media_id,
            url=media.get("permalink") or "",
            published_at=graph.parse_time(media.get("timestamp")),
            data=dict(data),
        )

    def quota(self, account: Account) -> tuple[int, int]:
        """(used, total) of the 24-hour publishing limit."""
        response = _http.request(
            "GET",
            f"{threads_base(account.server_url)}/{account.remote_id}/threads_publishing_limit",
            headers=_auth(account),
            params={"fields": "quota_usage,config"},
        )
        entry = (response.json().get("data") or [{}])[0]
        return int(entry.get("quota_usage") or 0), int(
            (entry.get("config") or {}).get("quota_total") or 0
        )

    def _check_quota(self, account: Account) -> None:
        used, total = self.quota(account)
        if total and used >= total:
            raise RateLimited(
                Message(graph.QUOTA_REACHED, network="Threads", used=used, total=total),
                reset_at=self._quota_reset(account, used=used, total=total),
                status=None,
                code="quota",
            )

    def _quota_reset(self, account: Account, *, used: int = 0, total: int = 0) -> datetime:
        now = utcnow()
        try:
            if not total:
                used, total = self.quota(account)
            response = _http.request(
                "GET",
                f"{threads_base(account.server_url)}/{account.remote_id}/threads",
                headers=_auth(account),
                params={
                    "fields": "id,timestamp",
                    "since": int(now.timestamp()) - QUOTA_WINDOW,
                    "limit": max(used, 1) + 5,
                },
            )
            times = [
                t
                for t in (graph.parse_time(m.get("timestamp")) for m in response.json()["data"])
                if t
            ]
        except (TransientError, RateLimited, PermanentError, KeyError, ValueError):
            return now + timedelta(hours=1)
        return graph.quota_reset(
            published=times, usage=used, total=max(total, 1), window=QUOTA_WINDOW, now=now
        )

    # --- after an ambiguous failure, delete ------------------------------------------------
    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        response = _http.request(
            "GET",
            f"{threads_base(account.server_url)}/{account.remote_id}/threads",
            headers=_auth(account),
            params={
                "fields": "id,text,timestamp,permalink,media_type,children",
                "since": int((since - FIND_SLACK).timestamp()),
                "limit": 25,
            },
        )
        wanted = graph.comparable(request.text)
        for post in response.json().get("data") or []:
            if graph.comparable(post.get("text") or "") != wanted:
                continue
            count = len((post.get("children") or {}).get("data") or [])
            if not count:
                count = 1 if post.get("media_type") == "IMAGE" else 0
            if count == len(request.images):
                return RemotePost(
                    remote_id=str(post["id"]),
                    url=post.get("permalink") or "",
                    published_at=graph.parse_time(post.get("timestamp")),
                )
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        try:
            _http.request(
                "DELETE",
                f"{threads_base(account.server_url)}/{post.remote_id}",
                write=True,
                headers=_auth(account),
            )
        except PermanentError as exc:
            if not graph.is_gone(exc):
                raise

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        response = _http.request(
            "GET",
            f"{threads_base(account.server_url)}/me",
            headers=_auth(account),
            params={"fields": "id,username,name,threads_profile_picture_url"},
        )
        data = response.json()
        return AccountInfo(
            remote_id=str(data["id"]),
            handle=f"@{data.get('username') or data['id']}",
            display_name=data.get("name") or data.get("username") or "",
            avatar_url=data.get("threads_profile_picture_url") or "",
            server_url=account.server_url,
        )

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        found: dict[str, Metrics] = {}
        for post in posts:
            values = self._insights(account, post.remote_id)
            if values is None:
                continue
            found[post.remote_id] = Metrics(
                likes=values.get("likes"),
                replies=values.get("replies"),
                shares=values.get("reposts"),
                quotes=values.get("quotes"),
                impressions=values.get("views"),
            )
        return found

    def _insights(self, account: Account, media_id: str) -> dict[str, int] | None:
        """All metrics at once; when Meta refuses the list (a retired name fails the
        whole request), each one alone, skipping the refused ones."""
        url = f"{threads_base(account.server_url)}/{media_id}/insights"
        try:
            response = _http.request(
                "GET", url, headers=_auth(account), params={"metric": ",".join(INSIGHT_METRICS)}
            )
            return _values(response.json())
        except PermanentError as exc:
            if graph.is_gone(exc):
                return None
            logger.info("Threads insights refused for %s (%s): one by one", media_id, exc)
        values: dict[str, int] = {}
        for metric in INSIGHT_METRICS:
            try:
                response = _http.request(
                    "GET", url, headers=_auth(account), params={"metric": metric}
                )
            except PermanentError as exc:
                logger.info("Threads insight %s skipped for %s: %s", metric, media_id, exc)
                continue
            values.update(_values(response.json()))
        return values

    # --- connect flow (Threads' own OAuth) -------------------------------------------------
    def authorization_url(
        self, *, authorize_url: str, client_id: str, redirect_uri: str, state: str
    ) -> str:
        return oauth.authorization_url(
            authorize_url=authorize_url,
            client_id=client_id,
            redirect_uri=redirect_uri,
            # threads/get-started: "scope=threads_basic,threads_content_publish" (commas).
            scopes=[",".join(SCOPES)],
            state=state,
        )

    def exchange_code(
        self, *, server_url: str, client_id: str, client_secret: str, redirect_uri: str, code: str
    ) -> dict:
        """Code → short-lived token (`{access_token, user_id}`) → long-lived token
        (`th_exchange_token`, ~60 days). Returns `{access_token, user_id, expires_in}`."""
        root = (server_url or graph.THREADS_URL).rstrip("/")
        short = oauth.exchange_code(
            network="Threads",
            token_url=f"{root}/oauth/access_token",
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=redirect_uri,
            code=code,
        )
        response = _http.request(
            "GET",
            f"{root}/access_token",
            params={
                "grant_type": "th_exchange_token",
                "client_secret": client_secret,
                "access_token": short["access_token"],
            },
        )
        long_lived = response.json()
        return {
            "access_token": long_lived["access_token"],
            "user_id": str(short.get("user_id") or ""),
            "expires_in": long_lived.get("expires_in"),
        }

    def refresh_token(self, account: Account) -> dict:
        """`th_refresh_token`: a long-lived token at least a day old and not expired
        gets 60 more days. Saves the new token (`update_credentials`); returns the
        answer (`access_token`, `expires_in`)."""
        root = (account.server_url or graph.THREADS_URL).rstrip("/")
        response = _http.request(
            "GET",
            f"{root}/refresh_access_token",
            params={
                "grant_type": "th_refresh_token",
                "access_token": graph.token(account, "Threads"),
            },
        )
        answer = response.json()
        account.update_credentials({**account.credentials, "access_token": answer["access_token"]})
        return answer


def _image_fields(image: Image) -> dict[str, str]:
    fields = {"image_url": image.url}
    if image.alt_text:
        fields["alt_text"] = image.alt_text
    return fields


def _values(body: dict) -> dict[str, int]:
    return {
        row["name"]: row["values"][0]["value"]
        for row in body.get("data") or []
        if row.get("values") and isinstance(row["values"][0].get("value"), int)
    }
