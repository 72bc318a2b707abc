"""Failure injection and rate-limit budgets shared by the fakes."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

MODES = ("respond", "delay", "timeout", "drop", "drop_after")


@dataclass
class Injection:
    """A fault applied to matching requests, ``times`` times (None: until removed).

    Modes:
    - ``respond``: answer ``status``/``body``/``headers`` without processing.
    - ``delay``: wait ``seconds`` then process normally.
    - ``timeout``: hold the request ``seconds`` (default 30, longer than any sane
      client timeout), then close the connection without processing it.
    - ``drop``: close the connection at once, without processing.
    - ``drop_after``: process the request fully (the post is created and
      persisted), wait ``seconds`` (default 0), then close the connection
      without answering: the ambiguous case a publisher must reconcile.

    ``path`` matches the request path exactly, or as a full regular expression
    when ``regex`` is true. ``method`` None matches every method.
    """

    id: int
    path: str
    method: str | None = None
    mode: str = "respond"
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    times: int | None = 1
    regex: bool = False
    applied: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if self.regex:
            return re.fullmatch(self.path, path) is not None
        return self.path == path

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.applied >= self.times

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Injections:
    """The active injections; the first matching, not exhausted one applies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Injection] = []
        self._next_id = 1

    def add(self, **spec: Any) -> Injection:
        mode = spec.get("mode", "respond")
        if mode not in MODES:
            raise ValueError(f"unknown injection mode {mode!r}; expected one of {MODES}")
        if mode == "timeout" and not spec.get("seconds"):
            spec["seconds"] = 30.0
        with self._lock:
            injection = Injection(id=self._next_id, **spec)
            self._next_id += 1
            self._items.append(injection)
        return injection

    def take(self, method: str, path: str) -> Injection | None:
        """The injection to apply to this request, counted as applied."""
        with self._lock:
            for injection in self._items:
                if not injection.exhausted and injection.matches(method, path):
                    injection.applied += 1
                    return injection
        return None

    def remove(self, injection_id: int) -> None:
        with self._lock:
            self._items = [i for i in self._items if i.id != injection_id]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def all(self) -> list[Injection]:
        with self._lock:
            return list(self._items)


@dataclass
class BudgetState:
    limit: int
    remaining: int
    reset_at: float
    window: float
    allowed: bool


class RateBudget:
    """A fixed-window budget of ``limit`` points per ``window`` seconds per key.

    ``aligned`` windows start at multiples of the window length (Rack::Attack,
    which Mastodon uses); otherwise a window starts at the key's first request
    (rate-limiter-flexible, which the atproto PDS uses). A refused request
    consumes nothing.
    """

    def __init__(self, limit: int, window: float, *, aligned: bool = False) -> None:
        self.limit = limit
        self.window = window
        self.aligned = aligned
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def _window_start(self, key: str, now: float) -> tuple[float, int]:
        if self.aligned:
            start = math.floor(now / self.window) * self.window
        else:
            start = self._windows.get(key, (now, 0))[0]
            if now >= start + self.window:
                start = now
        previous_start, used = self._windows.get(key, (start, 0))
        if previous_start != start:
            used = 0
        return start, used

    def consume(self, key: str, now: float, points: int = 1) -> BudgetState:
        with self._lock:
            start, used = self._window_start(key, now)
            allowed = used + points <= self.limit
            if allowed:
                used += points
            self._windows[key] = (start, used)
            return BudgetState(
                limit=self.limit,
                remaining=max(self.limit - used, 0),
                reset_at=start + self.window,
                window=self.window,
                allowed=allowed,
            )

    def exhaust(self, key: str, now: float) -> None:
        """Spend the whole budget of ``key`` (tests use it to reach the 429 quickly)."""
        with self._lock:
            start, _ = self._window_start(key, now)
            self._windows[key] = (start, self.limit)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


def tightest(states: list[BudgetState]) -> BudgetState | None:
    """The state to report: a refusal if any, else the one with least remaining."""
    if not states:
        return None
    refused = [s for s in states if not s.allowed]
    if refused:
        return max(refused, key=lambda s: s.reset_at)
    return min(states, key=lambda s: s.remaining)
