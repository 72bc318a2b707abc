"""LinkedIn organization pages (Posts API, `commentary`).

Counting: 3,000 characters (Postiz; not confirmed by LinkedIn's documentation). The unit
is not documented; we count UTF-16 code units, like the Java platform LinkedIn runs on
and the largest of the usual counts. The commentary is sent in LinkedIn's "little" format
with reserved characters escaped by the publisher; whether the escapes count is
unconfirmed, we count the text as written.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

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
from networks.http import EndpointBudgets, HttpClient, error_text
from networks.messages import Message


class LinkedIn(Network):
    key = "linkedin"
    name = "LinkedIn"
    text_limits = TextLimits(max_length=3000)
    image_limits = ImageLimits(
        max_count=20,  # multiImage 2–20, or a single media
        max_bytes=5_000_000,  # 5 or 8 MB, unconfirmed: conservative
        formats=("image/jpeg", "image/png", "image/gif"),
        max_pixels=36_152_319,  # "fewer than 36,152,320 pixels" (Ayrshare)
        alt_text_max=300,  # client code, unconfirmed
        animated_gif="alone",  # GIF as a single media only (multiImage: unconfirmed)
    )

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))

    def client(self) -> LinkedInClient:
        return LinkedInClient()


# ======================================================================================
# Client: organization posts with images (Images API, then Posts API), find after an
# ambiguous failure, delete, verify, metrics, token refresh, and the connect steps.
# Sources (learn.microsoft.com/linkedin, NETWORKS.md § 6): marketing/community-management
# shares/images-api, posts-api, multiimage-post-api, little-text-format;
# organizations/organization-access-control-by-role, share-statistics;
# shares/network-update-social-actions; shared/authentication/authorization-code-flow,
# programmatic-refresh-tokens; shared/api-guide/concepts/rate-limits, error-handling.
#
#   answer                                        kind
#   401 (65600 invalid, 65601 revoked,            AuthError (reconnect), after one refresh
#   65602 expired)                                when a refresh token was granted
#   403 ACCESS_DENIED (scope or page role lost)   AuthError: reconnecting grants it again
#   429 (daily quotas, no headers)                RateLimited until the next midnight UTC
#   422 DUPLICATE_POST "…duplicate of urn:…"      the existing post when it is ours (made
#                                                 since the first attempt), else permanent
#   image PROCESSING_FAILED, other 4xx            PermanentError, LinkedIn's message
#   5xx                                           TransientError
#   read timeout / dropped during a write         AmbiguousError (networks.http)
# ======================================================================================

API_URL = "https://api.linkedin.com"
OAUTH_URL = "https://www.linkedin.com"
# Monthly versions live about a year (marketing/versioning): move this forward yearly.
API_VERSION = "202611"
# Post as the organization, read its posts and social actions, read its statistics and
# the member's page roles; `openid profile` for who connected it.
SCOPES = [
    "openid",
    "profile",
    "w_organization_social",
    "r_organization_social",
    "rw_organization_admin",
]
POSTING_ROLES = ("ADMINISTRATOR", "CONTENT_ADMINISTRATOR")
# Image processing: usually ready at once; tests shorten the delays.
POLL_DELAYS: tuple[float, ...] = (0.2, 0.5, 1, 2, 3, 5, 8, 13)
# Looking back this far before the first attempt (LinkedIn's clock against ours).
FIND_SLACK = timedelta(minutes=5)
REFRESH_MARGIN = timedelta(minutes=5)
# Reserved characters of the "little" text format (little-text-format), escaped with a
# backslash or LinkedIn silently cuts the text there. `#` is left as typed so hashtags
# stay hashtags (as Postiz does); URLs are left untouched.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~])")
_URL = re.compile(r"https?://\S+")
_DUPLICATE_URN = re.compile(r"urn:li:(?:share|ugcPost):\d+")
# Who reacted (shares/reactions-api): `start`/`count` pages, newest first with
# sort=(value:REVERSE_CHRONOLOGICAL); the largest page LinkedIn accepts is
# unconfirmed. No API lists who reshared an organization's post.
REACTIONS_PAGE = 100
# Reactions refused (403: the app lacks the Community Management permission, or the
# member's page role) are not asked again for this long.
REFUSED_LIST_WAIT = timedelta(days=1)
_list_budgets = EndpointBudgets()
NO_TOKEN = Message(_("{network} : le compte n'a pas de jeton d'accès."), network="LinkedIn")

logger = logging.getLogger(__name__)


def little(text: str) -> str:
    """`text` in LinkedIn's little format: reserved characters escaped, URLs kept."""
    pieces, position = [], 0
    for url in _URL.finditer(text):
        pieces += [_RESERVED.sub(r"\\\1", text[position : url.start()]), url.group()]
        position = url.end()
    pieces.append(_RESERVED.sub(r"\\\1", text[position:]))
    return "".join(pieces)


