"""Mastodon entities as the fake stores and serialises them.

Shapes follow the Mastodon documentation (mastodon/documentation,
``content/en/entities/{Status,Account,MediaAttachment,Instance,Application}.md``
and the examples in ``content/en/methods/statuses.md``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import regex

# StatusLengthValidator (mastodon app/validators/status_length_validator.rb):
# graphemes are counted; every URL counts as 23 characters; a remote mention
# "@user@domain" counts as "@user"; spoiler_text counts with the text, as typed
# (`[spoiler_text, countable_text(text)].join`: its URLs are not shortened).
URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
REMOTE_MENTION_RE = re.compile(r"(?<![\w/@])@(\w+)@[\w.-]+\w")
URL_PLACEHOLDER = "x" * 23


def countable_length(text: str, spoiler_text: str = "") -> int:
    text = URL_RE.sub(URL_PLACEHOLDER, text)
    text = REMOTE_MENTION_RE.sub(lambda m: "@" + m.group(1), text)
    return len(regex.findall(r"\X", spoiler_text + text))


def iso(timestamp: float) -> str:
    """Mastodon's datetime format: ``2019-12-05T11:34:47.196Z``."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def content_html(text: str) -> str:
    """Plain text rendered as Mastodon renders local statuses: paragraphs, <br />, links."""

    def paragraph(block: str) -> str:
        escaped = html.escape(block, quote=False)
        linked = URL_RE.sub(
            lambda m: (
                f'<a href="{m.group(0)}" target="_blank" rel="nofollow noopener" '
                f'translate="no">{m.group(0)}</a>'
            ),
            escaped,
        )
        return "<p>" + linked.replace("\n", "<br />") + "</p>"

    blocks = [b for b in re.split(r"\n{2,}", text) if b]
    return "".join(paragraph(b) for b in blocks)


@dataclass
class Account:
    id: str
    username: str
    domain: str | None = None  # None: a local account of this instance
    display_name: str = ""
    created_at: float = 0.0
    bot: bool = False

    @property
    def local(self) -> bool:
        return self.domain is None

    def acct(self) -> str:
        return self.username if self.local else f"{self.username}@{self.domain}"

    def serialize(self, base_url: str, statuses_count: int = 0) -> dict[str, Any]:
        url = (
            f"{base_url}/@{self.username}"
            if self.local
            else f"https://{self.domain}/@{self.username}"
        )
        return {
            "id": self.id,
            "username": self.username,
            "acct": self.acct(),
            "display_name": self.display_name or self.username,
            "locked": False,
            "bot": self.bot,
            "discoverable": True,
            "group": False,
            "created_at": iso(self.created_at),
            "note": "",
            "url": url,
            "uri": url.replace("/@", "/users/"),
            "avatar": f"{base_url}/avatars/original/missing.png",
            "avatar_static": f"{base_url}/avatars/original/missing.png",
            "header": f"{base_url}/headers/original/missing.png",
            "header_static": f"{base_url}/headers/original/missing.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": statuses_count,
            "last_status_at": None,
            "emojis": [],
            "fields": [],
        }


@dataclass
class Application:
    id: str
    name: str
    website: str | None
    redirect_uris: list[str]
    scopes: list[str]
    client_id: str
    client_secret: str

    def serialize(self, *, with_secret: bool) -> dict[str, Any]:
        # Since 4.3 the entity carries redirect_uris and scopes; redirect_uri is
        # kept, deprecated (spec/requests/api/v1/apps/credentials_spec.rb).
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "website": self.website,
            "scopes": self.scopes,
            "redirect_uris": self.redirect_uris,
            "redirect_uri": "\n".join(self.redirect_uris),
            "vapid_key": "BFakeVapidKeyForTests" + "0" * 66 + "=",
        }
        if with_secret:
            data["client_id"] = self.client_id
            data["client_secret"] = self.client_secret
            data["client_secret_expires_at"] = 0
        return data


@dataclass
class Token:
    value: str
    client_id: str
    scopes: list[str]
    account_id: str | None  # None: an app-level token (client_credentials)
    created_at: float
    revoked: bool = False


@dataclass
class Media:
    id: str
    account_id: str
    filename: str
    content_type: str
    size: int
    description: str | None
    focus: str | None
    uploaded_at: float
    ready_at: float
    status_id: str | None = None

    def kind(self) -> str:
        major = self.content_type.split("/")[0]
        if self.content_type == "image/gif":
            return "gifv"
        return {"image": "image", "video": "video", "audio": "audio"}.get(major, "unknown")

    def serialize(self, base_url: str, now: float) -> dict[str, Any]:
        ready = now >= self.ready_at
        path = f"{base_url}/system/media_attachments/files/{self.id}"
        focus = {"x": 0.0, "y": 0.0}
        if self.focus:
            x, _, y = self.focus.partition(",")
            focus = {"x": float(x or 0), "y": float(y or 0)}
        return {
            "id": self.id,
            "type": self.kind(),
            "url": f"{path}/original/{self.filename}" if ready else None,
            "preview_url": f"{path}/small/{self.filename}",
            "remote_url": None,
            "preview_remote_url": None,
            "text_url": None,
            "meta": {"focus": focus},
            "description": self.description,
            "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
        }


@dataclass
class Status:
    id: str
    account_id: str
    text: str
    created_at: float
    visibility: str = "public"
    sensitive: bool = False
    spoiler_text: str = ""
    language: str | None = None
    media_ids: list[str] = field(default_factory=list)
    in_reply_to_id: str | None = None
    reblog_of_id: str | None = None
    application: str | None = None
    idempotency_key: str | None = None
    deleted_at: float | None = None
    favourites_count: int = 0
    reblogs_count: int = 0
    replies_count: int = 0

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None
