"""The X client: its parts put together (see the package docstring)."""

from __future__ import annotations

from networks.x.posts import PostsMixin
from networks.x.stats import MetricsMixin


class XClient(PostsMixin, MetricsMixin):
    """An X account's client (`networks.client.NetworkClient`)."""

    key = "x"
    connect_kind = "oauth2"
    # GET /2/tweets?ids= looks up to 100 posts at once (each post read is billed).
    metrics_batch_size = 100
    supports_engagers = True
