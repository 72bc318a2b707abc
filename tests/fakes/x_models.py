"""What the fake X stores, and its problem-JSON error bodies.

X API v2 errors are problem details (xdevplatform/docs
``x-api/fundamentals/response-codes-and-errors``): ``{"title", "detail",
"type", "status"}``; ``type`` is ``about:blank`` for plain HTTP errors or
``https://api.twitter.com/2/problems/<name>`` (``invalid-request`` with an
``errors`` list, ``usage-capped``, ``resource-not-found``,
``not-authorized-for-field``…). Bodies quoted by clients: duplicate text
(Postiz error map), "Your Tweet text is too long…" (tweepy traces), and
v1.1's ``{"errors": [{"code": 88, "message": "Rate limit exceeded"}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.web import FakeResponse, json_response

PROBLEMS = "https://api.twitter.com/2/problems/"
TWEPOCH_MS = 1_288_834_974_657
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> FakeResponse:
    title = title or TITLES.get(status, "Error")
    body: dict[str, Any] = {
        "title": title,
        "detail": detail or title,
        "type": PROBLEMS + kind if kind else "about:blank",
        "status": status,
        **extra,
    }
    return json_response(body, status, headers)


def invalid_request(message: str, parameters: dict[str, list[str]]) -> FakeResponse:
    return json_response(
        {
            "errors": [{"parameters": parameters, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        },
        400,
    )


def x_time(timestamp: float) -> str:
    """``2026-03-05T14:03:00.000Z``."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_x_time(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


@dataclass
class XUser:
    id: str
    name: str
    username: str


@dataclass
class XToken:
    value: str
    user_id: str
    scopes: list[str]
    expires_at: float
    revoked: bool = False


@dataclass
class XRefresh:
    value: str
    user_id: str
    scopes: list[str]
    expires_at: float
    used: bool = False  # refresh tokens rotate: each works once


@dataclass
class XCode:
    code: str
    user_id: str
    redirect_uri: str
    scopes: list[str]
    challenge: str
    method: str
    expires_at: float
    used: bool = False


@dataclass
class XMedia:
    id: str
    owner: str
    media_type: str
    category: str
    total_bytes: int
    created: float
    expires_at: float
    segments: dict[int, bytes] = field(default_factory=dict)
    state: str = "uploading"  # uploading, pending, in_progress, succeeded, failed
    polls_left: int = 0
    alt_text: str | None = None
    width: int = 0
    height: int = 0
    error: str | None = None

    @property
    def media_key(self) -> str:
        prefix = {"video": "7", "gif": "16"}.get(self.kind, "3")
        return f"{prefix}_{self.id}"

    @property
    def kind(self) -> str:
        if self.media_type == "image/gif" or self.category == "tweet_gif":
            return "gif"
        if self.media_type.startswith("video/"):
            return "video"
        return "photo"


@dataclass
class Tweet:
    id: str
    author_id: str
    text: str  # as sent (duplicate checks)
    created: float
    display: str = ""  # as X shows it: URLs and media as t.co links
    media_ids: list[str] = field(default_factory=list)
    deleted: bool = False
    public: dict[str, int] = field(default_factory=dict)
    private: dict[str, int] = field(default_factory=dict)
    likers: list[str] = field(default_factory=list)  # user ids, newest last
    retweeters: list[str] = field(default_factory=list)  # user ids, newest last
