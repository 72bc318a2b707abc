"""What Facebook Pages, Instagram and Threads share: Meta's Graph API conventions.

- Hosts: `graph.facebook.com` (Pages and Instagram with Facebook Login, versioned
  `/vNN.0/`), `graph.threads.net` (`/v1.0/`). An account's `server_url` overrides
  the host (the test fakes, a proxy); empty means Meta's.
- Errors (developers.facebook.com/docs/graph-api/guides/error-handling):
  `{"error": {"message", "type", "code", "error_subcode", "error_user_title",
  "error_user_msg", "is_transient", "fbtrace_id"}}`, mostly with HTTP 400 whatever
  the cause, so the mapping reads the code, not the status:

  ====================================  =================================================
  code (subcode)                        kind
  ====================================  =================================================
  190, 102, 104 (token expired, revoked, AuthError: the account needs reconnecting
  password changed, app removed…)
  10, 200–299 (permission missing or    AuthError (reconnecting grants it again), except
  removed)                              "not enough viewers" on insights: PermanentError
  4, 17, 32, 341, 613, 80001–80009,     RateLimited, reset from X-Business-Use-Case-Usage
  1390008 (posting too fast), 368       `estimated_time_to_regain_access` (minutes), else
  (temporarily blocked)                 Retry-After, else a cautious default
  9 / 2207042 (Instagram/Threads        RateLimited (the client computes when the rolling
  publishing quota)                     24-hour window frees a slot)
  506 (duplicate post)                  PermanentError
  1, 2, is_transient, 9007/2207027      TransientError
  (not ready), 2207001, 2207020
  (container expired), HTTP 5xx
  media rejected (1366046, 324, 36000–  PermanentError with Meta's words for people
  36003, 9004, 2207004/5/9/52…), other
  ====================================  =================================================

  A read timeout or a connection dropped during a write is AmbiguousError
  (`networks.http`): the post may exist; the engine calls `find` before any retry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
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

GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v23.0"
DIALOG_URL = "https://www.facebook.com"
THREADS_URL = "https://graph.threads.net"
THREADS_AUTHORIZE_URL = "https://threads.net"
THREADS_VERSION = "v1.0"

AUTH_CODES = {102, 104, 190}
THROTTLE_CODES = {4, 17, 32, 341, 368, 613, 1390008} | set(range(80001, 80010))
QUOTA_SUBCODES = {2207042}
QUOTA_CODE = 9
TRANSIENT_CODES = {1, 2}
# Media not ready yet; Instagram server error; container expired (a retry makes new ones).
TRANSIENT_SUBCODES = {2207027, 2207001, 2207020}
DUPLICATE_CODE = 506
# Without a usage header, wait this long after a throttling error: app limits are a
# rolling hour (graph-api/overview/rate-limiting), so a quarter frees part of it.
DEFAULT_THROTTLE_WAIT = timedelta(minutes=15)
BLOCKED_WAIT = timedelta(hours=1)  # 368: "temporarily blocked for policy violations"


def error_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def people_message(error: dict[str, Any], fallback: str) -> str:
    """Meta's words for people (`error_user_msg`, with its title) or the message."""
    user_msg = (error.get("error_user_msg") or "").strip()
    title = (error.get("error_user_title") or "").strip()
    message = (error.get("message") or "").strip()
    if user_msg:
        return f"{title} : {user_msg}" if title and title not in user_msg else user_msg
    return message or fallback


def usage_reset(headers: Any, now: datetime | None = None) -> datetime | None:
    """When a throttled budget is back, from `X-Business-Use-Case-Usage`
    (`{"<id>": [{"type", "call_count", …, "estimated_time_to_regain_access": minutes}]}`)
    or the generic headers (`Retry-After`). `X-App-Usage` only gives percentages."""
    now = now or datetime.now(UTC)
    lowered = {str(k).lower(): v for k, v in dict(headers or {}).items()}
    raw = lowered.get("x-business-use-case-usage")
    minutes: list[float] = []
    if raw:
        try:
            usage = json.loads(raw)
        except ValueError:
            usage = {}
        for entries in usage.values() if isinstance(usage, dict) else []:
            for entry in entries if isinstance(entries, list) else []:
                value = (
                    entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else 0
                )
                if isinstance(value, int | float) and value > 0:
                    minutes.append(float(value))
    if minutes:
        return now + timedelta(minutes=max(minutes))
    return reset_time(headers, now)


