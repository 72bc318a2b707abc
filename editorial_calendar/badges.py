"""How the calendar shows networks and states: short text badges and symbols.

No icon font and no external images (no CDN): a network is a two-letter badge
with its full name for screen readers; a state is a symbol plus its name, so
nothing relies on colour alone (RGAA).
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from posts.models import PostState

# slug -> (name, badge text). Network names are proper nouns: not translated.
NETWORK_BADGES: dict[str, tuple[str, str]] = {
    "mastodon": ("Mastodon", "Ma"),
    "bluesky": ("Bluesky", "Bs"),
    "facebook": ("Facebook", "Fb"),
    "instagram": ("Instagram", "Ig"),
    "x": ("X", "X"),
    "linkedin": ("LinkedIn", "In"),
    "threads": ("Threads", "Th"),
    "sandbox": ("Bac à sable", "Sb"),
    "website": ("Site web", "Web"),
}


def network_name(slug: str) -> str:
    return NETWORK_BADGES.get(slug, (slug.capitalize(), ""))[0]


def network_badge(slug: str) -> str:
    return NETWORK_BADGES.get(slug, ("", slug[:2].capitalize()))[1]


NETWORK_CHOICES = [(slug, name) for slug, (name, _badge) in NETWORK_BADGES.items()]

# state -> symbol. The legend lists them all with PostState's labels.
STATE_SYMBOLS: dict[str, str] = {
    PostState.DRAFT: "✎",
    PostState.PENDING: "◷",
    PostState.CHANGES_REQUESTED: "↺",
    PostState.APPROVED: "✓",
    PostState.REJECTED: "⊘",
    PostState.WITHDRAWN: "↩",
    PostState.MISSED: "⚠",
    PostState.PUBLISHING: "➚",
    PostState.PUBLISHED: "●",
    PostState.FAILED: "✕",
    PostState.CANCELLED: "—",
}

# publication state -> symbol: how a post went on one account (publishing.Publication).
PUBLICATION_SYMBOLS: dict[str, str] = {
    "scheduled": "◷",
    "queued": "◷",
    "publishing": "➚",
    "published": "●",
    "failed": "✕",
    "needs_reconnect": "⚠",
    "unknown": "?",
    "cancelled": "—",
    "missed": "⚠",
}


def publication_state_choices() -> list[tuple[str, str]]:
    """publishing.Publication's states and labels, looked up by name: publishing builds
    on this app, so this app does not import it."""
    return apps.get_model("publishing", "Publication")._meta.get_field("state").choices


# Shown by default; the state filter can ask for the others.
DEFAULT_STATES = [s for s in PostState.values if s not in {PostState.CANCELLED, PostState.REJECTED}]

NOTABLE_LEGEND = _("Date clé")
DEFAULT_LINE_COLOUR = "#5c6670"


def legend() -> list[dict]:
    return [
        {"state": value, "symbol": STATE_SYMBOLS[value], "label": label}
        for value, label in PostState.choices
    ]


def publication_legend() -> list[dict]:
    """How a post went on each of its accounts, as the network badges show it."""
    return [
        {"state": value, "symbol": PUBLICATION_SYMBOLS.get(value, ""), "label": label}
        for value, label in publication_state_choices()
    ]


def publication_state_label(state: str) -> str:
    return str(dict(publication_state_choices()).get(state, state))


def text_colour_for(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb), by WCAG luminance."""
    try:
        red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    except (ValueError, IndexError):
        return "#ffffff"

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    # Contrast with white is (1.05)/(L+0.05); with black (L+0.05)/0.05.
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"
