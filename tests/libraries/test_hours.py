import datetime as dt
import zoneinfo

import pytest

from libraries.hours import (
    DEFAULT_WORKING_HOURS,
    is_working_time,
    next_working_start,
    parse_day,
    parse_working_hours,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HOURS = {str(day): spans for day, spans in DEFAULT_WORKING_HOURS.items()}  # Tuesday–Saturday


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (paris(2026, 11, 24, 10, 0), paris(2026, 11, 24, 10, 0)),  # Tuesday 10:00: now
        (paris(2026, 11, 24, 12, 45), paris(2026, 11, 24, 13, 30)),  # lunch break
        (paris(2026, 11, 24, 19, 0), paris(2026, 11, 25, 9, 0)),  # evening → next morning
        (paris(2026, 11, 28, 17, 30), paris(2026, 12, 1, 9, 0)),  # Saturday evening → Tuesday
        (paris(2026, 11, 29, 23, 0), paris(2026, 12, 1, 9, 0)),  # Sunday night → Tuesday
    ],
)
def test_next_working_start(when, expected):
    assert next_working_start(HOURS, PARIS, when) == expected


def test_next_working_start_keeps_local_time_across_dst_change():
    # Clocks go back on Sunday 25 October 2026; Tuesday 09:00 is still 09:00 in Paris,
    # which is 08:00 UTC (it was 07:00 UTC the week before).
    start = next_working_start(HOURS, PARIS, paris(2026, 10, 24, 18, 0))
    assert start == paris(2026, 10, 27, 9, 0)
    assert start.astimezone(dt.UTC).hour == 8


def test_is_working_time_uses_the_library_timezone():
    tuesday_0830_utc = dt.datetime(2026, 11, 24, 8, 30, tzinfo=dt.UTC)  # 09:30 in Paris
    assert is_working_time(HOURS, PARIS, tuesday_0830_utc)
    assert not is_working_time(HOURS, zoneinfo.ZoneInfo("America/Cayenne"), tuesday_0830_utc)


def test_no_working_hours_means_no_start():
    assert (
        next_working_start({str(d): [] for d in range(7)}, PARIS, paris(2026, 11, 24, 10)) is None
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00-26:00", "n'est pas une heure"),
        ("10:00-09:00", "finit avant de commencer"),
        ("matin", "écrivez une plage"),
    ],
)
def test_bad_working_hours_are_explained(text, message):
    with pytest.raises(ValueError, match=message):
        parse_working_hours({"1": parse_day(text)})


def test_hours_typed_the_french_way_are_understood():
    assert parse_day("9h-12h30, 14h-18h") == [("09:00", "12:30"), ("14:00", "18:00")]


def test_overlapping_spans_are_refused():
    with pytest.raises(ValueError, match="chevauchent"):
        parse_working_hours({"1": [("09:00", "12:00"), ("11:00", "13:00")]})
