"""Template helpers of the posts pages: previews that look like each network."""

import json

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from networks import UnknownNetwork, get_network
from networks import text as textlib

register = template.Library()

# Where a network folds a long text behind "… more" in its feed (characters shown).
FOLD_AT = {"instagram": 125, "linkedin": 210, "facebook": 480}


def _entities(text: str) -> list[tuple[int, int, str]]:
    spans = [(u.start, u.end, "url") for u in textlib.extract_urls(text)]
    spans += [(h.start, h.end, "hashtag") for h in textlib.extract_hashtags(text)]
    spans += [(m.start, m.end, "mention") for m in textlib.extract_mentions(text)]
    spans.sort()
    kept, position = [], 0
    for start, end, kind in spans:
        if start >= position:
            kept.append((start, end, kind))
            position = end
    return kept


def _markup(text: str, clickable: bool) -> str:
    pieces, position = [], 0
    for start, end, kind in _entities(text):
        pieces.append(escape(text[position:start]))
        value = text[start:end]
        if kind == "url" and clickable:
            pieces.append(format_html('<span class="pv-link">{}</span>', _shorten(value)))
        elif kind in ("hashtag", "mention") and clickable:
            pieces.append(format_html('<span class="pv-{}">{}</span>', kind, value))
        else:
            pieces.append(escape(value))
        position = end
    pieces.append(escape(text[position:]))
    return "".join(pieces).replace("\n", "<br>")


def _shorten(url: str) -> str:
    bare = url.split("://", 1)[-1]
    return bare if len(bare) <= 30 else bare[:29] + "…"


@register.filter
def preview_text(text: str, network_key: str) -> SafeString:
    """The text as the network shows it: line breaks, links and hashtags highlighted
    (not clickable on Instagram), and where it folds behind "… more"."""
    clickable = network_key != "instagram"
    fold = FOLD_AT.get(network_key)
    if fold and len(text) > fold:
        shown, rest = text[:fold], text[fold:]
        html = (
            _markup(shown, clickable)
            + '<span class="pv-fold" aria-hidden="true">… </span>'
            + '<span class="pv-folded">'
            + _markup(rest, clickable)
            + "</span>"
        )
    else:
        html = _markup(text, clickable)
    return mark_safe(html)  # every piece of text above went through escape/format_html


@register.simple_tag
def utm_vals(network_key: str, url: str) -> str:
    return json.dumps({"utm_network": network_key, "utm_url": url})


@register.filter
def get_item(mapping, key):
    return mapping.get(str(key)) if mapping else None


@register.filter
def network_names(keys) -> list[str]:
    names = []
    for key in keys or ():
        try:
            names.append(str(get_network(key).name))
        except UnknownNetwork:
            names.append(key)
    return names


@register.filter
def network_name(key: str) -> str:
    """`mastodon` → `Mastodon` (an unknown key as it is)."""
    return network_names([key])[0] if key else ""
