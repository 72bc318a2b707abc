"""What the fake LinkedIn stores, and its error bodies.

Error bodies (learn.microsoft.com ``linkedin/shared/api-guide/concepts/error-handling``
and bodies quoted by clients: Postiz, omniauth-linkedin-oauth2 #81,
Arisamiga/Linkedin-RSS #5): ``{"status", "serviceErrorCode", "code",
"message"}``; 401 ``INVALID_ACCESS_TOKEN`` (65600), ``REVOKED_ACCESS_TOKEN``
(65601), ``EXPIRED_ACCESS_TOKEN`` (65602); 426 ``NONEXISTENT_VERSION``
("Requested version 20250101 is not active": a ``YYYYMM`` version is echoed
as ``YYYYMM01``); 422 duplicate content naming the existing post ("Content
is a duplicate of urn:li:share:…"). The wordings of 400 ``VERSION_MISSING``,
403 ``ACCESS_DENIED`` and the 429 body are unconfirmed.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.web import FakeResponse, json_response

LI_ERRORS: dict[str, tuple[int, int | None, str | None, str]] = {
    "invalid_token": (401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token"),
    "revoked_token": (
        401,
        65601,
        "REVOKED_ACCESS_TOKEN",
        "The token used in the request has been revoked by the user",
    ),
    "expired_token": (
        401,
        65602,
        "EXPIRED_ACCESS_TOKEN",
        "The token used in the request has expired",
    ),
    "version_missing": (
        400,
        None,
        "VERSION_MISSING",
        "A version must be present. Please specify a version by adding the LinkedIn-Version "
        "header.",
    ),
    "version_inactive": (
        426,
        None,
        "NONEXISTENT_VERSION",
        "Requested version {version} is not active",
    ),
    "protocol_missing": (
        400,
        None,
        "ILLEGAL_ARGUMENT",
        "X-Restli-Protocol-Version 2.0.0 is required for this resource",
    ),
    "access_denied": (
        403,
        100,
        "ACCESS_DENIED",
        "Not enough permissions to access: {resource}",
    ),
    "duplicate": (422, None, "DUPLICATE_POST", "Content is a duplicate of {urn}"),
    "unprocessable": (422, None, "UNPROCESSABLE_ENTITY", "{detail}"),
    "not_found": (404, None, "NOT_FOUND", "Not Found: {detail}"),
    "bad_request": (400, None, "BAD_REQUEST", "{detail}"),
    "throttled": (
        429,
        101,
        "TOO_MANY_REQUESTS",
        "Resource level throttle {scope} DAY limit for calls to this resource is reached.",
    ),
    "server_error": (500, None, "INTERNAL_SERVER_ERROR", "Internal Server Error"),
}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def li_error(name: str, headers: dict[str, str] | None = None, **fmt: Any) -> FakeResponse:
    status, service_code, code, message = LI_ERRORS[name]
    body: dict[str, Any] = {"status": status}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    if code:
        body["code"] = code
    body["message"] = message.format_map(_Keep(fmt))
    return json_response(body, status, headers)


def random_key(length: int = 12) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass
class Member:
    id: str  # the person id; urn:li:person:{id}; OpenID "sub"
    given_name: str
    family_name: str
    email: str

    @property
    def urn(self) -> str:
        return f"urn:li:person:{self.id}"


@dataclass
class Organization:
    id: str
    name: str
    vanity_name: str
    roles: dict[str, str] = field(default_factory=dict)  # member id → role

    @property
    def urn(self) -> str:
        return f"urn:li:organization:{self.id}"


@dataclass
class LiToken:
    value: str
    member_id: str
    scopes: list[str]
    issued_at: float
    expires_at: float
    refresh_token: str | None = None
    revoked: bool = False


@dataclass
class RefreshToken:
    value: str
    member_id: str
    scopes: list[str]
    expires_at: float  # not extended by refreshing (programmatic-refresh-tokens)
    revoked: bool = False


@dataclass
class LiCode:
    code: str
    member_id: str
    redirect_uri: str
    scopes: list[str]
    expires_at: float
    code_challenge: str | None = None
    used: bool = False


@dataclass
class LiImage:
    urn: str
    owner: str
    created: float
    upload_expires_at: float
    data: bytes | None = None
    status: str = "WAITING_UPLOAD"  # WAITING_UPLOAD, PROCESSING, AVAILABLE, PROCESSING_FAILED
    polls_left: int = 0
    width: int = 0
    height: int = 0


@dataclass
class LiPost:
    urn: str
    author: str
    commentary: str
    created: float
    body: dict[str, Any]
    deleted: bool = False
    likes: int = 0
    comments: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    reactions: list[tuple[str, str, float]] = field(default_factory=list)  # actor, type, time

    @property
    def reaction_count(self) -> int:
        return self.likes + len(self.reactions)
