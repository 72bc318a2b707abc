"""The events of a calendar range as FullCalendar reads them (JSON).

Posts are timed events at the library's wall-clock time; notable dates, days
over a daily cap and weeks without posts are background events. Built from
the selectors' rows without any query.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _

from editorial_calendar.badges import (
    DEFAULT_LINE_COLOUR,
    STATE_SYMBOLS,
    network_badge,
    network_name,
    text_colour_for,
)
from editorial_calendar.rules import move_refusal
from editorial_calendar.selectors import CapWarning, Gap, Occurrence, PostRow
from editorial_calendar.timeutil import wall_iso
from libraries.selectors import Access
from posts.models import PostState


def post_events(
    rows: list[PostRow], *, tz: zoneinfo.ZoneInfo, access: Access, user, home_id: int
) -> list[dict]:
    """Posts as timed events. Kept lean (a month of a large network is thousands of
    events): the page knows the URL pattern and the state labels and symbols."""
    text_colours: dict[str, str] = {}
    badges: dict[tuple, list] = {}
    refusals: dict[tuple, str | None] = {}
    events = []
    user_id = user.pk  # request.user is a lazy object: read it once, not per post
    for row in rows:
        colour = row.line_colour or DEFAULT_LINE_COLOUR
        if colour not in text_colours:
            text_colours[colour] = text_colour_for(colour)
        targets = tuple(row.targets)
        if targets not in badges:
            badges[targets] = [
                [network_badge(network), account or network_name(network)]
                for network, _account_id, account in targets
            ]
        # The reason depends only on these three: compute it once per combination.
        key = (row.library_id, row.author_id == user_id, row.state)
        if key not in refusals:
            refusals[key] = move_refusal(
                access, user, library_id=row.library_id, author_id=row.author_id, state=row.state
            )
        refusal = refusals[key]
        events.append(
            {
                "id": f"post-{row.id}",
                "title": row.title,
                "start": (
                    row.local.isoformat(timespec="seconds")[:19]
                    if row.local is not None and row.local.tzinfo == tz
                    else wall_iso(row.scheduled_at, tz)
                ),
                "color": colour,
                "textColor": text_colours[colour],
                "classNames": [f"state-{row.state}"],
                "extendedProps": {
                    "kind": "post",
                    "postId": row.id,
                    "state": row.state,
                    "line": row.line_name or "",
                    "networks": badges[targets],
                    "author": row.author_name,
                    "library": "" if row.library_id == home_id else row.library_name,
                    "refusal": refusal or "",
                },
            }
        )
    return events


def page_config_states() -> dict:
    """State labels and symbols, sent once with the page rather than with every event."""
    return {
        value: {"label": str(label), "symbol": STATE_SYMBOLS.get(value, "")}
        for value, label in PostState.choices
    }


def _background(event_id: str, title: str, start: dt.date, end: dt.date, classes: list[str]):
    return {
        "id": event_id,
        "title": title,
        "start": start.isoformat(),
        "end": (end + dt.timedelta(days=1)).isoformat(),
        "allDay": True,
        "display": "background",
        "classNames": classes,
        "extendedProps": {"kind": classes[0]},
    }


def background_events(
    occurrences: list[Occurrence], warnings: list[CapWarning], gaps: list[Gap]
) -> list[dict]:
    events = []
    for occurrence in occurrences:
        item = occurrence.date
        title = (
            item.title
            if not occurrence.library_name
            else f"{item.title} ({occurrence.library_name})"
        )
        events.append(
            _background(
                f"date-{item.pk}-{occurrence.start.isoformat()}",
                title,
                occurrence.start,
                occurrence.end,
                ["notable", f"notable-{item.kind}"],
            )
        )
    for warning in warnings:
        events.append(
            _background(
                f"cap-{warning.day.isoformat()}-{warning.label}",
                _("⚠ %(label)s : %(count)s publications (%(cap)s au plus)")
                % {"label": warning.label, "count": warning.count, "cap": warning.cap},
                warning.day,
                warning.day,
                ["over-cap"],
            )
        )
    # One band per week, naming every channel left without a post that week.
    weeks: dict[dt.date, list[str]] = {}
    for gap in gaps:
        weeks.setdefault(gap.week_start, []).append(gap.label)
    for week, labels in sorted(weeks.items()):
        events.append(
            _background(
                f"gap-{week.isoformat()}",
                _("Semaine sans publication : %(labels)s") % {"labels": ", ".join(labels)},
                week,
                week + dt.timedelta(days=6),
                ["gap"],
            )
        )
    return events
