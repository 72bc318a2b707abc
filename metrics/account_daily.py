"""Collecting an account's own daily metrics (Google Business Profile's Performance API:
impressions of the location on Maps and Search, calls, direction requests, website
clicks), once a day (beat task `metrics.refresh_account_daily`).

Each run asks every connected account of a network whose client has
`account_daily_metrics`, with one request per account (all metrics in one call), for
the days from METRICS_ACCOUNT_DAILY_DAYS before today (30 by default) on the first
run, then from METRICS_ACCOUNT_DAILY_REFETCH days (7) before the last day stored: Google
publishes a day's figures with a delay of a few days and may still correct them, so
recent days are read again and overwritten (one row per account, day and metric). A
429 stops the run (the rest comes the next day, and the window catches up); an auth
error flags the account to reconnect, as the refresh does; any other error is logged
and the account is tried again the next day.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from metrics.models import AccountDailyMetric
from networks import all_networks, get_network
from networks.client import AuthError, NetworkClient, NetworkError, RateLimited
from publishing.models import AccountStatus, SocialAccount

logger = logging.getLogger("metrics.account_daily")


def daily_networks() -> tuple[str, ...]:
    """Networks whose client reports the account's own daily metrics."""
    return tuple(n.key for n in all_networks() if n.client().account_daily_metrics)


def account_daily_refresh_all(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One daily run over every connected account that has daily metrics; returns the
    count of accounts per outcome."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    accounts = SocialAccount.objects.filter(
        network__in=daily_networks(), status=AccountStatus.CONNECTED
    ).order_by("pk")
    for account in accounts:
        outcome = account_daily_refresh(account=account, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == "rate_limited":
            break  # the project's quota is shared: the rest waits for tomorrow
    return outcomes


def _window(account: SocialAccount, today: dt.date) -> tuple[dt.date, dt.date]:
    last = AccountDailyMetric.objects.filter(account=account).aggregate(last=Max("day"))["last"]
    end = today - dt.timedelta(days=1)  # today is not over
    if last is None:
        start = today - dt.timedelta(days=settings.METRICS_ACCOUNT_DAILY_DAYS)
    else:
        start = min(last, end) - dt.timedelta(days=settings.METRICS_ACCOUNT_DAILY_REFETCH)
    return start, end


def account_daily_refresh(*, account: SocialAccount, now: dt.datetime) -> str:
    """Fetch and store one account's daily metrics; returns the outcome."""
    from metrics.refresh import _flag_reconnect
    from publishing.services.render import client_account

    client: NetworkClient = get_network(account.network).client()
    today = now.astimezone(account.library.tzinfo).date()
    start, end = _window(account, today)
    try:
        days = client.fetch_account_daily(client_account(account), start=start, end=end)
    except RateLimited as exc:
        logger.info("daily metrics of account %s: rate limited (%s)", account.pk, exc)
        return "rate_limited"
    except AuthError as exc:
        _flag_reconnect(account, exc, now)
        return "needs_reconnect"
    except NetworkError as exc:
        logger.warning("daily metrics of account %s failed: %s", account.pk, exc)
        return "failed"
    rows = [
        AccountDailyMetric(account=account, day=day, metric=metric, value=value, fetched_at=now)
        for day, values in days.items()
        if start <= day <= end
        for metric, value in values.items()
    ]
    with transaction.atomic():
        AccountDailyMetric.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["account", "day", "metric"],
            update_fields=["value", "fetched_at"],
        )
    return "stored"
