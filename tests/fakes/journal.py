"""The journal: every request a fake received and what it answered.

Secrets never enter the journal in clear: the ``Authorization`` header and
secret fields (passwords, client secrets, tokens), in bodies and in query
strings (the Graph API takes ``access_token`` in the query), are replaced by a
fingerprint, ``sha256:<12 hex>`` of the value. ``fingerprint(token)`` gives the
same string, so a test can still assert which credential a request carried.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from tests.fakes.web import FakeRequest, FakeResponse

SECRET_FIELDS = frozenset(
    {
        "password",
        "client_secret",
        "token",
        "code_verifier",
        "access_token",
        "accessJwt",
        "refreshJwt",
        "authFactorToken",
        "refresh_token",
        "fb_exchange_token",
        "input_token",
        "client_assertion",
    }
)
TEXT_BODY_LIMIT = 4096


def fingerprint(value: str) -> str:
    """The journal's stand-in for a secret value."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def redact_authorization(value: str) -> str:
    scheme, _, credential = value.partition(" ")
    if not credential:
        return fingerprint(value)
    return f"{scheme} {fingerprint(credential.strip())}"


def redact(data: Any) -> Any:
    """A copy of JSON-like data with secret fields fingerprinted."""
    if isinstance(data, dict):
        return {
            key: (_redact_value(value) if key in SECRET_FIELDS else redact(value))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact(item) for item in data]
    return data


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return fingerprint(value)
    if isinstance(value, list):
        return [fingerprint(v) if isinstance(v, str) else v for v in value]
    return value


@dataclass
class JournalEntry:
    """One request and its outcome.

    ``outcome`` is one of: ``answered`` (normal handling), ``injected`` (an
    injected response was sent instead of processing), ``dropped`` (the
    connection was closed before processing), ``timeout`` (held past the
    client's patience, then closed without processing),
    ``dropped_after_processing`` (processed and persisted, then closed
    without an answer) or ``error`` (the handler raised; answered 500).
    """

    id: int
    time: float
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body_size: int
    content_type: str
    json: Any = None
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    text: str | None = None
    route: str | None = None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_json: Any = None
    outcome: str = "pending"
    injection_id: int | None = None
    duration: float = 0.0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def sent_response(self) -> bool:
        return self.outcome in {"answered", "injected", "error"}

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Journal:
    """Thread-safe list of ``JournalEntry``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[JournalEntry] = []
        self._next_id = 1

    def begin(self, request: FakeRequest) -> JournalEntry:
        headers = {
            name: (redact_authorization(value) if name == "authorization" else value)
            for name, value in request.headers.items()
        }
        text = None
        textual = request.content_type.startswith("text/") or request.content_type.endswith("json")
        if request.json is None and not request.form and not request.files and textual:
            text = request.body[:TEXT_BODY_LIMIT].decode("utf-8", "replace") or None
        with self._lock:
            entry = JournalEntry(
                id=self._next_id,
                time=time.time(),
                method=request.method,
                path=request.path,
                query=redact({k: list(v) for k, v in request.query.items()}),
                headers=headers,
                body_size=len(request.body),
                content_type=request.content_type,
                json=redact(request.json),
                form=redact(request.form),
                files={name: f.describe() for name, f in request.files.items()},
                text=text,
            )
            self._next_id += 1
            self._entries.append(entry)
        return entry

    def finish(
        self,
        entry: JournalEntry,
        *,
        outcome: str,
        response: FakeResponse | None = None,
        started: float,
        injection_id: int | None = None,
        error: str | None = None,
    ) -> None:
        with self._lock:
            entry.outcome = outcome
            entry.injection_id = injection_id
            entry.duration = time.monotonic() - started
            entry.error = error
            if response is not None:
                entry.status = response.status
                entry.response_headers = dict(response.headers)
                entry.response_json = redact(response.json_body())

    def entries(
        self,
        *,
        path: str | None = None,
        method: str | None = None,
        path_prefix: str | None = None,
        outcome: str | None = None,
    ) -> list[JournalEntry]:
        with self._lock:
            found = list(self._entries)
        if path is not None:
            found = [e for e in found if e.path == path]
        if path_prefix is not None:
            found = [e for e in found if e.path.startswith(path_prefix)]
        if method is not None:
            found = [e for e in found if e.method == method.upper()]
        if outcome is not None:
            found = [e for e in found if e.outcome == outcome]
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
