"""Working hours: when a library's staff are at work.

Notifications to staff wait for these hours (the right to disconnect); posts go
out whenever they are scheduled. Pure functions, no ORM.

Stored form (JSON): {"0": [["09:00", "12:30"], ["13:30", "18:00"]], ..., "6": []}
with 0 = Monday. Times are local wall-clock times of the library's timezone, so
09:00 stays 09:00 across DST changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zoneinfo

from django.utils.translation import gettext as _

Span = tuple[dt.time, dt.time]

DEFAULT_WORKING_HOURS: dict[str, list[tuple[str, str]]] = {
    # A typical médiathèque team: Tuesday to Saturday.
    "0": [],
    "1": [("09:00", "12:30"), ("13:30", "18:00")],
    "2": [("09:00", "12:30"), ("13:30", "18:00")],
    "3": [("09:00", "12:30"), ("13:30", "18:00")],
    "4": [("09:00", "12:30"), ("13:30", "18:00")],
    "5": [("09:00", "12:30"), ("13:30", "17:00")],
    "6": [],
}

# "09:30", "9h30", "9h" and "9" are all accepted: people type hours the French way.
_TIME = re.compile(r"^([01]?\d|2[0-3])(?:[:hH]([0-5]\d)?)?$")


def _parse_time(text: str) -> dt.time:
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(_("« %(text)s » n'est pas une heure (exemple : 09:30).") % {"text": text})
    return dt.time(int(match.group(1)), int(match.group(2) or 0))


def parse_working_hours(value: dict) -> dict[int, list[Span]]:
    """Validate the stored form and return {weekday: [(start, end), ...]} sorted."""
    if not isinstance(value, dict):
        raise ValueError(_("Les heures de travail doivent être données jour par jour."))
    result: dict[int, list[Span]] = {day: [] for day in range(7)}
    for key, spans in value.items():
        if str(key) not in {str(d) for d in range(7)}:
            raise ValueError(_("Jour inconnu : %(key)s.") % {"key": key})
        parsed = sorted((_parse_time(start), _parse_time(end)) for start, end in spans)
        for start, end in parsed:
            if end <= start:
                raise ValueError(
                    _("La plage %(start)s–%(end)s finit avant de commencer.")
                    % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
                )
        for (_s1, e1), (s2, _e2) in itertools.pairwise(parsed):
            if s2 < e1:
                raise ValueError(_("Deux plages horaires se chevauchent."))
        result[int(key)] = parsed
    return result


def format_day(spans: list[Span]) -> str:
    return ", ".join(f"{s.strftime('%H:%M')}-{e.strftime('%H:%M')}" for s, e in spans)


def parse_day(text: str) -> list[tuple[str, str]]:
    """Parse "09:00-12:30, 13:30-18:00" (empty: not working that day)."""
    spans = []
    for chunk in filter(None, (part.strip() for part in text.split(","))):
        if "-" not in chunk:
            raise ValueError(
                _("« %(chunk)s » : écrivez une plage comme 09:00-12:30.") % {"chunk": chunk}
            )
        start, end = (part.strip() for part in chunk.split("-", 1))
        spans.append((_parse_time(start).strftime("%H:%M"), _parse_time(end).strftime("%H:%M")))
    return spans


def _local(when: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    if when.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return when.astimezone(tz)


def is_working_time(hours: dict, tz: zoneinfo.ZoneInfo, when: dt.datetime) -> bool:
    local = _local(when, tz)
    spans = parse_working_hours(hours)[local.weekday()]
    return any(start <= local.time() < end for start, end in spans)


def next_working_start(
    hours: dict, tz: zoneinfo.ZoneInfo, after: dt.datetime
) -> dt.datetime | None:
    """The first moment at or after `after` that falls in working hours (aware).

    Returns `after` itself when it is already within working hours, None when
    the library has no working hours at all.
    """
    table = parse_working_hours(hours)
    if not any(table.values()):
        return None
    local = _local(after, tz)
    for offset in range(8):
        day = local.date() + dt.timedelta(days=offset)
        for start, end in table[day.weekday()]:
            begin = dt.datetime.combine(day, start, tzinfo=tz)
            finish = dt.datetime.combine(day, end, tzinfo=tz)
            if offset == 0 and begin <= local < finish:
                return after
            if begin >= local:
                # Round-trip through UTC normalises a wall time that falls in a
                # DST gap (e.g. 02:30 on the spring change) to a real instant.
                return begin.astimezone(dt.UTC)
    return None
