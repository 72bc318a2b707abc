"""The dashboard's charts as plain data for static/js/metrics.js (json_script)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from metrics.dashboard import Dashboard


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def charts_of(board: Dashboard) -> dict[str, dict]:
    timeline = board.timeline
    return {
        "chart-timeline": {
            "type": "line",
            "labels": [_day(day) for day in timeline["labels"]],
            "datasets": [
                {"label": name, "data": values} for _key, name, values in timeline["networks"]
            ],
        },
        "chart-networks": {
            "type": "bar",
            "stacked": True,
            "labels": [row["name"] for row in board.by_network],
            "datasets": [
                {"label": _("Public"), "data": [row["public"] for row in board.by_network]},
                {
                    "label": _("Collègues"),
                    "data": [row["colleagues"] for row in board.by_network],
                    "colour": "#9aa5b1",
                },
            ],
        },
        "chart-lines": {
            "type": "bar",
            "indexAxis": "y",
            "labels": [row["name"] for row in board.by_line],
            "datasets": [
                {"label": _("Engagement du public"), "data": [r["public"] for r in board.by_line]}
            ],
        },
        "chart-clicks": {
            "type": "bar",
            "labels": [row["name"] for row in board.clicks_by_network],
            "datasets": [
                {"label": _("Clics"), "data": [r["clicks"] for r in board.clicks_by_network]}
            ],
        },
        "chart-channels": {
            "type": "bar",
            "indexAxis": "y",
            "labels": [row["name"] for row in board.channels],
            "datasets": [{"label": _("Réponses"), "data": [r["answers"] for r in board.channels]}],
        },
    }
