"""Metrics models, one module per concern.

snapshots/audience (collection, public vs colleagues) and links/events (clicks,
attendance, surveys) are imported here so Django finds them.
"""

from metrics.models.audience import (
    Colleague,
    ColleagueKind,
    ColleagueMatch,
    Engagement,
    EngagementKind,
)
from metrics.models.snapshots import MetricRefresh, MetricSnapshot

__all__ = [
    "Colleague",
    "ColleagueKind",
    "ColleagueMatch",
    "Engagement",
    "EngagementKind",
    "MetricRefresh",
    "MetricSnapshot",
]
