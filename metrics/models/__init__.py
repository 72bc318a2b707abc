"""Metrics models, one module per concern.

snapshots/audience (collection, public vs colleagues) and links/events (clicks,
attendance, surveys) are imported here so Django finds them.
"""

from metrics.models.account_daily import AccountDailyMetric
from metrics.models.audience import (
    Colleague,
    ColleagueKind,
    ColleagueMatch,
    Engagement,
    EngagementKind,
)
from metrics.models.events import Channel, Event, SurveyAnswer
from metrics.models.links import Click, ShortLink
from metrics.models.reports import MonthlyReportDelivery
from metrics.models.snapshots import MetricRefresh, MetricSnapshot

__all__ = [
    "AccountDailyMetric",
    "Channel",
    "Click",
    "Colleague",
    "ColleagueKind",
    "ColleagueMatch",
    "Engagement",
    "EngagementKind",
    "Event",
    "MetricRefresh",
    "MetricSnapshot",
    "MonthlyReportDelivery",
    "ShortLink",
    "SurveyAnswer",
]
