"""Drive a fake that runs in another process, through its ``/__fake__/`` API.

    with FakeProcess("tests.fakes.mastodon", "--latency", "0.05") as fake:
        fake.call("issue_token", username="mediatheque")
        ...
        assert len(fake.journal(path="/api/v1/statuses", method="POST")) == 1

``FakeControl(url)`` alone talks to a fake already running (started by a
benchmark script, for example).
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import urllib.request
from typing import Any


class FakeControl:
    """HTTP client of a fake's control API (stdlib only, so any process can use it)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, action: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/__fake__/{action}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read() or b"null")

    def journal(self, **filters: str) -> list[dict[str, Any]]:
        """Entries as dicts; filters: ``path``, ``method``, ``path_prefix``, ``outcome``."""
        query = "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in filters.items())
        return self._request("GET", "journal" + (f"?{query}" if query else ""))

    def inject(self, path: str, **spec: Any) -> dict[str, Any]:
        """Same arguments as ``FakeServer.inject``."""
        return self._request("POST", "inject", {"path": path, **spec})

    def inject_rate_limited(self, path: str, **spec: Any) -> dict[str, Any]:
        return self._request("POST", "inject", {"kind": "rate_limited", "path": path, **spec})

    def inject_unauthorized(self, path: str, **spec: Any) -> dict[str, Any]:
        return self._request("POST", "inject", {"kind": "unauthorized", "path": path, **spec})

    def clear_injections(self) -> None:
        self._request("DELETE", "injections")

    def set_latency(self, seconds: float, **where: Any) -> None:
        self._request("POST", "latency", {"seconds": seconds, **where})

    def advance_clock(self, seconds: float) -> None:
        self._request("POST", "clock", {"seconds": seconds})

    def reset(self) -> None:
        self._request("POST", "reset", {})

    def state(self) -> dict[str, Any]:
        return self._request("GET", "state")

    def call(self, method: str, **kwargs: Any) -> Any:
        """Call one of the fake's ``control_methods`` (e.g. ``issue_token``)."""
        return self._request("POST", "call", {"method": method, "kwargs": kwargs})["result"]


class FakeProcess(FakeControl):
    """A fake started as ``python -m <module> --port 0 <args>``; stopped on exit."""

    def __init__(self, module: str, *args: str, startup_timeout: float = 15.0) -> None:
        self.module = module
        self.args = args
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[str] | None = None
        super().__init__("http://127.0.0.1:0")

    def start(self) -> FakeProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module, "--port", "0", *self.args],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], self.startup_timeout)
        line = self.process.stdout.readline().strip() if ready else "(no output)"

        if not line.startswith("FAKE READY "):
            self.stop()
            raise RuntimeError(f"{self.module} did not start: {line!r}")
        self.url = line.removeprefix("FAKE READY ")
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def __enter__(self) -> FakeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
