"""Connecting, testing, reconnecting and disconnecting accounts (fake servers)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from libraries.models import Role
from publishing.models import AccountStatus, RegisteredApp, SocialAccount
from tests.factories import LibraryFactory, SocialAccountFactory, member

pytestmark = pytest.mark.django_db

CONNECT_MASTODON = reverse("publishing:connect", kwargs={"network": "mastodon"})
CONNECT_BLUESKY = reverse("publishing:connect", kwargs={"network": "bluesky"})


@pytest.fixture
def library():
    return LibraryFactory(name="Médiathèque Jules-Verne")


@pytest.fixture
def admin(client, library):
    user = member(library, Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def _consent(client, start_response, *, decision="approve"):
    """Follow Annexe's 'continue' page to the fake's consent screen, decide, and come
    back to Annexe's callback with whatever the fake answered."""
    continue_page = client.get(start_response.url)
    assert continue_page.status_code == 200
    authorize_url = continue_page.context["entry"]["url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    base = authorize_url.split("/oauth/authorize")[0]
    assert requests.get(authorize_url, timeout=5).status_code == 200  # the consent page
    answer = requests.post(
        f"{base}/oauth/authorize",
        data={**query, "decision": decision},
        allow_redirects=False,
        timeout=5,
    )
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), query


def test_mastodon_connects_through_oauth_with_pkce(client, admin, library, fake_mastodon):

    # when
    start = client.post(CONNECT_MASTODON, {"server": fake_mastodon.url})
    response, query = _consent(client, start)

    # then
    account = SocialAccount.objects.get(library=library, network="mastodon")
    assert response.status_code == 302
    assert response.url == reverse("publishing:account", kwargs={"pk": account.pk})
    assert account.status == AccountStatus.CONNECTED
    assert account.handle.startswith("@mediatheque@")
    assert account.server_url == fake_mastodon.url
    assert account.credentials["access_token"]
    assert account.settings["instance_configuration"]["configuration"]["statuses"]
    assert query["code_challenge_method"] == "S256"
    assert set(query["scope"].split()) == {
        "read:accounts",
        "read:statuses",
        "write:statuses",
        "write:media",
    }
    # The app was registered once, its secret encrypted.
    (app,) = RegisteredApp.objects.all()
    assert app.credentials["client_secret"]
    assert len(fake_mastodon.requests("/api/v1/apps")) == 1


def test_second_account_on_the_same_instance_reuses_the_app(client, admin, fake_mastodon):
    _consent(client, client.post(CONNECT_MASTODON, {"server": fake_mastodon.url}))
    fake_mastodon.add_user("reseau", "Réseau")
    fake_mastodon.login_as("reseau")

    _consent(client, client.post(CONNECT_MASTODON, {"server": fake_mastodon.url}))

    assert SocialAccount.objects.filter(network="mastodon").count() == 2
    assert len(fake_mastodon.requests("/api/v1/apps")) == 1


def test_denied_consent_connects_nothing(client, admin, fake_mastodon):
    response, _query = _consent(
        client, client.post(CONNECT_MASTODON, {"server": fake_mastodon.url}), decision="deny"
    )

    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_callback_with_an_unknown_state_is_refused(client, admin, fake_mastodon):
    start = client.post(CONNECT_MASTODON, {"server": fake_mastodon.url})
    client.get(start.url)
    callback = reverse("publishing:connect_callback", kwargs={"network": "mastodon"})

    response = client.get(callback, {"state": "forged", "code": "x"})

    assert response.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_reconnect_keeps_the_same_row_and_disconnect_revokes(client, admin, library, fake_mastodon):
    _consent(client, client.post(CONNECT_MASTODON, {"server": fake_mastodon.url}))
    account = SocialAccount.objects.get()
    first_token = account.credentials["access_token"]

    # reconnect
    start = client.post(CONNECT_MASTODON, {"server": fake_mastodon.url, "account": account.pk})
    _consent(client, start)
    assert SocialAccount.objects.count() == 1
    account.refresh_from_db()
    assert account.credentials["access_token"] != first_token

    # test
    response = client.post(reverse("publishing:account_test", kwargs={"pk": account.pk}))
    assert response.status_code == 302
    assert fake_mastodon.requests("/api/v1/accounts/verify_credentials")

    # disconnect
    client.post(reverse("publishing:account_disconnect", kwargs={"pk": account.pk}))
    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED
    assert account.credentials == {}
    assert len(fake_mastodon.requests("/oauth/revoke")) == 1
    assert SocialAccount.objects.filter(pk=account.pk).exists()  # history kept


