"""The posting queue as pure functions: which weekly slot is the next free one.

A channel is where a post goes: an account, or a network while no account is
chosen. Each channel has weekly slots (wall-clock times of the library's
timezone) and a daily cap. "Add to queue" picks the earliest instant that is
a slot of *every* target of the post, that no other post already holds on any
of those channels, and on a day where no channel has reached its cap.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from editorial_calendar.timeutil import at_local

HORIZON_DAYS = 8 * 7


@dataclass(frozen=True, order=True)
class Channel:
    """An account, or a library's network while it has no account there."""

    network: str
    account_id: int | None = None
    library_id: int | None = None  # only for a network channel


def channel_of(network: str, account_id: int | None, library_id: int) -> Channel:
    if account_id is not None:
        return Channel(network, account_id)
    return Channel(network, None, library_id)


@dataclass(frozen=True)
class Occupancy:
    """What is already planned on a channel: exact instants taken and posts per local day."""

    taken: frozenset[dt.datetime]
    per_day: Counter

    @classmethod
    def from_instants(cls, instants: Iterable[dt.datetime], tz: zoneinfo.ZoneInfo) -> Occupancy:
        instants = [i.astimezone(dt.UTC) for i in instants]
        return cls(
            taken=frozenset(instants),
            per_day=Counter(i.astimezone(tz).date() for i in instants),
        )


EMPTY = Occupancy(taken=frozenset(), per_day=Counter())


def next_free_slot(
    *,
    slots: Mapping[Channel, Iterable[tuple[int, dt.time]]],
    occupancy: Mapping[Channel, Occupancy],
    caps: Mapping[Channel, int],
    tz: zoneinfo.ZoneInfo,
    after: dt.datetime,
    horizon_days: int = HORIZON_DAYS,
) -> dt.datetime | None:
    """The first instant strictly after `after` that is free on every channel, or None.

    `slots` maps each channel to its (weekday, time) pairs (0 = Monday).
    """
    if not slots:
        return None
    by_weekday: list[set[dt.time]] = []
    for weekday in range(7):
        common: set[dt.time] | None = None
        for channel_slots in slots.values():
            times = {time for day, time in channel_slots if day == weekday}
            common = times if common is None else common & times
        by_weekday.append(common or set())
    if not any(by_weekday):
        return None
    first_day = after.astimezone(tz).date()
    for offset in range(horizon_days + 1):
        day = first_day + dt.timedelta(days=offset)
        times = by_weekday[day.weekday()]
        if not times or _day_full(day, slots, occupancy, caps):
            continue
        for time in sorted(times):
            instant = at_local(day, time, tz)
            if instant <= after:
                continue
            if all(instant not in occupancy.get(ch, EMPTY).taken for ch in slots):
                return instant
    return None


def _day_full(day, slots, occupancy, caps) -> bool:
    return any(occupancy.get(ch, EMPTY).per_day[day] >= caps[ch] for ch in slots)


def over_cap_days(per_day: Mapping[dt.date, int], cap: int) -> list[tuple[dt.date, int]]:
    """Days where a channel has more posts than its cap, with their count."""
    return sorted((day, count) for day, count in per_day.items() if count > cap)
