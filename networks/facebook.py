"""Facebook Page posts (Graph API `/{page-id}/feed` and `/photos`).

Counting: 63,206 characters for `message` (Postiz). Meta does not say in which unit; we
count UTF-16 code units, the unit of its JavaScript and Java clients and the largest
count of the usual ones (an emoji outside the BMP counts 2), so a text we accept is never
too long. Buffer's character-limit guide counts the same way.
"""

from __future__ import annotations

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits


class Facebook(Network):
    key = "facebook"
    name = "Facebook"
    text_limits = TextLimits(max_length=63_206)
    image_limits = ImageLimits(
        max_count=10,  # photos per post via attached_media: unconfirmed, conservative
        max_bytes=4_000_000,  # "photos should be under 4 MB" (error 1366046)
        formats=("image/jpeg", "image/png"),
        alt_text_max=1000,  # alt_text_custom: limit unconfirmed, conservative
        animated_gif="never",  # unconfirmed: conservative
    )

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))
