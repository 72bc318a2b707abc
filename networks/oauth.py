"""OAuth 2.0 authorization-code steps shared by the networks that use it, with
requests-oauthlib (Mastodon today; Meta, LinkedIn, X and Google next).

The caller keeps `state` and the PKCE `code_verifier` between the two steps (in
the user's session) and checks `state` on the way back.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext_noop as _
from oauthlib.oauth2 import OAuth2Error
from requests_oauthlib import OAuth2Session

from networks.client import AuthError, PermanentError, RateLimited, TransientError
from networks.http import SETTINGS, HttpClient, error_text, reset_time
from networks.messages import Message

# A token endpoint that says "too many requests" without saying until when.
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)


def new_state() -> str:
    return secrets.token_urlsafe(24)


def new_code_verifier() -> str:
    return secrets.token_urlsafe(48)


def code_challenge(verifier: str) -> str:
    """PKCE S256 (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _allow_plain_http(url: str) -> None:
    # oauthlib refuses http:// token endpoints unless OAUTHLIB_INSECURE_TRANSPORT is
    # set. Only loopback servers (test fakes, a local server) may be plain http, and
    # only when the deployment allows loopback servers at all.
    parts = urlsplit(url)
    if (
        parts.scheme == "http"
        and SETTINGS.allow_loopback
        and parts.hostname in ("127.0.0.1", "::1", "localhost")
    ):
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def authorization_url(
    *,
    authorize_url: str,
    client_id: str,
    redirect_uri: str,
    scopes: list[str],
    state: str,
    code_verifier: str | None = None,
    **extra: str,
) -> str:
    """Where to send the person to grant access (the network's consent page)."""
    _allow_plain_http(authorize_url)
    session = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scopes, state=state)
    if code_verifier:
        extra.update(code_challenge=code_challenge(code_verifier), code_challenge_method="S256")
    url, _ = session.authorization_url(authorize_url, **extra)
    return url


def exchange_code(
    *,
    network: str,
    token_url: str,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str | None = None,
    basic_auth: bool = False,
    method: str = "POST",
) -> dict:
    """The token answer (`access_token`, `scope`, maybe `refresh_token`, `expires_in`)."""
    _allow_plain_http(token_url)
    session = OAuth2Session(client_id, redirect_uri=redirect_uri)
    # The token request goes through the same adapter, user agent and timeouts as
    # every other network call.
    shared = HttpClient.session()
    session.adapters = shared.adapters
    session.headers["User-Agent"] = SETTINGS.user_agent
    answer = _TokenAnswer(network)
    session.register_compliance_hook("access_token_response", answer.check)
    kwargs = {"code_verifier": code_verifier} if code_verifier else {}
    # X's confidential clients authenticate with HTTP Basic; a public client (no
    # secret) and most networks send client_id (and secret) in the body.
    basic = basic_auth and bool(client_secret)
    try:
        token = session.fetch_token(
            token_url,
            code=code,
            client_secret=client_secret or None,
            include_client_id=not basic,
            method=method,
            timeout=(SETTINGS.connect_timeout, SETTINGS.read_timeout),
            **kwargs,
        )
    except OAuth2Error as exc:
        message = exc.description or exc.error or str(exc)
        status = answer.status or exc.status_code
        text = _words(network, message)
        if exc.error in ("invalid_client", "unauthorized_client"):
            raise AuthError(text, status=status, code=exc.error) from exc
        raise PermanentError(text, status=status, code=exc.error) from exc
    except requests.RequestException as exc:
        raise TransientError(_unreachable(network, exc)) from exc
    except ValueError as exc:  # a non-JSON answer
        raise PermanentError(_unexpected(network), status=answer.status) from exc
    return dict(token)


class _TokenAnswer:
    """A requests-oauthlib compliance hook that looks at the token endpoint's HTTP status
    before oauthlib parses the body: oauthlib knows only the body, so a 429 or a 503
    (whose body may even be valid OAuth JSON) would otherwise read as a refused grant.
    RFC 6749 § 5.2 errors come as 400 (401 for invalid_client); anything else is the
    server's trouble, not the credentials'."""

    def __init__(self, network: str, *, rate_limit_reset: Callable[[], datetime] | None = None):
        self.network = network
        self.rate_limit_reset = rate_limit_reset
        self.status: int | None = None

    def check(self, response: requests.Response) -> requests.Response:
        status = self.status = response.status_code
        if status == 429:
            now = datetime.now(UTC)
            reset = reset_time(response.headers, now)
            if reset is None:
                reset = self.rate_limit_reset() if self.rate_limit_reset else None
            raise RateLimited(
                _words(self.network, error_text(response)),
                reset_at=reset or now + DEFAULT_RATE_LIMIT_WAIT,
                status=status,
            )
        if status >= 500 or status in (408, 425):
            raise TransientError(_words(self.network, error_text(response)), status=status)
        return response


