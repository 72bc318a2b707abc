"""X (formerly Twitter), API v2.

Counting: twitter-text v3's weighted length (twitter/twitter-text `config/v3.json`:
maxWeightedTweetLength 280, scale 100, defaultWeight 200, emojiParsingEnabled,
transformedURLLength 23), after NFC normalisation:
- code points in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1
  (Latin with its accents, Greek, Cyrillic, Hebrew, Arabic, most punctuation);
- every other code point weighs 2 (CJK, Hangul, most emoji, symbols);
- an emoji, however many code points it has (skin tone, ZWJ family, flag, keycap, tag
  sequence), weighs 2; © and ® only with the emoji selector (U+FE0F);
- every URL, with or without a scheme, weighs 23 (t.co).
Emoji are recognised by grapheme cluster rather than twitter-text's bundled emoji list,
so emoji newer than that list also weigh 2, as X's current apps count them.

A maintained Python port exists (twitter-text-parser 3.0.0) but is unmaintained since
2023, bundles Unicode 12 emoji data and needs pkg_resources; this module is short and
tested against the conformance cases instead.
"""

from __future__ import annotations

import html
import logging
import re
import time
from datetime import UTC, datetime, timedelta

import regex
import requests
from django.utils.translation import gettext_noop as _

from networks import oauth
from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
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
    RateLimited,
    RemotePost,
    TransientError,
    utcnow,
)
from networks.http import EndpointBudgets, HttpClient, error_text, reset_time
from networks.messages import Message

# Code points of weight 1 in twitter-text v3; everything else weighs 2.
_LIGHT = regex.compile(r"[\u0000-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]+")


def _weight(segment: str) -> int:
    if segment.isascii():
        return len(segment)
    weight = len(segment) + len(_LIGHT.sub("", segment))  # 1 each, +1 for the heavy ones
    for start, end in textlib.emoji_clusters(segment):
        cluster = segment[start:end]
        weight += 2 - (len(cluster) + len(_LIGHT.sub("", cluster)))
    return weight


class X(Network):
    key = "x"
    name = "X"
    url_weight = 23
    # Creation-time caps from twitter/the-algorithm, tweetypie TweetText.scala
    # (maxMentions 50, maxUrls 10, maxHashtags 50).
    text_limits = TextLimits(max_length=280, max_hashtags=50, max_mentions=50, max_links=10)
    image_limits = ImageLimits(
        max_count=4,
        max_bytes=5_000_000,  # "image ≤ 5 MB"
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        alt_text_max=1000,  # POST /2/media/metadata (client code; unconfirmed)
        animated_gif="alone",  # 4 photos, or 1 GIF, or 1 video
    )
    config_attributes = ("url_weight",)

    def measure(self, text: str) -> int:
        text = textlib.prepare_text(text)
        total, position = 0, 0
        for url in textlib.extract_urls(text):
            total += _weight(text[position : url.start]) + self.url_weight
            position = url.end
        return total + _weight(text[position:])

    def client(self) -> XClient:
        return XClient()


# ======================================================================================
# Client: posts with photos (or one GIF) and their alt text, find after an ambiguous
# failure, duplicates never posted twice, delete, verify, metrics, OAuth 2.0 with PKCE
# and rotating refresh tokens. Sources (xdevplatform/docs, NETWORKS.md § 5):
# x-api/media/quickstart/media-upload-chunked and the v2 media reference,
# x-api/posts/manage-tweets, lookup, timelines; x-api/fundamentals/rate-limits,
# response-codes-and-errors, metrics; resources/fundamentals/authentication/oauth-2-0/
# authorization-code (PKCE, `offline.access`, 2-hour access tokens, refresh tokens
# that work once).
#
#   answer                                        kind
#   401                                           one refresh, then AuthError (reconnect)
#   403 "Forbidden" (scope), unsupported-auth     AuthError
#   403 client-forbidden (app outside a project)  PermanentError: Annexe's app setup
#   403 "…duplicate content."                     our earlier attempt when find() sees it
#                                                 (made since the first attempt), else
#                                                 PermanentError
#   429 x-rate-limit-reset (epoch)                RateLimited until that reset
#   429 usage-capped (pay-per-use budget spent)   PermanentError (weeks late is too late)
#   400 invalid-request (media type, too long…)   PermanentError with X's message
#   media processing_info "failed"                PermanentError with X's message
#   5xx                                           TransientError
#   read timeout / dropped during a write         AmbiguousError (networks.http)
# ======================================================================================
API_URL = "https://api.x.com"
OAUTH_URL = "https://x.com"
# Post (tweet.write needs tweet.read and users.read), upload media, read who the
# account is and its posts' metrics; like.read for who liked them (liking_users);
# offline.access for a refresh token.
SCOPES = ["tweet.read", "tweet.write", "users.read", "media.write", "like.read", "offline.access"]
CHUNK_BYTES = 1024 * 1024
# Media processing (GIFs): X says when to check again; never wait longer than this.
PROCESSING_TIMEOUT = 120.0
PROCESSING_PACE = 1.0  # tests speed X's check_after_secs up
REFRESH_MARGIN = timedelta(minutes=2)
FIND_SLACK = timedelta(minutes=5)
DEFAULT_THROTTLE_WAIT = timedelta(minutes=15)  # a 429 without its reset header
PROBLEMS = "https://api.twitter.com/2/problems/"
# Who liked / reposted (x-api/posts/likes, x-api/posts/retweets): 75 requests per 15
# minutes per user each, up to 100 accounts a page; liking_users lists only the 100
# most recent likers of a post, ever.
ENGAGER_ENDPOINTS: dict[str, str] = {"like": "liking_users", "share": "retweeted_by"}
ENGAGERS_PAGE = 100
# A list refused for want of a scope (an account connected before like.read was
# asked): not asked again for this long, nor does it ask to reconnect.
REFUSED_LIST_WAIT = timedelta(days=1)
_list_budgets = EndpointBudgets()

