"""Field expansion and cursor paging of the Graph API.

- ``fields=a,b.summary(true).limit(0),c{d,e}``: a comma list where each field
  may carry modifiers ``.name(value)`` and sub-fields in braces
  (graph-api/guides/field-expansion).
- Paged edges answer ``{"data": [...], "paging": {"cursors": {"before",
  "after"}, "next"?, "previous"?}}``; ``limit`` defaults to 25
  (graph-api/results, cursor-based pagination); ``next`` is absent on the last
  page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.fakes.web import FakeRequest


@dataclass
class FieldSpec:
    name: str
    modifiers: dict[str, str] = field(default_factory=dict)
    subfields: list[FieldSpec] = field(default_factory=list)


def _split_top(expr: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in expr:
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_fields(expr: str | None) -> list[FieldSpec]:
    """``reactions.summary(total_count).limit(0),instagram_business_account{id}``."""
    specs = []
    for part in _split_top(expr or ""):
        subfields: list[FieldSpec] = []
        if "{" in part and part.endswith("}"):
            brace = part.index("{")
            subfields = parse_fields(part[brace + 1 : -1])
            part = part[:brace]
        name, *mods = _split_dots(part)
        modifiers = {}
        for mod in mods:
            key, _, value = mod.partition("(")
            modifiers[key] = value.rstrip(")")
        specs.append(FieldSpec(name=name, modifiers=modifiers, subfields=subfields))
    return specs


def _split_dots(part: str) -> list[str]:
    pieces, depth, current = [], 0, []
    for char in part:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "." and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def field_names(request: FakeRequest) -> list[FieldSpec]:
    return parse_fields(request.arg("fields"))


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"index:{index}".encode()).decode().rstrip("=")


def _index(cursor: str) -> int:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        return int(base64.urlsafe_b64decode(padded).decode().split(":", 1)[1])
    except (ValueError, IndexError):
        return -1


def paged(
    items: list[Any],
    request: FakeRequest,
    base_url: str,
    *,
    default_limit: int = 25,
    max_limit: int = 100,
) -> tuple[list[Any], dict[str, Any]]:
    """The page of ``items`` the request asks for and its ``paging`` object."""
    try:
        limit = max(0, min(int(request.arg("limit", default_limit)), max_limit))
    except (TypeError, ValueError):
        limit = default_limit
    start = 0
    if request.arg("after"):
        start = _index(request.arg("after")) + 1
    elif request.arg("before"):
        start = max(_index(request.arg("before")) - limit, 0)
    chunk = items[start : start + limit]
    paging: dict[str, Any] = {}
    if chunk:
        paging["cursors"] = {"before": _cursor(start), "after": _cursor(start + len(chunk) - 1)}
    keep = {k: v[0] for k, v in request.query.items() if k not in ("after", "before", "limit")}
    if start + limit < len(items) and chunk:
        query = {**keep, "limit": limit, "after": _cursor(start + len(chunk) - 1)}
        paging["next"] = f"{base_url}{request.path}?{urlencode(query)}"
    if start > 0 and chunk:
        query = {**keep, "limit": limit, "before": _cursor(start)}
        paging["previous"] = f"{base_url}{request.path}?{urlencode(query)}"
    return chunk, paging
