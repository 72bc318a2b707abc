"""iCalendar in and out: notable dates (import/export) and the private feeds.

Reading is forgiving: a file is cut into its VEVENT blocks first, each block is
read on its own, and a broken block is skipped with its line number and the
reason, so one bad line never loses a whole file.

Feeds give post times in UTC ("…Z"), which Outlook, Thunderbird, Apple and
Google calendars all read without a VTIMEZONE block; X-WR-TIMEZONE names the
library's timezone for the applications that use it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from icalendar.prop import vRecur

from editorial_calendar.models import NotableKind

PRODID = "-//Annexe//Calendrier éditorial//FR"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
KIND_PROPERTY = "X-ANNEXE-KIND"
_KIND_WORDS = {
    NotableKind.CLOSURE: ("closure", "closed", "fermeture", "fermé", "ferme", "holiday", "férié"),
    NotableKind.EXHIBITION: ("exhibition", "exposition", "expo"),
    NotableKind.CULTURAL: ("cultural", "culture", "culturel", "festival", "fête", "national"),
}


@dataclass(frozen=True)
class ParsedDate:
    uid: str
    title: str
    start: dt.date
    end: dt.date  # inclusive
    yearly: bool
    kind: str
    description: str
    line: int


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str
    title: str = ""


@dataclass
class ImportResult:
    dates: list[ParsedDate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _unfolded(text: str) -> list[tuple[int, str]]:
    """Logical lines with the number of their first physical line (RFC 5545 §3.1)."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            first, previous = lines[-1]
            lines[-1] = (first, previous + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def parse_notable_dates(data: bytes, tz: zoneinfo.ZoneInfo) -> ImportResult:
    """Read the VEVENTs of an .ics file as notable dates; see the module docstring."""
    result = ImportResult()
    if len(data) > MAX_IMPORT_BYTES:
        result.skipped.append(Skipped(0, _("Fichier trop volumineux (2 Mo au plus).")))
        return result
    lines = _unfolded(_decode(data))
    if not any(line.strip().upper() == "BEGIN:VCALENDAR" for _n, line in lines):
        result.skipped.append(Skipped(1, _("Ce fichier n'est pas un calendrier iCal (.ics).")))
        return result
    block: list[tuple[int, str]] | None = None
    for number, line in lines:
        upper = line.strip().upper()
        if upper == "BEGIN:VEVENT":
            if block is not None:
                result.skipped.append(
                    Skipped(block[0][0], _("Événement non terminé (END:VEVENT manquant)."))
                )
            block = [(number, line)]
        elif upper == "END:VEVENT" and block is not None:
            block.append((number, line))
            _read_block(block, tz, result)
            block = None
        elif block is not None:
            block.append((number, line))
    if block is not None:
        result.skipped.append(
            Skipped(block[0][0], _("Événement non terminé (END:VEVENT manquant)."))
        )
    return result


def _read_block(block: list[tuple[int, str]], tz, result: ImportResult) -> None:
    first = block[0][0]
    line_of = {}
    for number, line in block:
        name = line.split(":", 1)[0].split(";", 1)[0].strip().upper()
        line_of.setdefault(name, number)
    broken = [(n, line) for n, line in block if ":" not in line]
    try:
        event = Event.from_ical("\r\n".join(line for _n, line in block if ":" in line))
    except (ValueError, KeyError) as exc:
        result.skipped.append(Skipped(first, _("Événement illisible : %(error)s") % {"error": exc}))
        return
    title = str(event.get("SUMMARY", "")).strip()
    errors = {str(name or "").upper(): message for name, message in event.errors}
    for essential in ("DTSTART", "DTEND", "SUMMARY", "RRULE", "DURATION"):
        if essential in errors:
            result.skipped.append(
                Skipped(
                    line_of.get(essential, first),
                    _("%(property)s illisible (%(error)s).")
                    % {"property": essential, "error": errors[essential]},
                    title,
                )
            )
            return
    if not title:
        result.skipped.append(Skipped(first, _("Événement sans titre (SUMMARY).")))
        return
    if "DTSTART" not in event:
        result.skipped.append(Skipped(first, _("Événement sans date de début (DTSTART)."), title))
        return
    start = _as_date(event["DTSTART"].dt, tz)
    end = _end_date(event, start, tz)
    yearly = False
    if "RRULE" in event:
        freq = [str(f).upper() for f in event["RRULE"].get("FREQ", [])]
        if freq != ["YEARLY"]:
            result.skipped.append(
                Skipped(
                    line_of.get("RRULE", first),
                    _("Seule la répétition annuelle est prise en charge (RRULE:FREQ=YEARLY)."),
                    title,
                )
            )
            return
        yearly = True
    problem = _check_dates(start, end)
    if problem:
        result.skipped.append(Skipped(line_of.get("DTSTART", first), problem, title))
        return
    for number, line in broken:
        result.skipped.append(
            Skipped(
                number, _("Ligne ignorée, illisible : « %(line)s ».") % {"line": line[:60]}, title
            )
        )
    result.dates.append(
        ParsedDate(
            uid=str(event.get("UID", "")).strip()[:255],
            title=title[:200],
            start=start,
            end=end,
            yearly=yearly,
            kind=_kind(event),
            description=str(event.get("DESCRIPTION", "")).strip(),
            line=first,
        )
    )


def _as_date(value, tz) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(tz).date()
    return value


def _end_date(event: Event, start: dt.date, tz) -> dt.date:
    """The last day (inclusive). DTEND of a date event is exclusive (RFC 5545)."""
    if "DTEND" in event:
        value = event["DTEND"].dt
        if isinstance(value, dt.datetime):
            return max(start, _as_date(value - dt.timedelta(seconds=1), tz))
        return max(start, value - dt.timedelta(days=1))
    if "DURATION" in event:
        days = event["DURATION"].dt.days
        return start + dt.timedelta(days=max(days - 1, 0))
    return start


def _check_dates(start: dt.date, end: dt.date) -> str | None:
    from editorial_calendar.timeutil import MAX_YEAR, MIN_YEAR

    if not (MIN_YEAR <= start.year <= MAX_YEAR and MIN_YEAR <= end.year <= MAX_YEAR):
        return _("Date hors des limites (%(min)s–%(max)s).") % {"min": MIN_YEAR, "max": MAX_YEAR}
    if (end - start).days > 366:
        return _("Événement de plus d'un an : ce n'est pas une date clé.")
    return None


def _kind(event: Event) -> str:
    explicit = str(event.get(KIND_PROPERTY, "")).strip().lower()
    if explicit in NotableKind.values:
        return explicit
    categories = event.get("CATEGORIES")
    words = []
    for item in categories if isinstance(categories, list) else [categories]:
        if item is not None:
            words += [str(cat).lower() for cat in getattr(item, "cats", [item])]
    for kind, keywords in _KIND_WORDS.items():
        if any(word in keywords for word in words):
            return kind
    return NotableKind.OTHER if words else NotableKind.CULTURAL


def _calendar(name: str, tz_name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz_name)
    return calendar


def notable_dates_ical(dates: Iterable, *, name: str, tz_name: str, host: str) -> bytes:
    """Notable dates as all-day events; yearly ones with RRULE:FREQ=YEARLY."""
    calendar = _calendar(name, tz_name)
    stamp = dt.datetime.now(dt.UTC)
    for item in dates:
        event = Event()
        event.add("uid", item.uid or f"notable-{item.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", item.start_date)
        event.add("dtend", item.end_date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [str(NotableKind(item.kind).label)])
        event.add(KIND_PROPERTY, item.kind)
        if item.description:
            event.add("description", item.description)
        if item.yearly:
            event.add("rrule", vRecur(freq="YEARLY"))
        calendar.add_component(event)
    return calendar.to_ical()


def feed_ical(
    *, posts: Iterable, occurrences: Iterable, name: str, tz_name: str, host: str, base_url: str
) -> bytes:
    """A subscription feed: posts as 15-minute events (UTC), notable dates as all-day events."""
    from editorial_calendar.badges import STATE_SYMBOLS
    from editorial_calendar.links import post_url_pattern
    from posts.models import PostState

    calendar = _calendar(name, tz_name)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = dt.datetime.now(dt.UTC)
    pattern = base_url.rstrip("/") + post_url_pattern()
    for row in posts:
        event = Event()
        event.add("uid", f"post-{row.id}@{host}")
        event.add("dtstamp", stamp)
        start = row.scheduled_at.astimezone(dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=15))
        state = PostState(row.state).label
        event.add("summary", f"{STATE_SYMBOLS.get(row.state, '')} {row.title}".strip())
        networks = ", ".join(target.text for target in row.targets)
        lines = [f"{_('État')} : {state}"]
        if networks:
            lines.append(f"{_('Destinations')} : {networks}")
        if row.line_name:
            lines.append(f"{_('Ligne éditoriale')} : {row.line_name}")
        lines.append(f"{_('Par')} : {row.author_name}")
        url = pattern.replace("{id}", str(row.id))
        lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for occurrence in occurrences:
        item = occurrence.date
        event = Event()
        event.add("uid", f"notable-{item.pk}-{occurrence.start.isoformat()}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", occurrence.start)
        event.add("dtend", occurrence.end + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [str(NotableKind(item.kind).label)])
        calendar.add_component(event)
    return calendar.to_ical()
