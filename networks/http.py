"""The one HTTP helper every network client uses: timeouts, user agent, redacted logs,
and the generic error mapping (see `networks.client` for the exceptions).

    http = HttpClient("mastodon", classify=_classify)
    response = http.request("POST", url, write=True, json=..., headers=...)

`write=True` marks a request that changes something on the network: if it may
have been sent before failing (read timeout, connection dropped), the error is
`AmbiguousError`, not `TransientError`. Each thread gets its own
`requests.Session` (Celery's thread pool shares the process).

Logs carry the method, the host and path, the status and the duration; never a
header, a body or a query value that looks secret.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
import urllib3
from django.utils.translation import gettext_noop as _
from requests.adapters import HTTPAdapter

from networks.client import (
    AmbiguousError,
    AuthError,
    NetworkError,
    PermanentError,
    RateLimited,
    TransientError,
)
from networks.messages import Message

logger = logging.getLogger("networks.http")

_SECRET_PARAM = re.compile(r"(?i)token|secret|password|code|key|jwt|signature")


@dataclass
class HttpSettings:
    """Set once at start-up by the publishing app (from Django settings)."""

    user_agent: str = "Annexe/1.0"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    # Loopback servers (the test fakes, a local development server) are refused
    # unless allowed; private addresses always are (no server-side request forgery).
    allow_loopback: bool = False
    # Link previews (networks.linkcard): "public", "loopback" (tests) or "off".
    link_previews: str = "public"


SETTINGS = HttpSettings()


def configure(**values: object) -> None:
    for name, value in values.items():
        if not hasattr(SETTINGS, name):
            raise TypeError(f"unknown HTTP setting {name!r}")
        setattr(SETTINGS, name, value)


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (key, "[redacted]" if _SECRET_PARAM.search(key) else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


# --- Rate-limit resets -------------------------------------------------------------------
def _parse_time(value: str, now: datetime) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        # An epoch timestamp (Bluesky, X) or a number of seconds (Retry-After).
        return (
            datetime.fromtimestamp(number, UTC) if number > 1e9 else now + timedelta(seconds=number)
        )
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def reset_time(
    headers: requests.structures.CaseInsensitiveDict | dict, now: datetime | None = None
) -> datetime | None:
    """When a rate limit resets, from whichever header the network sends:
    `Retry-After` (seconds or HTTP date), `X-RateLimit-Reset` (Mastodon: ISO 8601;
    X: epoch), `RateLimit-Reset` (Bluesky: epoch)."""
    now = now or datetime.now(UTC)
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("retry-after", "x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"):
        if name in lowered:
            parsed = _parse_time(str(lowered[name]), now)
            if parsed is not None:
                return parsed
    return None


class EndpointBudgets:
    """What this process knows of per-endpoint rate limits (X's `x-rate-limit-remaining`
    and `-reset`, a 429's reset), so that a client stops asking before the network
    refuses: `blocked_until(key)` before a request, `note(key, headers)` after it,
    `block(key, until)` on a 429. Keys are the client's (server, account, endpoint).
    Per process and forgotten on restart: another worker may spend one request to
    learn the same (its answer says so)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[tuple, datetime] = {}

    def blocked_until(self, key: tuple, now: datetime | None = None) -> datetime | None:
        now = now or datetime.now(UTC)
        with self._lock:
            until = self._until.get(key)
            if until is not None and until <= now:
                del self._until[key]
                until = None
        return until

    def block(self, key: tuple, until: datetime) -> None:
        with self._lock:
            self._until[key] = max(until, self._until.get(key, until))

    def note(self, key: tuple, headers, now: datetime | None = None) -> None:
        """Block `key` until the reset when the answer says no request is left."""
        lowered = {k.lower(): v for k, v in headers.items()}
        remaining = lowered.get("x-rate-limit-remaining", lowered.get("ratelimit-remaining"))
        try:
            left = int(remaining) if remaining is not None else None
        except ValueError:
            left = None
        if left is not None and left <= 0:
            reset = reset_time(headers, now)
            if reset is not None:
                self.block(key, reset)

    def clear(self) -> None:
        with self._lock:
            self._until.clear()


# --- Error mapping -----------------------------------------------------------------------
def error_text(response: requests.Response) -> str:
    """The network's message from an error answer (JSON `error`/`message`/…, or text)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        parts = [
            str(body[key])
            for key in ("error_description", "message", "error", "detail", "title")
            if isinstance(body.get(key), str | int) and body.get(key)
        ]
        if parts:
            # Bluesky: {"error": "InvalidRequest", "message": "…"}: the message is clearer.
            return parts[0]
    text = (response.text or "").strip()
    return text[:300] or f"HTTP {response.status_code}"


def default_classify(response: requests.Response, *, write: bool) -> NetworkError:
    """The generic mapping of an HTTP error answer. Network modules refine it."""
    status = response.status_code
    message = error_text(response)
    if status == 429:
        return RateLimited(message, reset_at=reset_time(response.headers), status=status)
    if status == 401:
        return AuthError(message, status=status)
    if status in (408, 425) or status >= 500:
        return TransientError(message, status=status)
    return PermanentError(message, status=status)


Classify = Callable[[requests.Response, bool], NetworkError | None]


class HttpClient:
    """HTTP for one network. `classify(response, write)` may return a specific error
    for an answer (or None to use `default_classify`)."""

    _local = threading.local()

    def __init__(self, network: str, *, classify: Classify | None = None, name: str = "") -> None:
        self.network = network
        self.name = name or network  # what messages call the network ("LinkedIn")
        self.classify = classify

    @classmethod
    def session(cls) -> requests.Session:
        session = getattr(cls._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=20, pool_maxsize=20, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            cls._local.session = session
        return session

    def request(
        self,
        method: str,
        url: str,
        *,
        write: bool = False,
        timeout: float | tuple[float, float] | None = None,
        raise_for_status: bool = True,
        **kwargs,
    ) -> requests.Response:
        headers = {"User-Agent": SETTINGS.user_agent, **kwargs.pop("headers", {})}
        timeout = timeout or (SETTINGS.connect_timeout, SETTINGS.read_timeout)
        started = time.monotonic()
        where = redact_url(url)
        try:
            response = self.session().request(
                method, url, headers=headers, timeout=timeout, allow_redirects=False, **kwargs
            )
        except requests.exceptions.ConnectTimeout as exc:
            self._log(method, where, "connect timeout", started)
            raise TransientError(
                Message(_("{network} : délai de connexion dépassé"), network=self.name)
            ) from exc
        except requests.exceptions.ReadTimeout as exc:
            self._log(method, where, "read timeout", started)
            error = AmbiguousError if write else TransientError
            raise error(
                Message(_("{network} : pas de réponse dans le délai"), network=self.name)
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            self._log(method, where, "connection error", started)
            if _not_sent(exc) or not write:
                raise TransientError(
                    Message(_("{network} : serveur injoignable"), network=self.name)
                ) from exc
            raise AmbiguousError(
                Message(_("{network} : connexion coupée avant la réponse"), network=self.name)
            ) from exc
        except requests.exceptions.RequestException as exc:
            self._log(method, where, type(exc).__name__, started)
            raise TransientError(f"{self.name}: {type(exc).__name__}") from exc
        self._log(method, where, str(response.status_code), started)
        if raise_for_status and response.status_code >= 400:
            error = self.classify(response, write) if self.classify else None
            raise error or default_classify(response, write=write)
        return response

    def _log(self, method: str, where: str, outcome: str, started: float) -> None:
        logger.info(
            "%s %s %s → %s in %d ms",
            self.network,
            method,
            where,
            outcome,
            (time.monotonic() - started) * 1000,
        )


def _not_sent(exc: requests.exceptions.ConnectionError) -> bool:
    """Whether the connection failed before the request left (refused, DNS): requests
    wraps urllib3's MaxRetryError, whose `reason` is a NewConnectionError then. A
    connection dropped mid-exchange is a ProtocolError instead."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


# --- Addresses people type ---------------------------------------------------------------
class UnsafeURL(PermanentError):
    """A server address Annexe refuses to contact (private network, bad scheme)."""


def normalise_server_url(value: str) -> str:
    """`mastodon.social`, `@me@mastodon.social`, `https://mastodon.social/` →
    `https://mastodon.social`. Plain http only for loopback servers."""
    value = value.strip()
    if value.startswith("@") and value.count("@") == 2:
        value = value.rsplit("@", 1)[1]
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(Message(_("« {value} » n'est pas l'adresse d'un serveur."), value=value))
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def check_public_url(url: str) -> None:
    """Refuse URLs pointing into private networks (and loopback unless allowed), so a
    typed server address or a link preview cannot reach internal services."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeURL(Message(_("« {url} » n'est pas une adresse web."), url=url))
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise TransientError(Message(_("« {host} » est introuvable (DNS)."), host=host)) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback:
            if not SETTINGS.allow_loopback:
                raise UnsafeURL(Message(_("« {host} » est une adresse locale."), host=host))
        elif not address.is_global:
            raise UnsafeURL(Message(_("« {host} » est une adresse de réseau privé."), host=host))
    if parts.scheme == "http" and not all(
        ipaddress.ip_address(info[4][0]).is_loopback for info in infos
    ):
        raise UnsafeURL(Message(_("« {url} » : seule une adresse https:// est acceptée."), url=url))
