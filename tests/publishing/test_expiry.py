"""Token expiry: refreshed ahead where a refresher exists, else administrators reminded
two weeks and two days before, once each."""

from datetime import UTC, datetime, timedelta

import pytest

from libraries.models import Role
from networks.client import AuthError, TransientError
from notifications.models import Notification
from publishing import expiry
from publishing.models import AccountStatus
from tests.factories import SocialAccountFactory, member

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def refreshers(monkeypatch):
    registry: dict = {}
    monkeypatch.setattr(expiry, "REFRESHERS", registry)
    return registry


def _account(days: float, network: str = "facebook"):
    account = SocialAccountFactory(network=network, display_name="Médiathèque")
    expiry.token_expiry_set(account=account, expires_at=NOW + timedelta(days=days))
    return account


def test_expiry_round_trips_and_a_new_expiry_clears_the_reminders():
    account = _account(20)
    assert expiry.token_expiry_get(account) == NOW + timedelta(days=20)
    account.settings[expiry.REMINDERS_KEY] = [14]
    expiry.token_expiry_set(account=account, expires_at=None)
    account.refresh_from_db()
    assert expiry.token_expiry_get(account) is None
    assert expiry.REMINDERS_KEY not in account.settings


def test_expires_at_from_a_token_answer():
    assert expiry.expires_at_from_token({"expires_in": 3600}, now=NOW) == NOW + timedelta(hours=1)
    assert expiry.expires_at_from_token({"access_token": "x"}, now=NOW) is None


def test_administrators_are_reminded_two_weeks_then_two_days_before(refreshers):
    account = _account(13)
    admin = member(account.library, Role.ADMINISTRATOR)
    contributor = member(account.library, Role.CONTRIBUTOR)

    assert expiry.expiry_check(now=NOW)["reminded"] == 1
    assert expiry.expiry_check(now=NOW + timedelta(hours=1))["reminded"] == 0
    assert expiry.expiry_check(now=NOW + timedelta(days=11, hours=1))["reminded"] == 1
    assert expiry.expiry_check(now=NOW + timedelta(days=12))["reminded"] == 0

    notes = Notification.objects.filter(kind=expiry.NOTIFICATION_KIND)
    assert [n.recipient for n in notes] == [admin, admin]
    assert not notes.filter(recipient=contributor).exists()
    assert "Médiathèque" in notes[0].title
    assert not notes[0].urgent  # held until working hours by notify()


def test_a_late_check_sends_one_reminder_not_two(refreshers):
    account = _account(1)
    member(account.library, Role.ADMINISTRATOR)
    assert expiry.expiry_check(now=NOW)["reminded"] == 1
    assert expiry.expiry_check(now=NOW)["reminded"] == 0
    assert Notification.objects.count() == 1


def test_far_expiries_are_left_alone(refreshers):
    _account(40)
    assert expiry.expiry_check(now=NOW) == {
        "refreshed": 0,
        "reminded": 0,
        "failed": 0,
        "needs_reconnect": 0,
    }


def test_a_refresher_renews_ahead_and_nobody_is_reminded(refreshers):
    account = _account(5, network="threads")
    member(account.library, Role.ADMINISTRATOR)
    expiry.register_refresher(
        "threads", lambda acc: NOW + timedelta(days=60), ahead=timedelta(days=10)
    )
    assert expiry.expiry_check(now=NOW)["refreshed"] == 1
    account.refresh_from_db()
    assert expiry.token_expiry_get(account) == NOW + timedelta(days=60)
    assert not Notification.objects.exists()


def test_a_failed_refresh_falls_back_to_reminding(refreshers):
    account = _account(5, network="threads")
    member(account.library, Role.ADMINISTRATOR)

    def broken(acc):
        raise TransientError("Threads : serveur injoignable")

    expiry.register_refresher("threads", broken, ahead=timedelta(days=10))
    assert expiry.expiry_check(now=NOW) == {
        "refreshed": 0,
        "reminded": 1,
        "failed": 1,
        "needs_reconnect": 0,
    }


def test_a_refused_refresh_marks_the_account_to_reconnect_without_a_reminder(refreshers):
    account = _account(5, network="threads")
    admin = member(account.library, Role.ADMINISTRATOR)

    def revoked(acc):
        raise AuthError("Threads : accès retiré")

    expiry.register_refresher("threads", revoked, ahead=timedelta(days=10))
    counts = expiry.expiry_check(now=NOW)

    account.refresh_from_db()
    assert counts["needs_reconnect"] == 1 and counts["reminded"] == 0
    assert account.status == AccountStatus.NEEDS_RECONNECT
    (notice,) = Notification.objects.all()
    assert notice.kind == "account_needs_reconnect" and notice.recipient == admin


def test_short_lived_tokens_are_refreshed_even_after_expiry_and_never_reminded(refreshers):
    account = _account(-1, network="google_business")  # expired yesterday
    member(account.library, Role.ADMINISTRATOR)
    calls = []

    def renew(acc):
        calls.append(acc.pk)
        return NOW + timedelta(hours=1)

    expiry.register_refresher(
        "google_business", renew, ahead=timedelta(minutes=15), short_lived=True
    )
    assert expiry.expiry_check(now=NOW)["refreshed"] == 1
    assert expiry.expiry_check(now=NOW)["refreshed"] == 0  # not due again yet

    def down(acc):
        raise TransientError("Google : serveur injoignable")

    expiry.register_refresher(
        "google_business", down, ahead=timedelta(minutes=15), short_lived=True
    )
    counts = expiry.expiry_check(now=NOW + timedelta(hours=2))
    assert counts["failed"] == 1 and counts["reminded"] == 0
    assert not Notification.objects.exists()
