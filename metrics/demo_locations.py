"""Demo data of the dashboard's "Fiches Google" section: about 90 days of daily figures
for the example Google location of the Jules-Verne branch (publishing.demo), as the
Performance API would give them (metrics.account_daily): impressions on Maps and
Search, website clicks, calls, direction requests. Fewer on Sundays and Mondays (the
library is closed), slowly rising. Each day's values depend only on the day, and a
day already stored is left alone: run twice, it adds nothing; run a day later, it adds
that day.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from metrics.models import AccountDailyMetric
from publishing.demo import demo_google_location

DAYS = 90
LAG = 3  # Google gives a day's figures a few days late
# (metric, usual value on an open weekday)
USUAL = (
    ("BUSINESS_IMPRESSIONS_MOBILE_MAPS", 120),
    ("BUSINESS_IMPRESSIONS_DESKTOP_MAPS", 25),
    ("BUSINESS_IMPRESSIONS_MOBILE_SEARCH", 70),
    ("BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", 35),
    ("WEBSITE_CLICKS", 9),
    ("CALL_CLICKS", 3),
    ("BUSINESS_DIRECTION_REQUESTS", 6),
)
WEEKDAY = {0: 0.6, 6: 0.45}  # Monday, Sunday: closed


def _values(slug: str, day: dt.date, age: int) -> list[tuple[str, int]]:
    rng = random.Random(f"{slug}:{day.isoformat()}")  # noqa: S311 - demo data
    trend = 1 + 0.25 * (DAYS - age) / DAYS  # a quarter more than 90 days ago
    factor = WEEKDAY.get(day.weekday(), 1.0) * trend
    return [
        (metric, max(0, round(usual * factor * rng.uniform(0.7, 1.3)))) for metric, usual in USUAL
    ]


def seed(ctx) -> None:
    branch = next(b for b in ctx.branches if b.slug == "mediatheque-jules-verne")
    account = demo_google_location(branch)
    now = timezone.now()
    today = now.astimezone(branch.tzinfo).date()
    rows = []
    for age in range(LAG, LAG + DAYS):
        day = today - dt.timedelta(days=age)
        rows += [
            AccountDailyMetric(account=account, day=day, metric=metric, value=value, fetched_at=now)
            for metric, value in _values(branch.slug, day, age)
        ]
    AccountDailyMetric.objects.bulk_create(rows, ignore_conflicts=True)
