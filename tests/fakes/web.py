"""Request/response objects and a small router for the fake network servers.

Only the standard library is used: bodies are parsed as JSON, urlencoded forms
(including Rails-style ``media_ids[]`` keys) or multipart forms (through the
``email`` package, since ``cgi`` is deprecated).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs


@dataclass
class UploadedFile:
    """A file part of a multipart body."""

    field: str
    filename: str
    content_type: str
    data: bytes

    def describe(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.data),
        }


@dataclass
class FakeRequest:
    """One parsed HTTP request as a route handler sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    client_ip: str = "127.0.0.1"
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()

    @property
    def bearer(self) -> str | None:
        value = self.header("authorization")
        if value[:7].lower() == "bearer ":
            return value[7:].strip()
        return None

    def arg(self, name: str, default: Any = None) -> Any:
        """A parameter from the JSON body, the form, or the query string, in that order."""
        if isinstance(self.json, dict) and name in self.json:
            return self.json[name]
        if name in self.form:
            return self.form[name][0]
        if name in self.query:
            return self.query[name][0]
        return default

    def arg_list(self, name: str) -> list[Any]:
        """An array parameter: ``name[]`` or repeated ``name`` in a form/query, or a JSON list."""
        if isinstance(self.json, dict) and name in self.json:
            value = self.json[name]
            return list(value) if isinstance(value, list) else [value]
        for source in (self.form, self.query):
            if f"{name}[]" in source:
                return list(source[f"{name}[]"])
            if name in source:
                return list(source[name])
        return []


@dataclass
class FakeResponse:
    """What a handler answers; ``body`` is JSON-encoded unless it is bytes or str."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")

    def json_body(self) -> Any:
        """The body as JSON data when it is JSON, for the journal."""
        if isinstance(self.body, (dict, list)):
            return self.body
        return None


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> FakeResponse:
    return FakeResponse(status=status, body=body, headers=dict(headers or {}))


def html_response(html: str, status: int = 200) -> FakeResponse:
    return FakeResponse(status=status, body=html, content_type="text/html; charset=utf-8")


def redirect_response(location: str) -> FakeResponse:
    return FakeResponse(
        status=302, body=b"", headers={"Location": location}, content_type="text/html"
    )


def parse_body(request: FakeRequest) -> None:
    """Fill ``json``, ``form`` and ``files`` from the raw body according to its content type."""
    if not request.body:
        return
    ctype = request.content_type
    if ctype == "application/json":
        try:
            request.json = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            request.json = None
    elif ctype == "application/x-www-form-urlencoded":
        request.form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    elif ctype == "multipart/form-data":
        request.form, request.files = _parse_multipart(request.header("content-type"), request.body)


def _parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, list[str]], dict[str, UploadedFile]]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    form: dict[str, list[str]] = {}
    files: dict[str, UploadedFile] = {}
    if not message.is_multipart():
        return form, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = UploadedFile(
                field=name,
                filename=filename,
                content_type=part.get_content_type(),
                data=payload,
            )
        else:
            charset = part.get_content_charset() or "utf-8"
            form.setdefault(name, []).append(payload.decode(charset, "replace"))
    return form, files


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str


class Router:
    """Maps (method, path regex) to handlers; path patterns use named groups."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, name: str | None = None) -> None:
        self.routes.append(
            Route(method.upper(), re.compile(pattern + r"\Z"), handler, name or pattern)
        )

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """The route, its path parameters, and whether the path exists for another method."""
        path_known = False
        for route in self.routes:
            found = route.pattern.match(path)
            if not found:
                continue
            path_known = True
            if route.method == method:
                return route, found.groupdict(), True
        return None, {}, path_known
