"""Instagram (business and creator accounts, content publishing API).

Counting: captions up to 2,200 characters (error 2207010), at most 30 hashtags and 20
mentions (third-party guides: Ayrshare, Postiz). The unit is not documented; we count
UTF-16 code units, the largest of the usual counts, as for Facebook.

No text-only posts: at least one image. Images are JPEG (the one format every source
agrees on), ≤ 8 MB, 320 to 1440 pixels wide, between 4:5 (portrait) and 1.91:1
(landscape); renditions pad or crop to fit, so an image outside the ratio is a warning.
Links in captions are not clickable.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, Problem, TextLimits, VariantInput


class Instagram(Network):
    key = "instagram"
    name = "Instagram"
    text_limits = TextLimits(max_length=2200, max_hashtags=30, max_mentions=20)
    image_limits = ImageLimits(
        max_count=10,  # carousel 2–10 (Postiz)
        min_count=1,
        max_bytes=8_000_000,
        formats=("image/jpeg",),  # PNG/GIF acceptance unconfirmed: JPEG only
        min_aspect=0.8,
        max_aspect=1.91,
        aspect_fixable=True,
        min_width=320,
        max_width=1440,
        alt_text_max=1000,  # Ayrshare: 1,000 characters per image
        animated_gif="never",
    )
    link_in_text = False  # a caption link cannot be clicked: never appended

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))

    def _check_links(self, text: str, variant: VariantInput) -> Iterator[Problem]:
        # No UTM advice: nothing in a caption is clickable.
        return iter(())

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        if (variant.link or "").strip() or textlib.extract_urls(text):
            return [
                self.problem(
                    "link_not_clickable",
                    "warning",
                    "link",
                    _(
                        "{network} : les liens ne sont pas cliquables dans une légende ; "
                        "écrivez plutôt « lien en bio »."
                    ),
                )
            ]
        return []
