"""Annexe's networks: one module per network, and this explicit registry.

    from networks import get_network, all_networks, NETWORK_CHOICES
    get_network("bluesky").measure("Bonjour 👋")

Adding a network: a module with a `Network` subclass (see `networks.base`), one line in
`_NETWORKS` below, a fake server in `tests/fakes/`, its tests, and a README section.
This package imports no Django app and never touches the database.
"""

from __future__ import annotations

from networks.base import (
    ImageInfo,
    ImageLimits,
    Network,
    NetworkLimits,
    Problem,
    TextLimits,
    VariantInput,
)
from networks.bluesky import Bluesky
from networks.facebook import Facebook
from networks.google_business import GoogleBusiness
from networks.instagram import Instagram
from networks.linkedin import LinkedIn
from networks.mastodon import Mastodon
from networks.sandbox import Sandbox
from networks.threads import Threads
from networks.website import Website
from networks.x import X

__all__ = [
    "NETWORK_CHOICES",
    "ImageInfo",
    "ImageLimits",
    "Network",
    "NetworkLimits",
    "Problem",
    "TextLimits",
    "UnknownNetwork",
    "VariantInput",
    "all_networks",
    "get_network",
]

# The order people see them in (forms, tabs, counters).
_NETWORKS: tuple[Network, ...] = (
    Mastodon(),
    Bluesky(),
    Facebook(),
    Instagram(),
    X(),
    LinkedIn(),
    Threads(),
    GoogleBusiness(),
    Sandbox(),
    Website(),
)
_BY_KEY = {network.key: network for network in _NETWORKS}

NETWORK_CHOICES: list[tuple[str, object]] = [(network.key, network.name) for network in _NETWORKS]


class UnknownNetwork(KeyError):
    """No network has this key."""


def get_network(key: str) -> Network:
    """The network registered under `key` (e.g. "bluesky"), with its default limits."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise UnknownNetwork(key) from None


def all_networks() -> list[Network]:
    """Every network, in `NETWORK_CHOICES` order."""
    return list(_NETWORKS)
