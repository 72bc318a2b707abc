"""Connecting LinkedIn Pages and X accounts through the fakes' consent screens with the
Django test client; token expiry recorded; refreshed ahead of expiry by the hourly check."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from libraries.models import Role
from publishing import expiry
from publishing.models import AccountStatus, SocialAccount
from tests.factories import LibraryFactory, member

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/publishing/accounts/connect/{network}/callback/"


@pytest.fixture
def library():
    return LibraryFactory(name="Médiathèque Jules-Verne")


@pytest.fixture
def admin(client, library):
    user = member(library, Role.ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def linkedin(fake_linkedin, settings):
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    settings.LINKEDIN_OAUTH_URL = fake_linkedin.url
    settings.LINKEDIN_API_URL = fake_linkedin.url
    fake_linkedin.configure(redirect_uris=[CALLBACK.format(network="linkedin")])
    return fake_linkedin


@pytest.fixture
def x(fake_x, settings):
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret
    settings.X_OAUTH_URL = fake_x.url
    settings.X_API_URL = fake_x.url
    fake_x.configure(redirect_uris=[CALLBACK.format(network="x")])
    return fake_x


def _consent(client, start_response, *, path: str, decision: str = "allow"):
    """Annexe's 'continue' page → the fake's consent screen → decide → Annexe's
    callback with whatever the fake answered."""
    continue_page = client.get(start_response.url)
    assert continue_page.status_code == 200
    authorize_url = continue_page.context["entry"]["url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    assert requests.get(authorize_url, timeout=5).status_code == 200  # the consent page
    base = authorize_url.split(path)[0]
    answer = requests.post(
        f"{base}{path}", data={**query, "decision": decision}, allow_redirects=False, timeout=5
    )
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), query


def _connect(client, network: str) -> str:
    return client.post(reverse("publishing:connect", kwargs={"network": network}))


# --- LinkedIn ------------------------------------------------------------------------------
LI_AUTHORIZE = "/oauth/v2/authorization"


def test_linkedin_connects_the_pages_picked_among_those_administered(
    client, admin, library, linkedin
):
    response, query = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)

    # Two pages Marie may post to (ADMINISTRATOR, CONTENT_ADMINISTRATOR); not the one
    # where she is only ANALYST.
    assert response.url.startswith(
        reverse("publishing:connect_choose", kwargs={"network": "linkedin"})
    )
    choose = client.get(response.url)
    names = {c.display_name for c in choose.context["choices"]}
    assert names == {"Médiathèque de Lille", "Réseau des bibliothèques"}
    assert set(query["scope"].split()) == {
        "openid",
        "profile",
        "w_organization_social",
        "r_organization_social",
        "rw_organization_admin",
    }

    client.post(response.url, {"remote_id": ["10001"]})

    (account,) = SocialAccount.objects.filter(library=library, network="linkedin")
    assert (account.remote_id, account.display_name) == ("10001", "Médiathèque de Lille")
    assert account.status == AccountStatus.CONNECTED
    assert account.server_url == linkedin.url
    assert account.credentials["access_token"]
    assert account.credentials["member_id"] == "mD8xQ2pL1z"
    # The 60-day expiry is tracked.
    expires = expiry.token_expiry_get(account)
    assert timedelta(days=59) < expires - datetime.now(UTC) <= timedelta(days=60)
    # Credentials are stored encrypted.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM publishing_socialaccount WHERE id = %s", [account.pk]
        )
        (raw,) = cursor.fetchone()
    assert account.credentials["access_token"] not in str(raw)


def test_linkedin_cancelled_consent_connects_nothing(client, admin, linkedin):
    response, _ = _consent(
        client, _connect(client, "linkedin"), path=LI_AUTHORIZE, decision="cancel"
    )
    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_linkedin_member_with_no_page_to_post_to_is_told(client, admin, linkedin):
    linkedin.add_member("solo", "Jean", "Seul")
    linkedin.login_as("solo")

    response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)

    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_linkedin_without_app_settings_says_so(client, admin, settings):
    settings.LINKEDIN_CLIENT_ID = ""
    response = _connect(client, "linkedin")
    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_linkedin_refresh_ahead_of_expiry_with_a_partner_refresh_token(
    client, admin, library, linkedin
):
    linkedin.configure(partner_refresh_tokens=True)
    start = _connect(client, "linkedin")
    response, _ = _consent(client, start, path=LI_AUTHORIZE)
    client.post(response.url, {"remote_id": ["10001"]})
    account = SocialAccount.objects.get(network="linkedin")
    first = account.credentials["access_token"]
    assert account.credentials["refresh_token"]

    # when: the hourly check runs 10 days before the token expires
    now = expiry.token_expiry_get(account) - timedelta(days=10)
    counts = expiry.expiry_check(now=now)

    # then: refreshed, saved encrypted, new expiry recorded, nobody reminded
    account.refresh_from_db()
    assert counts["refreshed"] == 1 and counts["reminded"] == 0
    assert account.credentials["access_token"] != first
    # (the fake's clock is the real one: the new token lasts 60 days from now)
    assert expiry.token_expiry_get(account) > datetime.now(UTC) + timedelta(days=59)


def test_linkedin_without_refresh_token_reminds_administrators(client, admin, linkedin):
    response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)
    client.post(response.url, {"remote_id": ["10001"]})
    account = SocialAccount.objects.get(network="linkedin")

    counts = expiry.expiry_check(now=expiry.token_expiry_get(account) - timedelta(days=13))

    assert counts["reminded"] == 1 and counts["refreshed"] == 0


# --- X ---------------------------------------------------------------------------------------
X_AUTHORIZE = "/i/oauth2/authorize"


def test_x_connects_with_pkce_and_a_refresh_token(client, admin, library, x):
    response, query = _consent(client, _connect(client, "x"), path=X_AUTHORIZE)

    account = SocialAccount.objects.get(library=library, network="x")
    assert response.url == reverse("publishing:account", kwargs={"pk": account.pk})
    assert account.handle == "@mediatheque_lille"
    assert account.remote_id == "1500000000000000001"
    assert account.credentials["refresh_token"]
    assert query["code_challenge_method"] == "S256"
    assert "offline.access" in query["scope"].split()
    expires = expiry.token_expiry_get(account)
    assert timedelta(minutes=110) < expires - datetime.now(UTC) <= timedelta(hours=2)
    # The code went with HTTP Basic client authentication (confidential client).
    (token_request,) = x.requests("/2/oauth2/token")
    assert token_request.headers["authorization"].startswith("Basic ")


def test_x_refresh_ahead_of_expiry_rotates_the_refresh_token(client, admin, x):
    _consent(client, _connect(client, "x"), path=X_AUTHORIZE)
    account = SocialAccount.objects.get(network="x")
    old = dict(account.credentials)

    counts = expiry.expiry_check(now=expiry.token_expiry_get(account) - timedelta(minutes=30))

    account.refresh_from_db()
    assert counts["refreshed"] == 1
    assert account.credentials["refresh_token"] != old["refresh_token"]
    assert account.credentials["access_token"] != old["access_token"]
    # A second run right after finds nothing to do (the new token is fresh).
    assert expiry.expiry_check()["refreshed"] == 0


def test_x_disconnect_revokes_the_tokens(client, admin, x):
    _consent(client, _connect(client, "x"), path=X_AUTHORIZE)
    account = SocialAccount.objects.get(network="x")

    response = client.post(
        reverse("publishing:account_disconnect", kwargs={"pk": account.pk}), follow=True
    )

    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED
    assert len(x.requests("/2/oauth2/revoke")) == 2
    told = " ".join(str(m) for m in response.context["messages"])
    assert "X a retiré l'accès d'Annexe" in told


def test_x_denied_consent_connects_nothing(client, admin, x):
    response, _ = _consent(client, _connect(client, "x"), path=X_AUTHORIZE, decision="cancel")
    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_linkedin_reconnect_keeps_the_page_and_forgets_the_old_reminders(client, admin, linkedin):
    response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)
    client.post(response.url, {"remote_id": ["10002"]})
    account = SocialAccount.objects.get(network="linkedin")
    first = account.credentials["access_token"]
    expiry.expiry_check(now=expiry.token_expiry_get(account) - timedelta(days=13))
    account.refresh_from_db()
    assert account.settings[expiry.REMINDERS_KEY] == [14]

    start = client.post(
        reverse("publishing:connect", kwargs={"network": "linkedin"}), {"account": account.pk}
    )
    response, _ = _consent(client, start, path=LI_AUTHORIZE)

    # No choice to make: the page being reconnected is the one.
    assert response.url == reverse("publishing:account", kwargs={"pk": account.pk})
    account.refresh_from_db()
    assert SocialAccount.objects.count() == 1
    assert account.credentials["access_token"] != first
    assert expiry.REMINDERS_KEY not in account.settings


def test_x_lapsed_token_is_still_refreshed_and_a_refused_refresh_asks_to_reconnect(
    client, admin, x
):
    _consent(client, _connect(client, "x"), path=X_AUTHORIZE)
    account = SocialAccount.objects.get(network="x")
    later = expiry.token_expiry_get(account) + timedelta(hours=3)

    assert expiry.expiry_check(now=later)["refreshed"] == 1  # lapsed, refresh token fine
    assert expiry.expiry_check(now=later)["reminded"] == 0

    x.inject(
        "/2/oauth2/token",
        method="POST",
        status=400,
        body={
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        },
    )
    account.refresh_from_db()
    counts = expiry.expiry_check(now=expiry.token_expiry_get(account) + timedelta(hours=3))

    account.refresh_from_db()
    assert counts["needs_reconnect"] == 1
    assert account.status == AccountStatus.NEEDS_RECONNECT


@pytest.mark.parametrize("status", [429, 503])
def test_x_token_endpoint_busy_is_retried_later_not_a_reconnect(client, admin, x, status):
    _consent(client, _connect(client, "x"), path=X_AUTHORIZE)
    account = SocialAccount.objects.get(network="x")
    now = expiry.token_expiry_get(account) - timedelta(minutes=89)  # due (90 min ahead)
    if status == 429:
        x.inject_rate_limited("/2/oauth2/token", method="POST", reset_in=3600)
    else:
        x.inject("/2/oauth2/token", method="POST", status=503)

    counts = expiry.expiry_check(now=now)

    account.refresh_from_db()
    assert counts["failed"] == 1 and counts["needs_reconnect"] == 0
    assert account.status == AccountStatus.CONNECTED
    tries = len(x.requests("/2/oauth2/token"))
    # Within the reset the 429 gave, no new attempt; after it (or at once after a 503),
    # the same refresh token works.
    if status == 429:
        assert expiry.expiry_check(now=now + timedelta(minutes=10))["failed"] == 1
        assert len(x.requests("/2/oauth2/token")) == tries
        now = datetime.now(UTC) + timedelta(minutes=61)
    assert expiry.expiry_check(now=now)["refreshed"] == 1
    account.refresh_from_db()
    assert expiry.REFRESH_WAIT_KEY not in account.settings


# --- giving the access back on disconnect ----------------------------------------------------
def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _disconnect(client, account):
    return client.post(
        reverse("publishing:account_disconnect", kwargs={"pk": account.pk}), follow=True
    )


def test_linkedin_disconnect_revokes_the_token(client, admin, linkedin):
    response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)
    client.post(response.url, {"remote_id": ["10001"]})
    account = SocialAccount.objects.get(network="linkedin")
    token = account.credentials["access_token"]

    response = _disconnect(client, account)

    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED and account.credentials == {}
    (revoke,) = linkedin.requests("/oauth/v2/revoke")
    # (the journal keeps secrets as hashes)
    assert set(revoke.form) == {"client_id", "client_secret", "token"}
    assert revoke.form["client_id"] == [linkedin.config.client_id]
    assert linkedin.tokens[token].revoked
    assert "LinkedIn a retiré l'accès d'Annexe" in _messages(response)


def test_linkedin_token_shared_by_two_pages_is_revoked_with_the_last(client, admin, linkedin):
    for page in ("10001", "10002"):
        response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)
        client.post(response.url, {"remote_id": [page]})
    first, second = SocialAccount.objects.filter(network="linkedin").order_by("remote_id")
    # One member token for both pages (as when both are picked from one consent).
    second.credentials = dict(first.credentials)
    second.save()

    response = _disconnect(client, first)

    assert linkedin.requests("/oauth/v2/revoke") == []
    assert "Réseau des bibliothèques" in _messages(response)
    assert "reste active" in _messages(response)

    _disconnect(client, second)
    assert len(linkedin.requests("/oauth/v2/revoke")) == 1


def test_linkedin_revoke_failure_still_disconnects_and_says_so(client, admin, linkedin):
    response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)
    client.post(response.url, {"remote_id": ["10001"]})
    account = SocialAccount.objects.get(network="linkedin")
    linkedin.inject("/oauth/v2/revoke", method="POST", status=503)

    response = _disconnect(client, account)

    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED and account.credentials == {}
    told = _messages(response)
    assert "n'a pas pu être prévenu" in told
    assert "a retiré l'accès" not in told


def test_linkedin_token_already_revoked_by_the_member_is_nothing_to_warn_about(
    client, admin, linkedin
):
    response, _ = _consent(client, _connect(client, "linkedin"), path=LI_AUTHORIZE)
    client.post(response.url, {"remote_id": ["10001"]})
    account = SocialAccount.objects.get(network="linkedin")
    linkedin.inject_li_error("/oauth/v2/revoke", "revoked_token", method="POST")

    response = _disconnect(client, account)

    assert "n'a pas pu être prévenu" not in _messages(response)


def test_x_revoke_failure_still_disconnects_and_tries_both_tokens(client, admin, x):
    _consent(client, _connect(client, "x"), path=X_AUTHORIZE)
    account = SocialAccount.objects.get(network="x")
    x.inject("/2/oauth2/revoke", method="POST", status=503)

    response = _disconnect(client, account)

    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED and account.credentials == {}
    assert len(x.requests("/2/oauth2/revoke")) == 2
    assert "n'a pas pu être prévenu" in _messages(response)
