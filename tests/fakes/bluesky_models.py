"""Plain data kept by the fake Bluesky, and its rate-limit headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.faults import BudgetState


def iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Actor:
    did: str
    handle: str
    display_name: str = ""
    created_at: str = "2024-01-01T00:00:00.000Z"


@dataclass
class BlueskyAccount(Actor):
    email: str = ""
    passwords: list[str] = field(default_factory=list)


@dataclass
class Blob:
    cid: str
    did: str
    mime_type: str
    size: int


@dataclass
class StoredRecord:
    did: str
    collection: str
    rkey: str
    value: dict[str, Any]
    cid: str
    indexed_at: str
    deleted: bool = False

    @property
    def uri(self) -> str:
        return f"at://{self.did}/{self.collection}/{self.rkey}"


def rate_headers(state: BudgetState) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(state.limit),
        "RateLimit-Remaining": str(state.remaining),
        "RateLimit-Reset": str(int(state.reset_at)),
        "RateLimit-Policy": f"{state.limit};w={int(state.window)}",
    }
