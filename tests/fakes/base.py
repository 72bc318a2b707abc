"""A small framework for fake network servers: real HTTP on 127.0.0.1.

A fake runs either in a background thread of the test process::

    with FakeMastodon(latency=0.05) as fake:
        requests.get(fake.url + "/api/v2/instance")
        assert fake.requests(path="/api/v2/instance")

or as a separate process (so a Celery worker or a benchmark can reach it)::

    python -m tests.fakes.mastodon --port 8081 --latency 0.05

and is then driven through its control API under ``/__fake__/`` (see
``tests.fakes.client.FakeControl``). Every fake keeps a journal of what it
received, supports failure injection per route, global and per-route latency,
and a clock that tests can move forward (token expiry, rate-limit windows,
media processing) without sleeping.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import signal
import sys
import threading
import time
import traceback
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.fakes.control import CONTROL_PREFIX, ControlAPIMixin
from tests.fakes.faults import Injection, Injections
from tests.fakes.journal import Journal, JournalEntry
from tests.fakes.transport import Handler, Server
from tests.fakes.web import (
    FakeRequest,
    FakeResponse,
    Router,
    json_response,
    parse_body,
)


class FakeServer(ControlAPIMixin):
    """Base class of the fakes. Subclasses register routes in ``setup_routes``.

    Handlers run one at a time under ``self.lock`` (they are quick and never
    sleep), so fake state needs no further locking; latency and injected
    delays are spent outside the lock, so slow requests overlap.
    """

    name: ClassVar[str] = "fake"
    #: Public methods the control API may call through ``POST /__fake__/call``.
    control_methods: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"fakes bind loopback addresses only, not {host}")
        self.host = host
        self.port = port
        self.latency = latency
        self.route_latency: list[tuple[str | None, str, float]] = []
        self.lock = threading.RLock()
        self.journal = Journal()
        self.injections = Injections()
        self.router = Router()
        self.clock_offset = 0.0
        self._stopping = threading.Event()
        self._httpd: Server | None = None
        self._thread: threading.Thread | None = None
        self.setup_routes()

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> FakeServer:
        self._stopping.clear()
        self._httpd = Server((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            args=(0.05,),
            name=f"{self.name}-fake",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes requests sleeping in latency or a timeout injection
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234`` (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    # -- to override -----------------------------------------------------------
    def setup_routes(self) -> None:
        """Register the network's routes with ``self.router.add``."""

    def reset_state(self) -> None:
        """Forget everything the network stored (posts, tokens…), keep configuration."""

    def state(self) -> dict[str, Any]:
        """A JSON-able view of the stored state, for ``GET /__fake__/state``."""
        return {}

    def error_response(self, status: int, message: str | None = None) -> FakeResponse:
        """The network's error body for ``status`` (used for injections and crashes)."""
        return json_response({"error": message or "Error"}, status)

    def rate_limited_response(self, *, reset_at: float, limit: int) -> FakeResponse:
        """The network's 429, with its rate-limit headers, resetting at ``reset_at``."""
        return json_response({"error": "Too many requests"}, 429)

    def unauthorized_response(self) -> FakeResponse:
        """The network's answer to a bad or revoked credential."""
        return json_response({"error": "Unauthorized"}, 401)

    def not_found_response(self, request: FakeRequest) -> FakeResponse:
        return json_response({"error": "Not found"}, 404)

    def method_not_allowed_response(self, request: FakeRequest) -> FakeResponse:
        return self.error_response(405, "Method Not Allowed")

    # -- clock -----------------------------------------------------------------
    def now(self) -> float:
        """The fake's time (epoch seconds), moved by ``advance_clock``."""
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock forward: tokens expire, windows reset, media finish."""
        with self.lock:
            self.clock_offset += seconds

    # -- journal helpers -------------------------------------------------------
    def requests(
        self,
        path: str | None = None,
        method: str | None = None,
        *,
        path_prefix: str | None = None,
        outcome: str | None = None,
    ) -> list[JournalEntry]:
        """Journal entries, filtered by exact path, prefix, method and outcome."""
        return self.journal.entries(
            path=path, method=method, path_prefix=path_prefix, outcome=outcome
        )

    def reset(self) -> None:
        """Clear journal, injections, latency overrides and network state."""
        self.journal.clear()
        self.injections.clear()
        with self.lock:
            self.route_latency.clear()
            self.clock_offset = 0.0
            self.reset_state()

    # -- faults ----------------------------------------------------------------
    def inject(
        self,
        path: str,
        *,
        method: str | None = None,
        mode: str = "respond",
        status: int = 500,
        body: Any = None,
        headers: dict[str, str] | None = None,
        seconds: float = 0.0,
        times: int | None = 1,
        regex: bool = False,
    ) -> Injection:
        """Add a fault on ``path`` (see ``Injection`` for the modes).

        With ``mode="respond"`` and no ``body``, the network's own error body
        for ``status`` is used.
        """
        if mode == "respond" and body is None:
            default = self.error_response(status)
            body = default.body
            headers = {**default.headers, **(headers or {})}
        return self.injections.add(
            path=path,
            method=method.upper() if method else None,
            mode=mode,
            status=status,
            body=body,
            headers=dict(headers or {}),
            seconds=seconds,
            times=times,
            regex=regex,
        )

    def inject_rate_limited(
        self,
        path: str,
        *,
        method: str | None = None,
        reset_in: float = 60.0,
        limit: int = 300,
        times: int | None = 1,
        regex: bool = False,
    ) -> Injection:
        """Answer 429 with the network's rate-limit headers, resetting in ``reset_in`` s."""
        response = self.rate_limited_response(reset_at=self.now() + reset_in, limit=limit)
        return self.inject(
            path,
            method=method,
            status=429,
            body=response.body,
            headers=response.headers,
            times=times,
            regex=regex,
        )

    def inject_unauthorized(
        self, path: str, *, method: str | None = None, times: int | None = 1, regex: bool = False
    ) -> Injection:
        """Answer the network's exact 'bad credential' error."""
        response = self.unauthorized_response()
        return self.inject(
            path,
            method=method,
            status=response.status,
            body=response.body,
            headers=response.headers,
            times=times,
            regex=regex,
        )

    def set_latency(
        self, seconds: float, *, path: str | None = None, method: str | None = None
    ) -> None:
        """Global latency (no path) or latency for one path (regex, full match)."""
        with self.lock:
            if path is None:
                self.latency = seconds
            else:
                self.route_latency.insert(0, (method.upper() if method else None, path, seconds))

    def _latency_for(self, method: str, path: str) -> float:
        with self.lock:
            for route_method, pattern, seconds in self.route_latency:
                if (route_method in (None, method)) and re.fullmatch(pattern, path):
                    return seconds
            return self.latency

    # -- request handling ------------------------------------------------------
    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops; True if it is stopping."""
        return seconds > 0 and self._stopping.wait(seconds)

    def _handle(self, handler: Handler) -> None:
        started = time.monotonic()
        split = urlsplit(handler.path)
        request = FakeRequest(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=handler.read_body(),
            client_ip=handler.client_address[0],
        )
        parse_body(request)
        if request.path.startswith(CONTROL_PREFIX):
            handler.send(self._control(request))
            return
        entry = self.journal.begin(request)
        # The journal is completed before the answer leaves (or the connection
        # drops), so a test that got its response always finds the entry final.
        if self._sleep(self._latency_for(request.method, request.path)):
            self.journal.finish(entry, outcome="dropped", started=started)
            handler.drop()
            return
        injection = self.injections.take(request.method, request.path)
        mode = injection.mode if injection else None
        injection_id = injection.id if injection else None

        if injection and mode == "respond":
            response = FakeResponse(
                status=injection.status, body=injection.body, headers=dict(injection.headers)
            )
            self.journal.finish(
                entry,
                outcome="injected",
                response=response,
                started=started,
                injection_id=injection_id,
            )
            self._send(handler, response)
            return
        if injection and mode in ("drop", "timeout"):
            if mode == "timeout":
                self._sleep(injection.seconds)
            outcome = "timeout" if mode == "timeout" else "dropped"
            self.journal.finish(entry, outcome=outcome, started=started, injection_id=injection_id)
            handler.drop()
            return
        if injection and mode == "delay" and self._sleep(injection.seconds):
            self.journal.finish(
                entry, outcome="dropped", started=started, injection_id=injection_id
            )
            handler.drop()
            return

        response, error = self._dispatch(request, entry)
        if injection and mode == "drop_after":
            self.journal.finish(
                entry,
                outcome="dropped_after_processing",
                response=response,
                started=started,
                injection_id=injection_id,
                error=error,
            )
            self._sleep(injection.seconds)
            handler.drop()
            return
        self.journal.finish(
            entry,
            outcome="error" if error else "answered",
            response=response,
            started=started,
            injection_id=injection_id,
            error=error,
        )
        self._send(handler, response)

    @staticmethod
    def _send(handler: Handler, response: FakeResponse) -> None:
        try:
            handler.send(response)
        except OSError:  # the client went away (its own timeout)
            handler.close_connection = True

    def _dispatch(
        self, request: FakeRequest, entry: JournalEntry
    ) -> tuple[FakeResponse, str | None]:
        route, params, path_known = self.router.match(request.method, request.path)
        if route is None:
            if path_known:
                return self.method_not_allowed_response(request), None
            return self.not_found_response(request), None
        entry.route = route.name
        request.params = params
        try:
            with self.lock:
                return route.handler(request), None
        except Exception:
            return self.error_response(500), traceback.format_exc()

    # -- separate process ------------------------------------------------------
    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add the network's own options (e.g. ``--max-characters``)."""

    @classmethod
    def options_from_cli(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {}

    @classmethod
    def main(cls, argv: list[str] | None = None) -> None:
        """Run the fake until SIGTERM/SIGINT; prints ``FAKE READY <url>`` once listening."""
        parser = argparse.ArgumentParser(description=f"Fake {cls.name} server (tests only)")
        parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
        parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
        parser.add_argument(
            "--latency", type=float, default=0.0, help="seconds added to each request"
        )
        cls.add_cli_arguments(parser)
        args = parser.parse_args(argv)
        fake = cls(
            host=args.host, port=args.port, latency=args.latency, **cls.options_from_cli(args)
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        with fake:
            print(f"FAKE READY {fake.url}", flush=True)
            while not stop.wait(0.5):
                pass
        sys.exit(0)
