"""The metrics panel of the post page (order 50): the post's own curve per network
(public engagement at each snapshot), with the same figures as a table."""

from __future__ import annotations

from django.utils.translation import gettext as _

from metrics.models import MetricSnapshot
from networks import NETWORK_CHOICES
from publishing.models import PublicationKind, PublicationState


def register() -> None:
    from posts.panels import register_panel

    register_panel(key="metrics", template="metrics/panel.html", context=panel_context, order=50)


def panel_context(request, post) -> dict | None:
    """None (no panel) until the post is published somewhere."""
    snapshots = list(
        MetricSnapshot.objects.filter(
            publication__post=post,
            publication__kind=PublicationKind.POST,
            publication__state=PublicationState.PUBLISHED,
        )
        .select_related("publication__account")
        .order_by("taken_at", "id")
    )
    if not snapshots:
        published = post.publications.filter(state=PublicationState.PUBLISHED).exists()
        return {"snapshots": [], "chart": None} if published else None
    names = dict(NETWORK_CHOICES)
    tz = post.library.tzinfo
    times = sorted({s.taken_at.astimezone(tz).strftime("%d/%m %H:%M") for s in snapshots})
    index = {label: i for i, label in enumerate(times)}
    series: dict[int, dict] = {}
    rows = []
    for snap in snapshots:
        publication = snap.publication
        label = (
            publication.account.display_name
            if publication.account
            else str(names.get(publication.network, publication.network))
        )
        public = snap.public_likes + snap.public_shares + snap.replies + snap.quotes
        line = series.setdefault(publication.pk, {"label": label, "data": [None] * len(times)})
        line["data"][index[snap.taken_at.astimezone(tz).strftime("%d/%m %H:%M")]] = public
        rows.append(
            {
                "taken_at": snap.taken_at,
                "account": label,
                "network": str(names.get(publication.network, publication.network)),
                "public": public,
                "colleagues": snap.colleague_likes + snap.colleague_shares,
                "likes": snap.likes,
                "shares": snap.shares,
                "replies": snap.replies,
                "clicks": snap.clicks,
            }
        )
    chart = {"type": "line", "labels": times, "datasets": list(series.values())}
    return {
        "snapshots": rows,
        "chart": chart,
        "chart_label": _("Graphique : engagement du public de cette publication, par réseau"),
    }