def test_a_revoked_token_marks_the_account_to_reconnect(client, admin, fake_mastodon):
    _consent(client, client.post(CONNECT_MASTODON, {"server": fake_mastodon.url}))
    account = SocialAccount.objects.get()
    fake_mastodon.revoke_token(account.credentials["access_token"])

    client.post(reverse("publishing:account_test", kwargs={"pk": account.pk}))

    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT
    assert "revoked" in account.settings["last_error"]


def test_credentials_are_never_shown_back(client, admin, fake_mastodon):
    _consent(client, client.post(CONNECT_MASTODON, {"server": fake_mastodon.url}))
    account = SocialAccount.objects.get()
    token = account.credentials["access_token"]

    for url in (
        reverse("publishing:accounts"),
        reverse("publishing:account", kwargs={"pk": account.pk}),
        reverse("publishing:connect", kwargs={"network": "mastodon"}) + f"?account={account.pk}",
    ):
        assert token not in client.get(url).content.decode()


def test_a_private_address_is_refused(client, admin, settings):
    response = client.post(CONNECT_MASTODON, {"server": "http://10.0.0.1"})

    assert response.status_code == 200
    assert response.context["form"].errors["server"]


# --- Bluesky ---------------------------------------------------------------------------
def test_bluesky_connects_with_an_app_password_on_the_resolved_pds(
    client, admin, library, fake_bluesky, settings
):
    settings.BLUESKY_RESOLVER_URL = fake_bluesky.url
    settings.BLUESKY_PLC_URL = fake_bluesky.plc_url

    response = client.post(
        CONNECT_BLUESKY,
        {"handle": "@Mediatheque.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
    )

    account = SocialAccount.objects.get(network="bluesky")
    assert response.status_code == 302
    assert account.server_url == fake_bluesky.pds_url
    assert account.handle == "@mediatheque.bsky.social"
    assert account.remote_id.startswith("did:")
    assert {"access_jwt", "refresh_jwt", "app_password"} <= set(account.credentials)


def test_bluesky_wrong_password_says_so(client, admin, fake_bluesky):
    response = client.post(
        CONNECT_BLUESKY,
        {
            "handle": "mediatheque.bsky.social",
            "app_password": "zzzz-zzzz-zzzz-zzzz",
            "server": fake_bluesky.url,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not SocialAccount.objects.exists()


def _bluesky(client, fake_bluesky):
    client.post(
        CONNECT_BLUESKY,
        {
            "handle": "mediatheque.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
            "server": fake_bluesky.url,
        },
    )
    return SocialAccount.objects.get(network="bluesky")


def test_bluesky_session_is_refreshed_then_recreated(client, admin, fake_bluesky):
    account = _bluesky(client, fake_bluesky)
    test_url = reverse("publishing:account_test", kwargs={"pk": account.pk})
    session = dict(account.credentials)

    # an expired access token: refreshed with the refresh token, saved encrypted
    fake_bluesky.expire_access_tokens()
    client.post(test_url)
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert account.credentials["access_jwt"] != session["access_jwt"]
    assert len(fake_bluesky.requests("/xrpc/com.atproto.server.refreshSession")) == 1

    # an expired refresh token too: logs in again with the app password
    fake_bluesky.expire_access_tokens()
    fake_bluesky.revoke_refresh_tokens()
    client.post(test_url)
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert len(fake_bluesky.requests("/xrpc/com.atproto.server.createSession")) == 2


def test_bluesky_revoked_app_password_needs_reconnecting(client, admin, fake_bluesky):
    account = _bluesky(client, fake_bluesky)
    account.credentials = {**account.credentials, "app_password": "wxyz-wxyz-wxyz-wxyz"}
    account.save()
    fake_bluesky.expire_access_tokens()
    fake_bluesky.revoke_refresh_tokens()

    client.post(reverse("publishing:account_test", kwargs={"pk": account.pk}))

    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT


def test_bluesky_disconnect_ends_the_session(client, admin, fake_bluesky):
    account = _bluesky(client, fake_bluesky)
    refresh_jwt = account.credentials["refresh_jwt"]

    response = client.post(
        reverse("publishing:account_disconnect", kwargs={"pk": account.pk}), follow=True
    )

    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED
    assert account.credentials == {}
    assert len(fake_bluesky.requests("/xrpc/com.atproto.server.deleteSession")) == 1
    # the session can no longer be refreshed
    refused = requests.post(
        f"{fake_bluesky.url}/xrpc/com.atproto.server.refreshSession",
        headers={"Authorization": f"Bearer {refresh_jwt}"},
        timeout=5,
    )
    assert refused.json()["error"] == "ExpiredToken"
    # and the administrator is told what only they can do
    told = " ".join(str(m) for m in response.context["messages"])
    assert "supprimez aussi son mot de passe d'application" in told


def test_bluesky_disconnect_with_an_expired_session_still_disconnects(client, admin, fake_bluesky):
    account = _bluesky(client, fake_bluesky)
    fake_bluesky.revoke_refresh_tokens()

    response = client.post(
        reverse("publishing:account_disconnect", kwargs={"pk": account.pk}), follow=True
    )

    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED
    told = " ".join(str(m) for m in response.context["messages"])
    assert "n'a pas pu être prévenu" not in told


# --- Sandbox and Website ---------------------------------------------------------------
def test_sandbox_and_website_connect_in_one_click(client, admin, library):
    client.post(reverse("publishing:connect", kwargs={"network": "sandbox"}))
    response = client.post(reverse("publishing:connect", kwargs={"network": "website"}))

    sandbox = SocialAccount.objects.get(network="sandbox")
    website = SocialAccount.objects.get(network="website")
    assert sandbox.server_url.endswith(f"/publishing/sandbox/{library.slug}/")
    assert len(website.feed_token) >= 32
    page = client.get(response.url).content.decode()
    assert f"/publishing/feeds/{website.feed_token}/rss.xml" in page
    assert "&lt;iframe src=" in page

    # one click again: the same account
    client.post(reverse("publishing:connect", kwargs={"network": "website"}))
    assert SocialAccount.objects.filter(network="website").count() == 1


def test_feed_addresses_can_be_changed(client, admin, library):
    client.post(reverse("publishing:connect", kwargs={"network": "website"}))
    website = SocialAccount.objects.get(network="website")
    old = website.feed_token

    client.post(reverse("publishing:account_feed_token_reset", kwargs={"pk": website.pk}))

    website.refresh_from_db()
    assert website.feed_token != old
    assert client.get(reverse("publishing:feed_rss", args=[old])).status_code == 404


# --- Who may -------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.VALIDATOR])
def test_only_administrators_manage_accounts(client, library, role):
    client.force_login(member(library, role))
    account = SocialAccountFactory(library=library)

    assert client.get(reverse("publishing:accounts")).status_code == 403
    assert client.post(CONNECT_MASTODON, {"server": "mastodon.social"}).status_code == 403
    assert (
        client.post(reverse("publishing:account_disconnect", kwargs={"pk": account.pk})).status_code
        == 403
    )


def test_a_branch_sees_its_own_accounts_and_its_parents(client, network):
    own = SocialAccountFactory(library=network.a, display_name="Compte A")
    parent = SocialAccountFactory(library=network.head, display_name="Compte du réseau")
    other = SocialAccountFactory(library=network.b, display_name="Compte B")
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    page = client.get(reverse("publishing:accounts"))

    assert list(page.context["accounts"]) == [own]
    assert list(page.context["inherited"]) == [parent]
    assert other.display_name not in page.content.decode()
