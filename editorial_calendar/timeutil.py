"""Dates as the calendar speaks them: wall-clock times of a library's timezone.

FullCalendar runs with the library's named timezone and no timezone plugin, so
it sends and expects ISO strings *without* offset, meaning "this wall-clock
time in the library's timezone". Everything stored is UTC. A post at 09:00
stays at 09:00 local across DST because the conversion goes through zoneinfo
for that very date, never through a fixed offset.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _

# Far enough for any editorial plan, near enough to refuse typing accidents
# (year 20266) and to keep date arithmetic away from datetime's limits.
MIN_YEAR = 2000
MAX_YEAR = 2100


class BadDate(ValueError):
    """A date or time the user (or a client) sent that cannot be used; the message says why."""


def _check_year(value: dt.date) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise BadDate(
            _("La date %(value)s est hors des limites (%(min)s–%(max)s).")
            % {"value": value.isoformat(), "min": MIN_YEAR, "max": MAX_YEAR}
        )


def parse_timezone(name: str | None, default: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    if not name:
        return default
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise BadDate(_("Fuseau horaire inconnu : %(name)s.") % {"name": name[:64]}) from exc


def parse_instant(text: str | None, tz: zoneinfo.ZoneInfo, *, field: str = "") -> dt.datetime:
    """An aware UTC datetime from "2026-03-29", "2026-03-29T09:00[:00]" (wall time of `tz`)
    or an ISO string with an offset ("…Z", "…+02:00"), which is honoured as given."""
    text = (text or "").strip()
    label = field or _("date")
    if not text:
        raise BadDate(_("Indiquez une %(field)s.") % {"field": label})
    if len(text) > 40:
        raise BadDate(_("%(field)s illisible.") % {"field": label.capitalize()})
    try:
        if len(text) == 10:
            value = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        else:
            value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise BadDate(
            _("%(field)s illisible : « %(text)s » (format attendu : 2026-03-29T09:00).")
            % {"field": label.capitalize(), "text": text}
        ) from exc
    _check_year(value.date())
    if value.tzinfo is None:
        value = local_to_utc(value, tz)
    return value.astimezone(dt.UTC)


def local_to_utc(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A naive wall-clock time of `tz` as an aware UTC datetime.

    A time in the spring-forward gap (02:30 in Paris on the last Sunday of
    March) does not exist; zoneinfo reads it with the offset before the change
    and the round trip through UTC gives the real instant (03:30 local).
    """
    return wall.replace(tzinfo=tz).astimezone(dt.UTC)


def at_local(day: dt.date, time: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, time), tz)


def wall_iso(instant: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    """The wall-clock time of `tz` as an ISO string without offset (what FullCalendar expects)."""
    return instant.astimezone(tz).isoformat(timespec="seconds")[:19]


def parse_range(
    start: str | None, end: str | None, tz: zoneinfo.ZoneInfo, *, max_days: int = 100
) -> tuple[dt.datetime, dt.datetime]:
    """The visible range of a calendar view, as aware UTC datetimes [start, end)."""
    begin = parse_instant(start, tz, field=_("date de début"))
    finish = parse_instant(end, tz, field=_("date de fin"))
    if finish <= begin:
        raise BadDate(_("La fin de la période doit être après son début."))
    if finish - begin > dt.timedelta(days=max_days):
        raise BadDate(_("Période trop longue : %(days)s jours au plus.") % {"days": max_days})
    return begin, finish


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """ "2026-03" → date(2026, 3, 1); empty → the current month."""
    if not text:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.strip().split("-")[:2])
        value = dt.date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise BadDate(
            _("Mois illisible : « %(text)s » (format attendu : 2026-03).") % {"text": text[:20]}
        ) from exc
    _check_year(value)
    return value


def month_bounds(month: dt.date, tz: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of the month, first instant of the next month) in UTC."""
    following = next_month(month)
    return at_local(month, dt.time(), tz), at_local(following, dt.time(), tz)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def tz_label(tz: zoneinfo.ZoneInfo, when: dt.datetime) -> str:
    """ "Europe/Paris, UTC+01:00" for the moment `when` (the offset changes with DST)."""
    offset = when.astimezone(tz).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{tz.key}, UTC{sign}{hours:02d}:{rest:02d}"


class WallClock:
    """UTC instants, as the database gives them, to wall-clock time of one timezone.

    The events of a month are thousands of instants but a few dozen distinct UTC
    days, and converting each through zoneinfo and isoformat() was a tenth of the
    events endpoint's time with 5,000 posts (bench/calendar.py). So zoneinfo is asked
    the offset at the start and the end of each UTC day (DST is honoured: a day in
    which it changes, or an offset that is not whole hours, takes the slow path), the
    hour is shifted by it once per UTC hour, and the minutes and seconds are copied
    from the text. A value that is not "YYYY-MM-DD HH:MM:SS…" text also takes the
    slow path through zoneinfo.
    """

    def __init__(self, tz: zoneinfo.ZoneInfo) -> None:
        self.tz = tz
        self._days: dict[str, dt.datetime | None] = {}
        self._hours: dict[str, tuple[str, dt.date] | None] = {}

    def local(self, utc: str | dt.datetime) -> tuple[str, dt.date]:
        """("2026-03-29T09:00:00", date(2026, 3, 29)) for the instant `utc`: text in UTC
        as SQLite and PostgreSQL cast it ("2026-03-29 07:00:00[.ffffff][+00]"), or an
        aware datetime."""
        if isinstance(utc, str):
            key = utc[:13]
            try:
                hour = self._hours[key]
            except KeyError:
                hour = self._hours[key] = self._hour(key) if utc[13:14] == ":" else None
            if hour is not None:
                return hour[0] + utc[13:19], hour[1]
            utc = dt.datetime.fromisoformat(utc)
            if utc.tzinfo is None:
                utc = utc.replace(tzinfo=dt.UTC)
        local = utc.astimezone(self.tz)
        return local.isoformat(timespec="seconds")[:19], local.date()

    def _hour(self, key: str) -> tuple[str, dt.date] | None:
        """The local "YYYY-MM-DDTHH" and date of the UTC hour `key` ("YYYY-MM-DD HH")."""
        day = key[:10]
        if day not in self._days:
            self._days[day] = self._local_midnight(day)
        midnight = self._days[day]
        if midnight is None or not key[11:13].isdigit():
            return None
        local = midnight + dt.timedelta(hours=int(key[11:13]))
        return local.isoformat()[:13], local.date()

    def _local_midnight(self, day: str) -> dt.datetime | None:
        """The wall-clock time of 00:00 UTC on `day`, when the offset holds all day."""
        try:
            start = dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")
        except ValueError:
            return None
        offset = start.astimezone(self.tz).utcoffset()
        last = (start + dt.timedelta(hours=23, minutes=59, seconds=59)).astimezone(self.tz)
        if offset is None or offset != last.utcoffset() or offset % dt.timedelta(hours=1):
            return None
        return (start + offset).replace(tzinfo=None)
