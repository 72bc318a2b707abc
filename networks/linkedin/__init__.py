"""LinkedIn organization pages (Posts API, `commentary`).

Counting: 3,000 characters (Postiz; not confirmed by LinkedIn's documentation). The unit
is not documented; we count UTF-16 code units, like the Java platform LinkedIn runs on
and the largest of the usual counts. The commentary is sent in LinkedIn's "little" format
with reserved characters escaped by the publisher; whether the escapes count is
unconfirmed, we count the text as written.

The client is split by concern: `api` (HTTP, errors, tokens, the member's pages),
`posts` (publishing, find, delete), `stats` (metrics, who reacted); `client` puts
them together as `LinkedInClient`.
"""

from __future__ import annotations

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
from networks.linkedin.api import (
    API_URL,
    API_VERSION,
    OAUTH_URL,
    POSTING_ROLES,
    SCOPES,
    api_base,
    credentials_from_token,
    little,
    next_midnight,
    org_urn,
    post_url,
    unlittle,
)
from networks.linkedin.client import LinkedInClient

__all__ = [
    "API_URL",
    "API_VERSION",
    "OAUTH_URL",
    "POSTING_ROLES",
    "SCOPES",
    "LinkedIn",
    "LinkedInClient",
    "api_base",
    "credentials_from_token",
    "little",
    "next_midnight",
    "org_urn",
    "post_url",
    "unlittle",
]


class LinkedIn(Network):
    key = "linkedin"
    name = "LinkedIn"
    text_limits = TextLimits(max_length=3000)
    image_limits = ImageLimits(
        max_count=20,  # multiImage 2–20, or a single media
        max_bytes=5_000_000,  # 5 or 8 MB, unconfirmed: conservative
        formats=("image/jpeg", "image/png", "image/gif"),
        max_pixels=36_152_319,  # "fewer than 36,152,320 pixels" (Ayrshare)
        alt_text_max=300,  # client code, unconfirmed
        animated_gif="alone",  # GIF as a single media only (multiImage: unconfirmed)
    )

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))

    def client(self) -> LinkedInClient:
        return LinkedInClient()
