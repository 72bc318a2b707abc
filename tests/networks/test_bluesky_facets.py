"""Bluesky facets sit at UTF-8 byte offsets, whatever comes before them."""

from datetime import UTC, datetime

import pytest

from networks import atproto
from networks.text import prepare_text


def _span(text: str, facet: dict) -> str:
    index = facet["index"]
    return text.encode("utf-8")[index["byteStart"] : index["byteEnd"]].decode("utf-8")


def test_link_after_accents_and_emoji_points_at_the_url_bytes():
    text = prepare_text("Été à la médiathèque 📚👩‍👩‍👧 : https://bib.example.fr/été?x=1 !")

    (facet,) = atproto.build_facets(text)

    assert facet["features"] == [
        {"$type": "app.bsky.richtext.facet#link", "uri": "https://bib.example.fr/été?x=1"}
    ]
    assert _span(text, facet) == "https://bib.example.fr/été?x=1"
    # Code-point offsets would be wrong: the emoji family alone is 18 bytes, 5 code points.
    assert facet["index"]["byteStart"] != text.index("https")


def test_combining_accent_is_normalised_before_offsets():
    decomposed = "Cafe\u0301 litte\u0301raire https://example.org"
    text = prepare_text(decomposed)

    (facet,) = atproto.build_facets(text)

    assert _span(text, facet) == "https://example.org"
    assert facet["index"] == {"byteStart": 18, "byteEnd": 37}  # "Café littéraire " is 18 bytes


def test_flag_and_skin_tone_before_hashtag_and_mention():
    text = prepare_text("🇫🇷👍🏽 #NuitDeLaLecture avec @alice.bsky.social ✨")

    facets = atproto.build_facets(text, resolve_handle={"alice.bsky.social": "did:plc:alice"}.get)

    assert [_span(text, f) for f in facets] == ["#NuitDeLaLecture", "@alice.bsky.social"]
    assert facets[0]["features"] == [
        {"$type": "app.bsky.richtext.facet#tag", "tag": "NuitDeLaLecture"}
    ]
    assert facets[1]["features"] == [
        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:alice"}
    ]


def test_unknown_handles_and_fediverse_addresses_stay_plain_text():
    text = "Merci @inconnu.bsky.social et @bib@mastodon.social"

    assert atproto.build_facets(text, resolve_handle=lambda handle: None) == []


def test_link_without_scheme_gets_https():
    text = "Programme sur bibliotheque.fr/agenda"

    (facet,) = atproto.build_facets(text)

    assert facet["features"][0]["uri"] == "https://bibliotheque.fr/agenda"
    assert _span(text, facet) == "bibliotheque.fr/agenda"


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 11, 25, 10, 0, tzinfo=UTC), datetime(2030, 1, 1, 0, 0, 0, 1, tzinfo=UTC)],
)
def test_record_keys_are_tids(moment):
    key = atproto.tid_for("0b6f1e0e-8d7b-4c3a-9f65-2f5a7e0c1d11", moment)

    assert len(key) == 13
    assert set(key) <= set(atproto.TID_ALPHABET)
    assert key[0] in "234567abcdefghij"  # top bit 0
    assert key == atproto.tid_for("0b6f1e0e-8d7b-4c3a-9f65-2f5a7e0c1d11", moment)
