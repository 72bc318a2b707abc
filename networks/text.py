"""Text helpers shared by the network rules, the composer and the publishers.

Every offset in this module is a Python (code-point) offset into the text it was given,
except `utf8_span`, which converts one to UTF-8 bytes (Bluesky facets).

Before counting, every network measures `prepare_text(text)`: line breaks normalised to
`\\n` (browsers submit a textarea with `\\r\\n`) and Unicode NFC (X counts after NFC; an
accent typed as a combining mark then takes one code point, not two). Publishers send
`prepare_text(text)` too, so what was counted is what goes out.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex

from networks._urls import UrlMatch, extract_urls

__all__ = [
    "Hashtag",
    "Mention",
    "UrlMatch",
    "add_utm",
    "emoji_clusters",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
    "grapheme_count",
    "has_utm",
    "hashtag_needs_camel_case",
    "prepare_text",
    "utf8_length",
    "utf8_span",
    "utf16_length",
]

_NEWLINES = regex.compile(r"\r\n?")
_GRAPHEME = regex.compile(r"\X")
# An emoji, as one user-perceived character: a keycap (1️⃣), or a grapheme cluster that
# starts with a pictograph or a regional indicator (flags, ZWJ families, skin tones, tag
# sequences). `_is_emoji` then drops text-presentation forms.
_EMOJI = regex.compile(r"[#*0-9]\uFE0F?\u20E3|(?=[\p{Extended_Pictographic}\p{RI}])\X")
# © and ® are emoji only with the emoji variation selector (twemoji, used by twitter-text).
_TEXT_DEFAULT_PICTOGRAPHS = frozenset("©®")

# Hashtags: `#` or the full-width `＃`, not inside a word, a URL path (`/#top`), an HTML
# entity (`&#38;`) or after `=`; letters of any script, digits, `_`, the middle dot and
# the joiners some scripts need; at least one letter (`#2026` is not a hashtag); never
# the keycap emoji `#️⃣`, never the scheme of `#http://…`.
_HASHTAG = regex.compile(
    r"(?<![\w&/=#＃@])[#＃](?![\uFE0F\u20E3])(?P<tag>[\w\u00B7\u30FB]++)(?!://)"
)
_HASHTAG_TRAILING = "\u00b7\u30fb\u200c\u200d"
_LETTER = regex.compile(r"\p{L}")
# Mentions, as Mastodon parses them (Account::MENTION_RE): `@user` or `@user@domain`, not
# inside a word or an e-mail address, not after `/` or `=` (URLs).
_MENTION = regex.compile(
    r"(?<![=/\w@])@(?P<user>[a-z0-9_]+(?:[.\-]+[a-z0-9_]+)*)"
    r"(?:@(?P<domain>[\w]+(?:[.\-]+[\w]+)*))?",
    regex.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Hashtag:
    """`text[start:end] == "#" + tag` (or the full-width `＃`)."""

    start: int
    end: int
    tag: str


@dataclass(frozen=True, slots=True)
class Mention:
    """`@username` or `@username@domain`; `text[start:end]` is the whole mention."""

    start: int
    end: int
    username: str
    domain: str | None

    @property
    def local(self) -> str:
        """The mention as Mastodon counts it: `@username`, without the domain."""
        return "@" + self.username


def prepare_text(text: str) -> str:
    """The text as networks receive it: `\\n` line breaks, NFC."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def grapheme_count(text: str) -> int:
    """User-perceived characters (extended grapheme clusters, Unicode UAX #29): a ZWJ
    family, a flag, a letter with its combining accent, `\\r\\n` each count 1."""
    if text.isascii() and "\r" not in text:
        return len(text)
    return len(_GRAPHEME.findall(text))


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_length(text: str) -> int:
    """UTF-16 code units, the unit of JavaScript's `length` and Java's `String.length()`:
    characters outside the Basic Multilingual Plane (most emoji) count 2."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def utf8_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The UTF-8 byte offsets of `text[start:end]` (Bluesky facets' byteStart/byteEnd)."""
    byte_start = len(text[:start].encode("utf-8"))
    return byte_start, byte_start + len(text[start:end].encode("utf-8"))


def _is_emoji(cluster: str) -> bool:
    if "\ufe0e" in cluster:  # text presentation asked for explicitly
        return False
    return cluster[0] not in _TEXT_DEFAULT_PICTOGRAPHS or "\ufe0f" in cluster


def emoji_clusters(text: str) -> list[tuple[int, int]]:
    """Spans `(start, end)` of the emoji in `text`, each one user-perceived character
    (`👨‍👩‍👧‍👦` is one span of 7 code points)."""
    if text.isascii():
        return []
    return [m.span() for m in _EMOJI.finditer(text) if _is_emoji(m.group())]


