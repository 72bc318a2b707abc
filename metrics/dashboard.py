"""What the dashboard (`/metrics/`), its CSV export and the monthly report show.

Everything is computed from publications published in the period (in the libraries the
user sees) and their latest snapshot (`MetricRefresh.latest`, kept by metrics.refresh).
The database does the summing: one query groups them per account and editorial line
(totals, networks, accounts and lines are merged from those few rows), one per UTC hour
and network (engagement over time and the weekday × hour map: each hour is converted to
the library's time once), one ranks the top posts (and one names their networks);
clicks, the previous period and events take a few more. The number of queries does not
grow with the number of posts; the rows read into Python are at most one per network
and hour of publication.
Engagement over time and the weekday × hour map place each publication's engagement at
the time it was published ("what posting then brought").

Public engagement = likes and shares from the public (colleagues apart, see
metrics.audience) + replies + quotes; colleagues' likes and shares are shown apart.
Clicks are counted when they happen (metrics.links); events by their date.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Func, IntegerField, Min, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metrics.events import channel_label
from metrics.filters import Filters
from metrics.locations import locations_for
from metrics.models import Click, Event, SurveyAnswer
from networks import NETWORK_CHOICES
from publishing.models import Publication, PublicationKind, PublicationState

PERIODS = {7: _("7 derniers jours"), 30: _("30 derniers jours"), 90: _("3 derniers mois")}
PERIODS[365] = _("12 derniers mois")
DEFAULT_DAYS = 30
TOP_POSTS = 10
WEEKDAYS = [_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi")]
WEEKDAYS += [_("samedi"), _("dimanche")]

_L = "metric_refresh__latest__"


def _n(name: str):
    return Coalesce(F(_L + name), Value(0), output_field=IntegerField())


PUBLIC = _n("public_likes") + _n("public_shares") + _n("replies") + _n("quotes")
COLLEAGUES = _n("colleague_likes") + _n("colleague_shares")
AGGREGATES = {
    "publications": Count("id"),
    "public": Coalesce(Sum(PUBLIC), 0),
    "colleagues": Coalesce(Sum(COLLEAGUES), 0),
    "likes": Coalesce(Sum(_n("public_likes")), 0),
    "shares": Coalesce(Sum(_n("public_shares")), 0),
    "replies": Coalesce(Sum(_n("replies")), 0),
    "impressions": Sum(F(_L + "impressions")),
}


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime
    days: int
    tz: zoneinfo.ZoneInfo

    @property
    def previous(self) -> Period:
        length = self.end - self.start
        return Period(start=self.start - length, end=self.start, days=self.days, tz=self.tz)

    @property
    def first_day(self) -> dt.date:
        return self.start.astimezone(self.tz).date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(seconds=1)).astimezone(self.tz).date()


def period_of(*, days: int | None, tz: zoneinfo.ZoneInfo, today: dt.date | None = None) -> Period:
    """The last `days` days up to today included (local days of the library)."""
    days = days if days in PERIODS else DEFAULT_DAYS
    today = today or timezone.now().astimezone(tz).date()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    start = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), tzinfo=tz)
    return Period(start=start.astimezone(dt.UTC), end=end.astimezone(dt.UTC), days=days, tz=tz)


def month_period(*, year: int, month: int, tz: zoneinfo.ZoneInfo) -> Period:
    first = dt.date(year, month, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(following, dt.time(), tzinfo=tz)
    days = (following - first).days
    return Period(start=start.astimezone(dt.UTC), end=end.astimezone(dt.UTC), days=days, tz=tz)


@dataclass
class Dashboard:
    period: Period
    totals: dict
    previous: dict
    by_network: list[dict]
    by_account: list[dict]
    by_line: list[dict]
    timeline: dict  # {"labels": [...], "networks": [(key, name, [values])], "weekly": bool}
    heatmap: list[dict]  # one row per weekday: {"label", "cells": [{"hour", "n", "avg", "level"}]}
    top_posts: list[dict]
    clicks_by_network: list[dict]
    events: list[dict]
    channels: list[dict]
    changes: dict = field(default_factory=dict)
    # Google Business Profile locations' own daily metrics (metrics.locations).
    locations: dict = field(default_factory=dict)
    filters: Filters | None = None


def published_in(*, filters: Filters, period: Period) -> QuerySet[Publication]:
    return Publication.objects.filter(
        filters.publications(),
        kind=PublicationKind.POST,
        state=PublicationState.PUBLISHED,
        published_at__gte=period.start,
        published_at__lt=period.end,
    )


def _change(now: int | None, before: int | None) -> float | None:
    if not before or now is None:
        return None
    return (now - before) / before


def dashboard_for(
    *, library_ids: list[int] | None = None, period: Period, filters: Filters | None = None
) -> Dashboard:
    """The dashboard of `filters` (or simply of `library_ids`) over `period`."""
    filters = filters or Filters(library_ids=list(library_ids or []))
    names = {key: str(name) for key, name in NETWORK_CHOICES}
    pubs = published_in(filters=filters, period=period)
    previous_pubs = published_in(filters=filters, period=period.previous)
    previous = previous_pubs.aggregate(**AGGREGATES)

    clicks = Click.objects.filter(
        filters.publications("publication__"),
        clicked_at__gte=period.start,
        clicked_at__lt=period.end,
    )
    clicks_by_network = [
        {
            "network": row["publication__network"],
            "name": names.get(row["publication__network"], row["publication__network"]),
            "clicks": row["n"],
        }
        for row in clicks.values("publication__network").annotate(n=Count("id")).order_by("-n")
    ]
    totals_clicks = sum(row["clicks"] for row in clicks_by_network)
    previous["clicks"] = Click.objects.filter(
        filters.publications("publication__"),
        clicked_at__gte=period.previous.start,
        clicked_at__lt=period.previous.end,
    ).count()

    groups = _groups(pubs)
    totals = _merge(groups, lambda g: None, lambda g: {}) or [_merge_start({})]
    totals = {**totals[0], "clicks": totals_clicks}
    by_network = _merge(groups, lambda g: g["network"], lambda g: {"network": g["network"]})
    for row in by_network:
        row["name"] = names.get(row["network"], row["network"])
    by_account = _merge(
        groups,
        lambda g: g["account_id"],
        lambda g: {"account_id": g["account_id"], "network": g["network"], "account": g["account"]},
    )
    for row in by_account:
        row["name"] = row["account"] or names.get(row["network"], row["network"])
        row["network_name"] = names.get(row["network"], row["network"])
    by_line = _merge(
        groups, lambda g: g["line_id"], lambda g: {"line_id": g["line_id"], "line": g["line"]}
    )
    for row in by_line:
        row["name"] = row["line"] or str(_("Sans ligne éditoriale"))
    by_network.sort(key=lambda r: (-r["public"], r["name"]))
    by_account.sort(key=lambda r: (-r["public"], r["name"]))
    by_line.sort(key=lambda r: (-r["public"], r["name"]))

    events, channels = _events(filters=filters, period=period)
    moments = _moments(pubs, period.tz)
    totals["attendance"] = sum(e["attendance"] or 0 for e in events)
    board = Dashboard(
        period=period,
        totals=totals,
        previous=previous,
        by_network=by_network,
        by_account=by_account,
        by_line=by_line,
        timeline=_timeline(moments, period, names),
        heatmap=_heatmap(moments),
        top_posts=_top_posts(pubs, names),
        clicks_by_network=clicks_by_network,
        events=events,
        channels=channels,
        locations=locations_for(
            library_ids=filters.library_ids,
            first_day=period.first_day,
            last_day=period.last_day,
            network=filters.network,
            account_id=filters.account_id,
        ),
        filters=filters,
    )
    board.changes = {
        key: _change(totals.get(key), previous.get(key))
        for key in ("publications", "public", "colleagues", "clicks", "impressions")
    }
    return board


_SUMS = tuple(AGGREGATES)  # publications, public, …, impressions (last)


def _groups(pubs: QuerySet) -> list[dict]:
    """The period's sums per account and editorial line, summed by the database (a few
    hundred rows at most, whatever the number of posts): totals, networks, accounts and
    lines are merged from them."""
    heads = ("network", "account_id", "account", "line_id", "line")
    rows = (
        pubs.values_list(
            "network",
            "account_id",
            "account__display_name",
            "post__editorial_line_id",
            "post__editorial_line__name",
        )
        .annotate(**AGGREGATES)
        .order_by()
    )
    return [dict(zip(heads + tuple(AGGREGATES), row, strict=True)) for row in rows]


def _merge_start(head: dict) -> dict:
    return {**head, **dict.fromkeys(_SUMS, 0), "impressions": None}


def _merge(groups: list[dict], key, head) -> list[dict]:
    """`groups` summed by `key`; impressions stay None where no network gave any."""
    merged: dict = {}
    for group in groups:
        row = merged.get(key(group))
        if row is None:
            row = merged[key(group)] = _merge_start(head(group))
        for name in _SUMS[:-1]:
            row[name] += group[name]
        if group["impressions"] is not None:
            row["impressions"] = (row["impressions"] or 0) + group["impressions"]
    return list(merged.values())


class _UTCHour(Func):
    """ "YYYY-MM-DD HH", the UTC hour of a datetime, computed by the database itself
    (Django's Trunc functions call Python once per row on SQLite)."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"

    def as_sqlite(self, compiler, connection, **extra):
        # Stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC.
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 13)")


