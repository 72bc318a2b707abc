"""X's API v2 as the client reaches it: addresses, scopes, the error mapping, requests
with a fresh token (OAuth 2.0 with PKCE, rotating refresh tokens), the account;
`XApi` is the base of `XClient`."""

from __future__ import annotations

import html
import logging
import re
import time
from datetime import UTC, datetime, timedelta

import requests
from django.utils.translation import gettext_noop as _

from networks import oauth
from networks import text as textlib
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
from networks.http import HttpClient, error_text, reset_time
from networks.messages import Message

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

REFRESH_MARGIN = timedelta(minutes=2)

DEFAULT_THROTTLE_WAIT = timedelta(minutes=15)  # a 429 without its reset header

PROBLEMS = "https://api.twitter.com/2/problems/"

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


class XApi(NetworkClient):
    """Requests with a fresh token, the account, the tokens."""

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
