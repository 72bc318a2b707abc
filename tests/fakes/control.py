"""The ``/__fake__/`` control API, for tests that drive a fake in another process.

| request | effect |
| --- | --- |
| ``GET /__fake__/journal?path=&method=&path_prefix=&outcome=`` | journal entries |
| ``POST /__fake__/inject`` (JSON: the arguments of ``FakeServer.inject``) | add a fault |
| ``GET`` / ``DELETE /__fake__/injections`` | list / remove faults |
| ``POST /__fake__/latency`` ``{seconds, path?, method?}`` | global or per-path latency |
| ``POST /__fake__/clock`` ``{seconds}`` | move the fake's clock forward |
| ``POST /__fake__/reset`` | clear journal, faults and network state |
| ``GET /__fake__/state`` | the network's stored state (posts…) |
| ``POST /__fake__/call`` ``{method, kwargs}`` | call one of the fake's ``control_methods`` |
| ``GET /__fake__/health`` | name and URL |

With ``"kind": "rate_limited"`` or ``"unauthorized"`` the injection answers
the network's own 429 (with its rate-limit headers) or bad-credential error.
Control requests are neither journaled, delayed nor subject to faults.
``tests.fakes.client.FakeControl`` wraps this API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.base import FakeServer

CONTROL_PREFIX = "/__fake__/"


class ControlAPIMixin:
    """Serves ``/__fake__/``; mixed into ``FakeServer``."""

    def _control(self: FakeServer, request: FakeRequest) -> FakeResponse:
        action = request.path[len(CONTROL_PREFIX) :].strip("/")
        body = request.json if isinstance(request.json, dict) else {}
        try:
            if action == "journal":
                entries = self.requests(
                    path=request.arg("path"),
                    method=request.arg("method"),
                    path_prefix=request.arg("path_prefix"),
                    outcome=request.arg("outcome"),
                )
                return json_response([e.to_dict() for e in entries])
            if action == "inject" and request.method == "POST":
                kind = body.pop("kind", "custom")
                if kind == "rate_limited":
                    injection = self.inject_rate_limited(**body)
                elif kind == "unauthorized":
                    injection = self.inject_unauthorized(**body)
                else:
                    injection = self.inject(**body)
                return json_response(injection.to_dict())
            if action == "injections":
                if request.method == "DELETE":
                    self.injections.clear()
                return json_response([i.to_dict() for i in self.injections.all()])
            if action == "latency" and request.method == "POST":
                self.set_latency(**body)
                return json_response({"latency": self.latency})
            if action == "clock" and request.method == "POST":
                self.advance_clock(float(body.get("seconds", 0)))
                return json_response({"now": self.now()})
            if action == "reset" and request.method == "POST":
                self.reset()
                return json_response({"reset": True})
            if action == "state":
                with self.lock:
                    return json_response(self.state())
            if action == "call" and request.method == "POST":
                return self._control_call(body)
            if action == "health":
                return json_response({"name": self.name, "url": self.url})
        except (TypeError, ValueError, KeyError) as exc:
            return json_response({"error": f"{type(exc).__name__}: {exc}"}, 400)
        return json_response({"error": f"unknown control action {action!r}"}, 404)

    def _control_call(self: FakeServer, body: dict[str, Any]) -> FakeResponse:
        method_name = body.get("method", "")
        if method_name not in self.control_methods:
            return json_response({"error": f"{method_name!r} is not a control method"}, 400)
        with self.lock:
            result = getattr(self, method_name)(**body.get("kwargs", {}))
        return json_response({"result": result})
