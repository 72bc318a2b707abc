"""Google Business Profile locations' own daily metrics (Performance API): fetched once
a day per connected location against the fake, stored one row per day and metric,
recent days read again, errors handled as the refresh does; shown on the dashboard."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from metrics import account_daily, tasks
from metrics.account_daily import account_daily_refresh_all, daily_networks
from metrics.beat import BEAT_SCHEDULE
from metrics.models import AccountDailyMetric
from publishing.models import AccountStatus, SocialAccount
from tests.factories import SocialAccountFactory, member

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 4, 23, tzinfo=dt.UTC)


def _location_id(account) -> str:
    return account.remote_id.rsplit("/", 1)[-1]


def _stored(account, metric):
    rows = AccountDailyMetric.objects.filter(account=account, metric=metric)
    return dict(rows.values_list("day", "value"))


def test_a_first_run_reads_thirty_days_one_request_per_location(location, fake_google_business):
    fake_google_business.set_daily_metrics(
        _location_id(location), BUSINESS_IMPRESSIONS_MOBILE_MAPS=40, CALL_CLICKS=2
    )

    outcomes = account_daily_refresh_all(now=NOW)

    assert outcomes == {"stored": 1}
    calls = fake_google_business.requests(
        f"/v1/locations/{_location_id(location)}:fetchMultiDailyMetricsTimeSeries"
    )
    assert len(calls) == 1  # every metric in one call
    maps = _stored(location, "BUSINESS_IMPRESSIONS_MOBILE_MAPS")
    # 30 days up to yesterday (today is not over), the library's days.
    assert min(maps) == dt.date(2026, 10, 21) and max(maps) == dt.date(2026, 11, 19)
    assert len(maps) == 30 and set(maps.values()) == {40}
    assert set(_stored(location, "WEBSITE_CLICKS").values()) == {0}  # left out: zero


def test_later_runs_read_the_last_week_again_and_keep_googles_corrections(
    location, fake_google_business
):
    location_id = _location_id(location)
    fake_google_business.set_daily_metrics(location_id, CALL_CLICKS=2)
    account_daily_refresh_all(now=NOW)
    fake_google_business.set_daily_values(location_id, "2026-11-15", CALL_CLICKS=9)
    fake_google_business.journal.clear()

    account_daily_refresh_all(now=NOW + dt.timedelta(days=1))

    (call,) = fake_google_business.requests(
        f"/v1/locations/{location_id}:fetchMultiDailyMetricsTimeSeries"
    )
    assert call.query["dailyRange.startDate.day"] == ["12"]  # 7 days before the 19th
    assert call.query["dailyRange.endDate.day"] == ["20"]
    calls = _stored(location, "CALL_CLICKS")
    assert calls[dt.date(2026, 11, 15)] == 9 and calls[dt.date(2026, 11, 20)] == 2
    assert AccountDailyMetric.objects.filter(account=location, day=dt.date(2026, 11, 15)).count()


def _another(location, name="Bis", location_id=None):
    remote_id = location.remote_id
    if location_id:
        remote_id = f"{remote_id.rsplit('/', 1)[0]}/{location_id}"
    return SocialAccount.objects.create(
        library=location.library,
        network="google_business",
        display_name=name,
        server_url=location.server_url,
        remote_id=remote_id,
        credentials=location.credentials,
    )


def _fetched(account, when):
    AccountDailyMetric.objects.create(
        account=account, day=when.date(), metric="CALL_CLICKS", value=1, fetched_at=when
    )


def test_a_refused_access_flags_the_location_and_a_quota_stops_the_run(
    location, fake_google_business, network
):
    second = _another(location)
    fake_google_business.inject_google_error(
        r"/v1/locations/\d+:fetchMultiDailyMetricsTimeSeries", 429, regex=True
    )

    with mock.patch.object(tasks.refresh_account_daily, "apply_async") as later:
        # the other waits for the resumption
        assert account_daily_refresh_all() == {"rate_limited": 1, "resumed": 2}
    later.assert_called_once()

    fake_google_business.inject_google_error(
        r"/v1/locations/\d+:fetchMultiDailyMetricsTimeSeries", 403, regex=True
    )
    assert account_daily_refresh_all(now=NOW) == {"needs_reconnect": 1, "stored": 1}
    statuses = {a.pk: a.status for a in SocialAccount.objects.all()}
    assert sorted(statuses.values()) == [AccountStatus.CONNECTED, AccountStatus.NEEDS_RECONNECT]
    assert second.pk in statuses


def test_the_least_recently_fetched_locations_go_first(location, fake_google_business):
    wazemmes = _another(location, "Wazemmes", "4000000002")
    never = _another(location, "Jamais lue", "4000000002")
    _fetched(location, NOW - dt.timedelta(days=1))
    _fetched(wazemmes, NOW - dt.timedelta(days=3))

    with mock.patch(
        "metrics.account_daily.account_daily_refresh", wraps=account_daily.account_daily_refresh
    ) as refresh:
        assert account_daily_refresh_all(now=NOW) == {"stored": 3}

    order = [c.kwargs["account"].pk for c in refresh.call_args_list]
    assert order == [never.pk, wazemmes.pk, location.pk]


def test_after_a_429_the_rest_resumes_when_the_quota_resets(location, fake_google_business):
    """Forty branches and a per-minute quota: the run stops at the 429 and a resumption
    of the accounts not done (the refused one first) is scheduled after Google's reset;
    the fake answers 429 once, then OK."""
    others = [_another(location, f"Annexe {n}", "4000000002") for n in range(3)]
    for account in others:
        _fetched(account, timezone.now() - dt.timedelta(days=1))  # these went first
    fake_google_business.inject_google_error(
        r"/v1/locations/\d+:fetchMultiDailyMetricsTimeSeries", 429, regex=True
    )

    with mock.patch.object(tasks.refresh_account_daily, "apply_async") as later:
        outcomes = account_daily_refresh_all()

    assert outcomes == {"rate_limited": 1, "resumed": 4}
    kwargs = later.call_args.kwargs
    assert kwargs["kwargs"]["account_ids"] == [location.pk] + [a.pk for a in others]
    assert kwargs["kwargs"]["resumption"] == 1
    assert 1 <= kwargs["countdown"] <= 62  # Google's quotas are per minute
    assert not AccountDailyMetric.objects.filter(account=location).exists()

    # when: the countdown is over (the task Celery would run)
    with mock.patch.object(tasks.refresh_account_daily, "apply_async") as again:
        assert tasks.refresh_account_daily(**kwargs["kwargs"]) == {"stored": 4}
    again.assert_not_called()
    assert AccountDailyMetric.objects.filter(account=location).exists()


def test_a_reset_too_far_or_too_many_resumptions_leave_the_rest_to_the_next_day(
    location, fake_google_business, settings
):
    pattern = r"/v1/locations/\d+:fetchMultiDailyMetricsTimeSeries"
    settings.METRICS_ACCOUNT_DAILY_MAX_WAIT = 0  # any wait is too long (at least 1 s)
    fake_google_business.inject_google_error(pattern, 429, regex=True)
    with mock.patch.object(tasks.refresh_account_daily, "apply_async") as later:
        assert account_daily_refresh_all() == {"rate_limited": 1}
    later.assert_not_called()

    settings.METRICS_ACCOUNT_DAILY_MAX_WAIT = 3000
    fake_google_business.inject_google_error(pattern, 429, regex=True)
    with mock.patch.object(tasks.refresh_account_daily, "apply_async") as later:
        assert account_daily_refresh_all(resumption=settings.METRICS_ACCOUNT_DAILY_RESUMES) == {
            "rate_limited": 1
        }
    later.assert_not_called()


def test_only_networks_with_account_metrics_and_a_daily_beat():
    assert daily_networks() == ("google_business",)
    assert BEAT_SCHEDULE["metrics-refresh-account-daily"]["task"] == "metrics.refresh_account_daily"


def test_the_dashboard_shows_the_libraries_locations_only(client, network):
    mine = SocialAccountFactory(
        library=network.a, network="google_business", display_name="Fiche de Lille"
    )
    theirs = SocialAccountFactory(
        library=network.b, network="google_business", display_name="Fiche de B"
    )
    # The dashboard's days are the library's (Paris): after 23:00 UTC, today there is
    # already tomorrow in UTC terms.
    today = timezone.now().astimezone(network.a.tzinfo).date()
    rows = []
    for days in range(1, 61):  # this period (30 days) and the previous one
        day = today - dt.timedelta(days=days)
        for account in (mine, theirs):
            rows += [
                AccountDailyMetric(
                    account=account, day=day, metric=metric, value=value, fetched_at=timezone.now()
                )
                for metric, value in (
                    ("BUSINESS_IMPRESSIONS_MOBILE_MAPS", 10 if days < 30 else 1),
                    ("BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", 5),
                    ("CALL_CLICKS", 1),
                    ("BUSINESS_DIRECTION_REQUESTS", 2),
                    ("WEBSITE_CLICKS", 3),
                )
            ]
    AccountDailyMetric.objects.bulk_create(rows)
    client.force_login(member(network.a))

    html = client.get(reverse("metrics:dashboard") + "?days=30").content.decode()

    assert "Fiches Google" in html and "Fiche de Lille" in html
    assert "Fiche de B" not in html
    board = client.get(reverse("metrics:dashboard") + "?days=30").context["board"]
    (row,) = board.locations["rows"]
    # 29 full days at 10 + 5, today not yet given by Google; the previous 30 at 1 + 5.
    assert row["views"] == 29 * 15 and row["maps"] == 29 * 10
    assert (row["calls"], row["directions"], row["website"]) == (29, 58, 87)
    assert row["previous"]["views"] == 30 * 6  # days 30 to 59 ago
    export = client.get(reverse("metrics:dashboard_export") + "?days=30").content.decode()
    assert "Fiches Google" in export and f"Fiche de Lille;{29 * 15};{29 * 10};87;29;58" in export


def test_no_location_no_section(client, network):
    client.force_login(member(network.a))
    html = client.get(reverse("metrics:dashboard")).content.decode()
    assert "Fiches Google" not in html
