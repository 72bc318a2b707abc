"""What the dashboard shows of accounts' own daily metrics (metrics.account_daily): for
each Google Business Profile location of the libraries, how often its card was seen on
Maps and Search and what people did from it (calls, direction requests, website
visits), over the period and the previous one, and per day. One query, whatever the
number of days or locations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from metrics.models import AccountDailyMetric

# The figures shown, each the sum of the network's metrics named.
FIGURES = {
    "views": (
        _("Vues de la fiche"),
        (
            "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
            "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
            "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
            "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
        ),
    ),
    "maps": (
        _("dont Google Maps"),
        ("BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_MOBILE_MAPS"),
    ),
    "website": (_("Clics vers le site"), ("WEBSITE_CLICKS",)),
    "calls": (_("Appels"), ("CALL_CLICKS",)),
    "directions": (_("Itinéraires demandés"), ("BUSINESS_DIRECTION_REQUESTS",)),
}


def _figures(values: dict[str, int]) -> dict[str, int]:
    return {key: sum(values.get(m, 0) for m in metrics) for key, (_l, metrics) in FIGURES.items()}


def locations_for(
    *,
    library_ids: list[int],
    first_day: dt.date,
    last_day: dt.date,
    network: str = "",
    account_id: int | None = None,
) -> dict:
    """{"rows": one per account with its figures and those of the previous period,
    "days": [(day, figures summed over the accounts)], "last_day": the newest day the
    network has given, "labels": {figure: label}}; empty rows when no account has any.
    `network` and `account_id` narrow it as the dashboard's filters do."""
    length = (last_day - first_day).days + 1
    previous_first = first_day - dt.timedelta(days=length)
    stored = AccountDailyMetric.objects.filter(
        account__library_id__in=library_ids, day__gte=previous_first, day__lte=last_day
    )
    if network:
        stored = stored.filter(account__network=network)
    if account_id is not None:
        stored = stored.filter(account_id=account_id)
    current: dict[int, dict[str, int]] = defaultdict(dict)
    previous: dict[int, dict[str, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    per_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for account_id, name, day, metric, value in stored.values_list(
        "account_id", "account__display_name", "day", "metric", "value"
    ):
        names[account_id] = name
        target = current if day >= first_day else previous
        target[account_id][metric] = target[account_id].get(metric, 0) + value
        if day >= first_day:
            per_day[day][metric] = per_day[day].get(metric, 0) + value
    rows = [
        {
            "account_id": account_id,
            "name": names[account_id],
            **_figures(current.get(account_id, {})),
            "previous": _figures(previous.get(account_id, {})),
        }
        for account_id in sorted(names, key=lambda pk: names[pk])
    ]
    # Nothing is stored after today: the newest day read is the newest there is.
    last = max(per_day, default=None)
    return {
        "rows": rows,
        "days": [(day, _figures(per_day[day])) for day in sorted(per_day)],
        "last_day": last,
        "labels": {key: label for key, (label, _m) in FIGURES.items()},
    }


__all__ = ["FIGURES", "locations_for"]
