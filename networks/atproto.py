"""AT Protocol helpers for the Bluesky client: record keys (TIDs), rich-text facets,
access-token expiry, and handle → DID → PDS resolution.

Sources: atproto specs `specs/tid.md` (TID: 64-bit integer, top bit 0, 53 bits of
microseconds since the epoch then 10 bits of clock id, written as 13 characters of
base32-sortable), `lexicons/app/bsky/richtext/facet.json` (byte offsets in UTF-8,
`byteEnd` exclusive; link, mention and tag features), `specs/did.md` and
`specs/handle.md` (resolution).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import datetime

from networks import text as textlib

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
MAX_TAG_GRAPHEMES = 64  # facet.json: tag maxGraphemes 64


def make_tid(moment: datetime, clock_id: int) -> str:
    """A TID for `moment` (microsecond precision) and a 10-bit clock id."""
    micros = int(moment.timestamp() * 1_000_000)
    value = (micros << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def tid_for(publication_uuid: str, moment: datetime) -> str:
    """A publication's record key: its time, and a clock id taken from its UUID so
    two publications created in the same microsecond still differ."""
    return make_tid(moment, uuid.UUID(str(publication_uuid)).int & 0x3FF)


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT (not verified: only to know when to refresh)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return float(json.loads(base64.urlsafe_b64decode(payload))["exp"])
    except (IndexError, KeyError, ValueError, TypeError):
        return None


def _facet(text: str, start: int, end: int, feature: dict) -> dict:
    byte_start, byte_end = textlib.utf8_span(text, start, end)
    return {"index": {"byteStart": byte_start, "byteEnd": byte_end}, "features": [feature]}


def build_facets(
    text: str, resolve_handle: Callable[[str], str | None] | None = None
) -> list[dict]:
    """Link, mention and hashtag facets of `text`, at UTF-8 byte offsets.

    Bluesky does not detect links itself: without a facet a URL is plain text.
    `text` must be the exact text sent (after `textlib.prepare_text`). A mention is
    `@handle.domain`; it becomes a facet only when `resolve_handle` finds its DID
    (an unknown handle stays plain text). Fediverse addresses (`@user@instance`)
    are not Bluesky handles and are left alone.
    """
    facets = []
    for url in textlib.extract_urls(text):
        uri = url.url if url.has_scheme else f"https://{url.url}"
        facets.append(
            _facet(text, url.start, url.end, {"$type": "app.bsky.richtext.facet#link", "uri": uri})
        )
    if resolve_handle is not None:
        for mention in textlib.extract_mentions(text):
            if mention.domain or "." not in mention.username:
                continue
            did = resolve_handle(mention.username.lower())
            if did:
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
                facets.append(_facet(text, mention.start, mention.end, feature))
    for tag in textlib.extract_hashtags(text):
        if textlib.grapheme_count(tag.tag) <= MAX_TAG_GRAPHEMES:
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": tag.tag}
            facets.append(_facet(text, tag.start, tag.end, feature))
    facets.sort(key=lambda f: f["index"]["byteStart"])
    return facets


def pds_from_did_document(document: dict) -> str | None:
    """The `#atproto_pds` service endpoint of a DID document."""
    for service in document.get("service") or []:
        if str(service.get("id", "")).endswith("#atproto_pds"):
            endpoint = service.get("serviceEndpoint")
            if isinstance(endpoint, str):
                return endpoint.rstrip("/")
    return None
