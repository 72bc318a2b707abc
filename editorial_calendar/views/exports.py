"""CSV export of a range, print view of a month, private iCal feeds."""

from __future__ import annotations

import csv
import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from editorial_calendar import ical, selectors, services
from editorial_calendar.links import post_url_pattern
from editorial_calendar.timeutil import (
    BadDate,
    month_bounds,
    next_month,
    parse_month,
    parse_range,
    previous_month,
)
from editorial_calendar.views.calendar import bad_request
from libraries.selectors import library_scope_ids
from posts.models import PostState

# A feed shows a window around today: enough for planning, small for calendar apps.
FEED_PAST = dt.timedelta(days=62)
FEED_FUTURE = dt.timedelta(days=366)


@login_required
@require_GET
def export_csv(request):
    """The posts of the visible range, one row per post, for a spreadsheet (UTF-8, ";")."""
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    try:
        start, end = parse_range(request.GET.get("start"), request.GET.get("end"), scope.tz)
        filters = selectors.parse_filters(request.GET, scope)
    except BadDate as exc:
        return bad_request(str(exc))
    rows = selectors.calendar_posts(scope=scope, start=start, end=end, filters=filters)
    first = start.astimezone(scope.tz).date()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="calendrier-{scope.library.slug}-{first.isoformat()}.csv"'
    )
    response.write("\ufeff")  # lets spreadsheet software detect UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Date"),
            _("Heure"),
            _("Fuseau horaire"),
            _("Titre"),
            _("Ligne éditoriale"),
            _("État"),
            _("Destinations"),
            _("Auteur·rice"),
            _("Bibliothèque"),
            _("Lien"),
        ]
    )
    states = dict(PostState.choices)
    base = request.build_absolute_uri("/").rstrip("/") + post_url_pattern()
    for row in rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.start[11:16],
                scope.tz.key,
                _cell(row.title),
                _cell(row.line_name or ""),
                states.get(row.state, row.state),
                ", ".join(target.text for target in row.targets),
                _cell(row.author_name),
                _cell(row.library_name),
                base.replace("{id}", str(row.id)),
            ]
        )
    return response


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in user text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_GET
def print_month(request):
    """A month as a plain table, for paper: no script, print styles."""
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    try:
        month = parse_month(request.GET.get("month"), timezone.now().astimezone(scope.tz).date())
        filters = selectors.parse_filters(request.GET, scope)
    except BadDate as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    start, end = month_bounds(month, scope.tz)
    rows = selectors.calendar_posts(scope=scope, start=start, end=end, filters=filters)
    last = next_month(month) - dt.timedelta(days=1)
    occurrences = selectors.notable_occurrences(
        scope=scope, first=month, last=last, branch=filters.branch
    )
    by_day: dict[dt.date, list] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(row)
    dates_by_day: dict[dt.date, list] = {}
    for occurrence in occurrences:
        day = max(occurrence.start, month)
        while day <= min(occurrence.end, last):
            dates_by_day.setdefault(day, []).append(occurrence)
            day += dt.timedelta(days=1)
    weeks, day = [], month - dt.timedelta(days=month.weekday())
    while day <= last:
        weeks.append(
            [
                {
                    "date": d,
                    "in_month": d.month == month.month,
                    "posts": [(r, r.scheduled_at.astimezone(scope.tz)) for r in by_day.get(d, [])],
                    "notable": dates_by_day.get(d, []),
                }
                for d in (day + dt.timedelta(days=i) for i in range(7))
            ]
        )
        day += dt.timedelta(days=7)
    query = request.GET.copy()
    return render(
        request,
        "editorial_calendar/print.html",
        {
            "scope": scope,
            "month": month,
            "weeks": weeks,
            "filters": filters,
            "previous": _month_query(query, previous_month(month)),
            "next": _month_query(query, next_month(month)),
            "summary_mix": selectors.mix_summary(scope=scope, month=month, filters=filters),
        },
    )


def _month_query(query, month: dt.date) -> str:
    query = query.copy()
    query["month"] = month.strftime("%Y-%m")
    return query.urlencode()


@never_cache
@require_GET
def feed(request, token: str):
    """The private iCal feed of a person on a library; 404 once revoked."""
    subscription = selectors.feed_by_token(token)
    library, user = subscription.library, subscription.user
    scope = selectors.CalendarScope(
        library=library, library_ids=tuple(library_scope_ids(user=user, library=library))
    )
    now = timezone.now()
    rows = selectors.calendar_posts(
        scope=scope,
        start=now - FEED_PAST,
        end=now + FEED_FUTURE,
        filters=selectors.CalendarFilters(),
    )
    today = now.astimezone(scope.tz).date()
    occurrences = selectors.notable_occurrences(
        scope=scope, first=today - FEED_PAST, last=today + FEED_FUTURE
    )
    base_url = settings.SITE_URL
    body = ical.feed_ical(
        posts=rows,
        occurrences=occurrences,
        name=f"Annexe — {library.name}",
        tz_name=library.timezone,
        host=urlsplit(base_url).hostname or "annexe",
        base_url=base_url,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="annexe-{library.slug}.ics"'
    return response


@login_required
@require_POST
def feed_create(request):
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    services.feed_create(user=request.user, library=scope.library)
    messages.success(
        request,
        _(
            "Votre adresse d'abonnement est prête. L'ancienne adresse, s'il y en avait une, "
            "ne fonctionne plus."
        ),
    )
    return redirect(reverse("editorial_calendar:month") + "#subscribe")


@login_required
@require_POST
def feed_revoke(request):
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    services.feed_revoke(user=request.user, library=scope.library)
    messages.success(request, _("L'adresse d'abonnement est révoquée : elle ne fonctionne plus."))
    return redirect(reverse("editorial_calendar:month") + "#subscribe")