def classify_error(response: requests.Response, *, network: str) -> NetworkError:
    """The NetworkError for a Graph error answer (see the table above)."""
    error = error_body(response)
    status = response.status_code
    code = error.get("code")
    subcode = error.get("error_subcode")
    label = f"{code}/{subcode}" if subcode else str(code or status)
    words = people_message(error, f"HTTP {status}")
    text = Message(N_("{network} : {words}"), network=network, words=words)
    message = (error.get("message") or "").lower()
    if code in AUTH_CODES or (error.get("type") == "OAuthException" and status == 401):
        return AuthError(text, status=status, code=label)
    if code == 10 and "not enough viewers" in message:
        return PermanentError(text, status=status, code=label)
    if code == 10 and "at least 24 hours old" in message:
        return PermanentError(text, status=status, code=label)
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return AuthError(text, status=status, code=label)
    if code == QUOTA_CODE or subcode in QUOTA_SUBCODES:
        return RateLimited(text, reset_at=None, status=status, code=label)
    if code in THROTTLE_CODES or status == 429:
        wait = BLOCKED_WAIT if code == 368 else DEFAULT_THROTTLE_WAIT
        reset = usage_reset(response.headers) or datetime.now(UTC) + wait
        return RateLimited(text, reset_at=reset, status=status, code=label)
    if code == DUPLICATE_CODE:
        return PermanentError(text, status=status, code=label)
    if code in TRANSIENT_CODES or subcode in TRANSIENT_SUBCODES or error.get("is_transient"):
        return TransientError(text, status=status, code=label)
    if status >= 500 or status in (408, 425):
        return TransientError(text, status=status, code=label)
    return PermanentError(text, status=status, code=label)


def make_http(network: str) -> HttpClient:
    def classify(response: requests.Response, write: bool) -> NetworkError:
        return classify_error(response, network=network)

    return HttpClient(network.lower(), classify=classify, name=network)


def is_gone(exc: NetworkError) -> bool:
    """A node that no longer exists (deleted on the network): code 100, subcode 33."""
    return isinstance(exc, PermanentError) and exc.code in ("100/33",)


def token(account: Account, network: str) -> str:
    value = account.credentials.get("access_token")
    if not value:
        raise AuthError(
            Message(N_("{network} : le compte n'a pas de jeton d'accès."), network=network)
        )
    return value


def graph_base(account: Account) -> str:
    """`https://graph.facebook.com/v23.0` (or the account's own server, same version)."""
    return f"{(account.server_url or GRAPH_URL).rstrip('/')}/{GRAPH_VERSION}"


def parse_time(value: str | None) -> datetime | None:
    """Graph's `2019-08-15T17:42:04+0000`."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            return None


def comparable(text: str) -> str:
    return " ".join((text or "").split())


# A full publishing quota (Instagram and Threads): the publication waits for the window.
QUOTA_REACHED = N_(
    "{network} : quota de publication atteint ({used}/{total} en 24 h) ; "
    "la publication attend que le quota se libère."
)


# --- containers (Instagram and Threads) ------------------------------------------------
# Polling delays in seconds: Meta advises polling about once a minute for up to five
# minutes (content-publishing guide); images are usually ready in seconds, so start
# quick and slow down. Tests shorten them.
POLL_DELAYS: tuple[float, ...] = (1, 2, 3, 5, 8, 13, 20, 30, 30, 30)


def wait_until_finished(
    read_status: Callable[[], tuple[str, str]], *, network: str, delays: tuple[float, ...] = ()
) -> None:
    """Poll a container until FINISHED. IN_PROGRESS: wait; ERROR: the media was refused
    (PermanentError, Meta's words); EXPIRED: TransientError (a retry makes a new one);
    still processing after the last delay: TransientError."""
    for delay in (*(delays or POLL_DELAYS), None):
        status, detail = read_status()
        if status in ("FINISHED", "PUBLISHED"):
            return
        if status == "ERROR":
            refused = Message(
                N_("{network} : média refusé ({words})."), network=network, words=detail or status
            )
            raise PermanentError(refused, code=status)
        if status == "EXPIRED":
            expired = Message(N_("{network} : le conteneur de média a expiré."), network=network)
            raise TransientError(expired, code=status)
        if delay is None:
            break
        time.sleep(delay)
    raise TransientError(
        Message(N_("{network} : le média est encore en cours de traitement."), network=network)
    )


def quota_reset(
    *, published: list[datetime], usage: int, total: int, window: float, now: datetime
) -> datetime:
    """When a rolling-window publishing quota frees a slot: the `usage - total + 1`-th
    oldest publication of the window ages out. `published` are the account's recent
    publication times (any order); when they do not explain the usage, wait a tenth of
    the window."""
    start = now - timedelta(seconds=window)
    inside = sorted(t for t in published if t > start)
    index = usage - total
    if usage > 0 and 0 <= index < usage <= len(inside):
        # Posts made in Instagram's own app are listed but not counted: assume the
        # counted ones are the latest (the later, safer answer).
        counted = inside[-usage:]
        return counted[index] + timedelta(seconds=window) + timedelta(seconds=30)
    if inside:
        return inside[0] + timedelta(seconds=window) + timedelta(seconds=30)
    return now + timedelta(seconds=window / 10)
