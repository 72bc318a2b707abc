"""check(): problems a variant has on each network, and the registry and configuration.
Problems are compared by code, severity, field and image index (messages are
translations; their wording is not the contract)."""

from __future__ import annotations

import pytest

from networks import (
    NETWORK_CHOICES,
    ImageInfo,
    UnknownNetwork,
    VariantInput,
    all_networks,
    get_network,
)

JPEG = ImageInfo(
    width=1080, height=1080, bytes=400_000, mime_type="image/jpeg", alt_text="Une lectrice"
)
UTM = "?utm_source=x&utm_medium=social&utm_campaign=test"


def codes(problems, severity=None):
    return [p.code for p in problems if severity is None or p.severity == severity]


def find(problems, code):
    matches = [p for p in problems if p.code == code]
    assert matches, f"no {code} in {codes(problems)}"
    return matches[0]


# --- a clean post --------------------------------------------------------------------
@pytest.mark.parametrize("network", all_networks(), ids=lambda n: n.key)
def test_clean_post_has_no_problem(network):
    variant = VariantInput(text="Atelier BD samedi à 14 h #BD", images=[JPEG])

    assert network.check(variant) == []


# --- text ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "limit"),
    [
        ("mastodon", 500),
        ("bluesky", 300),
        ("facebook", 63_206),
        ("instagram", 2200),
        ("x", 280),
        ("linkedin", 3000),
        ("threads", 500),
        ("google_business", 1500),
        ("sandbox", 500),
        ("website", 10_000),
    ],
)
def test_text_too_long_at_limit_plus_one(key, limit):
    network = get_network(key)
    at_limit = VariantInput(text="a" * limit, images=[JPEG])
    over = VariantInput(text="a" * (limit + 1), images=[JPEG])

    assert "text_too_long" not in codes(network.check(at_limit))
    problem = find(network.check(over), "text_too_long")
    assert (problem.severity, problem.field) == ("error", "text")


def test_x_counts_emoji_double_for_the_limit():
    # 140 emoji weigh 280 on X: fine; 141 weigh 282: too long. Bluesky: 141 graphemes, fine.
    x, bluesky = get_network("x"), get_network("bluesky")

    assert codes(x.check(VariantInput(text="\U0001f600" * 140))) == []
    assert codes(x.check(VariantInput(text="\U0001f600" * 141))) == ["text_too_long"]
    assert codes(bluesky.check(VariantInput(text="\U0001f600" * 141))) == []


def test_bluesky_bytes_limit():
    # 300 graphemes of "é" = 600 bytes: fine; 300 families = 300 graphemes but 7,500 bytes.
    bluesky = get_network("bluesky")
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"

    assert codes(bluesky.check(VariantInput(text="é" * 300))) == []
    assert codes(bluesky.check(VariantInput(text=family * 300))) == ["text_too_many_bytes"]


def test_empty_post_is_an_error():
    problems = get_network("mastodon").check(VariantInput(text="  \n "))

    assert codes(problems) == ["post_empty"]


def test_instagram_too_many_hashtags_and_mentions():
    text = " ".join(f"#Tag{i}" for i in range(31)) + " " + " ".join(f"@user{i}" for i in range(21))

    problems = get_network("instagram").check(VariantInput(text=text, images=[JPEG]))

    assert codes(problems, "error") == ["too_many_hashtags", "too_many_mentions"]
    # 30 and 20 are allowed
    text_ok = (
        " ".join(f"#Tag{i}" for i in range(30)) + " " + " ".join(f"@user{i}" for i in range(20))
    )
    assert codes(get_network("instagram").check(VariantInput(text=text_ok, images=[JPEG]))) == []


def test_threads_link_limit_counts_distinct_links():
    six = " ".join(f"https://bm.fr/{i}{UTM}" for i in range(6))
    # each link is 15 + 49 characters: six of them fit in 500
    five_twice = " ".join(f"https://bm.fr/{i % 5}{UTM}" for i in range(6))
    threads = get_network("threads")

    assert codes(threads.check(VariantInput(text=six))) == ["too_many_links"]
    assert codes(threads.check(VariantInput(text=five_twice))) == []


def test_threads_warns_that_only_one_hashtag_is_a_topic():
    problems = get_network("threads").check(VariantInput(text="#BD #Manga"))

    assert codes(problems) == ["hashtags_not_topics"]
    assert problems[0].severity == "warning"


