"""The events of a calendar range as the page reads them (JSON).

Posts are timed events at the library's wall-clock time, sent compact (see
POST_COLUMNS) and expanded by the page; notable dates, days over a daily cap and
weeks without posts are background events, sent as FullCalendar reads them.
Built from the selectors' rows without any query.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from editorial_calendar.badges import (
    DEFAULT_LINE_COLOUR,
    PUBLICATION_SYMBOLS,
    STATE_SYMBOLS,
    network_badge,
    publication_state_choices,
    text_colour_for,
)
from editorial_calendar.rules import move_refusal
from editorial_calendar.selectors import CapWarning, Gap, Occurrence, PostRow, Target
from libraries.selectors import Access
from posts.models import PostState

# One row of scalars per post, in this order; what posts share is sent once, in lookup
# tables. static/js/calendar.js (expandPosts) turns each row back into a FullCalendar
# event. A month of a large network is thousands of posts: a dict per post and its copies
# of names and colours were most of the endpoint's time and of its 2 MB (bench/calendar.py).
POST_COLUMNS = ("id", "title", "start", "state", "line", "author", "library", "targets", "refusal")


def post_events(rows: list[PostRow], *, access: Access, user, home_id: int) -> dict:
    """Posts as the page reads them: {"columns", "rows", and the lookup tables "lines"
    (id -> name, colour, text colour), "authors" and "libraries" (id -> name; the current
    library is left out, as its posts need no label), "targets" (lists of the network
    badges of a post, each with its publication's state) and "refusals" (why a post
    cannot be moved; "" when it can)}."""
    lines: dict[int, dict] = {}
    authors: dict[int, str] = {}
    libraries: dict[int, str] = {}
    targets: dict[tuple, int] = {}
    refusals: dict[str, int] = {"": 0}
    by_case: dict[tuple, int] = {}
    out = []
    user_id = user.pk  # request.user is a lazy object: read it once, not per post
    for row in rows:
        if row.line_id is not None and row.line_id not in lines:
            colour = row.line_colour or DEFAULT_LINE_COLOUR
            lines[row.line_id] = {
                "name": row.line_name or "",
                "color": colour,
                "textColor": text_colour_for(colour),
            }
        if row.author_id not in authors:
            authors[row.author_id] = row.author_name
        if row.library_id not in libraries and row.library_id != home_id:
            libraries[row.library_id] = row.library_name
        target_index = targets.get(row.targets)
        if target_index is None:
            target_index = targets[row.targets] = len(targets)
        # The reason depends only on these three: compute it once per combination.
        case = (row.library_id, row.author_id == user_id, row.state)
        refusal = by_case.get(case)
        if refusal is None:
            reason = move_refusal(
                access, user, library_id=row.library_id, author_id=row.author_id, state=row.state
            )
            refusal = by_case[case] = refusals.setdefault(reason or "", len(refusals))
        # A tuple of plain values: the garbage collector stops tracking it at its first pass.
        out.append(
            (
                row.id,
                row.title,
                row.start,
                row.state,
                row.line_id,
                row.author_id,
                row.library_id,
                target_index,
                refusal,
            )
        )
    return {
        "columns": POST_COLUMNS,
        "rows": out,
        "lines": lines,
        "noLine": {
            "name": "",
            "color": DEFAULT_LINE_COLOUR,
            "textColor": text_colour_for(DEFAULT_LINE_COLOUR),
        },
        "authors": authors,
        "libraries": libraries,
        "targets": [[_badge(target) for target in combination] for combination in targets],
        "refusals": list(refusals),
    }


def _badge(target: Target) -> dict:
    return {
        "badge": network_badge(target.network),
        "name": target.label,
        "state": target.publication_state,
    }


def page_config_states() -> dict:
    """State labels and symbols, sent once with the page rather than with every event."""
    return {
        value: {"label": str(label), "symbol": STATE_SYMBOLS.get(value, "")}
        for value, label in PostState.choices
    }


def page_config_publication_states() -> dict:
    """The same for the state of a post on one account (a network badge's state)."""
    return {
        value: {"label": str(label), "symbol": PUBLICATION_SYMBOLS.get(value, "")}
        for value, label in publication_state_choices()
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
    over_cap = _("⚠ %(label)s : %(count)s publications (%(cap)s au plus)")
    for warning in warnings:
        events.append(
            _background(
                f"cap-{warning.day.isoformat()}-{warning.label}",
                over_cap % {"label": warning.label, "count": warning.count, "cap": warning.cap},
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
