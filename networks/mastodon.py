"""Mastodon: the rules of one instance (500 characters by default; each instance sets its own).

Counting, as Mastodon's StatusLengthValidator does (app/validators/status_length_validator.rb,
Mastodon 4.x): grapheme clusters of the text in which every URL written with `http://` or
`https://` counts `characters_reserved_per_url` (23) whatever its length, and a remote
mention `@user@instance.example` counts as `@user`. A URL without a scheme counts its
characters. (Mastodon also links a few other schemes, gemini:// or ipfs://; we count those
in full, which can only over-count.)

Defaults are mastodon.social's `/api/v2/instance` configuration; an account passes its own
instance's configuration with `with_instance_configuration()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits


class Mastodon(Network):
    key = "mastodon"
    name = "Mastodon"
    characters_reserved_per_url = 23
    text_limits = TextLimits(max_length=500)
    image_limits = ImageLimits(
        max_count=4,  # configuration.statuses.max_media_attachments
        max_bytes=10_485_760,  # configuration.media_attachments.image_size_limit
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        max_pixels=16_777_216,  # configuration.media_attachments.image_matrix_limit
        # description_limit: 1500 in Mastodon's MediaAttachment and compatible servers
        # (NETWORKS.md: unconfirmed); instances report their own.
        alt_text_max=1500,
        animated_gif="always",  # Mastodon turns GIFs into looping videos
    )
    config_attributes = ("characters_reserved_per_url",)
    config_aliases = {
        "max_characters": "max_length",
        "max_media_attachments": "max_count",
        "image_size_limit": "image_max_bytes",
        "image_matrix_limit": "max_pixels",
        "description_limit": "alt_text_max",
        "supported_mime_types": "formats",
    }

    def measure(self, text: str) -> int:
        text = textlib.prepare_text(text)
        entities: list[tuple[int, int, str]] = [
            (url.start, url.end, "x" * self.characters_reserved_per_url)
            for url in textlib.extract_urls(text, without_scheme=False)
        ]
        entities += [
            (mention.start, mention.end, mention.local)
            for mention in textlib.extract_mentions(text)
            if mention.domain
        ]
        if not entities:
            return textlib.grapheme_count(text)
        # Rewrite the text as Mastodon does: overlapping entities keep the first one.
        entities.sort()
        pieces, position = [], 0
        for start, end, replacement in entities:
            if start < position:
                continue
            pieces += [text[position:start], replacement]
            position = end
        pieces.append(text[position:])
        return textlib.grapheme_count("".join(pieces))

    def with_instance_configuration(self, instance: Mapping[str, Any]) -> Self:
        """A copy with the limits of an instance, from its `GET /api/v2/instance` JSON
        (or just its `configuration` object). Missing keys keep the defaults."""
        configuration = instance.get("configuration", instance)
        statuses = configuration.get("statuses") or {}
        media = configuration.get("media_attachments") or {}
        overrides: dict[str, Any] = {}
        for key in ("max_characters", "max_media_attachments", "characters_reserved_per_url"):
            if isinstance(statuses.get(key), int):
                overrides[key] = statuses[key]
        for key in ("image_size_limit", "image_matrix_limit", "description_limit"):
            if isinstance(media.get(key), int):
                overrides[key] = media[key]
        mime_types = media.get("supported_mime_types")
        if isinstance(mime_types, list):
            images = [t for t in mime_types if isinstance(t, str) and t.startswith("image/")]
            # Keep JPEG first: it is what renditions convert to.
            if "image/jpeg" in images:
                overrides["supported_mime_types"] = ["image/jpeg"] + [
                    t for t in images if t != "image/jpeg"
                ]
        return self.with_config(**overrides)
