"""Threads (Meta's Threads API).

Counting: "Text posts are limited to 500 characters. Emojis are counted as the number of
UTF-8 bytes." (developers.facebook.com/documentation/threads/posts, Limitations, read
2026-04). We count user-perceived characters (grapheme clusters, as the page's reference
to grapheme-splitter suggests), an emoji counting its UTF-8 length instead of 1: 😀 is 4,
👍🏽 is 8, the ZWJ family 👨‍👩‍👧‍👦 is 25. Links count in full. More than five links make the
post fail (THREADS_API__LINK_LIMIT_EXCEEDED, since 2025-12-22).

Only one hashtag becomes the post's topic; more are kept as plain text (Ayrshare).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, Problem, TextLimits, VariantInput


class Threads(Network):
    key = "threads"
    name = "Threads"
    text_limits = TextLimits(max_length=500, max_links=5)
    image_limits = ImageLimits(
        max_count=20,  # carousel up to 20 items (third-party guides)
        max_bytes=8_000_000,
        formats=("image/jpeg", "image/png"),
        min_aspect=0.1,  # at most 10:1 either way
        max_aspect=10.0,
        min_width=320,
        max_width=1440,
        alt_text_max=1000,  # alt_text limit unconfirmed: conservative
        animated_gif="never",
    )

    def measure(self, text: str) -> int:
        text = textlib.prepare_text(text)
        count = textlib.grapheme_count(text)
        for start, end in textlib.emoji_clusters(text):
            count += textlib.utf8_length(text[start:end]) - 1
        return count

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        if len({h.tag.casefold() for h in textlib.extract_hashtags(text)}) > 1:
            return [
                self.problem(
                    "hashtags_not_topics",
                    "warning",
                    "text",
                    _(
                        "{network} : seul le premier hashtag devient le sujet du post ; "
                        "les autres restent du texte."
                    ),
                )
            ]
        return []
