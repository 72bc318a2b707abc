"""How the links of a post will read once published, for counting in the composer.

When click tracking is on (metrics.links), every http(s) link of a post is published
as Annexe's short link `<SITE_URL>/l/<code>`, whose length does not depend on the link
typed. Networks that count a link by its length (Bluesky, LinkedIn, Facebook,
Threads…) must then be measured with the short link, not the typed one, or the
composer's counter would not match what is sent. Apps above `posts` register the
shape of their rewritten links here (imports run metrics → publishing → posts, so
posts cannot ask them):

    from posts.published_links import register_link_shape

    register_link_shape(lambda url: short_link_shape(url))

A shape takes a URL and returns a string of the same length as what will be
published in its place (the URL itself when it is not rewritten). Only links written
with `http://` or `https://` are rewritten, never text inside a hashtag or a mention
(networks.text.extract_urls leaves those alone): `published_links` below and the
publishing engine (publishing.services.render) pick the same links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from networks import text as textlib

LinkShape = Callable[[str], str]

_SHAPES: list[LinkShape] = []


def register_link_shape(fn: LinkShape) -> None:
    """Add a shape (registering the same function again does nothing)."""
    if fn not in _SHAPES:
        _SHAPES.append(fn)


def unregister_link_shape(fn: LinkShape) -> None:
    if fn in _SHAPES:
        _SHAPES.remove(fn)


def link_shape(url: str) -> str:
    for fn in _SHAPES:
        url = fn(url) or url
    return url


def web_links(text: str) -> Iterator[textlib.UrlMatch]:
    """The links of `text` that are rewritten when published: written with an http(s)
    scheme, outside hashtags and mentions."""
    yield from textlib.extract_urls(text, without_scheme=False)


def replace_links(text: str, replace: Callable[[str], str]) -> str:
    """`text` with each of its web links replaced by `replace(url)`."""
    pieces, position = [], 0
    for match in web_links(text):
        pieces += [text[position : match.start], replace(match.url)]
        position = match.end
    return "".join(pieces) + text[position:] if pieces else text


def published_links(text: str) -> str:
    """`text` as long as it will be once its links are rewritten (for measuring)."""
    return replace_links(text, link_shape) if _SHAPES else text