def test_hashtag_not_in_camel_case_is_a_warning():
    problems = get_network("mastodon").check(VariantInput(text="#nuitdelalecture #NuitDeLaLecture"))

    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("hashtag_not_camel_case", "warning", "text")
    ]


# --- images --------------------------------------------------------------------------
def test_instagram_requires_an_image():
    problems = get_network("instagram").check(VariantInput(text="Bonjour"))

    problem = find(problems, "image_required")
    assert (problem.severity, problem.field) == ("error", "media")
    assert codes(get_network("instagram").check(VariantInput(text="Bonjour", images=[JPEG]))) == []


@pytest.mark.parametrize(
    ("key", "limit"),
    [("x", 4), ("bluesky", 4), ("mastodon", 4), ("instagram", 10), ("google_business", 1)],
)
def test_too_many_images(key, limit):
    network = get_network(key)

    assert codes(network.check(VariantInput(text="Photos", images=[JPEG] * limit))) == []
    assert codes(network.check(VariantInput(text="Photos", images=[JPEG] * (limit + 1)))) == [
        "too_many_images"
    ]


def test_alt_text_missing_is_a_warning_or_an_error_when_required():
    image = ImageInfo(width=800, height=600, bytes=100_000, mime_type="image/jpeg", alt_text="  ")
    variant = VariantInput(text="Expo", images=[JPEG, image])
    bluesky = get_network("bluesky")

    warned = find(bluesky.check(variant), "alt_text_missing")
    required = find(bluesky.check(variant, alt_text_required=True), "alt_text_missing")

    assert (warned.severity, warned.field, warned.index) == ("warning", "alt_text", 1)
    assert required.severity == "error"


def test_alt_text_too_long():
    # LinkedIn: 300 characters at most; Bluesky: 2000 graphemes.
    long_alt = ImageInfo(
        width=800, height=600, bytes=100_000, mime_type="image/jpeg", alt_text="a" * 301
    )

    linkedin = get_network("linkedin").check(VariantInput(text="Expo", images=[long_alt]))
    bluesky = get_network("bluesky").check(VariantInput(text="Expo", images=[long_alt]))

    assert codes(linkedin) == ["alt_text_too_long"]
    assert bluesky == []


def test_oversized_image_will_be_converted():
    # A 24-megapixel phone photo in HEIC, 12 MB.
    photo = ImageInfo(
        width=6000, height=4000, bytes=12_000_000, mime_type="image/heic", alt_text="Façade"
    )

    problems = get_network("mastodon").check(VariantInput(text="La façade", images=[photo]))

    assert [(p.code, p.severity, p.index) for p in problems] == [
        ("image_format_will_be_converted", "warning", 0),
        ("image_will_be_compressed", "warning", 0),
        ("image_will_be_resized", "warning", 0),  # 24 MP > 16,777,216 pixels
    ]


def test_instagram_aspect_and_width_are_fixed_by_renditions():
    # 1920×1080 is 1.78:1 (within 0.8–1.91) but wider than 1440: resized.
    # 1080×1920 is 0.56:1, taller than 4:5: padded or cropped; its width is fine.
    landscape = ImageInfo(
        width=1920, height=1080, bytes=500_000, mime_type="image/jpeg", alt_text="a"
    )
    portrait = ImageInfo(
        width=1080, height=1920, bytes=500_000, mime_type="image/jpeg", alt_text="b"
    )

    problems = get_network("instagram").check(
        VariantInput(text="Photos", images=[landscape, portrait])
    )

    assert [(p.code, p.severity, p.index) for p in problems] == [
        ("image_will_be_resized", "warning", 0),
        ("image_aspect_will_be_adjusted", "warning", 1),
    ]


def test_threads_panorama_beyond_ten_to_one_is_an_error():
    panorama = ImageInfo(
        width=1100, height=100, bytes=50_000, mime_type="image/jpeg", alt_text="Panorama"
    )

    problems = get_network("threads").check(VariantInput(text="Vue", images=[panorama]))

    assert [(p.code, p.severity) for p in problems] == [("image_aspect_unsupported", "error")]


def test_animated_gif():
    gif = ImageInfo(
        width=480, height=270, bytes=900_000, mime_type="image/gif", alt_text="Chat", animated=True
    )

    def check(key, images):
        return codes(get_network(key).check(VariantInput(text="Gif", images=images)))

    assert check("bluesky", [gif]) == ["animated_gif_unsupported"]  # never
    assert check("instagram", [gif]) == ["animated_gif_unsupported"]
    assert check("x", [gif]) == []  # alone: fine
    assert check("x", [gif, JPEG]) == ["animated_gif_not_alone"]
    assert check("mastodon", [gif, JPEG]) == []  # always


