"""The LinkedIn page client: its parts put together (see the package docstring)."""

from __future__ import annotations

from networks.linkedin.posts import PostsMixin
from networks.linkedin.stats import MetricsMixin


class LinkedInClient(PostsMixin, MetricsMixin):
    """A LinkedIn page's client (`networks.client.NetworkClient`)."""

    key = "linkedin"
    connect_kind = "oauth2"
    # One share-statistics call covers a list of posts (List(...) in the query).
    metrics_batch_size = 20
    supports_engagers = True
    engager_kinds = ("like",)  # reactions; reshares are counted, never listed