def unlittle(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text or "")


def _comparable(text: str) -> str:
    return " ".join(unlittle(text).split())


def next_midnight(now: datetime | None = None) -> datetime:
    """LinkedIn's daily quotas reset at midnight UTC (api-guide/concepts/rate-limits)."""
    now = now or utcnow()
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def _body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _classify(response: requests.Response, write: bool) -> NetworkError | None:
    body = _body(response)
    status = response.status_code
    # Rest.li errors say `code`/`serviceErrorCode`; OAuth endpoints say `error`.
    code = str(body.get("code") or body.get("serviceErrorCode") or body.get("error") or "")
    text = Message(
        _("{network} : {words}"),
        network="LinkedIn",
        words=body.get("message") or error_text(response),
    )
    if status == 401:
        return AuthError(text, status=status, code=code)
    if status == 403:
        return AuthError(text, status=status, code=code)
    if status == 429:
        return RateLimited(text, reset_at=next_midnight(), status=status, code=code)
    if status >= 500 or status in (408, 425):
        return TransientError(text, status=status, code=code)
    return PermanentError(text, status=status, code=code)


_http = HttpClient("linkedin", classify=_classify, name="LinkedIn")


def api_base(account: Account) -> str:
    return (account.server_url or API_URL).rstrip("/")


def org_urn(account: Account) -> str:
    return f"urn:li:organization:{account.remote_id}"


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def _ms(value: object) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, UTC) if isinstance(value, int | float) else None


def _image_count(post: dict) -> int:
    content = post.get("content") or {}
    if "multiImage" in content:
        return len((content["multiImage"] or {}).get("images") or [])
    return 1 if "media" in content else 0


def credentials_from_token(token: dict, *, previous: dict | None = None) -> dict:
    """What Annexe keeps of a token answer: the access token, when it expires (epoch
    seconds), and the refresh token (approved partners only) with its own expiry."""
    now = time.time()
    credentials = dict(previous or {})
    credentials["access_token"] = token["access_token"]
    if token.get("expires_in"):
        credentials["expires_at"] = int(now + float(token["expires_in"]))
    if token.get("refresh_token"):
        credentials["refresh_token"] = token["refresh_token"]
        if token.get("refresh_token_expires_in"):
            credentials["refresh_token_expires_at"] = int(
                now + float(token["refresh_token_expires_in"])
            )
    if token.get("scope"):
        credentials["scope"] = token["scope"]
    return credentials


