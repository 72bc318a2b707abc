"""The dashboard (`/metrics/`) and its CSV export: the libraries the user sees only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from libraries.selectors import library_scope_ids
from metrics.charts import charts_of
from metrics.dashboard import PERIODS, Dashboard, dashboard_for, period_of
from metrics.exports import dashboard_csv
from posts.views.common import current_library


def _board(request) -> tuple:
    library = current_library(request)
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        days = None
    period = period_of(days=days, tz=library.tzinfo)
    ids = library_scope_ids(user=request.user, library=library)
    return library, dashboard_for(library_ids=ids, period=period)


@login_required
@require_GET
def dashboard(request):
    library, board = _board(request)
    return render(
        request,
        "metrics/dashboard.html",
        {
            "library": library,
            "board": board,
            "periods": list(PERIODS.items()),
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
    library, board = _board(request)
    return csv_response(board, filename=f"statistiques-{library.slug}-{board.period.first_day}")


def csv_response(board: Dashboard, *, filename: str) -> HttpResponse:
    response = HttpResponse(dashboard_csv(board), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
