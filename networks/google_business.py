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
characters per PostSyncer, and a start and an end), OFFER. An offer is an event too:
``LocalPost.event`` is "required for topic types EVENT and OFFER" (its title is the
offer's title, its schedule the offer's validity), plus ``offer {couponCode,
redeemOnlineUrl, termsConditions}``, each "optional" (reference ``LocalPostOffer``;
``offer`` "should only be set when the topic_type is OFFER"). ``callToAction`` is
"ignored for topic type OFFER": an offer has no button, its link is the online
redemption page. Lengths of the coupon code and the terms are not documented: we take
58 characters for the code (as a title; unconfirmed) and 5,000 for the terms
(unconfirmed); the fake's limits are configurable.
``check_event``, ``check_offer`` and ``check_call_to_action`` check what the composer
collects beyond the text and images.

An event or offer whose end is past when the post goes out (at the time of the check,
or at its scheduled time) is refused here and not sent by the client
(``GoogleBusinessClient.publish``). What Google answers to one is not documented
(unconfirmed: no source says whether ``localPosts.create`` refuses it with
INVALID_ARGUMENT or accepts a post shown nowhere; third-party guides say event and
offer posts are shown until their end): we are conservative and never send it, so the
library never believes it announced what nobody can see.

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
OFFER_COUPON_MAX = 58  # (unconfirmed)
OFFER_TERMS_MAX = 5000  # (unconfirmed)
_URL_RE = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*\Z")
MIN_SIDE = 250
MIN_BYTES = 10_240
_PHONE_RE = re.compile(r"(?<!\w)(?:\+\d{1,3}[ .-]?)?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){3,4}(?!\w)")


def has_phone_number(text: str) -> bool:
    """A run of digits and separators holding 9 digits or more: ``03 20 12 34 56``."""
    return any(sum(c.isdigit() for c in m.group(0)) >= 9 for m in _PHONE_RE.finditer(text))


@dataclass(frozen=True)
class GbpEvent:
    """An event (or offer) as the composer collects it; times in the library's zone.
    `scheduled_at` is when the post is to go out (None: as soon as approved) and `now`
    the time of the check (None: no check of the end against time, e.g. a post already
    published)."""

    title: str
    start: datetime | None
    end: datetime | None
    scheduled_at: datetime | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class GbpOffer:
    """An offer as the composer collects it (each part optional); its title and
    validity are the post's event."""

    coupon_code: str = ""
    redeem_url: str = ""
    terms: str = ""


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
    offer_coupon_max = OFFER_COUPON_MAX
    offer_terms_max = OFFER_TERMS_MAX

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
    def check_event(self, event: GbpEvent, *, offer: bool = False) -> list[Problem]:
        """An EVENT or OFFER post needs a title (58 characters at most), a start and an
        end, the end after the start and not already past when the post goes out (at
        `event.now`, or at `event.scheduled_at`; see the module's docstring). Problems
        on an offer speak of an offer; their codes start with ``offer_``, not ``event_``."""
        kind = "offer" if offer else "event"
        templates = _OFFER_TEMPLATES if offer else _EVENT_TEMPLATES
        problems = []
        title = event.title.strip()
        if not title:
            problems.append(
                self.problem(f"{kind}_title_missing", "error", "event", templates["title_missing"])
            )
        elif len(title) > self.event_title_max:
            problems.append(
                self.problem(
                    f"{kind}_title_too_long",
                    "error",
                    "event",
                    templates["title_too_long"],
                    limit=self.event_title_max,
                    count=len(title),
                )
            )
        if event.start is None or event.end is None:
            problems.append(
                self.problem(f"{kind}_dates_missing", "error", "event", templates["dates_missing"])
            )
        elif event.end <= event.start:
            problems.append(
                self.problem(
                    f"{kind}_ends_before_start", "error", "event", templates["ends_before_start"]
                )
            )
        elif event.now is not None and event.end <= event.now:
            problems.append(self.problem(f"{kind}_ended", "error", "event", templates["ended"]))
        elif event.scheduled_at is not None and event.end <= event.scheduled_at:
            problems.append(
                self.problem(
                    f"{kind}_ends_before_publication",
                    "error",
                    "event",
                    templates["ends_before_publication"],
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

    def check_offer(
        self, event: GbpEvent, offer: GbpOffer, *, call_to_action: str = ""
    ) -> list[Problem]:
        """An OFFER post: the event's rules (title, start, end: Google requires the
        event of an offer), a coupon code and terms within their lengths, an online
        redemption page that is a web address; a chosen button is ignored by Google."""
        problems = self.check_event(event, offer=True)
        code = offer.coupon_code.strip()
        if len(code) > self.offer_coupon_max:
            problems.append(
                self.problem(
                    "offer_coupon_too_long",
                    "error",
                    "event",
                    _("{network} : le code promo dépasse {limit} caractères ({count})."),
                    limit=self.offer_coupon_max,
                    count=len(code),
                )
            )
        if len(offer.terms) > self.offer_terms_max:
            problems.append(
                self.problem(
                    "offer_terms_too_long",
                    "error",
                    "event",
                    _(
                        "{network} : les conditions de l'offre dépassent {limit} caractères "
                        "({count})."
                    ),
                    limit=self.offer_terms_max,
                    count=len(offer.terms),
                )
            )
        url = offer.redeem_url.strip()
        if url and not _URL_RE.match(url):
            problems.append(
                self.problem(
                    "offer_redeem_url_invalid",
                    "error",
                    "event",
                    _(
                        "{network} : le lien pour profiter de l'offre en ligne, « {url} », "
                        "n'est pas une adresse web complète (https://…)."
                    ),
                    url=url if len(url) <= 60 else url[:59] + "…",
                )
            )
        if call_to_action:
            problems.append(
                self.problem(
                    "offer_call_to_action_ignored",
                    "warning",
                    "event",
                    _(
                        "{network} : une offre n'a pas de bouton, Google ignore celui choisi ; "
                        "on profite de l'offre en ligne par son lien (ou celui de la publication)."
                    ),
                )
            )
        return problems


_EVENT_TEMPLATES = {
    "title_missing": _("{network} : un événement a besoin d'un titre."),
    "title_too_long": _(
        "{network} : le titre de l'événement dépasse {limit} caractères ({count})."
    ),
    "dates_missing": _("{network} : un événement a besoin d'un début et d'une fin."),
    "ends_before_start": _("{network} : la fin de l'événement doit venir après son début."),
    "ended": _(
        "{network} : l'événement est déjà terminé (sa fin est passée) ; il ne sera pas "
        "publié. Changez sa fin ou retirez l'événement."
    ),
    "ends_before_publication": _(
        "{network} : l'événement se termine avant la date de publication prévue ; il ne "
        "sera pas publié. Avancez la publication ou changez la fin de l'événement."
    ),
}
_OFFER_TEMPLATES = {
    "title_missing": _("{network} : une offre a besoin d'un titre."),
    "title_too_long": _("{network} : le titre de l'offre dépasse {limit} caractères ({count})."),
    "dates_missing": _("{network} : une offre a besoin d'un début et d'une fin de validité."),
    "ends_before_start": _("{network} : la fin de l'offre doit venir après son début."),
    "ended": _(
        "{network} : l'offre est déjà terminée (sa fin de validité est passée) ; elle ne "
        "sera pas publiée. Changez sa fin de validité."
    ),
    "ends_before_publication": _(
        "{network} : l'offre se termine avant la date de publication prévue ; elle ne sera "
        "pas publiée. Avancez la publication ou changez sa fin de validité."
    ),
}