def _moments(pubs: QuerySet, tz: zoneinfo.ZoneInfo) -> list[tuple]:
    """(local datetime of the hour, network, publications, public engagement) per UTC
    hour and network of publication: grouped by the database, each hour converted to the
    library's time once."""
    rows = (
        pubs.annotate(utc_hour=_UTCHour("published_at"))
        .values_list("utc_hour", "network")
        .annotate(n=Count("id"), public=AGGREGATES["public"])
        .order_by()
    )
    local: dict[str, dt.datetime] = {}
    moments = []
    for hour, network, n, public in rows:
        when = local.get(hour)
        if when is None:
            utc = dt.datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=dt.UTC)
            when = local[hour] = utc.astimezone(tz)
        moments.append((when, network, n, public))
    return moments


def _timeline(moments: list, period: Period, names: dict) -> dict:
    weekly = period.days > 92
    labels: list[dt.date] = []
    day = period.first_day
    if weekly:
        day -= dt.timedelta(days=day.weekday())
    step = dt.timedelta(days=7 if weekly else 1)
    while day <= period.last_day:
        labels.append(day)
        day += step
    index = {label: i for i, label in enumerate(labels)}
    series: dict[str, list[int]] = {}
    for local, network, _n, public in moments:
        day = local.date()
        if weekly:
            day -= dt.timedelta(days=day.weekday())
        if day in index:
            series.setdefault(network, [0] * len(labels))[index[day]] += public
    ordered = [key for key, _name in NETWORK_CHOICES if key in series]
    ordered += sorted(set(series) - set(ordered))
    networks = [(key, names.get(key, key), series[key]) for key in ordered]
    totals = [sum(values[i] for _k, _n, values in networks) for i in range(len(labels))]
    return {"labels": labels, "networks": networks, "totals": totals, "weekly": weekly}


