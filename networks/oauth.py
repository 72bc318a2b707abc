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
from urllib.parse import urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error
from requests_oauthlib import OAuth2Session

from networks.client import AuthError, PermanentError, TransientError
from networks.http import SETTINGS, HttpClient


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
) -> dict:
    """The token answer (`access_token`, `scope`, maybe `refresh_token`, `expires_in`)."""
    _allow_plain_http(token_url)
    session = OAuth2Session(client_id, redirect_uri=redirect_uri)
    # The token request goes through the same adapter, user agent and timeouts as
    # every other network call.
    shared = HttpClient.session()
    session.adapters = shared.adapters
    session.headers["User-Agent"] = SETTINGS.user_agent
    kwargs = {"code_verifier": code_verifier} if code_verifier else {}
    try:
        token = session.fetch_token(
            token_url,
            code=code,
            client_secret=client_secret,
            include_client_id=True,
            timeout=(SETTINGS.connect_timeout, SETTINGS.read_timeout),
            **kwargs,
        )
    except OAuth2Error as exc:
        message = exc.description or exc.error or str(exc)
        if exc.error in ("invalid_client", "unauthorized_client"):
            raise AuthError(f"{network}: {message}", status=exc.status_code) from exc
        raise PermanentError(f"{network}: {message}", status=exc.status_code) from exc
    except requests.RequestException as exc:
        raise TransientError(f"{network}: serveur injoignable ({type(exc).__name__})") from exc
    except ValueError as exc:  # a non-JSON answer
        raise PermanentError(f"{network}: réponse inattendue du serveur") from exc
    return dict(token)
