"""What the fake Google Business Profile stores, and Google's error format.

Errors follow google.rpc.Status as Google APIs render it in JSON
(cloud.google.com/apis/design/errors, developers.google.com
``my-business/content/basic-setup`` troubleshooting): ``{"error": {"code",
"message", "status", "details": [...]}}``, with ``google.rpc.ErrorInfo``
(``reason``, ``domain``, ``metadata``) for authentication and quota errors
and ``google.rpc.BadRequest`` field violations for invalid arguments. Business
Profile v4 validation errors carry
``type.googleapis.com/google.mybusiness.v4.ValidationError`` details (their
codes and wordings here are unconfirmed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.web import FakeResponse, json_response

UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


def google_error(
    code: int,
    status: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> FakeResponse:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return json_response({"error": error}, code, headers)


def error_info(reason: str, service: str, **metadata: str) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": service, **metadata},
    }


def field_violation(field_name: str, description: str) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "fieldViolations": [{"field": field_name, "description": description}],
    }


def validation_error(field_name: str, message: str, code: int = 3) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.mybusiness.v4.ValidationError",
        "errorDetails": [{"code": code, "field": field_name, "message": message}],
    }


def invalid_argument(*details: dict[str, Any]) -> FakeResponse:
    return google_error(
        400, "INVALID_ARGUMENT", "Request contains an invalid argument.", list(details)
    )


def not_found() -> FakeResponse:
    return google_error(404, "NOT_FOUND", "Requested entity was not found.")


def permission_denied(message: str = "The caller does not have permission") -> FakeResponse:
    return google_error(403, "PERMISSION_DENIED", message)


def rfc3339(timestamp: float) -> str:
    """``2026-03-05T14:03:00.123456Z`` (Google's Timestamp JSON)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class GoogleUser:
    id: str
    name: str
    email: str


@dataclass
class GbpAccount:
    id: str
    name: str
    type: str  # PERSONAL, LOCATION_GROUP, ORGANIZATION, USER_GROUP
    role: str  # PRIMARY_OWNER, OWNER, MANAGER, SITE_MANAGER
    user_ids: list[str]
    verified: bool = True


@dataclass
class GbpLocation:
    id: str
    account_id: str
    title: str
    locality: str
    postal_code: str
    address: str
    verified: bool = True  # metadata.hasVoiceOfMerchant: may post

    @property
    def name(self) -> str:
        return f"locations/{self.id}"


@dataclass
class GToken:
    value: str
    user_id: str
    scopes: list[str]
    expires_at: float
    revoked: bool = False


@dataclass
class GRefresh:
    value: str
    user_id: str
    scopes: list[str]
    expires_at: float | None  # None: until revoked
    revoked: bool = False


@dataclass
class GCode:
    code: str
    user_id: str
    redirect_uri: str
    scopes: list[str]
    offline: bool
    force_consent: bool
    expires_at: float
    challenge: str | None = None
    used: bool = False


@dataclass
class LocalPost:
    id: str
    account_id: str
    location_id: str
    body: dict[str, Any]
    created: float
    updated: float
    polls_left: int = 0
    rejected: bool = False
    deleted: bool = False
    metrics: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"accounts/{self.account_id}/locations/{self.location_id}/localPosts/{self.id}"
