"""measure() for every network, table-driven. Every expected value is worked out by hand
from the network's rule (see each network module's docstring), written next to it.

Columns: `graphemes` is Bluesky, Sandbox and Website (grapheme clusters); `mastodon` is
graphemes with http(s) URLs = 23 and remote mentions = local part; `utf16` is Facebook,
Instagram, LinkedIn and Google Business Profile (UTF-16 code units); `x` is twitter-text
v3's weighted length; `threads` is graphemes with each emoji counted as its UTF-8 bytes.
"""

from __future__ import annotations

import pytest

from networks import get_network

LONG_URL = "https://example.com/" + "a" * 80  # 20 + 80 = 100 characters
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 4 emoji + 3 ZWJ
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # 7 code points

# (id, text, graphemes, mastodon, utf16, x, threads)
CASES = [
    ("empty", "", 0, 0, 0, 0, 0),
    ("ascii", "Bonjour", 7, 7, 7, 7, 7),
    # é, è precomposed: one code point each, weight 1 on X (≤ U+10FF).
    ("accents precomposed", "Médiathèque", 11, 11, 11, 11, 11),
    # Typed with combining accents (13 code points): NFC first gives the same 11.
    ("accents combining", "Me\u0301diathe\u0300que", 11, 11, 11, 11, 11),
    # x + U+0301 has no precomposed form: 1 grapheme, 2 code points (X: 1 + 1), 2 UTF-16.
    ("combining without precomposed form", "x\u0301", 1, 1, 2, 2, 1),
    # U+1F600: 1 grapheme; X emoji 2; 2 UTF-16 units (surrogate pair); UTF-8 4 bytes.
    ("emoji", "\U0001f600", 1, 1, 2, 2, 4),
    # 👍 + skin tone U+1F3FD: 1 grapheme; X 2; 2 + 2 UTF-16; 4 + 4 bytes.
    ("emoji skin tone", "\U0001f44d\U0001f3fd", 1, 1, 4, 2, 8),
    # Family: 1 grapheme; X 2; 4×2 + 3×1 = 11 UTF-16; 4×4 + 3×3 = 25 bytes.
    ("emoji ZWJ family", FAMILY, 1, 1, 11, 2, 25),
    # 🇫🇷 two regional indicators: 1 grapheme; X 2; 4 UTF-16; 8 bytes.
    ("flag", "\U0001f1eb\U0001f1f7", 1, 1, 4, 2, 8),
    # England: tag sequence of 7 astral code points: 1 grapheme; X 2; 14 UTF-16; 28 bytes.
    ("flag tag sequence", ENGLAND, 1, 1, 14, 2, 28),
    # Keycap 1️⃣ = 1 + U+FE0F + U+20E3: 1 grapheme; X 2; 3 UTF-16; 1 + 3 + 3 = 7 bytes.
    ("keycap", "1\ufe0f\u20e3", 1, 1, 3, 2, 7),
    # © alone is text (X weight 1, not an emoji for Threads); ©️ with FE0F is an emoji:
    # X 2; UTF-16 2; Threads 2 + 3 = 5 bytes.
    ("copyright text", "© 2026", 6, 6, 6, 6, 6),
    ("copyright emoji", "\u00a9\ufe0f", 1, 1, 2, 2, 5),
    # ☕ U+2615 (BMP, emoji presentation): X 2, UTF-16 1, Threads 3 bytes.
    ("bmp emoji", "\u2615", 1, 1, 1, 2, 3),
    # CJK: 3 code points, X weight 2 each.
    ("cjk", "日本語", 3, 3, 3, 6, 3),
    ("hangul", "저찀쯿쿿", 4, 4, 4, 8, 4),
    # French typography on X: ’ (U+2019) and « » weigh 1, … (U+2026) and the narrow
    # no-break space U+202F weigh 2 (outside X's weight-1 ranges).
    ("apostrophe", "Aujourd’hui", 11, 11, 11, 11, 11),
    ("ellipsis", "Et…", 3, 3, 3, 4, 3),
    ("narrow no-break space", "Oui\u202f!", 5, 5, 5, 6, 5),
    ("guillemets", "«\u00a0BD\u00a0»", 6, 6, 6, 6, 6),
    # Line breaks: \r\n from a browser textarea becomes \n, one character.
    ("line break crlf", "a\r\nb", 3, 3, 3, 3, 3),
    ("line breaks", "a\n\nb\n", 5, 5, 5, 5, 5),
    # URL with a scheme: X and Mastodon 23; elsewhere its 100 characters. 5 + 100 = 105.
    ("long url", "Voir " + LONG_URL, 105, 28, 105, 28, 105),
    # A short URL also counts 23 on X and Mastodon: "http://a.fr" is 11 characters.
    ("short url", "http://a.fr", 11, 23, 11, 23, 11),
    # Without a scheme: X counts 23, Mastodon counts the characters.
    # "bm.example.fr/agenda/ete" = 13 + 11 = 24; 5 + 24 = 29.
    ("url without scheme", "Voir bm.example.fr/agenda/ete", 29, 29, 29, 28, 29),
    # The final full stop is not part of the URL: 5 + 21 + 1 = 27; X/Mastodon 5 + 23 + 1.
    ("url trailing punctuation", "Voir https://example.com/a.", 27, 29, 27, 29, 27),
    # Not a URL: .txt is no TLD.
    ("file name", "file.txt", 8, 8, 8, 8, 8),
    # Two URLs: 3 + 23 + 4 + 23 on X; Mastodon counts only the one with a scheme:
    # "Lu " 3 + 23 + " et " 4 + "bm.fr" 5 = 35; graphemes 3 + 15 + 4 + 5 = 27
    # ("https://bm.fr/a" is 8 + 5 + 2 = 15).
    ("two urls", "Lu https://bm.fr/a et bm.fr", 27, 35, 27, 53, 27),
    ("mention", "@alice", 6, 6, 6, 6, 6),
    # Remote mention: Mastodon counts "@alice" (6): 6 + 6 + 2 = 14; elsewhere
    # "@alice@mastodon.social" is 22: 6 + 22 + 2 = 30 (mastodon.social after @ is no URL).
    ("remote mention", "Merci @alice@mastodon.social !", 30, 14, 30, 30, 30),
    # An e-mail address is neither a mention nor a URL.
    ("email", "contact@bm.fr", 13, 13, 13, 13, 13),
    ("hashtag", "#LectureDÉté", 12, 12, 12, 12, 12),
    # Mixed: "Café " 5, ☕ 1, " " 1, "日本" 2, " " 1, "https://x.com/y" 15.
    # X: 5 + 2 + 1 + 4 + 1 + 23 = 36; Mastodon 10 + 23 = 33; Threads 5 + 3 + 1 + 2 + 1 + 15.
    ("mixed", "Café ☕ 日本 https://x.com/y", 25, 33, 25, 36, 27),
    ("500 letters", "a" * 500, 500, 500, 500, 500, 500),
]

