"""Public holidays: days off even when they fall on a working weekday.

The dates come from the `holidays` package (maintained calendars, Easter-based feasts
computed there): for France 1 January, Easter Monday, 1 and 8 May, Ascension, Whit
Monday, 14 July, 15 August, 1 and 11 November, 25 December; Alsace (`FR-6AE`) and
Moselle (`FR-57`) add Good Friday and 26 December. Libraries have no country or
region of their own yet: the calendar is the deployment's, PUBLIC_HOLIDAYS ("FR" by
default; "FR-57", "FR-6AE", "FR-974"… for a subdivision, as the package names them).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

import holidays
from django.conf import settings

from libraries.hours import next_working_start


@lru_cache(maxsize=32)
def _calendar(region: str, year: int) -> frozenset[dt.date]:
    country, _, subdivision = region.partition("-")
    days = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(days)


def is_public_holiday(day: dt.date, *, region: str | None = None) -> bool:
    return day in _calendar(region or settings.PUBLIC_HOLIDAYS, day.year)


def check_region(region: str) -> None:
    """Raise ValueError (at startup) for a calendar the package does not know."""
    country, _, subdivision = region.partition("-")
    try:
        holidays.country_holidays(country, subdiv=subdivision or None, years=2000)
    except NotImplementedError as exc:
        raise ValueError(f"PUBLIC_HOLIDAYS: « {region} » is not a known calendar") from exc


def next_working_day_start(
    hours: dict, tz: zoneinfo.ZoneInfo, after: dt.datetime, *, region: str | None = None
) -> dt.datetime | None:
    """The first moment at or after `after` inside working hours on a day that is not a
    public holiday (libraries.hours.next_working_start, holidays skipped). None when
    the library has no working hours at all."""
    moment = after
    for _attempt in range(30):  # at most a few holidays in a row (Christmas, Easter)
        found = next_working_start(hours, tz, moment)
        if found is None:
            return None
        day = found.astimezone(tz).date()
        if not is_public_holiday(day, region=region):
            return found
        moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return None
