"""Bluesky (AT Protocol, app.bsky.feed.post).

Counting: the record's `text` is limited to 300 grapheme clusters AND 3000 UTF-8 bytes
(lexicon `app/bsky/feed/post.json`: maxGraphemes 300, maxLength 3000). `measure` returns
graphemes (what people see); `check` also reports the bytes. Links count in full: the
server does not shorten them (the official app shortens the visible text of long links
and keeps the full URL in the facet; if our publisher ever does the same, `measure` must
follow it).
"""

from __future__ import annotations

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits


class Bluesky(Network):
    key = "bluesky"
    name = "Bluesky"
    text_limits = TextLimits(max_length=300, max_bytes=3000)
    image_limits = ImageLimits(
        max_count=4,  # app.bsky.embed.images
        # Blobs may be 2,000,000 bytes since April 2026 but older PDSs still refuse more
        # than 1,000,000 (NETWORKS.md): the conservative value; a PDS known to be recent
        # can be given `with_config(image_max_bytes=2_000_000)`.
        max_bytes=1_000_000,
        formats=("image/jpeg", "image/png", "image/webp"),
        alt_text_max=2000,  # graphemes; bluesky-social/social-app MAX_ALT_TEXT
        animated_gif="never",  # embed.images shows still images only
    )

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(text))

    def measure_alt_text(self, alt_text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(alt_text))