COLUMNS = {
    "bluesky": 2,
    "sandbox": 2,
    "website": 2,
    "mastodon": 3,
    "facebook": 4,
    "instagram": 4,
    "linkedin": 4,
    "google_business": 4,
    "x": 5,
    "threads": 6,
}


def _params():
    for network, column in COLUMNS.items():
        for case in CASES:
            yield pytest.param(network, case[1], case[column], id=f"{network}-{case[0]}")


@pytest.mark.parametrize(("network_key", "text", "expected"), list(_params()))
def test_measure(network_key, text, expected):
    # given a network and a text / when measured / then the network's own count
    network = get_network(network_key)

    assert network.measure(text) == expected
    assert network.remaining(text) == network.text_limits.max_length - expected


# X against twitter-text's conformance suite (conformance/tests/validate.yml, v3 config).
X_CONFORMANCE = [
    ("Hi http://test.co", 26),
    ("http://test.co", 23),
    ("Test https://test.com test https://test.com test.com test", 86),
    ("https://www.twitter.com/aloha " * 10, 240),
    ("\U0001f637" * 160, 320),
    ("A\u0301B", 2),
    ("Unicode 10.0 emoji: \U0001f92a; \U0001f9d5; \U0001f9d5\U0001f3fe; " + ENGLAND, 34),
    ("Unicode 9.0 emoji: \U0001f920; \U0001f483; \U0001f483\U0001f3fe", 29),
    # 🙋🏽 and 👨‍🎤: two emoji, 2 each.
    ("\U0001f64b\U0001f3fd\U0001f468\u200d\U0001f3a4", 4),
    (FAMILY * 140, 280),
    # A 64-character label is no domain: counted as 68 characters.
    ("randomurl" * 7 + "s.com", 68),
]


@pytest.mark.parametrize(("text", "expected"), X_CONFORMANCE)
def test_x_conformance(text, expected):
    assert get_network("x").measure(text) == expected


def test_x_counts_after_nfc():
    # "Á" typed as A + U+0301 is one code point after NFC: 280 of them fit.
    assert get_network("x").measure("A\u0301" * 280) == 280


def test_mastodon_uses_instance_url_length():
    mastodon = get_network("mastodon").with_config(characters_reserved_per_url=30)

    # "Voir " 5 + 30
    assert mastodon.measure("Voir " + LONG_URL) == 35


def test_mastodon_overlapping_entities_keep_first():
    # The mention-looking part of this URL is inside the URL: one entity, 23.
    assert get_network("mastodon").measure("https://mastodon.social/@alice@example.social") == 23
