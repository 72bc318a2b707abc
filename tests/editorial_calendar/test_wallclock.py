"""WallClock: UTC instants as the database gives them, to a library's wall-clock time,
exactly as zoneinfo would convert them, DST changes and odd offsets included."""

import datetime as dt
import zoneinfo

import pytest

from editorial_calendar.timeutil import WallClock


def by_zoneinfo(utc: dt.datetime, tz: zoneinfo.ZoneInfo) -> tuple[str, dt.date]:
    local = utc.astimezone(tz)
    return local.isoformat(timespec="seconds")[:19], local.date()


@pytest.mark.parametrize(
    "zone, day",
    [
        ("Europe/Paris", dt.date(2026, 3, 29)),  # spring forward at 01:00 UTC
        ("Europe/Paris", dt.date(2026, 10, 25)),  # fall back
        ("America/St_Johns", dt.date(2026, 3, 8)),  # UTC-03:30, changes at 05:30 UTC
        ("Australia/Lord_Howe", dt.date(2026, 4, 4)),  # a 30-minute DST change
        ("Asia/Kolkata", dt.date(2026, 3, 29)),  # UTC+05:30
        ("Pacific/Noumea", dt.date(2026, 3, 29)),  # a French territory far from UTC
    ],
)
def test_every_minute_of_a_changing_day_matches_zoneinfo(zone, day):
    tz = zoneinfo.ZoneInfo(zone)
    clock = WallClock(tz)
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    for minute in range(0, 3 * 24 * 60, 7):
        utc = start + dt.timedelta(minutes=minute, seconds=minute % 60)
        text = utc.strftime("%Y-%m-%d %H:%M:%S")
        assert clock.local(text) == by_zoneinfo(utc, tz), text


def test_the_texts_of_sqlite_and_postgresql_and_datetimes_give_the_same_time():
    tz = zoneinfo.ZoneInfo("Europe/Paris")
    clock = WallClock(tz)
    expected = ("2026-03-29T09:05:07", dt.date(2026, 3, 29))

    assert clock.local("2026-03-29 07:05:07") == expected  # SQLite
    assert clock.local("2026-03-29 07:05:07.250000") == expected  # SQLite, fractions
    assert clock.local("2026-03-29 07:05:07+00") == expected  # PostgreSQL
    assert clock.local("2026-03-29 07:05:07.25+00") == expected
    assert clock.local(dt.datetime(2026, 3, 29, 7, 5, 7, tzinfo=dt.UTC)) == expected


def test_the_local_day_follows_the_offset_across_midnight():
    clock = WallClock(zoneinfo.ZoneInfo("Europe/Paris"))

    assert clock.local("2026-03-09 23:30:00") == ("2026-03-10T00:30:00", dt.date(2026, 3, 10))
    assert clock.local("2026-12-31 23:00:00") == ("2027-01-01T00:00:00", dt.date(2027, 1, 1))
