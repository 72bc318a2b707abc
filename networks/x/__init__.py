"""X (formerly Twitter), API v2.

Counting: twitter-text v3's weighted length (twitter/twitter-text `config/v3.json`:
maxWeightedTweetLength 280, scale 100, defaultWeight 200, emojiParsingEnabled,
transformedURLLength 23), after NFC normalisation:
- code points in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1
  (Latin with its accents, Greek, Cyrillic, Hebrew, Arabic, most punctuation);
- every other code point weighs 2 (CJK, Hangul, most emoji, symbols);
- an emoji, however many code points it has (skin tone, ZWJ family, flag, keycap, tag
  sequence), weighs 2; © and ® only with the emoji selector (U+FE0F);
- every URL, with or without a scheme, weighs 23 (t.co).
Emoji are recognised by grapheme cluster rather than twitter-text's bundled emoji list,
so emoji newer than that list also weigh 2, as X's current apps count them.

A maintained Python port exists (twitter-text-parser 3.0.0) but is unmaintained since
2023, bundles Unicode 12 emoji data and needs pkg_resources; this module is short and
tested against the conformance cases instead.

The client is split by concern: `api` (HTTP, errors, tokens, the account), `posts`
(media, publishing, find, delete), `stats` (metrics, who liked or reposted);
`client` puts them together as `XClient`.
"""

from __future__ import annotations

import regex

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
from networks.x.api import (
    API_URL,
    OAUTH_URL,
    SCOPES,
    api_base,
    comparable,
    credentials_from_token,
    post_url,
)
from networks.x.client import XClient

__all__ = [
    "API_URL",
    "OAUTH_URL",
    "SCOPES",
    "X",
    "XClient",
    "api_base",
    "comparable",
    "credentials_from_token",
    "post_url",
]

# Code points of weight 1 in twitter-text v3; everything else weighs 2.
_LIGHT = regex.compile(r"[\u0000-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]+")


def _weight(segment: str) -> int:
    if segment.isascii():
        return len(segment)
    weight = len(segment) + len(_LIGHT.sub("", segment))  # 1 each, +1 for the heavy ones
    for start, end in textlib.emoji_clusters(segment):
        cluster = segment[start:end]
        weight += 2 - (len(cluster) + len(_LIGHT.sub("", cluster)))
    return weight


class X(Network):
    key = "x"
    name = "X"
    url_weight = 23
    # Creation-time caps from twitter/the-algorithm, tweetypie TweetText.scala
    # (maxMentions 50, maxUrls 10, maxHashtags 50).
    text_limits = TextLimits(max_length=280, max_hashtags=50, max_mentions=50, max_links=10)
    image_limits = ImageLimits(
        max_count=4,
        max_bytes=5_000_000,  # "image ≤ 5 MB"
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        alt_text_max=1000,  # POST /2/media/metadata (client code; unconfirmed)
        animated_gif="alone",  # 4 photos, or 1 GIF, or 1 video
    )
    config_attributes = ("url_weight",)

    def measure(self, text: str) -> int:
        text = textlib.prepare_text(text)
        total, position = 0, 0
        for url in textlib.extract_urls(text):
            total += _weight(text[position : url.start]) + self.url_weight
            position = url.end
        return total + _weight(text[position:])

    def client(self) -> XClient:
        return XClient()
