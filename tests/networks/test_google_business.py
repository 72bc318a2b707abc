"""Google Business Profile's own rules: phone numbers, small images, events, buttons."""

from __future__ import annotations

from datetime import datetime

import pytest

from networks import ImageInfo, VariantInput, get_network
from networks.google_business import CALL_TO_ACTION_TYPES, GbpEvent, GbpOffer

GBP = get_network("google_business")
PHOTO = ImageInfo(width=1200, height=900, bytes=300_000, mime_type="image/jpeg")


def codes(problems):
    return [(p.code, p.severity) for p in problems]


def test_a_clean_post_and_the_link_going_to_the_button():
    variant = VariantInput(
        text="Nuit de la lecture samedi", images=[PHOTO], link="https://bm.fr/nuit?utm_source=gbp"
    )

    assert GBP.check(variant) == []
    assert GBP.final_text(variant) == "Nuit de la lecture samedi"  # the link is the button's
    assert GBP.limits.image.alt_text_supported is False


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Appelez-nous au 03 20 12 34 56", True),
        ("Renseignements : +33 3 20 12 34 56", True),
        ("Réservations 0320123456", True),
        ("Samedi 14 juin 2026 de 10 h à 12 h", False),
        ("Prix des lecteurs 2026 : 12 titres, 3 300 votes", False),
    ],
)
def test_posts_with_a_phone_number_are_refused(text, refused):
    problems = codes(GBP.check(VariantInput(text=text)))

    assert (("phone_number_refused", "error") in problems) is refused


def test_image_size_rules():
    flat = ImageInfo(width=1200, height=200, bytes=50_000, mime_type="image/jpeg")
    narrow = ImageInfo(width=200, height=600, bytes=50_000, mime_type="image/jpeg")
    light = ImageInfo(width=400, height=400, bytes=8_000, mime_type="image/png")

    assert codes(GBP.check(VariantInput(text="Vue", images=[flat]))) == [
        ("image_too_small", "error")
    ]
    assert codes(GBP.check(VariantInput(text="Vue", images=[narrow]))) == [
        ("image_will_be_resized", "warning")  # renditions enlarge narrow images
    ]
    assert codes(GBP.check(VariantInput(text="Vue", images=[light]))) == [
        ("image_file_too_small", "warning")
    ]
    assert codes(GBP.check(VariantInput(text="Vue", images=[PHOTO, PHOTO]))) == [
        ("too_many_images", "error")
    ]


def test_events_need_a_title_and_a_start_before_the_end():
    start, end = datetime(2026, 11, 14, 18, 0), datetime(2026, 11, 14, 23, 30)

    assert GBP.check_event(GbpEvent("Nuit du jeu", start, end)) == []
    assert codes(GBP.check_event(GbpEvent(" ", start, end))) == [("event_title_missing", "error")]
    assert codes(GBP.check_event(GbpEvent("T" * 59, start, end))) == [
        ("event_title_too_long", "error")
    ]
    assert codes(GBP.check_event(GbpEvent("Conte", start, None))) == [
        ("event_dates_missing", "error")
    ]
    assert codes(GBP.check_event(GbpEvent("Conte", end, start))) == [
        ("event_ends_before_start", "error")
    ]


def test_call_to_action_buttons():
    assert CALL_TO_ACTION_TYPES == ("LEARN_MORE", "BOOK", "ORDER", "SHOP", "SIGN_UP", "CALL")
    assert GBP.check_call_to_action("BOOK", "https://bm.fr/reserver") == []
    assert GBP.check_call_to_action("CALL", None) == []
    assert codes(GBP.check_call_to_action("BOOK", "")) == [("call_to_action_link_missing", "error")]
    assert codes(GBP.check_call_to_action("VISIT", "https://bm.fr")) == [
        ("call_to_action_unknown", "error")
    ]


def test_an_event_or_offer_over_when_the_post_goes_out_is_refused():
    start, end = datetime(2026, 11, 14, 18, 0), datetime(2026, 11, 14, 23, 30)
    before, after = datetime(2026, 11, 10, 9), datetime(2026, 11, 15, 9)

    assert GBP.check_event(GbpEvent("Nuit", start, end, now=before, scheduled_at=before)) == []
    assert GBP.check_event(GbpEvent("Nuit", start, end, now=before)) == []  # when approved
    assert codes(GBP.check_event(GbpEvent("Nuit", start, end, now=after))) == [
        ("event_ended", "error")
    ]
    assert codes(GBP.check_event(GbpEvent("Nuit", start, end, now=before, scheduled_at=after))) == [
        ("event_ends_before_publication", "error")
    ]
    (ended,) = GBP.check_offer(GbpEvent("Carte", start, end, now=after), GbpOffer())
    assert ended.code == "offer_ended" and ended.field == "event"
    assert "l'offre est déjà terminée" in str(ended.message)
    (late,) = GBP.check_offer(
        GbpEvent("Carte", start, end, now=before, scheduled_at=end), GbpOffer()
    )
    assert "l'offre se termine avant la date de publication prévue" in str(late.message)


def test_event_and_button_messages_are_translated():
    from django.utils import translation

    start, end = datetime(2026, 11, 14, 18, 0), datetime(2026, 11, 14, 23, 30)
    later = datetime(2026, 11, 15, 9)
    problems = [
        *GBP.check_event(GbpEvent("", None, None)),
        *GBP.check_event(GbpEvent("Nuit", start, end, now=later)),
        *GBP.check_event(GbpEvent("Nuit", start, end, now=start, scheduled_at=later)),
        *GBP.check_offer(GbpEvent("Nuit", start, end, now=later), GbpOffer()),
        *GBP.check_offer(GbpEvent("Nuit", start, end, now=start, scheduled_at=later), GbpOffer()),
        *GBP.check_call_to_action("VISIT", None),
        *GBP.check_call_to_action("BOOK", None),
        *GBP.check(VariantInput(text="Tél. 03 20 12 34 56")),
    ]
    with translation.override("en"):
        for problem in problems:
            message = str(problem.message)
            assert message.startswith("Google Business Profile: "), message
            assert " : " not in message and " ; " not in message and "«" not in message, message


# --- offers ---------------------------------------------------------------------------
def test_an_offer_follows_the_event_rules_in_its_own_words():
    start, end = datetime(2026, 12, 1, 9), datetime(2026, 12, 24, 18)
    assert GBP.check_offer(GbpEvent("Carte gratuite", start, end), GbpOffer()) == []

    problems = GBP.check_offer(GbpEvent(" ", start, None), GbpOffer())

    assert codes(problems) == [("offer_title_missing", "error"), ("offer_dates_missing", "error")]
    assert all("offre" in str(p.message) for p in problems)
    assert {p.field for p in problems} == {"event"}


def test_an_offers_code_terms_and_page():
    start, end = datetime(2026, 12, 1, 9), datetime(2026, 12, 24, 18)
    event = GbpEvent("Carte gratuite", start, end)
    fine = GbpOffer("NOEL26", "https://bm.fr/inscription", "Pour les moins de 26 ans.")
    assert GBP.check_offer(event, fine) == []

    problems = GBP.check_offer(
        event, GbpOffer("C" * 59, "bm.fr inscription", "T" * 5001), call_to_action="BOOK"
    )

    assert codes(problems) == [
        ("offer_coupon_too_long", "error"),
        ("offer_terms_too_long", "error"),
        ("offer_redeem_url_invalid", "error"),
        ("offer_call_to_action_ignored", "warning"),
    ]
