"""Google Business Profile local posts (the card people see on Google Maps and Search).

Sources: developers.google.com ``my-business/reference/rest/v4/accounts.locations.localPosts``
and ``my-business/content/posts-data``; Google's help ("posts can have up to 1,500
characters"); Ayrshare's and Late's media guidelines (third-party).

Counting: the summary holds 1,500 characters. Google does not say in which unit; we
count UTF-16 code units, the unit of its Java and JavaScript stacks and the largest of
the usual counts, as for Facebook.

Images: JPG or PNG, between 10 KB and 5 MB, at least 250 × 250 pixels (Ayrshare); one
photo per post (Late; the API takes a list, but several photos are unconfirmed, so we
stay at one). Google downloads the photo from a public URL. There is no alt text field.
Narrow images are enlarged by renditions (``min_width``); an image less than 250 pixels
high cannot be fixed that way and is an error.

Links: a post's link goes in its call-to-action button (``LEARN_MORE`` by default), not
in the text; posts whose text holds a phone number are rejected by Google (Ayrshare),
the "Call" button (``CALL``) is the way to show the number.

Post kinds (``topicType``): STANDARD (news), EVENT (needs a title, at most 58
characters per PostSyncer, and a start and an end), OFFER (an event with a coupon).
``check_event`` and ``check_call_to_action`` check what the composer collects beyond the
text and images.

The client (local posts, find, delete, metrics, OAuth) is in
``networks.google_business_client``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, Problem, TextLimits, VariantInput
from networks.google_business_client import GoogleBusinessClient

CALL_TO_ACTION_TYPES = ("LEARN_MORE", "BOOK", "ORDER", "SHOP", "SIGN_UP", "CALL")
EVENT_TITLE_MAX = 58
MIN_SIDE = 250
MIN_BYTES = 10_240
_PHONE_RE = re.compile(r"(?<!\w)(?:\+\d{1,3}[ .-]?)?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){3,4}(?!\w)")


def has_phone_number(text: str) -> bool:
    """A run of digits and separators holding 9 digits or more: ``03 20 12 34 56``."""
    return any(sum(c.isdigit() for c in m.group(0)) >= 9 for m in _PHONE_RE.finditer(text))


@dataclass(frozen=True)
class GbpEvent:
    """An event (or offer) as the composer collects it; times in the library's zone."""

    title: str
    start: datetime | None
    end: datetime | None


class GoogleBusiness(Network):
    key = "google_business"
    name = "Google Business Profile"
    text_limits = TextLimits(max_length=1500)
    image_limits = ImageLimits(
        max_count=1,
        max_bytes=5_000_000,  # "between 10 KB and 5 MB": 5 MB as 5,000,000 (conservative)
        formats=("image/jpeg", "image/png"),
        min_width=MIN_SIDE,
        alt_text_supported=False,
        animated_gif="never",
    )
    link_in_text = False  # the link becomes the call-to-action button
    call_to_action_types = CALL_TO_ACTION_TYPES
    event_title_max = EVENT_TITLE_MAX

    def measure(self, text: str) -> int:
        return textlib.utf16_length(textlib.prepare_text(text))

    def client(self) -> GoogleBusinessClient:
        return GoogleBusinessClient()

    def extra_checks(self, variant: VariantInput, text: str) -> list[Problem]:
        problems = []
        if has_phone_number(text):
            problems.append(
                self.problem(
                    "phone_number_refused",
                    "error",
                    "text",
                    _(
                        "{network} : Google refuse les publications contenant un numéro de "
                        "téléphone ; utilisez plutôt le bouton « Appeler »."
                    ),
                )
            )
        for index, image in enumerate(variant.images):
            if 0 < image.height < MIN_SIDE:
                problems.append(
                    self.problem(
                        "image_too_small",
                        "error",
                        "media",
                        _(
                            "{network} : l'image {number} fait moins de {limit} pixels de "
                            "haut ; Google la refuse."
                        ),
                        index=index,
                        number=index + 1,
                        limit=MIN_SIDE,
                    )
                )
            if 0 < image.bytes < MIN_BYTES:
                problems.append(
                    self.problem(
                        "image_file_too_small",
                        "warning",
                        "media",
                        _(
                            "{network} : l'image {number} pèse moins de 10 Ko ; Google refuse "
                            "les fichiers aussi légers."
                        ),
                        index=index,
                        number=index + 1,
                    )
                )
        return problems

    # --- beyond text and images ---------------------------------------------------------
    def check_event(self, event: GbpEvent) -> list[Problem]:
        """An EVENT or OFFER post needs a title (58 characters at most), a start and an
        end, the end after the start."""
        problems = []
        title = event.title.strip()
        if not title:
            problems.append(
                self.problem(
                    "event_title_missing",
                    "error",
                    "text",
                    _("{network} : un événement a besoin d'un titre."),
                )
            )
        elif len(title) > self.event_title_max:
            problems.append(
                self.problem(
                    "event_title_too_long",
                    "error",
                    "text",
                    _("{network} : le titre de l'événement dépasse {limit} caractères ({count})."),
                    limit=self.event_title_max,
                    count=len(title),
                )
            )
        if event.start is None or event.end is None:
            problems.append(
                self.problem(
                    "event_dates_missing",
                    "error",
                    "text",
                    _("{network} : un événement a besoin d'un début et d'une fin."),
                )
            )
        elif event.end <= event.start:
            problems.append(
                self.problem(
                    "event_ends_before_start",
                    "error",
                    "text",
                    _("{network} : la fin de l'événement doit venir après son début."),
                )
            )
        return problems

    def check_call_to_action(self, action_type: str, url: str | None) -> list[Problem]:
        """A button: one of ``CALL_TO_ACTION_TYPES``; all but ``CALL`` need a link."""
        if action_type not in self.call_to_action_types:
            return [
                self.problem(
                    "call_to_action_unknown",
                    "error",
                    "link",
                    _("{network} : le bouton « {action} » n'existe pas sur Google."),
                    action=action_type,
                )
            ]
        if action_type != "CALL" and not (url or "").strip():
            return [
                self.problem(
                    "call_to_action_link_missing",
                    "error",
                    "link",
                    _("{network} : le bouton « {action} » a besoin d'un lien."),
                    action=action_type,
                )
            ]
        return []
