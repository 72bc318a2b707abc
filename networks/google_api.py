"""What Google's APIs share for Business Profile: hosts, the OAuth scope, the error
mapping, and small parsers (`networks.google_business_client` is the client).

Google spreads the API over several hosts (`HOSTS`); an account's `server_url` replaces
all of them (the test fake, a proxy) and keeps the paths.

Errors (``{"error": {"code", "message", "status", "details"}}``, cloud.google.com
``apis/design/errors``; the token endpoint answers OAuth's ``{"error",
"error_description"}``):

  ====================================  ==============================================
  answer                                kind
  ====================================  ==============================================
  401 UNAUTHENTICATED                   AuthError (the client refreshes the access
                                        token once and repeats the call first)
  400 ``invalid_grant`` (token          AuthError: access removed, or the refresh
  endpoint)                             token expired: the account needs reconnecting
  403 PERMISSION_DENIED                 AuthError (scope missing, location no longer
                                        managed), with Google's message
  429 RESOURCE_EXHAUSTED                RateLimited at RetryInfo's delay, else
                                        Retry-After, else the next minute (quotas
                                        are per minute)
  400 INVALID_ARGUMENT,                 PermanentError with Google's message and its
  FAILED_PRECONDITION; 404; 409         field details (phone number, photo refused…)
  5xx                                   TransientError
  read timeout, connection dropped      AmbiguousError (`networks.http`): the engine
  after a post was sent                 calls `find` before any retry
  ====================================  ==============================================
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from django.utils.translation import gettext_noop as N_

from networks.client import (
    Account,
    AuthError,
    NetworkError,
    PermanentError,
    RateLimited,
    TransientError,
)
from networks.http import HttpClient, reset_time
from networks.messages import Message

SCOPES = ["https://www.googleapis.com/auth/business.manage"]
HOSTS = {
    "authorize": "https://accounts.google.com",  # /o/oauth2/v2/auth
    "token": "https://oauth2.googleapis.com",  # /token, /revoke
    "accounts": "https://mybusinessaccountmanagement.googleapis.com",
    "info": "https://mybusinessbusinessinformation.googleapis.com",
    "posts": "https://mybusiness.googleapis.com",
    "performance": "https://businessprofileperformance.googleapis.com",
}


def host(server_url: str, name: str) -> str:
    return (server_url or HOSTS[name]).rstrip("/")


# --- errors -----------------------------------------------------------------------------
def _details(error: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        d
        for d in error.get("details") or []
        if isinstance(d, dict) and str(d.get("@type", "")).endswith(kind)
    ]


def google_message(error: dict[str, Any]) -> str:
    """Google's message with what its details say about each field."""
    message = (error.get("message") or "").strip()
    notes = []
    for detail in _details(error, "mybusiness.v4.ValidationError"):
        for item in detail.get("errorDetails") or []:
            field_name, text = item.get("field") or "", item.get("message") or ""
            notes.append(f"{field_name} : {text}" if field_name else text)
    for detail in _details(error, "google.rpc.BadRequest"):
        for item in detail.get("fieldViolations") or []:
            notes.append(f"{item.get('field', '')} : {item.get('description', '')}")
    if notes:
        return f"{message} ({' ; '.join(notes)})" if message else " ; ".join(notes)
    return message


def _retry_at(error: dict[str, Any], response: requests.Response) -> datetime:
    now = datetime.now(UTC)
    for detail in _details(error, "google.rpc.RetryInfo"):
        delay = str(detail.get("retryDelay") or "").rstrip("s")
        try:
            return now + timedelta(seconds=float(delay))
        except ValueError:
            continue
    header = reset_time(response.headers, now)
    if header is not None:
        return header
    # Quotas count per minute ("queries per minute per project"): the next minute.
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=1)


def classify(response: requests.Response, write: bool = False) -> NetworkError:
    """The NetworkError for one of Google's error answers (see the table above)."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, str):  # the OAuth token endpoint
        description = body.get("error_description") or error
        if error == "invalid_grant":
            return AuthError(access_removed(description), status=status, code=error)
        words = Message(
            N_("{network} : {words}"), network="Google", words=f"{description} ({error})"
        )
        return PermanentError(words, status=status, code=error)
    error = error if isinstance(error, dict) else {}
    name = error.get("status") or ""
    message = google_message(error) or (response.text or "").strip()[:300] or f"HTTP {status}"
    text = Message(N_("{network} : {words}"), network="Google", words=message)
    if status == 401 or name == "UNAUTHENTICATED":
        return AuthError(text, status=status, code=name or "UNAUTHENTICATED")
    if status == 403 or name == "PERMISSION_DENIED":
        return AuthError(
            Message(
                N_("{network} : permission manquante pour ce compte ({words})"),
                network="Google",
                words=message,
            ),
            status=status,
            code=name or "PERMISSION_DENIED",
        )
    if status == 429 or name == "RESOURCE_EXHAUSTED":
        return RateLimited(
            Message(
                N_("{network} : quota de requêtes atteint ({words})"),
                network="Google",
                words=message,
            ),
            reset_at=_retry_at(error, response),
            status=status,
            code=name or "RESOURCE_EXHAUSTED",
        )
    if status >= 500 or status in (408, 425):
        return TransientError(text, status=status, code=name)
    return PermanentError(text, status=status, code=name)


def access_removed(words: str) -> Message:
    """Google refused the refresh token (access removed or expired): reconnect."""
    return Message(
        N_(
            "{network} : l'accès d'Annexe a été retiré ou a expiré ({words}) ; "
            "reconnectez le compte."
        ),
        network="Google",
        words=words,
    )


http = HttpClient("google_business", classify=classify, name="Google")


def is_gone(exc: NetworkError) -> bool:
    return isinstance(exc, PermanentError) and (exc.status == 404 or exc.code == "NOT_FOUND")


# --- parsers -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Location:
    """A location the person manages (what the connect flow offers to pick)."""

    name: str  # accounts/{account}/locations/{location}
    title: str
    address: str
    account_name: str  # the location group or personal account holding it
    can_post: bool


def parse_time(value: str | None) -> datetime | None:
    """Google's Timestamp JSON, ``2026-03-05T14:03:00.123456Z``."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def token_credentials(token: dict[str, Any]) -> dict[str, Any]:
    """What Annexe keeps of a token answer."""
    credentials: dict[str, Any] = {"access_token": token["access_token"]}
    if token.get("refresh_token"):
        credentials["refresh_token"] = token["refresh_token"]
    if token.get("expires_at"):
        credentials["expires_at"] = float(token["expires_at"])
    elif token.get("expires_in"):
        credentials["expires_at"] = time.time() + float(token["expires_in"])
    if token.get("scope"):
        scope = token["scope"]
        credentials["scope"] = " ".join(scope) if isinstance(scope, list) else str(scope)
    return credentials


def bearer(account: Account) -> dict[str, str]:
    token = account.credentials.get("access_token")
    if not token:
        raise AuthError(
            Message(N_("{network} : le compte n'a pas de jeton d'accès."), network="Google")
        )
    return {"Authorization": f"Bearer {token}"}


def address(data: dict[str, Any]) -> str:
    address = data.get("storefrontAddress") or {}
    lines = [*address.get("addressLines", []), address.get("postalCode"), address.get("locality")]
    return ", ".join(part for part in lines if part)


def to_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
