"""The dashboard (`/metrics/`) and its CSV export: the libraries the user sees only,
narrowed by the filters in the URL (period, branch, network, account)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from libraries.selectors import library_scope_ids
from metrics.charts import charts_of
from metrics.dashboard import PERIODS, Dashboard, dashboard_for, period_of
from metrics.exports import dashboard_csv
from metrics.filters import filter_options, filters_of
from metrics.forms import DashboardFilterForm
from posts.views.common import current_library


def _board(request) -> tuple:
    library = current_library(request)
    options = filter_options(library_ids=library_scope_ids(user=request.user, library=library))
    form = DashboardFilterForm(request.GET, periods=PERIODS, options=options)
    chosen = form.chosen()
    period = period_of(days=chosen.get("days"), tz=library.tzinfo)
    filters = filters_of(
        options=options,
        library_id=chosen.get("library"),
        network=chosen.get("network") or "",
        account_id=chosen.get("account"),
    )
    chosen = {k: v for k, v in chosen.items() if v and k != "days"}
    query = urlencode({"days": period.days, **chosen})
    selected = {"days": str(period.days), **{k: str(v) for k, v in chosen.items()}}
    selects = form.selects(selected)
    return library, selects, query, dashboard_for(period=period, filters=filters)


@login_required
@require_GET
def dashboard(request):
    library, selects, query, board = _board(request)
    return render(
        request,
        "metrics/dashboard.html",
        {
            "library": library,
            "selects": selects,
            "query": query,
            "board": board,
            "charts": charts_of(board),
            "has_impressions": board.totals["impressions"] is not None,
            "timeline_rows": _timeline_rows(board),
            "hours": range(24),
        },
    )


def _timeline_rows(board: Dashboard) -> list[tuple]:
    timeline = board.timeline
    return [
        (label, {"values": [values[i] for _k, _n, values in timeline["networks"]], "total": total})
        for i, (label, total) in enumerate(zip(timeline["labels"], timeline["totals"], strict=True))
    ]


@login_required
@require_GET
def dashboard_export(request):
    library, _selects, _query, board = _board(request)
    return csv_response(board, filename=f"statistiques-{library.slug}-{board.period.first_day}")


def csv_response(board: Dashboard, *, filename: str) -> HttpResponse:
    response = HttpResponse(dashboard_csv(board), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