def _overlaps(start: int, end: int, spans: list[UrlMatch]) -> bool:
    return any(start < url.end and url.start < end for url in spans)


def extract_hashtags(text: str) -> list[Hashtag]:
    """Hashtags in `text` (`#LectureDÉté`, `#BD2026`, `＃図書館`), not those inside a URL."""
    if "#" not in text and "＃" not in text:
        return []
    urls = extract_urls(text)
    found = []
    for match in _HASHTAG.finditer(text):
        tag = match.group("tag").rstrip(_HASHTAG_TRAILING)
        if not _LETTER.search(tag):
            continue
        start = match.start()
        end = start + 1 + len(tag)
        if urls and _overlaps(start, end, urls):
            continue
        found.append(Hashtag(start, end, tag))
    return found


def extract_mentions(text: str) -> list[Mention]:
    """Mentions `@user` and `@user@instance.example`, not e-mail addresses."""
    if "@" not in text:
        return []
    return [
        Mention(m.start(), m.end(), m.group("user"), m.group("domain"))
        for m in _MENTION.finditer(text)
    ]


# --- Hashtags in CamelCase -------------------------------------------------------------
# Screen readers spell out or mispronounce `#nuitdelalecture`; `#NuitDeLaLecture` is read
# as four words. Without a dictionary we cannot split words, so the heuristic looks for
# the signs of several words glued together in one case:
#   1. the tag is cut into segments at each capital letter, digit, `_` or middle dot
#      (`LectureDÉté` → `Lecture`, `D`, `Été`; `nuitdelalecture` stays one segment); an
#      all-capitals tag is judged in lowercase;
#   2. a segment is suspicious when it holds a French linking word (de, du, des, les, aux,
#      sur, pour, dans, avec) with at least four letters on each side — `nuit|de|lalecture`,
#      `coup|de|coeur`, `salon|du|livre`, `journees|du|patrimoine` — or when it has 21
#      letters or more, which hardly any single French word has.
# Single words pass (`#bd`, `#médiathèque`, `#bibliothécaire`, `#résidence`,
# `#productions`) and so does any tag already in CamelCase. Known misses: short sides
# (`#viedebiblio`) and content words with no linking word (`#lecturepublique`); known
# false alarms: rare words such as `#reproduction`. It is a warning, never a block.
_LINKING_WORDS = ("pour", "dans", "avec", "des", "les", "aux", "sur", "de", "du")
_SEGMENT = regex.compile(r"\p{Lu}[\p{Ll}\p{Lo}\p{M}]*|[\p{Ll}\p{Lo}\p{M}]+")
_MIN_LINKED_SIDE = 4
_LONG_SEGMENT = 21


def _segment_is_glued(segment: str) -> bool:
    letters = segment.casefold()
    if len(letters) >= _LONG_SEGMENT:
        return True
    for word in _LINKING_WORDS:
        position = letters.find(word, _MIN_LINKED_SIDE)
        while position != -1:
            if len(letters) - position - len(word) >= _MIN_LINKED_SIDE:
                return True
            position = letters.find(word, position + 1)
    return False


def hashtag_needs_camel_case(tag: str) -> bool:
    """Whether `tag` (without `#`) looks like several words glued in one case, which a
    screen reader cannot split. See the heuristic above."""
    tag = tag.lstrip("#＃")
    if tag.isupper():  # #NUITDELALECTURE: judge the letters, not the shouting
        tag = tag.lower()
    return any(_segment_is_glued(segment) for segment in _SEGMENT.findall(tag))


# --- UTM tags --------------------------------------------------------------------------
def has_utm(url: str) -> bool:
    """Whether `url` carries at least one `utm_…` parameter."""
    query = urlsplit(url).query
    return any(
        key.lower().startswith("utm_") for key, _ in parse_qsl(query, keep_blank_values=True)
    )


def add_utm(url: str, *, source: str, campaign: str, medium: str = "social") -> str:
    """`url` with `utm_source`, `utm_medium` and `utm_campaign` appended to its query.

    The existing query is kept as written (order and encoding), the fragment stays last,
    and a `utm_…` parameter the URL already has is left as it is (never duplicated or
    overwritten). Works on URLs without a scheme (`example.com/agenda`)."""
    parts = urlsplit(url)
    present = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    wanted = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign}
    added = urlencode({key: value for key, value in wanted.items() if key not in present})
    if not added:
        return url
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit(parts._replace(query=query))
