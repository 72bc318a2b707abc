"""Sandbox: Annexe's own training network. Posts land on a sandbox timeline inside
Annexe, so new colleagues can practise and the demo works offline.

Rules chosen to feel like a typical network: 500 user-perceived characters (grapheme
clusters), four images, alt text expected.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits


class Sandbox(Network):
    key = "sandbox"
    name = _("Bac à sable")
    text_limits = TextLimits(max_length=500)
    image_limits = ImageLimits(
        max_count=4,
        max_bytes=10_000_000,
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        alt_text_max=1500,
        animated_gif="always",
    )

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(text))
