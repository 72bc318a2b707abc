"""LinkedIn's API as the client reaches it: addresses, version, scopes, the "little"
text format, the error mapping, the token (refreshed when it expires) and the
member's pages; `LinkedInApi` is the base of `LinkedInClient`."""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime, timedelta

import requests
from django.utils.translation import gettext_noop as _

from networks import oauth
from networks.client import (
    Account,
    AccountInfo,
    AuthError,
    NetworkClient,
    NetworkError,
    PermanentError,
    RateLimited,
    TransientError,
    utcnow,
)
from networks.http import HttpClient, error_text
from networks.messages import Message

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

REFRESH_MARGIN = timedelta(minutes=5)

# Reserved characters of the "little" text format (little-text-format), escaped with a
# backslash or LinkedIn silently cuts the text there. `#` is left as typed so hashtags
# stay hashtags (as Postiz does); URLs are left untouched.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~])")

_URL = re.compile(r"https?://\S+")

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


class LinkedInApi(NetworkClient):
    """HTTP with the token and the Rest.li headers, the account, the tokens."""

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
