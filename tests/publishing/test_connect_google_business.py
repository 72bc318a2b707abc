"""Connecting Google Business Profile locations through the fake's consent screen, with
Django's test client: offline access, picking locations, token refresh by the expiry
check, invalid_grant → needs reconnecting, disconnect."""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from notifications.models import Notification
from publishing import expiry
from publishing.account_services import account_disconnect
from publishing.models import AccountStatus, SocialAccount
from tests.factories import LibraryFactory, member

pytestmark = pytest.mark.django_db

CONNECT = reverse("publishing:connect", kwargs={"network": "google_business"})
CHOOSE = reverse("publishing:connect_choose", kwargs={"network": "google_business"})


@pytest.fixture
def google(fake_google_business, settings):
    settings.GOOGLE_BUSINESS_CLIENT_ID = fake_google_business.config.client_id
    settings.GOOGLE_BUSINESS_CLIENT_SECRET = fake_google_business.config.client_secret
    settings.GOOGLE_BUSINESS_SERVER_URL = fake_google_business.url
    # The redirect URI registered with the OAuth client in the Google Cloud console.
    callback = reverse("publishing:connect_callback", kwargs={"network": "google_business"})
    fake_google_business.configure(redirect_uris=[f"http://testserver{callback}"])
    return fake_google_business


@pytest.fixture
def library():
    return LibraryFactory(name="Médiathèque de Lille")