class LinkedInClient(NetworkClient):
    key = "linkedin"
    connect_kind = "oauth2"
    # One share-statistics call covers a list of posts (List(...) in the query).
    metrics_batch_size = 20
    supports_engagers = True
    engager_kinds = ("like",)  # reactions; reshares are counted, never listed

    # --- HTTP with the token and the Rest.li headers ---------------------------------------
    def _headers(self, account: Account, *, rest: bool = True) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self._token(account)}"}
        if rest:
            headers |= {"LinkedIn-Version": API_VERSION, "X-Restli-Protocol-Version": "2.0.0"}
        return headers

    def _token(self, account: Account) -> str:
        credentials = account.credentials
        if not credentials.get("access_token"):
            raise AuthError(NO_TOKEN)
        expires_at = credentials.get("expires_at")
        if (
            expires_at
            and credentials.get("refresh_token")
            and time.time() >= float(expires_at) - REFRESH_MARGIN.total_seconds()
        ):
            self.refresh(account)
        return account.credentials["access_token"]

    def _request(self, method: str, account: Account, path: str, **kwargs) -> requests.Response:
        rest = kwargs.pop("rest", True)
        url = path if path.startswith("http") else f"{api_base(account)}{path}"
        try:
            return _http.request(method, url, headers=self._headers(account, rest=rest), **kwargs)
        except AuthError as exc:
            # Expired earlier than we knew (65602): one refresh where a refresh token
            # was granted, then the same request (a 401 did nothing: safe to repeat).
            if exc.code != "EXPIRED_ACCESS_TOKEN" or not account.credentials.get("refresh_token"):
                raise
            self.refresh(account)
            return _http.request(method, url, headers=self._headers(account, rest=rest), **kwargs)

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        """Images first (initializeUpload, PUT the bytes, wait until AVAILABLE: an
        unused image is harmless), then one post: `content.media` for one image,
        `content.multiImage` for 2 to 20, `content.article` for a link alone."""
        images = [self._upload(account, image) for image in request.images]
        body: dict = {
            "author": org_urn(account),
            "commentary": little(request.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        elif request.link:
            body["content"] = {
                "article": {"source": request.link, "title": request.title or request.link}
            }
        try:
            response = self._request("POST", account, "/rest/posts", write=True, json=body)
        except PermanentError as exc:
            if exc.code != "DUPLICATE_POST":
                raise
            return self._duplicate(account, request, exc)
        urn = response.headers.get("x-restli-id") or ""
        return RemotePost(remote_id=urn, url=post_url(urn), published_at=utcnow())

    def _duplicate(
        self, account: Account, request: PublishRequest, exc: PermanentError
    ) -> RemotePost:
        """422 DUPLICATE_POST names the post it repeats. Made since our first attempt,
        it is that attempt (the answer was lost): it is the publication. Older, the
        library really repeats itself and LinkedIn refuses: permanent."""
        found = _DUPLICATE_URN.search(exc.message)
        if found and request.created_at is not None:
            try:
                post = self._request("GET", account, f"/rest/posts/{quote(found.group(), '')}")
            except PermanentError:
                post = None
            data = post.json() if post is not None else {}
            created = _ms(data.get("createdAt"))
            if created is not None and created >= request.created_at - FIND_SLACK:
                return RemotePost(
                    remote_id=found.group(), url=post_url(found.group()), published_at=created
                )
        raise PermanentError(
            Message(
                _("{message} (LinkedIn refuse de publier deux fois le même contenu)"),
                message=exc.message,
            ),
            status=exc.status,
            code=exc.code,
        )

    def _upload(self, account: Account, image: Image) -> dict:
        response = self._request(
            "POST",
            account,
            "/rest/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": org_urn(account)}},
        )
        value = response.json()["value"]
        # The upload URL is LinkedIn's media host: the token, no Rest.li headers.
        _http.request(
            "PUT",
            value["uploadUrl"],
            headers={
                "Authorization": f"Bearer {self._token(account)}",
                "Content-Type": "application/octet-stream",
            },
            data=image.data,
        )
        self._wait_available(account, value["image"], image)
        item = {"id": value["image"]}
        if image.alt_text:
            item["altText"] = image.alt_text
        return item

    def _wait_available(self, account: Account, urn: str, image: Image) -> None:
        for delay in (*POLL_DELAYS, None):
            response = self._request("GET", account, f"/rest/images/{quote(urn, '')}")
            status = response.json().get("status")
            if status == "AVAILABLE":
                return
            if status == "PROCESSING_FAILED":
                name = image.alt_text or image.filename
                raise PermanentError(
                    Message(
                        _("{network} : l'image « {name} » a été refusée (PROCESSING_FAILED)."),
                        network="LinkedIn",
                        name=name,
                    ),
                    code="PROCESSING_FAILED",
                )
            if delay is None:
                break
            time.sleep(delay)
        raise TransientError(
            Message(_("{network} : l'image est encore en cours de traitement."), network="LinkedIn")
        )

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The organization's latest posts (newest first) made since the first attempt,
        whose commentary and image count match: LinkedIn has no idempotency key."""
        response = self._request(
            "GET",
            account,
            f"/rest/posts?q=author&author={quote(org_urn(account), '')}&count=50&sortBy=CREATED",
        )
        wanted = _comparable(little(request.text))
        for post in response.json().get("elements") or []:
            created = _ms(post.get("createdAt"))
            if created is not None and created < since - FIND_SLACK:
                break
            if _comparable(post.get("commentary") or "") != wanted:
                continue
            if _image_count(post) == len(request.images):
                urn = str(post["id"])
                return RemotePost(remote_id=urn, url=post_url(urn), published_at=created)
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        try:
            self._request("DELETE", account, f"/rest/posts/{quote(post.remote_id, '')}", write=True)
        except PermanentError as exc:
            if exc.status != 404:  # already gone: what we wanted
                raise

    # --- the account -----------------------------------------------------------------------
    def verify(self, account: Account) -> AccountInfo:
        response = self._request("GET", account, f"/rest/organizations/{account.remote_id}")
        data = response.json()
        return AccountInfo(
            remote_id=str(data.get("id") or account.remote_id),
            handle=data.get("vanityName") or str(account.remote_id),
            display_name=data.get("localizedName") or "",
            server_url=account.server_url,
        )

    def member(self, account: Account) -> dict:
        """The member who granted the token (`/v2/userinfo`: sub, name, picture)."""
        return self._request("GET", account, "/v2/userinfo", rest=False).json()

    def organizations(self, account: Account) -> list[AccountInfo]:
        """The pages the member may post to (ADMINISTRATOR or CONTENT_ADMINISTRATOR),
        from `organizationAcls` with their names."""
        response = self._request(
            "GET",
            account,
            "/rest/organizationAcls?q=roleAssignee&state=APPROVED"
            "&projection=(elements*(*,organization~(localizedName)))",
        )
        found = []
        for element in response.json().get("elements") or []:
            if element.get("role") not in POSTING_ROLES:
                continue
            urn = str(element.get("organization") or "")
            name = (element.get("organization~") or {}).get("localizedName") or urn
            found.append(
                AccountInfo(
                    remote_id=urn.rsplit(":", 1)[-1],
                    handle=name,
                    display_name=name,
                    server_url=account.server_url,
                )
            )
        return found

    # --- tokens ----------------------------------------------------------------------------
    def authorization_url(self, *, redirect_uri: str, state: str) -> str:
        app = oauth.app("linkedin")
        return oauth.authorization_url(
            authorize_url=f"{(app.auth_url or OAUTH_URL).rstrip('/')}/oauth/v2/authorization",
            client_id=app.client_id,
            redirect_uri=redirect_uri,
            scopes=SCOPES,
            state=state,
        )

    def exchange_code(self, *, redirect_uri: str, code: str) -> dict:
        """The credentials for a code (`credentials_from_token`)."""
        app = oauth.app("linkedin")
        token = oauth.exchange_code(
            network="LinkedIn",
            token_url=f"{(app.auth_url or OAUTH_URL).rstrip('/')}/oauth/v2/accessToken",
            client_id=app.client_id,
            client_secret=app.client_secret,
            redirect_uri=redirect_uri,
            code=code,
        )
        return credentials_from_token(token)

    def refresh(self, account: Account) -> datetime | None:
        """A new access token from the refresh token (approved partners only; the
        refresh token keeps its first expiry). Saves the credentials; returns when the
        new token expires. AuthError without a refresh token or when it is refused."""
        refresh_token = account.credentials.get("refresh_token")
        if not refresh_token:
            raise AuthError(
                Message(
                    _(
                        "LinkedIn : pas de jeton de renouvellement (réservé aux partenaires"
                        " approuvés) ; reconnectez le compte avant son expiration."
                    )
                )
            )
        app = oauth.app("linkedin")
        token = oauth.refresh_token(
            network="LinkedIn",
            token_url=f"{(app.auth_url or OAUTH_URL).rstrip('/')}/oauth/v2/accessToken",
            refresh_token=refresh_token,
            client_id=app.client_id,
            client_secret=app.client_secret,
            rate_limit_reset=next_midnight,  # daily quotas, no headers
        )
        credentials = credentials_from_token(token, previous=account.credentials)
        account.update_credentials(credentials)
        expires_at = credentials.get("expires_at")
        return datetime.fromtimestamp(expires_at, UTC) if expires_at else None

    def revoke(self, account: Account) -> None:
        """Give the member's access token back (`POST /oauth/v2/revoke` with the app's
        client id and secret, shared/authentication/token-revocation): it stops working
        for every page connected with it, so the connect flow calls this only for the
        last one. A token LinkedIn no longer knows (401, not `invalid_client`) leaves
        nothing to give back."""
        token = account.credentials.get("access_token")
        if not token:
            return
        app = oauth.app("linkedin")
        try:
            _http.request(
                "POST",
                f"{(app.auth_url or OAUTH_URL).rstrip('/')}/oauth/v2/revoke",
                data={
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                    "token": token,
                },
            )
        except AuthError as exc:
            if exc.code == "invalid_client":
                raise

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """One statistics call for every post (organic impressions, clicks, likes,
        comments, shares); a post the statistics leave out, or every post when they are
        refused (a CONTENT_ADMINISTRATOR may not read them), gets its likes and
        comments from socialActions. A missing or refused figure is logged and skipped."""
        found: dict[str, Metrics] = {}
        stats = self._statistics(account, posts)
        for post in posts:
            totals = stats.get(post.remote_id)
            if totals is not None:
                found[post.remote_id] = Metrics(
                    likes=_count(totals, "likeCount", post),
                    replies=_count(totals, "commentCount", post),
                    shares=_count(totals, "shareCount", post),
                    impressions=_count(totals, "impressionCount", post),
                    clicks=_count(totals, "clickCount", post),
                )
                continue
            try:
                response = self._request(
                    "GET", account, f"/rest/socialActions/{quote(post.remote_id, '')}"
                )
            except (AuthError, PermanentError) as exc:
                if exc.status == 404:
                    continue  # deleted on LinkedIn: left out of the answer
                logger.info("LinkedIn social actions skipped for %s: %s", post.remote_id, exc)
                found[post.remote_id] = Metrics()
                continue
            data = response.json()
            found[post.remote_id] = Metrics(
                likes=(data.get("likesSummary") or {}).get("totalLikes"),
                replies=(data.get("commentsSummary") or {}).get("aggregatedTotalComments"),
            )
        return found

    def _statistics(self, account: Account, posts: list[RemotePost]) -> dict[str, dict]:
        shares = [p.remote_id for p in posts if ":share:" in p.remote_id]
        ugc = [p.remote_id for p in posts if ":ugcPost:" in p.remote_id]
        if not shares and not ugc:
            return {}
        # Rest.li 2.0 lists: List(...) literal, each URN percent-encoded.
        query = f"q=organizationalEntity&organizationalEntity={quote(org_urn(account), '')}"
        for name, urns in (("shares", shares), ("ugcPosts", ugc)):
            if urns:
                query += f"&{name}=List({','.join(quote(u, '') for u in urns)})"
        try:
            response = self._request(
                "GET", account, f"/rest/organizationalEntityShareStatistics?{query}"
            )
        except (AuthError, PermanentError) as exc:
            logger.info("LinkedIn share statistics skipped for %s: %s", account.remote_id, exc)
            return {}
        found = {}
        for element in response.json().get("elements") or []:
            urn = element.get("share") or element.get("ugcPost")
            if urn:
                found[str(urn)] = element.get("totalShareStatistics") or {}
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
        """Who reacted (any reaction: like, celebrate, support…; LinkedIn counts them
        all as likes), newest first, from the Reactions API: `GET /rest/reactions/
        (entity:{urn})?q=entity`, `created.actor` a member or organization URN. Only
        URNs: no name is asked for. A 429 (daily quota) or a refusal waits for the
        next day without holding the counts back (RateLimited, scope "endpoint")."""
        if kind not in self.engager_kinds:
            raise NotImplementedError("LinkedIn lists reactions, not reshares")
        budget = (api_base(account), account.remote_id, "reactions")
        waiting = _list_budgets.blocked_until(budget)
        if waiting is not None:
            raise RateLimited(
                "LinkedIn: reactions paused", reset_at=waiting, code="list_budget",
                scope="endpoint",
            )  # fmt: skip
        entity = quote(post.remote_id, "")
        engagers: list[Engager] = []
        start = 0
        for _page in range(max_pages):
            path = (
                f"/rest/reactions/(entity:{entity})?q=entity"
                f"&sort=(value:REVERSE_CHRONOLOGICAL)&start={start}&count={REACTIONS_PAGE}"
            )
            try:
                response = self._request("GET", account, path)
            except RateLimited as exc:
                _list_budgets.block(budget, exc.reset_at or next_midnight())
                raise RateLimited(
                    exc.message, reset_at=exc.reset_at, status=exc.status, code=exc.code,
                    scope="endpoint",
                ) from exc  # fmt: skip
            except AuthError as exc:
                if exc.status != 403:
                    raise
                _list_budgets.block(budget, utcnow() + REFUSED_LIST_WAIT)
                raise PermanentError(exc.message, status=exc.status, code=exc.code) from exc
            body = response.json()
            page = []
            for element in body.get("elements") or []:
                actor = str((element.get("created") or {}).get("actor") or "")
                if actor:
                    page.append(Engager(key=actor, handle=actor, domain=""))
            engagers += page
            start += len(body.get("elements") or [])
            listed = (body.get("paging") or {}).get("total")
            seen = known is not None and any(known(e.key) for e in page)
            seen = seen or (total is not None and len(engagers) >= total)
            if seen or not page or (isinstance(listed, int) and start >= listed):
                break
        return engagers


def _count(totals: dict, name: str, post: RemotePost) -> int | None:
    value = totals.get(name)
    if isinstance(value, int):
        return value
    logger.info("LinkedIn statistic %s missing for %s: skipped", name, post.remote_id)
    return None
