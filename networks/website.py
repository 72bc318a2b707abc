"""Website feed: published posts as RSS/Atom and JSON feed items and an embeddable widget
for the library's portal and the town's site.

No practical text limit (10,000 grapheme clusters keeps feeds sane); the post's link is
the item's own link, not appended to its text.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits


class Website(Network):
    key = "website"
    name = _("Site web (flux)")
    text_limits = TextLimits(max_length=10_000)
    image_limits = ImageLimits(
        max_count=10,
        max_bytes=10_000_000,
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        alt_text_max=1500,
        animated_gif="always",
    )
    link_in_text = False

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(text))
