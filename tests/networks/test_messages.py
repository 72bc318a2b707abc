"""Problem messages: in the reader's language, naming the network and the rule."""

from __future__ import annotations

from django.utils import translation

from networks import ImageInfo, VariantInput, all_networks, get_network


def test_message_names_network_rule_and_count_in_french_and_english():
    problem = get_network("x").check(VariantInput(text="a" * 312))[0]

    with translation.override("fr"):
        assert str(problem.message) == "X : le texte dépasse 280 caractères (312)."
    with translation.override("en"):
        assert str(problem.message) == "X: the text is longer than 280 characters (312)."


def test_numbers_follow_the_locale():
    photo = ImageInfo(width=6000, height=4000, bytes=12_345_678, mime_type="image/heic")
    problems = get_network("instagram").check(VariantInput(text="a" * 3000, images=[photo]))
    messages = {p.code: p.message for p in problems}

    with translation.override("fr"):
        assert str(messages["text_too_long"]) == (
            "Instagram : le texte dépasse 2\u00a0200 caractères (3\u00a0000)."
        )
        assert str(messages["image_will_be_compressed"]) == (
            "Instagram : l'image 1 pèse 12,3 Mo ; elle sera allégée sous 8 Mo."
        )
    with translation.override("en"):
        assert str(messages["image_will_be_compressed"]) == (
            "Instagram: image 1 weighs 12.3 MB; it will be reduced below 8 MB."
        )


def test_every_message_is_translated_to_english():
    # given a variant that breaks most rules on every network
    gif = ImageInfo(width=8000, height=400, bytes=50_000_000, mime_type="image/gif", animated=True)
    tiff = ImageInfo(width=100, height=2000, bytes=50_000_000, mime_type="image/tiff")
    long_alt = ImageInfo(
        width=800, height=800, bytes=1000, mime_type="image/jpeg", alt_text="a" * 3000
    )
    text = (
        "#nuitdelalecture #BD " + " ".join(f"https://bm.fr/{i}" for i in range(12)) + " a" * 40_000
    )
    variant = VariantInput(text=text, images=[tiff, gif, long_alt] * 7, link="https://bm.fr/lien")

    seen = set()
    with translation.override("en"):
        for network in all_networks():
            for problem in [*network.check(variant), *network.check(VariantInput(text=""))]:
                message = str(problem.message)
                seen.add(problem.code)
                # then each reads as English: "Name: …", no French spacing before a colon
                assert message.startswith(f"{network.name}: "), message
                assert " : " not in message and " ; " not in message, message

    assert seen >= {
        "text_too_long",
        "text_too_many_bytes",
        "too_many_links",
        "hashtag_not_camel_case",
        "hashtags_not_topics",
        "post_empty",
        "image_required",
        "too_many_images",
        "animated_gif_unsupported",
        "animated_gif_not_alone",
        "image_format_will_be_converted",
        "image_will_be_compressed",
        "image_will_be_resized",
        "image_aspect_will_be_adjusted",
        "image_aspect_unsupported",
        "alt_text_missing",
        "alt_text_too_long",
        "link_without_utm",
        "link_not_clickable",
    }


def test_network_names_are_translated():
    with translation.override("en"):
        assert [str(n.name) for n in all_networks()][-2:] == ["Sandbox", "Website feed"]
    with translation.override("fr"):
        assert [str(n.name) for n in all_networks()][-2:] == ["Bac à sable", "Site web (flux)"]
