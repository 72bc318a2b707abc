"""The demo's example Google location has about 90 days of daily figures, so the
dashboard's "Fiches Google" section shows something; it is offered to no post and
asked nothing by the daily run; running the demo twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from metrics.account_daily import account_daily_refresh_all
from metrics.models import AccountDailyMetric
from posts.composer import accounts_for
from publishing.models import AccountStatus, SocialAccount

pytestmark = pytest.mark.django_db


def test_the_demo_google_location_fills_the_dashboard_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    rows = sorted(AccountDailyMetric.objects.values_list("account_id", "day", "metric", "value"))
    call_command("seed_demo", stdout=io.StringIO())

    assert rows == sorted(
        AccountDailyMetric.objects.values_list("account_id", "day", "metric", "value")
    )
    (location,) = SocialAccount.objects.filter(network="google_business")
    assert location.status == AccountStatus.DISABLED
    days = {day for _a, day, _m, _v in rows}
    assert len(days) == 90 and len(rows) == 90 * 7
    assert location not in accounts_for(location.library)
    assert account_daily_refresh_all() == {}  # not connected: nothing asked

    client.force_login(User.objects.get(username="admin"))
    response = client.get(reverse("metrics:dashboard"), {"days": 30})
    (row,) = response.context["board"].locations["rows"]
    assert row["name"] == "Médiathèque Jules-Verne (fiche Google d'exemple)"
    assert row["views"] > row["maps"] > row["website"] > row["calls"] > 0
    assert row["previous"]["views"] > 0 and row["directions"] > 0
    assert "Fiches Google" in response.content.decode()
