"""The calendar page, its events (JSON) and its month summary (HTML fragment)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from editorial_calendar import selectors
from editorial_calendar.badges import legend, publication_legend
from editorial_calendar.events import (
    background_events,
    page_config_publication_states,
    page_config_states,
    post_events,
)
from editorial_calendar.forms import FilterForm
from editorial_calendar.links import new_post_url, post_url_pattern
from editorial_calendar.timeutil import BadDate, parse_month, parse_range, parse_timezone, tz_label
from libraries.selectors import access_for

VIEWS = {"month": "dayGridMonth", "week": "timeGridWeek", "list": "listMonth"}


def bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@login_required
@require_GET
def month(request):
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    choices = selectors.filter_choices(scope)
    form = FilterForm(request.GET or None, **choices)
    filter_error = ""
    try:
        filters = selectors.parse_filters(request.GET, scope)
    except BadDate as exc:
        filters, filter_error = selectors.CalendarFilters(), str(exc)
    today = timezone.now().astimezone(scope.tz).date()
    day = _date_param(request.GET.get("date"), today)
    now_local = timezone.now().astimezone(scope.tz)
    config = {
        "eventsUrl": reverse("editorial_calendar:events"),
        "summaryUrl": reverse("editorial_calendar:summary"),
        "exportUrl": reverse("editorial_calendar:export_csv"),
        "printUrl": reverse("editorial_calendar:print"),
        "moveUrl": reverse("editorial_calendar:post_move", kwargs={"pk": 0}).replace(
            "/0/", "/{id}/"
        ),
        "postUrl": post_url_pattern(),
        "newPostUrl": new_post_url(),
        "timeZone": scope.tz.key,
        "initialView": VIEWS.get(request.GET.get("view", ""), VIEWS["month"]),
        "initialDate": day.isoformat(),
        # The library's wall-clock "now", for FullCalendar's today and now line.
        "nowMs": int(now_local.replace(tzinfo=dt.UTC).timestamp() * 1000),
        "filters": filters.query,
        "states": page_config_states(),
        "publicationStates": page_config_publication_states(),
    }
    return render(
        request,
        "editorial_calendar/month.html",
        {
            "scope": scope,
            "form": form,
            "filter_error": filter_error,
            "config": config,
            "tz_label": tz_label(scope.tz, timezone.now()),
            "legend": legend(),
            "publication_legend": publication_legend(),
            "lines": choices["lines"],
            "summary": _summary(scope, day.replace(day=1), filters),
            "feed": selectors.feed_for(user=request.user, library=scope.library),
        },
    )


def _date_param(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return today
    return day if 2000 <= day.year <= 2100 else today


def _summary(scope, month: dt.date, filters) -> dict:
    from editorial_calendar.timeutil import next_month

    last = next_month(month) - dt.timedelta(days=1)
    warnings, gaps = selectors.caps_and_gaps(
        scope=scope, first=month, last=last, branch=filters.branch
    )
    return {
        "month": month,
        "mix": selectors.mix_summary(scope=scope, month=month, filters=filters),
        "warnings": warnings,
        "gaps": gaps,
        "dates": selectors.notable_occurrences(
            scope=scope, first=month, last=last, branch=filters.branch
        ),
    }


@login_required
@require_GET
def events(request):
    """The events of [start, end) for FullCalendar, in the library's wall-clock time."""
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    try:
        tz = parse_timezone(request.GET.get("timeZone"), scope.tz)
        if tz.key != scope.tz.key:
            raise BadDate(_("Le fuseau horaire de la bibliothèque a changé : rechargez la page."))
        start, end = parse_range(request.GET.get("start"), request.GET.get("end"), tz)
        filters = selectors.parse_filters(request.GET, scope)
    except BadDate as exc:
        return bad_request(str(exc))
    rows = selectors.calendar_posts(scope=scope, start=start, end=end, filters=filters)
    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    # The month and week views show whole weeks: the posts just read are all the
    # counts need, unless filters left some out.
    whole_weeks = first.weekday() == 0 and last.weekday() == 6
    warnings, gaps = selectors.caps_and_gaps(
        scope=scope,
        first=first,
        last=last,
        branch=filters.branch,
        rows=rows if whole_weeks and not filters.narrows_posts else None,
    )
    occurrences = selectors.notable_occurrences(
        scope=scope, first=first, last=last, branch=filters.branch
    )
    posts = post_events(
        rows, access=access_for(request.user), user=request.user, home_id=scope.library.id
    )
    return JsonResponse(
        {
            "timeZone": tz.key,
            "posts": posts,
            "events": background_events(occurrences, warnings, gaps),
        },
        json_dumps_params={"separators": (",", ":")},  # 12 % fewer bytes, at no cost
    )


@login_required
@require_GET
def summary(request):
    """The month's editorial mix, cap warnings, gaps and notable dates (HTML fragment)."""
    scope = selectors.calendar_scope(user=request.user, library=request.library)
    try:
        month_start = parse_month(
            request.GET.get("month"), timezone.now().astimezone(scope.tz).date()
        )
        filters = selectors.parse_filters(request.GET, scope)
    except BadDate as exc:
        return bad_request(str(exc))
    return render(
        request,
        "editorial_calendar/_summary.html",
        {"summary": _summary(scope, month_start, filters), "scope": scope},
    )