logger = logging.getLogger(__name__)


def _body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _words(body: dict, response: requests.Response) -> str:
    """X's words: the first parameter error of an invalid request (v2) or of a v1.1
    body, else the problem's detail."""
    errors = body.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else None
    if isinstance(first, dict) and first.get("message"):
        return str(first["message"])
    return str(body.get("detail") or body.get("title") or error_text(response))


def _classify(response: requests.Response, write: bool) -> NetworkError | None:
    body = _body(response)
    status = response.status_code
    kind = str(body.get("type") or "").removeprefix(PROBLEMS)
    words = _words(body, response)
    text = Message(_("{network} : {words}"), network="X", words=words)
    if status == 401:
        return AuthError(text, status=status, code=kind)
    if status == 403:
        if "duplicate content" in words:
            return PermanentError(text, status=status, code="duplicate")
        if words == "Forbidden" or kind == "unsupported-authentication":
            return AuthError(text, status=status, code=kind or "forbidden")
        return PermanentError(text, status=status, code=kind)
    if status == 429 and kind == "usage-capped":
        # The app's pay-per-use budget is spent: waiting for the next period would send
        # the post days or weeks late; it fails, with X's words, until credits are added
        # and it is retried.
        return PermanentError(
            Message(
                _(
                    "{message} (crédits de l'API X épuisés : ajoutez-en, puis relancez la"
                    " publication)"
                ),
                message=text,
            ),
            status=status,
            code=kind,
        )
    if status == 429:
        now = utcnow()
        reset = reset_time(response.headers, now) or now + DEFAULT_THROTTLE_WAIT
        return RateLimited(text, reset_at=reset, status=status, code=kind)
    if status >= 500 or status in (408, 425):
        return TransientError(text, status=status, code=kind)
    return PermanentError(text, status=status, code=kind)


_http = HttpClient("x", classify=_classify, name="X")


def api_base(account: Account) -> str:
    return (account.server_url or API_URL).rstrip("/")


def post_url(account: Account, post_id: str) -> str:
    username = account.handle.lstrip("@")
    return f"https://x.com/{username or 'i/web'}/status/{post_id}"


def comparable(text: str, *, trailing_media_link: bool = False) -> str:
    """Text for matching: X wraps every URL in t.co and shows attached media as one
    more t.co link at the end, and escapes &, < and >."""
    text = html.unescape(text or "")
    if trailing_media_link:
        text = re.sub(r"\s*https://t\.co/\S+\s*$", "", text)
    # X links URLs written without a scheme too (bib.example.fr): find them as
    # `measure` does, so both sides read "URL".
    pieces, position = [], 0
    for url in textlib.extract_urls(text):
        pieces += [text[position : url.start], "URL"]
        position = url.end
    pieces.append(text[position:])
    return " ".join("".join(pieces).split())