# --- the app registered with a network -----------------------------------------------------
@dataclass(frozen=True)
class OAuthApp:
    """Annexe's app on a network (LinkedIn, X…): its client id and secret, and the
    address of the network's authorization server (empty: the network's own)."""

    client_id: str
    client_secret: str = ""
    auth_url: str = ""


_app_resolver: Callable[[str], OAuthApp | None] | None = None


def set_app_resolver(resolver: Callable[[str], OAuthApp | None]) -> None:
    """Where `app(network)` reads the apps from (the publishing app passes one that
    reads Django settings at call time, so tests may override them)."""
    global _app_resolver
    _app_resolver = resolver


def app(network: str) -> OAuthApp:
    """The app registered for `network`; AuthError when none is configured (nothing
    works without it, and reconnecting will not help until an administrator sets it)."""
    found = _app_resolver(network) if _app_resolver else None
    if found is None or not found.client_id:
        raise AuthError(
            Message(
                _("{network} : l'application Annexe n'est pas configurée sur ce serveur."),
                network=network,
            )
        )
    return found


def refresh_token(
    *,
    network: str,
    token_url: str,
    refresh_token: str,
    client_id: str,
    client_secret: str = "",
    basic_auth: bool = False,
    rate_limit_reset: Callable[[], datetime] | None = None,
) -> dict:
    """A new token answer from a refresh token (`grant_type=refresh_token`). The
    client authenticates with HTTP Basic (`basic_auth`, X's confidential clients) or
    in the body (LinkedIn).

    Only a refusal of the grant or of the client (an OAuth error in a 4xx answer:
    `invalid_grant`, `invalid_client`, a 401…) is AuthError: the account needs
    reconnecting. A 429 is RateLimited until the reset the answer gives (Retry-After,
    x-rate-limit-reset…; else `rate_limit_reset()`, else 15 minutes), a 5xx or a
    timeout TransientError: the refresh token is still good, try again later."""
    _allow_plain_http(token_url)
    session = OAuth2Session(client_id)
    shared = HttpClient.session()
    session.adapters = shared.adapters
    session.headers["User-Agent"] = SETTINGS.user_agent
    answer = _TokenAnswer(network, rate_limit_reset=rate_limit_reset)
    session.register_compliance_hook("refresh_token_response", answer.check)
    kwargs: dict = {}
    auth = None
    if basic_auth and client_secret:
        auth = requests.auth.HTTPBasicAuth(client_id, client_secret)
    else:
        kwargs["client_id"] = client_id
        if client_secret:
            kwargs["client_secret"] = client_secret
    try:
        token = session.refresh_token(
            token_url,
            refresh_token=refresh_token,
            auth=auth,
            timeout=(SETTINGS.connect_timeout, SETTINGS.read_timeout),
            **kwargs,
        )
    except OAuth2Error as exc:
        message = exc.description or exc.error or str(exc)
        status = answer.status or exc.status_code
        raise AuthError(_words(network, message), status=status, code=exc.error) from exc
    except requests.RequestException as exc:
        raise TransientError(_unreachable(network, exc)) from exc
    except ValueError as exc:
        # Not OAuth JSON: a 400/401 still refuses the credentials; anything else (a
        # proxy's page) is not the grant's fault.
        if answer.status in (400, 401):
            raise AuthError(_unexpected(network), status=answer.status) from exc
        raise PermanentError(_unexpected(network), status=answer.status) from exc
    return dict(token)


def _words(network: str, words: str) -> Message:
    return Message(_("{network} : {words}"), network=network, words=words)


def _unreachable(network: str, exc: Exception) -> Message:
    return Message(
        _("{network} : serveur injoignable ({error})"), network=network, error=type(exc).__name__
    )


def _unexpected(network: str) -> Message:
    return Message(_("{network} : réponse inattendue du serveur"), network=network)
