"""The shared text helpers (networks.text). Expected values are worked out by hand."""

from __future__ import annotations

import pytest

from networks.text import (
    add_utm,
    emoji_clusters,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    grapheme_count,
    has_utm,
    hashtag_needs_camel_case,
    prepare_text,
    utf8_length,
    utf8_span,
    utf16_length,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


# --- UTF-8 offsets (Bluesky facets) ----------------------------------------------------
def test_utf8_span_after_accents_and_emoji():
    # given "Café 👍🏽 " before a link: C a f é(2 bytes) space = 6, 👍🏽 = 4 + 4, space = 1
    text = "Café \U0001f44d\U0001f3fd https://bm.fr"
    start = 8  # code points: C a f é ␠ 👍 🏽 ␠ → the link starts at index 8

    # when
    span = utf8_span(text, start, len(text))

    # then 6 + 8 + 1 = 15; the link is 13 ASCII bytes
    assert text[start:] == "https://bm.fr"
    assert span == (15, 28)


def test_utf8_span_after_zwj_family_and_combining_accent():
    # "e" + U+0301 (1 + 2 bytes), space, family (4×4 + 3×3 = 25 bytes), space, then #BD
    text = "e\u0301 " + FAMILY + " #BD"
    start = 11  # 2 + 1 + 7 + 1 code points

    assert utf8_span(text, start, start + 3) == (30, 33)  # 3 + 1 + 25 + 1 = 30


def test_utf8_span_of_found_url():
    text = "Entrée libre ! Infos : https://bm.fr/agenda"
    (url,) = extract_urls(text)

    # "Entrée libre ! Infos : " is 23 code points and 24 bytes (é takes 2)
    assert (url.start, url.end) == (23, 43)
    assert utf8_span(text, url.start, url.end) == (24, 44)


# --- counting ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "graphemes", "utf8", "utf16"),
    [
        ("", 0, 0, 0),
        ("abc", 3, 3, 3),
        ("é", 1, 2, 1),
        ("e\u0301", 1, 3, 2),
        (FAMILY, 1, 25, 11),
        ("\U0001f1eb\U0001f1f7", 1, 8, 4),
        ("a\r\nb", 3, 4, 4),  # CRLF is one grapheme cluster
        ("日本", 2, 6, 2),
    ],
)
def test_counts(text, graphemes, utf8, utf16):
    assert grapheme_count(text) == graphemes
    assert utf8_length(text) == utf8
    assert utf16_length(text) == utf16


def test_prepare_text_normalises_newlines_and_nfc():
    assert prepare_text("A\u0301\r\nB\rC") == "Á\nB\nC"


def test_emoji_clusters():
    # a ␠ ©(text) ␠ ©️ ␠ ☺ ␠ ☺︎(text) ␠ 👍🏽 ␠ 🇫🇷 ␠ 1️⃣
    text = (
        "a © \u00a9\ufe0f \u263a \u263a\ufe0e "
        "\U0001f44d\U0001f3fd \U0001f1eb\U0001f1f7 1\ufe0f\u20e3"
    )

    assert emoji_clusters(text) == [(4, 6), (7, 8), (12, 14), (15, 17), (18, 21)]


# --- URLs ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Voir https://bm.example.fr/agenda.", ["https://bm.example.fr/agenda"]),
        ("Voir HTTPS://BM.EXAMPLE.FR/Agenda, merci", ["HTTPS://BM.EXAMPLE.FR/Agenda"]),
        ("Voir bm.example.fr/agenda ou example.com !", ["bm.example.fr/agenda", "example.com"]),
        (
            "(https://fr.wikipedia.org/wiki/Primer_(film))",
            ["https://fr.wikipedia.org/wiki/Primer_(film)"],
        ),
        ("https://bm.fr/a?x=1&y=2#top!", ["https://bm.fr/a?x=1&y=2#top"]),
        ("http://example.com/path........", ["http://example.com/path"]),
        ("médiathèque.fr/agenda", ["médiathèque.fr/agenda"]),
        ("http://foobar.みんな/", ["http://foobar.みんな/"]),
        ("file.txt readme.TXT tar.bz2", []),
        ("#test.com @test.com $bm.fr", []),
        ("contact@bm.fr john.doe.gov@mail.com", []),
        ("日本語です。example.com中国語", ["example.com"]),
        ("t.co/abcde http://t.co/pbY2NfTZ's", ["t.co/abcde", "http://t.co/pbY2NfTZ"]),
        ("http://domain.com-typo", ["http://domain.com"]),
        ("pas de point ici", []),
    ],
)
def test_extract_urls(text, expected):
    assert [url.url for url in extract_urls(text)] == expected