def _heatmap(moments: list) -> list[dict]:
    cells: dict[tuple[int, int], list[int]] = {}
    for local, _network, n, public in moments:
        cell = cells.setdefault((local.weekday(), local.hour), [0, 0])
        cell[0] += n
        cell[1] += public
    best = max((total / n for n, total in cells.values()), default=0)
    table = []
    for weekday in range(7):
        line = []
        for hour in range(24):
            n, total = cells.get((weekday, hour), (0, 0))
            average = total / n if n else None
            level = 0 if not average or not best else min(4, 1 + int(3.999 * average / best))
            line.append({"hour": hour, "n": n, "avg": average, "level": level})
        table.append({"label": WEEKDAYS[weekday], "cells": line})
    return table


def _top_posts(pubs: QuerySet, names: dict) -> list[dict]:
    """The posts whose publications of the period had the most public engagement, ranked
    by the database; then the networks of those few."""
    top = list(
        pubs.values("post_id", "post__title", "post__library__name")
        .annotate(
            public=AGGREGATES["public"],
            colleagues=AGGREGATES["colleagues"],
            published=Min("published_at"),
        )
        .order_by("-public", "-published", "post_id")[:TOP_POSTS]
    )
    networks: dict[int, list[str]] = {post["post_id"]: [] for post in top}
    # Asked even without top posts (no post has id 0), so that the number of queries does
    # not depend on the data.
    asked = list(networks) or [0]
    for post_id, network in pubs.filter(post_id__in=asked).values_list("post_id", "network"):
        networks[post_id].append(names.get(network, network))
    for post in top:
        post["networks"] = sorted(networks[post["post_id"]])
    return top


def _events(*, filters: Filters, period: Period) -> tuple[list[dict], list[dict]]:
    """Events of the period in the libraries; narrowed to a network or an account, the
    events announced by a post published there."""
    events = Event.objects.filter(
        library_id__in=filters.library_ids, starts_at__gte=period.start, starts_at__lt=period.end
    )
    if filters.narrowed:
        announced = Publication.objects.filter(
            filters.publications(), state=PublicationState.PUBLISHED
        ).values("post_id")
        events = events.filter(
            id__in=Event.posts.through.objects.filter(post_id__in=announced).values("event_id")
        )
    events = list(
        events.annotate(answer_count=Count("answers"))
        .values("id", "title", "starts_at", "place", "capacity", "attendance", "answer_count")
        .order_by("starts_at")
    )
    counts = (
        SurveyAnswer.objects.filter(event_id__in=[e["id"] for e in events])
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n", "channel")
    )
    total = sum(row["n"] for row in counts)
    channels = [
        {
            "channel": row["channel"],
            "name": channel_label(row["channel"]),
            "answers": row["n"],
            "share": row["n"] / total if total else 0.0,
        }
        for row in counts
    ]
    return events, channels