def test_image_problems_name_their_image():
    webp = ImageInfo(
        width=800, height=600, bytes=100_000, mime_type="image/webp", alt_text="Affiche"
    )

    problems = get_network("facebook").check(VariantInput(text="Affiches", images=[JPEG, webp]))

    assert [(p.code, p.field, p.index) for p in problems] == [
        ("image_format_will_be_converted", "media", 1)
    ]


# --- links ---------------------------------------------------------------------------
def test_link_is_appended_to_text_and_counted():
    # X: "Expo" 4 + "\n\n" 2 + link 23 = 29.
    x = get_network("x")
    variant = VariantInput(text="Expo", link="https://bm.fr/expo" + UTM)

    assert x.final_text(variant) == "Expo\n\nhttps://bm.fr/expo" + UTM
    assert x.measure(x.final_text(variant)) == 29
    assert x.check(variant) == []


def test_link_already_in_text_is_not_repeated():
    x = get_network("x")
    variant = VariantInput(text="Expo https://bm.fr/expo", link="https://bm.fr/expo")

    assert x.final_text(variant) == "Expo https://bm.fr/expo"


def test_link_without_utm_warns_once_per_url():
    variant = VariantInput(text="Voir https://bm.fr/a et https://bm.fr/a", link="https://bm.fr/b")

    problems = get_network("bluesky").check(variant)

    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("link_without_utm", "warning", "text"),
        ("link_without_utm", "warning", "link"),
    ]


def test_instagram_links_are_not_clickable():
    variant = VariantInput(text="Programme complet", images=[JPEG], link="https://bm.fr/programme")

    problems = get_network("instagram").check(variant)

    assert get_network("instagram").final_text(variant) == "Programme complet"
    assert [(p.code, p.field) for p in problems] == [("link_not_clickable", "link")]


# --- registry and configuration ------------------------------------------------------
def test_registry_order_and_choices():
    keys = [
        "mastodon",
        "bluesky",
        "facebook",
        "instagram",
        "x",
        "linkedin",
        "threads",
        "google_business",
        "sandbox",
        "website",
    ]

    assert [n.key for n in all_networks()] == keys
    assert [key for key, _ in NETWORK_CHOICES] == keys
    assert get_network("bluesky").key == "bluesky"
    with pytest.raises(UnknownNetwork):
        get_network("myspace")


def test_with_config_returns_a_copy():
    mastodon = get_network("mastodon")

    configured = mastodon.with_config(
        max_characters=5000, max_media_attachments=6, characters_reserved_per_url=30
    )

    assert (configured.text_limits.max_length, configured.image_limits.max_count) == (5000, 6)
    assert configured.characters_reserved_per_url == 30
    assert configured.measure("https://bm.fr") == 30
    assert get_network("mastodon").text_limits.max_length == 500  # registry untouched
    assert get_network("mastodon").characters_reserved_per_url == 23
    assert codes(configured.check(VariantInput(text="a" * 600))) == []


def test_with_config_rejects_unknown_and_ambiguous_keys():
    with pytest.raises(TypeError):
        get_network("x").with_config(max_characters=4000)  # a Mastodon name, not X's
    with pytest.raises(TypeError):
        get_network("bluesky").with_config(max_bytes=2_000_000)  # text or image?
    bluesky = get_network("bluesky").with_config(image_max_bytes=2_000_000)
    assert (bluesky.image_limits.max_bytes, bluesky.text_limits.max_bytes) == (2_000_000, 3000)


def test_mastodon_instance_configuration():
    instance = {
        "configuration": {
            "statuses": {
                "max_characters": 1000,
                "max_media_attachments": 8,
                "characters_reserved_per_url": 23,
            },
            "media_attachments": {
                "supported_mime_types": ["image/png", "image/jpeg", "video/mp4"],
                "image_size_limit": 16_777_216,
                "image_matrix_limit": 33_177_600,
                "description_limit": 1500,
            },
        }
    }

    mastodon = get_network("mastodon").with_instance_configuration(instance)

    assert mastodon.text_limits.max_length == 1000
    assert mastodon.image_limits.max_count == 8
    assert mastodon.image_limits.max_bytes == 16_777_216
    assert mastodon.image_limits.max_pixels == 33_177_600
    assert mastodon.image_limits.formats == ("image/jpeg", "image/png")
