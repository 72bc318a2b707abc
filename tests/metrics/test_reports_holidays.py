"""The monthly report waits for the first working day that is not a public holiday
(French calendar from the `holidays` package; Alsace-Moselle's extra days with
PUBLIC_HOLIDAYS=FR-57 or FR-6AE)."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail

from libraries.models import Role
from libraries.public_holidays import check_region, is_public_holiday
from metrics.reports import monthly_reports_send_due, report_month
from tests.factories import member

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
WEEKDAYS = {str(d): [["09:00", "12:30"], ["13:30", "17:00"]] for d in range(5)} | {
    "5": [],
    "6": [],
}


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def weekdays(network):
    network.a.working_hours = WEEKDAYS
    network.a.save()
    return network.a


@pytest.mark.parametrize(
    ("now", "due"),
    [
        # 1 January 2026 is a Thursday: the report waits for Friday 2.
        (paris(2026, 1, 1, 8), paris(2026, 1, 2, 9)),
        # Easter Monday on 1 April 2024: Tuesday 2.
        (paris(2024, 4, 1, 8), paris(2024, 4, 2, 9)),
        # 1 May 2026 is a Friday: Monday 4.
        (paris(2026, 5, 1, 8), paris(2026, 5, 4, 9)),
        # 1 November 2026 is a Sunday: Monday 2 is an ordinary working day.
        (paris(2026, 11, 1, 8), paris(2026, 11, 2, 9)),
        # An ordinary month: the 1st.
        (paris(2026, 6, 1, 8), paris(2026, 6, 1, 9)),
    ],
)
def test_due_on_the_first_working_day_that_is_not_a_holiday(weekdays, now, due):
    _month, when = report_month(library=weekdays, now=now)
    assert when == due


def test_alsace_moselle_also_rests_on_good_friday(network, settings):
    # A team at work on Fridays only; 3 April 2026 is Good Friday.
    network.a.working_hours = {str(d): [] for d in range(7)} | {"4": [["09:00", "17:00"]]}
    network.a.save()
    now = paris(2026, 4, 1, 8)

    assert report_month(library=network.a, now=now)[1] == paris(2026, 4, 3, 9)
    settings.PUBLIC_HOLIDAYS = "FR-57"
    assert report_month(library=network.a, now=now)[1] == paris(2026, 4, 10, 9)
    assert is_public_holiday(dt.date(2026, 12, 26))
    settings.PUBLIC_HOLIDAYS = "FR"
    assert not is_public_holiday(dt.date(2026, 12, 26))


def test_every_french_public_holiday_of_a_year():
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    assert [day for day in days if is_public_holiday(day, region="FR")] == [
        dt.date(2027, 1, 1),
        dt.date(2027, 3, 29),  # Easter Monday
        dt.date(2027, 5, 1),
        dt.date(2027, 5, 6),  # Ascension
        dt.date(2027, 5, 8),
        dt.date(2027, 5, 17),  # Whit Monday
        dt.date(2027, 7, 14),
        dt.date(2027, 8, 15),
        dt.date(2027, 11, 1),
        dt.date(2027, 11, 11),
        dt.date(2027, 12, 25),
    ]
    alsace = {day for day in days if is_public_holiday(day, region="FR-6AE")}
    assert alsace - {day for day in days if is_public_holiday(day, region="FR")} == {
        dt.date(2027, 3, 26),  # Good Friday
        dt.date(2027, 12, 26),
    }


def test_no_report_on_new_year_s_day(network):
    # Default hours, Tuesday to Saturday: Friday 1 January 2027 is off, Saturday 2 is not.
    member(network.a, Role.VALIDATOR, username="valideuse")

    assert monthly_reports_send_due(now=paris(2027, 1, 1, 10)) == 0
    assert monthly_reports_send_due(now=paris(2027, 1, 2, 9, 5)) == 1
    assert "décembre 2026" in mail.outbox[0].subject


def test_an_unknown_calendar_is_refused():
    check_region("FR-57")
    with pytest.raises(ValueError, match="FR-99"):
        check_region("FR-99")
