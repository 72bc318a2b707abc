"""Collecting an account's own daily metrics (Google Business Profile's Performance API:
impressions of the location on Maps and Search, calls, direction requests, website
clicks), once a day (beat task `metrics.refresh_account_daily`).

Each run asks every connected account of a network whose client has
`account_daily_metrics`, with one request per account (all metrics in one call), for
the days from METRICS_ACCOUNT_DAILY_DAYS before today (30 by default) on the first
run, then from METRICS_ACCOUNT_DAILY_REFETCH days (7) before the last day stored: Google
publishes a day's figures with a delay of a few days and may still correct them, so
recent days are read again and overwritten (one row per account, day and metric).

Accounts are taken least recently fetched first (never fetched first), so none starves
when the quota runs out. A 429 stops the run (the quota is the project's: every other
call would be refused too) and schedules a run of the accounts not done yet, the one
refused included, after the reset Google gave (a Celery countdown; the quotas are per
minute). A reset further than METRICS_ACCOUNT_DAILY_MAX_WAIT, or more than
METRICS_ACCOUNT_DAILY_RESUMES resumptions in a row, leaves them to the next day's run,
which takes them first. A lost resumption message costs the same: the next day's run.
An auth error flags the account to reconnect, as the refresh does; any other error is
logged and the account is tried again the next day.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from metrics.models import AccountDailyMetric
from networks import all_networks, get_network
from networks.client import AuthError, NetworkClient, NetworkError, RateLimited
from publishing.models import AccountStatus, SocialAccount

logger = logging.getLogger("metrics.account_daily")
DEFAULT_WAIT = 60  # seconds, when a 429 gives no reset: Google's quotas are per minute


def daily_networks() -> tuple[str, ...]:
    """Networks whose client reports the account's own daily metrics."""
    return tuple(n.key for n in all_networks() if n.client().account_daily_metrics)


def _due(account_ids: list[int] | None) -> list[SocialAccount]:
    """Connected accounts with daily metrics (those of `account_ids` only, when given),
    least recently fetched first, never fetched first."""
    accounts = SocialAccount.objects.filter(
        network__in=daily_networks(), status=AccountStatus.CONNECTED
    )
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    return list(
        accounts.select_related("library")
        .annotate(last_fetched=Max("daily_metrics__fetched_at"))
        .order_by(F("last_fetched").asc(nulls_first=True), "pk")
    )


def account_daily_refresh_all(
    *,
    now: dt.datetime | None = None,
    account_ids: list[int] | None = None,
    resumption: int = 0,
) -> dict[str, int]:
    """One daily run over every connected account that has daily metrics (or, resuming
    after a 429, over `account_ids`); returns the count of accounts per outcome, and
    under "resumed" how many were scheduled again after a 429."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    accounts = _due(account_ids)
    for index, account in enumerate(accounts):
        try:
            outcome = account_daily_refresh(account=account, now=now)
        except RateLimited as exc:
            logger.info("daily metrics of account %s: rate limited (%s)", account.pk, exc)
            outcomes["rate_limited"] = 1
            rest = [a.pk for a in accounts[index:]]
            if _resume_later(rest, reset_at=exc.reset_at, resumption=resumption):
                outcomes["resumed"] = len(rest)
            break
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _resume_later(account_ids: list[int], *, reset_at: dt.datetime | None, resumption: int) -> bool:
    """Schedule a run of `account_ids` after the quota's reset; False when it is too far
    or this run has resumed too often (the next day's run takes them first)."""
    from metrics.tasks import refresh_account_daily

    # The reset is the network's clock time (a run's `now` may be a simulated one).
    wait = (reset_at - timezone.now()).total_seconds() if reset_at else DEFAULT_WAIT
    wait = max(1, int(wait) + 1)
    # Never a far-future countdown: Redis redelivers it after the visibility timeout.
    if wait > settings.METRICS_ACCOUNT_DAILY_MAX_WAIT:
        logger.warning(
            "daily metrics: quota resets in %s s; %s wait for the next run", wait, len(account_ids)
        )
        return False
    if resumption >= settings.METRICS_ACCOUNT_DAILY_RESUMES:
        logger.warning(
            "daily metrics: %s resumptions; %s wait for the next run", resumption, len(account_ids)
        )
        return False
    refresh_account_daily.apply_async(
        kwargs={"account_ids": account_ids, "resumption": resumption + 1}, countdown=wait
    )
    return True


def _window(account: SocialAccount, today: dt.date) -> tuple[dt.date, dt.date]:
    last = AccountDailyMetric.objects.filter(account=account).aggregate(last=Max("day"))["last"]
    end = today - dt.timedelta(days=1)  # today is not over
    if last is None:
        start = today - dt.timedelta(days=settings.METRICS_ACCOUNT_DAILY_DAYS)
    else:
        start = min(last, end) - dt.timedelta(days=settings.METRICS_ACCOUNT_DAILY_REFETCH)
    return start, end


def account_daily_refresh(*, account: SocialAccount, now: dt.datetime) -> str:
    """Fetch and store one account's daily metrics; returns the outcome. A 429 raises
    RateLimited (the caller stops its run)."""
    from metrics.refresh import _flag_reconnect
    from publishing.services.render import client_account

    client: NetworkClient = get_network(account.network).client()
    today = now.astimezone(account.library.tzinfo).date()
    start, end = _window(account, today)
    try:
        days = client.fetch_account_daily(client_account(account), start=start, end=end)
    except RateLimited:
        raise  # not a failure of this account: the run stops and resumes (above)
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