def test_extract_urls_with_scheme_only():
    urls = extract_urls("Lu https://bm.fr/a et bm.fr", without_scheme=False)

    assert [(u.url, u.start, u.end, u.has_scheme) for u in urls] == [
        ("https://bm.fr/a", 3, 18, True)
    ]


# --- hashtags and mentions -----------------------------------------------------------
def test_extract_hashtags():
    text = (
        "#LectureDÉté et #bd ! #2026 #Noël2026 ＃図書館 https://x.fr/#frag a#b #http://x.com #café."
    )

    assert [h.tag for h in extract_hashtags(text)] == [
        "LectureDÉté",
        "bd",
        "Noël2026",
        "図書館",
        "café",
    ]
    first = extract_hashtags(text)[0]
    assert (first.start, first.end) == (0, 12)


def test_extract_mentions():
    text = "Merci @alice et @bob@mastodon.social, écrire à contact@bm.fr ou @carol."

    mentions = extract_mentions(text)

    assert [(m.username, m.domain) for m in mentions] == [
        ("alice", None),
        ("bob", "mastodon.social"),
        ("carol", None),
    ]
    assert mentions[1].local == "@bob"
    assert text[mentions[1].start : mentions[1].end] == "@bob@mastodon.social"


# --- CamelCase -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tag", "warn"),
    [
        ("nuitdelalecture", True),  # nuit|de|lalecture
        ("Nuitdelalecture", True),  # only the first capital
        ("NUITDELALECTURE", True),  # all capitals: judged in lowercase
        ("coupdecoeur", True),
        ("salondulivre", True),
        ("journeesdupatrimoine", True),
        ("intergenerationnelles", True),  # 21 letters
        ("NuitDeLaLecture", False),
        ("LectureDÉté", False),
        ("bd", False),
        ("BD", False),
        ("Noël2026", False),
        ("médiathèque", False),
        ("bibliothécaire", False),
        ("résidence", False),  # "de" with only 4 and 3 letters around
        ("développement", False),
        ("#jeunesse", False),
    ],
)
def test_hashtag_needs_camel_case(tag, warn):
    assert hashtag_needs_camel_case(tag) is warn


# --- UTM -----------------------------------------------------------------------------
def test_add_utm_keeps_query_and_fragment():
    url = "https://bm.fr/agenda?id=3&q=%C3%A9t%C3%A9#programme"

    tagged = add_utm(url, source="mastodon", campaign="expo")

    assert tagged == (
        "https://bm.fr/agenda?id=3&q=%C3%A9t%C3%A9"
        "&utm_source=mastodon&utm_medium=social&utm_campaign=expo#programme"
    )


def test_add_utm_encodes_campaign_and_handles_no_query():
    tagged = add_utm("https://bm.fr", source="x", campaign="Coups de cœur")

    assert tagged == "https://bm.fr?utm_source=x&utm_medium=social&utm_campaign=Coups+de+c%C5%93ur"


def test_add_utm_without_scheme():
    assert add_utm("bm.fr/agenda", source="bluesky", campaign="ete") == (
        "bm.fr/agenda?utm_source=bluesky&utm_medium=social&utm_campaign=ete"
    )


def test_add_utm_never_overwrites_existing_utm():
    tagged = add_utm("https://bm.fr/?utm_source=lettre", source="x", campaign="ete")

    assert tagged == "https://bm.fr/?utm_source=lettre&utm_medium=social&utm_campaign=ete"
    assert add_utm(tagged, source="x", campaign="autre") == tagged


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://bm.fr/?utm_source=x", True),
        ("https://bm.fr/?a=1&UTM_Campaign=y", True),
        ("https://bm.fr/?a=utm_source", False),
        ("https://bm.fr/utm_source", False),
        ("https://bm.fr/#utm_source=x", False),
    ],
)
def test_has_utm(url, expected):
    assert has_utm(url) is expected
