"""CSV of everything the dashboard shows (also attached to the monthly report).

One file, one block per part of the page, separated by an empty line; UTF-8 with a BOM
and ";" like the calendar's export, so spreadsheet software opens it as is; text typed
by people is neutralised against formulas (CSV injection)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from metrics.dashboard import Dashboard

FIGURE_COLUMNS = ("publications", "public", "likes", "shares", "replies", "colleagues")


def _cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _figure_headers() -> list[str]:
    return [
        _("Publications"),
        _("Engagement du public"),
        _("Mentions j'aime du public"),
        _("Partages du public"),
        _("Réponses"),
        _("Collègues (mentions j'aime et partages)"),
        _("Vues"),
    ]


def _figures(row: dict) -> list:
    return [row.get(key, 0) for key in FIGURE_COLUMNS] + [row.get("impressions")]


def dashboard_csv(board: Dashboard) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def block(title: str, headers: list[str], rows: list[list]) -> None:
        writer.writerow([title])
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_cell(value) for value in row])
        writer.writerow([])

    period, tz = board.period, board.period.tz
    previous = period.previous
    writer.writerow(
        [_("Période"), period.first_day.isoformat(), period.last_day.isoformat(), tz.key]
    )
    writer.writerow(
        [_("Période précédente"), previous.first_day.isoformat(), previous.last_day.isoformat()]
    )
    for what, which in board.filters.labels if board.filters else ():
        writer.writerow([_cell(what), _cell(which)])  # the dashboard's filters
    writer.writerow([])
    labels = {
        "publications": _("Publications"),
        "public": _("Engagement du public"),
        "colleagues": _("Engagement des collègues"),
        "impressions": _("Vues"),
        "clicks": _("Clics"),
        "attendance": _("Participants aux événements"),
    }
    block(
        _("Chiffres clés"),
        [_("Indicateur"), _("Période"), _("Période précédente"), _("Évolution (%)")],
        [
            [
                label,
                board.totals.get(key),
                board.previous.get(key, ""),
                round(board.changes[key] * 100) if board.changes.get(key) is not None else "",
            ]
            for key, label in labels.items()
        ],
    )
    block(
        _("Par réseau"),
        [_("Réseau"), *_figure_headers()],
        [[row["name"], *_figures(row)] for row in board.by_network],
    )
    block(
        _("Par compte"),
        [_("Compte"), _("Réseau"), *_figure_headers()],
        [[row["name"], row["network_name"], *_figures(row)] for row in board.by_account],
    )
    block(
        _("Par ligne éditoriale"),
        [_("Ligne éditoriale"), *_figure_headers()],
        [[row["name"], *_figures(row)] for row in board.by_line],
    )
    timeline = board.timeline
    block(
        _("Engagement du public dans le temps"),
        [
            _("Semaine du") if timeline["weekly"] else _("Jour"),
            *[name for _k, name, _v in timeline["networks"]],
            _("Total"),
        ],
        [
            [day.isoformat(), *[values[i] for _k, _n, values in timeline["networks"]], total]
            for i, (day, total) in enumerate(
                zip(timeline["labels"], timeline["totals"], strict=True)
            )
        ],
    )
    block(
        _("Jour et heure de publication"),
        [_("Jour"), _("Heure"), _("Publications"), _("Engagement moyen du public")],
        [
            [str(day["label"]), f"{cell['hour']:02d}:00", cell["n"], round(cell["avg"], 1)]
            for day in board.heatmap
            for cell in day["cells"]
            if cell["n"]
        ],
    )
    block(
        _("Meilleures publications"),
        [
            _("Titre"),
            _("Bibliothèque"),
            _("Publiée le"),
            _("Réseaux"),
            _("Engagement du public"),
            _("Collègues"),
        ],
        [
            [
                row["post__title"],
                row["post__library__name"],
                row["published"].astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                ", ".join(row["networks"]),
                row["public"],
                row["colleagues"],
            ]
            for row in board.top_posts
        ],
    )
    block(
        _("Clics par réseau"),
        [_("Réseau"), _("Clics")],
        [[row["name"], row["clicks"]] for row in board.clicks_by_network],
    )
    block(
        _("Événements"),
        [_("Événement"), _("Date"), _("Lieu"), _("Jauge"), _("Participants"), _("Réponses")],
        [
            [
                event["title"],
                event["starts_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                event["place"],
                event["capacity"],
                event["attendance"],
                event["answer_count"],
            ]
            for event in board.events
        ],
    )
    block(
        _("Comment le public a connu les événements"),
        [_("Canal"), _("Réponses"), _("Part (%)")],
        [[row["name"], row["answers"], round(row["share"] * 100)] for row in board.channels],
    )
    locations = board.locations or {}
    if locations.get("rows"):
        labels = [str(label) for label in locations["labels"].values()]
        keys = list(locations["labels"])
        block(
            _("Fiches Google (Google Business Profile)"),
            [_("Établissement"), *labels],
            [[row["name"], *(row[key] for key in keys)] for row in locations["rows"]],
        )
        block(
            _("Fiches Google : chaque jour, toutes fiches confondues"),
            [_("Jour"), *labels],
            [
                [day.isoformat(), *(figures[key] for key in keys)]
                for day, figures in locations["days"]
            ],
        )
    return out.getvalue()