@pytest.fixture
def admin(client, library):
    user = member(library, Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def _consent(client, start_response, *, decision="allow"):
    """From Annexe's 'continue' page to the fake's consent screen and back."""
    continue_page = client.get(start_response.url)
    assert continue_page.status_code == 200
    authorize_url = continue_page.context["entry"]["url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    base = authorize_url.split("/o/oauth2/v2/auth")[0]
    assert requests.get(authorize_url, timeout=5).status_code == 200
    answer = requests.post(
        f"{base}/o/oauth2/v2/auth",
        data={**query, "decision": decision},
        allow_redirects=False,
        timeout=5,
    )
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), query


def _connect(client, *, every: bool = False) -> list[SocialAccount]:
    """Connect the first location offered (or all of them)."""
    response, _query = _consent(client, client.post(CONNECT))
    choices = client.get(response.url).context["choices"]
    picked = [c.remote_id for c in (choices if every else choices[:1])]
    client.post(response.url, {"remote_id": picked})
    return list(SocialAccount.objects.order_by("pk"))


def test_connect_with_offline_access_then_pick_locations(client, admin, library, google):
    # when
    response, query = _consent(client, client.post(CONNECT))

    # then: Google was asked for offline access to business.manage, with PKCE
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert query["scope"] == "https://www.googleapis.com/auth/business.manage"
    assert query["code_challenge_method"] == "S256"
    # and the administrator picks among the locations that may post
    assert response.url.startswith(CHOOSE)
    page = client.get(response.url)
    titles = [c.display_name for c in page.context["choices"]]
    assert titles == ["Médiathèque de Lille", "Bibliothèque Wazemmes"]  # not the unverified one
    assert not SocialAccount.objects.exists()

    # when
    ids = google.ids()
    picked = [c.remote_id for c in page.context["choices"]]
    client.post(response.url, {"remote_id": picked})

    # then: one account per location, sharing the Google access, stored encrypted
    accounts = SocialAccount.objects.filter(library=library, network="google_business")
    assert sorted(a.display_name for a in accounts) == [
        "Bibliothèque Wazemmes",
        "Médiathèque de Lille",
    ]
    lille = accounts.get(display_name="Médiathèque de Lille")
    group = ids["accounts"]["Réseau des médiathèques"]
    assert (
        lille.remote_id == f"accounts/{group}/locations/{ids['locations']['Médiathèque de Lille']}"
    )
    assert lille.server_url == google.url
    assert lille.credentials["refresh_token"].startswith("1//")
    assert lille.credentials["expires_at"] > time.time() + 3000
    assert expiry.token_expiry_get(lille) > timezone.now() + timedelta(minutes=50)
    assert lille.status == AccountStatus.CONNECTED
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM publishing_socialaccount WHERE id = %s", [lille.pk])
        raw = cursor.fetchone()[0]
    assert lille.credentials["refresh_token"] not in raw  # encrypted at rest


def test_denied_consent_connects_nothing(client, admin, google):
    response, _query = _consent(client, client.post(CONNECT), decision="deny")

    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_without_a_google_app_the_page_says_what_is_missing(client, admin, settings):
    settings.GOOGLE_BUSINESS_CLIENT_ID = ""

    response = client.post(CONNECT, follow=True)

    assert "GOOGLE_BUSINESS_CLIENT_ID" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_a_google_user_without_verified_locations_is_told(client, admin, google):
    google.add_user("108000000000000000002", "Paul", "paul@example.fr")
    google.add_account("2000000009", "Paul", "PERSONAL", "PRIMARY_OWNER", "108000000000000000002")
    google.login_as("108000000000000000002")

    response, _query = _consent(client, client.post(CONNECT))

    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_the_expiry_check_refreshes_the_access_token(client, admin, google):
    (account,) = _connect(client)
    old = account.credentials["access_token"]

    # An hour later, the access token has expired (nobody published meanwhile).
    later = timezone.now() + timedelta(hours=1, minutes=5)
    SocialAccount.objects.filter(pk=account.pk).update(
        credentials={**account.credentials, "expires_at": time.time() - 300}
    )
    counts = expiry.expiry_check(now=later)

    account.refresh_from_db()
    assert counts["refreshed"] == 1 and counts["reminded"] == 0
    assert account.credentials["access_token"] != old
    assert account.credentials["refresh_token"]
    assert expiry.token_expiry_get(account) > timezone.now() + timedelta(minutes=50)
    assert account.status == AccountStatus.CONNECTED


def test_invalid_grant_marks_the_account_to_reconnect(client, admin, google):
    (account,) = _connect(client)
    # The person removed Annexe's access in their Google account.
    google.revoke_token(account.credentials["refresh_token"])
    SocialAccount.objects.filter(pk=account.pk).update(
        credentials={**account.credentials, "expires_at": time.time() - 300}
    )

    counts = expiry.expiry_check(now=timezone.now() + timedelta(hours=2))

    account.refresh_from_db()
    assert counts["needs_reconnect"] == 1 and counts["reminded"] == 0
    assert account.status == AccountStatus.NEEDS_RECONNECT
    assert "retiré" in account.settings["last_error"]
    notice = Notification.objects.get(kind="account_needs_reconnect")
    assert notice.recipient == admin


def test_reconnect_keeps_the_same_location_row(client, admin, google):
    (account,) = _connect(client)
    SocialAccount.objects.filter(pk=account.pk).update(status=AccountStatus.NEEDS_RECONNECT)
    old = account.credentials["refresh_token"]

    response, _query = _consent(client, client.post(CONNECT, {"account": account.pk}))

    assert response.url == reverse("publishing:account", kwargs={"pk": account.pk})
    account.refresh_from_db()
    assert SocialAccount.objects.count() == 1
    assert account.status == AccountStatus.CONNECTED
    assert account.credentials["refresh_token"] != old


def test_disconnect_revokes_only_with_the_last_location(client, admin, google):
    first, second = _connect(client, every=True)
    refresh_token = first.credentials["refresh_token"]

    account_disconnect(account=first, by=admin)
    assert google.requests("/revoke") == []  # the other location still uses the access

    account_disconnect(account=second, by=admin)
    assert len(google.requests("/revoke")) == 1
    assert google.refresh_tokens[refresh_token].revoked


def test_the_test_button_reads_the_location(client, admin, google):
    (account,) = _connect(client)

    client.post(reverse("publishing:account_test", kwargs={"pk": account.pk}))

    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert "verified_at" in account.settings


def test_reconnecting_one_location_brings_back_the_others_waiting(client, admin, google):
    lille, wazemmes = _connect(client, every=True)
    SocialAccount.objects.update(status=AccountStatus.NEEDS_RECONNECT)

    _consent(client, client.post(CONNECT, {"account": lille.pk}))

    lille.refresh_from_db()
    wazemmes.refresh_from_db()
    assert (lille.status, wazemmes.status) == (AccountStatus.CONNECTED, AccountStatus.CONNECTED)
    assert wazemmes.credentials["refresh_token"] == lille.credentials["refresh_token"]