def credentials_from_token(token: dict, *, previous: dict | None = None) -> dict:
    """What Annexe keeps of a token answer: the access token, its expiry (epoch
    seconds), the refresh token (a new one at each refresh: the old one stops working)."""
    credentials = dict(previous or {})
    credentials["access_token"] = token["access_token"]
    if token.get("expires_in"):
        credentials["expires_at"] = int(time.time() + float(token["expires_in"]))
    if token.get("refresh_token"):
        credentials["refresh_token"] = token["refresh_token"]
    if token.get("scope"):
        scope = token["scope"]
        credentials["scope"] = " ".join(scope) if isinstance(scope, list) else scope
    return credentials


class XClient(NetworkClient):
    key = "x"
    connect_kind = "oauth2"
    # GET /2/tweets?ids= looks up to 100 posts at once (each post read is billed).
    metrics_batch_size = 100
    supports_engagers = True

    # --- HTTP with a fresh token ---------------------------------------------------------
    def _call(self, method: str, account: Account, path: str, **kwargs) -> requests.Response:
        """A request with the account's token, refreshed first when it is about to
        expire, and once more on a 401 (nothing was done: safe to repeat)."""
        self._fresh(account)
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {account.credentials['access_token']}"}
            try:
                return _http.request(
                    method, f"{api_base(account)}{path}", headers=headers, **kwargs
                )
            except AuthError as exc:
                if (
                    attempt == 2
                    or exc.status != 401
                    or not account.credentials.get("refresh_token")
                ):
                    raise
                self.refresh(account)
        raise AssertionError("unreachable")

    def _fresh(self, account: Account) -> None:
        credentials = account.credentials
        if not credentials.get("access_token"):
            raise AuthError(
                Message(_("{network} : le compte n'a pas de jeton d'accès."), network="X")
            )
        expires_at = credentials.get("expires_at")
        if (
            expires_at
            and credentials.get("refresh_token")
            and time.time() >= float(expires_at) - REFRESH_MARGIN.total_seconds()
        ):
            self.refresh(account)

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        """Media first (an unused upload expires: harmless), alt text on each, then the
        post. X has no idempotency key; a repeated text is refused (403), which find()
        tells apart from a real repetition."""
        media_ids = [self._upload(account, image) for image in request.images]
        body: dict = {"text": request.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        try:
            response = self._call("POST", account, "/2/tweets", write=True, json=body)
        except PermanentError as exc:
            if exc.code != "duplicate" or request.created_at is None:
                raise
            earlier = self.find(account, request, since=request.created_at)
            if earlier is not None:
                return earlier
            raise
        post_id = str(response.json()["data"]["id"])
        return RemotePost(remote_id=post_id, url=post_url(account, post_id), published_at=utcnow())

    def _upload(self, account: Account, image: Image) -> str:
        if image.mime_type == "image/gif" or len(image.data) > CHUNK_BYTES * 4:
            media_id = self._upload_chunked(account, image)
        else:
            response = self._call(
                "POST",
                account,
                "/2/media/upload",
                data={"media_category": "tweet_image", "media_type": image.mime_type},
                files={"media": (image.filename, image.data, image.mime_type)},
            )
            media_id = str(response.json()["data"]["id"])
        if image.alt_text:
            self._call(
                "POST",
                account,
                "/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": image.alt_text}}},
            )
        return media_id

    def _upload_chunked(self, account: Account, image: Image) -> str:
        """initialize → append (1 MB segments) → finalize → STATUS until succeeded."""
        category = "tweet_gif" if image.mime_type == "image/gif" else "tweet_image"
        response = self._call(
            "POST",
            account,
            "/2/media/upload/initialize",
            json={
                "media_type": image.mime_type,
                "total_bytes": len(image.data),
                "media_category": category,
            },
        )
        media_id = str(response.json()["data"]["id"])
        for index, start in enumerate(range(0, len(image.data), CHUNK_BYTES)):
            self._call(
                "POST",
                account,
                f"/2/media/upload/{media_id}/append",
                data={"segment_index": str(index)},
                files={"media": (image.filename, image.data[start : start + CHUNK_BYTES])},
            )
        response = self._call("POST", account, f"/2/media/upload/{media_id}/finalize")
        self._wait_processed(account, media_id, response.json().get("data") or {})
        return media_id

    def _wait_processed(self, account: Account, media_id: str, data: dict) -> None:
        deadline = time.monotonic() + PROCESSING_TIMEOUT
        while True:
            info = data.get("processing_info") or {}
            state = info.get("state")
            if state in (None, "succeeded"):
                return
            if state == "failed":
                error = info.get("error") or {}
                raise PermanentError(
                    Message(
                        _("{network} : média refusé ({words})."),
                        network="X",
                        words=error.get("message") or error.get("name") or state,
                    ),
                    code="media_failed",
                )
            wait = min(float(info.get("check_after_secs") or 1), PROCESSING_TIMEOUT)
            if time.monotonic() + wait > deadline:
                raise TransientError(
                    Message(
                        _("{network} : le média est encore en cours de traitement."), network="X"
                    )
                )
            time.sleep(wait * PROCESSING_PACE)
            response = self._call(
                "GET",
                account,
                "/2/media/upload",
                params={"command": "STATUS", "media_id": media_id},
            )
            data = response.json().get("data") or {}

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The account's posts since the first attempt whose text (URLs aside: X
        shows them as t.co links) and media count match."""
        response = self._call(
            "GET",
            account,
            f"/2/users/{account.remote_id}/tweets",
            params={
                "start_time": (since - FIND_SLACK).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "max_results": 100,
                "tweet.fields": "created_at,attachments",
            },
        )
        wanted = comparable(request.text)
        for post in response.json().get("data") or []:
            media = (post.get("attachments") or {}).get("media_keys") or []
            shown = comparable(post.get("text") or "", trailing_media_link=bool(media))
            if shown == wanted and len(media) == len(request.images):
                created = post.get("created_at")
                return RemotePost(
                    remote_id=str(post["id"]),
                    url=post_url(account, str(post["id"])),
                    published_at=datetime.fromisoformat(created.replace("Z", "+00:00"))
                    if created
                    else None,
                )
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        # An unknown or already deleted post answers {"deleted": false}: what we wanted.
        self._call("DELETE", account, f"/2/tweets/{post.remote_id}", write=True)

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        response = self._call(
            "GET", account, "/2/users/me", params={"user.fields": "profile_image_url"}
        )
        data = response.json()["data"]
        return AccountInfo(
            remote_id=str(data["id"]),
            handle=f"@{data['username']}",
            display_name=data.get("name") or data["username"],
            avatar_url=data.get("profile_image_url") or "",
            server_url=account.server_url,
        )

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Public metrics (likes, replies, reposts, quotes, impressions) and, for the
        account's posts of the last 30 days, link clicks from the non-public metrics,
        up to 100 posts per request. A field X refuses (`not-authorized-for-field`)
        is logged and skipped; a post X no longer has is left out."""
        found: dict[str, Metrics] = {}
        for start in range(0, len(posts), self.metrics_batch_size):
            batch = posts[start : start + self.metrics_batch_size]
            response = self._call(
                "GET",
                account,
                "/2/tweets",
                params={
                    "ids": ",".join(p.remote_id for p in batch),
                    "tweet.fields": "public_metrics,non_public_metrics",
                },
            )
            body = response.json()
            for error in body.get("errors") or []:
                if str(error.get("type", "")).endswith("resource-not-found"):
                    continue  # deleted on X: left out of the answer
                logger.info(
                    "X metric %s skipped for %s: %s",
                    error.get("field") or error.get("parameter"),
                    error.get("resource_id") or error.get("value"),
                    error.get("detail") or error.get("title"),
                )
            for data in body.get("data") or []:
                public = data.get("public_metrics") or {}
                private = data.get("non_public_metrics") or {}
                found[str(data["id"])] = Metrics(
                    likes=public.get("like_count"),
                    replies=public.get("reply_count"),
                    shares=public.get("retweet_count"),
                    quotes=public.get("quote_count"),
                    impressions=public.get("impression_count", private.get("impression_count")),
                    clicks=private.get("url_link_clicks"),
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
        """`GET /2/tweets/:id/liking_users` or `/retweeted_by`, 100 accounts a page,
        `meta.next_token` for the next. X's windows are tiny (75 requests per 15
        minutes each): the answer's `x-rate-limit-remaining` and `-reset` are kept, and
        once nothing is left, no request is made before the reset (RateLimited with
        scope "endpoint": the counts go on). Engagers are X user ids; no domain."""
        endpoint = ENGAGER_ENDPOINTS[kind]
        budget = (api_base(account), account.remote_id, endpoint)
        waiting = _list_budgets.blocked_until(budget)
        if waiting is not None:
            raise RateLimited(
                f"X: {endpoint} paused until its reset",
                reset_at=waiting,
                code="list_budget",
                scope="endpoint",
            )
        params: dict = {"max_results": ENGAGERS_PAGE}
        engagers: list[Engager] = []
        for _page in range(max_pages):
            if engagers and _list_budgets.blocked_until(budget) is not None:
                # Never a partial list (the caller would forget the rest): wait.
                raise RateLimited(
                    f"X: {endpoint} paused until its reset",
                    reset_at=_list_budgets.blocked_until(budget),
                    code="list_budget",
                    scope="endpoint",
                )
            response = self._list_page(account, post, endpoint, budget, params)
            body = response.json()
            page = [
                Engager(key=str(user["id"]), handle=f"@{user.get('username') or ''}", domain="")
                for user in body.get("data") or []
            ]
            engagers += page
            following = (body.get("meta") or {}).get("next_token")
            seen = known is not None and any(known(e.key) for e in page)
            seen = seen or (total is not None and len(engagers) >= total)
            if seen or not page or not following:
                break
            params = {"max_results": ENGAGERS_PAGE, "pagination_token": following}
        return engagers

    def _list_page(self, account, post, endpoint, budget, params) -> requests.Response:
        try:
            response = self._call(
                "GET", account, f"/2/tweets/{post.remote_id}/{endpoint}", params=params
            )
        except RateLimited as exc:
            reset = exc.reset_at or utcnow() + DEFAULT_THROTTLE_WAIT
            _list_budgets.block(budget, reset)
            raise RateLimited(
                exc.message, reset_at=reset, status=exc.status, code=exc.code, scope="endpoint"
            ) from exc
        except AuthError as exc:
            if exc.status != 403:
                raise
            # A missing scope (like.read): ask again tomorrow, never "reconnect".
            _list_budgets.block(budget, utcnow() + REFUSED_LIST_WAIT)
            raise PermanentError(exc.message, status=exc.status, code=exc.code) from exc
        _list_budgets.note(budget, response.headers)
        return response

    # --- tokens ----------------------------------------------------------------------------
    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str) -> str:
        app = oauth.app("x")
        return oauth.authorization_url(
            authorize_url=f"{(app.auth_url or OAUTH_URL).rstrip('/')}/i/oauth2/authorize",
            client_id=app.client_id,
            redirect_uri=redirect_uri,
            scopes=SCOPES,
            state=state,
            code_verifier=code_verifier,
        )

    def exchange_code(
        self, *, server_url: str, redirect_uri: str, code: str, code_verifier: str
    ) -> dict:
        app = oauth.app("x")
        token = oauth.exchange_code(
            network="X",
            token_url=f"{(server_url or API_URL).rstrip('/')}/2/oauth2/token",
            client_id=app.client_id,
            client_secret=app.client_secret,
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=code_verifier,
            basic_auth=True,
        )
        return credentials_from_token(token)

    def refresh(self, account: Account) -> datetime | None:
        """New tokens from the refresh token, saved at once: X's refresh tokens work
        once, so the new one must not be lost. When X refuses ours, another worker may
        have just used it: take the credentials it saved if they are newer."""
        refresh_token = account.credentials.get("refresh_token")
        if not refresh_token:
            raise AuthError(
                Message(_("X : pas de jeton de renouvellement ; reconnectez le compte."))
            )
        app = oauth.app("x")
        try:
            token = oauth.refresh_token(
                network="X",
                token_url=f"{api_base(account)}/2/oauth2/token",
                refresh_token=refresh_token,
                client_id=app.client_id,
                client_secret=app.client_secret,
                basic_auth=True,
            )
        except AuthError:
            saved = account.reload_credentials() if account.reload_credentials else {}
            if saved.get("refresh_token") and saved.get("refresh_token") != refresh_token:
                account.credentials = saved
                return _expiry(saved)
            raise
        credentials = credentials_from_token(token, previous=account.credentials)
        account.update_credentials(credentials)
        return _expiry(credentials)

    def revoke(self, account: Account) -> None:
        """`POST /2/oauth2/revoke` of the refresh token, then the access token (both
        tried; the first failure is raised after)."""
        app = oauth.app("x")
        auth = (app.client_id, app.client_secret) if app.client_secret else None
        failure: NetworkError | None = None
        for name in ("refresh_token", "access_token"):
            value = account.credentials.get(name)
            if not value:
                continue
            data = {"token": value, "token_type_hint": name}
            if auth is None:
                data["client_id"] = app.client_id
            try:
                _http.request("POST", f"{api_base(account)}/2/oauth2/revoke", data=data, auth=auth)
            except NetworkError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure


def _expiry(credentials: dict) -> datetime | None:
    expires_at = credentials.get("expires_at")
    return datetime.fromtimestamp(float(expires_at), UTC) if expires_at else None
