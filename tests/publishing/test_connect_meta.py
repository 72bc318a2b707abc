"""Connecting Facebook Pages, their Instagram accounts and Threads through the fake
Graph API's consent screens (Django test client; the dialogs are answered with
requests, as a browser would post them)."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from publishing import expiry
from publishing.connect.meta import refresh_threads_token
from publishing.models import AccountStatus, SocialAccount
from tests.factories import LibraryFactory, member

pytestmark = pytest.mark.django_db


def connect_url(network: str) -> str:
    return reverse("publishing:connect", kwargs={"network": network})


@pytest.fixture
def library():
    return LibraryFactory(name="Médiathèque de Lille")


@pytest.fixture
def admin(client, library):
    user = member(library, Role.ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def meta(settings, fake_graph):
    settings.META_APP_ID = fake_graph.config.app_id
    settings.META_APP_SECRET = fake_graph.config.app_secret
    settings.META_DIALOG_URL = fake_graph.url
    settings.META_GRAPH_URL = fake_graph.url
    settings.THREADS_APP_ID = fake_graph.config.threads_app_id
    settings.THREADS_APP_SECRET = fake_graph.config.threads_app_secret
    settings.THREADS_AUTHORIZE_URL = fake_graph.threads_url
    settings.THREADS_API_URL = fake_graph.threads_url
    # The redirect URIs registered in the apps (the test client's host is not loopback).
    for app_id, networks in (
        (fake_graph.config.app_id, ("facebook", "instagram")),
        (fake_graph.config.threads_app_id, ("threads",)),
    ):
        fake_graph.apps[app_id].redirect_uris.extend(
            f"http://testserver{reverse('publishing:connect_callback', args=[n])}" for n in networks
        )
    return fake_graph


def _authorize_url(client, start) -> str:
    assert start.status_code == 302, start.content
    continue_page = client.get(start.url)
    assert continue_page.status_code == 200
    return continue_page.context["entry"]["url"]


def _facebook_dialog(client, start, *, pages=(), instagram=(), decision="approve"):
    """Tick Pages and Instagram accounts in the fake Facebook Login dialog; come back."""
    url = _authorize_url(client, start)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert requests.get(url, timeout=5).status_code == 200
    answer = requests.post(
        f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/dialog/oauth/decision",
        data={**query, "page": list(pages), "ig": list(instagram), "decision": decision},
        allow_redirects=False,
        timeout=5,
    )
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), query


def _threads_dialog(client, start, *, decision="approve"):
    url = _authorize_url(client, start)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    answer = requests.post(
        url.split("?")[0], data={**query, "decision": decision}, allow_redirects=False, timeout=5
    )
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), query


def test_pages_and_their_instagram_accounts_are_picked_then_connected(client, admin, library, meta):
    ids = meta.ids()
    lille, wazemmes = ids["pages"]["Médiathèque de Lille"], ids["pages"]["Bibliothèque Wazemmes"]
    ig_lille = ids["instagram"]["mediatheque_lille"]

    # Meta's dialog: two Pages, only Lille's Instagram account.
    back, query = _facebook_dialog(
        client,
        client.post(connect_url("facebook")),
        pages=[lille, wazemmes],
        instagram=[ig_lille],
    )
    assert "pages_manage_posts" in query["scope"]
    assert "instagram_content_publish" in query["scope"]
    assert back.status_code == 302 and "/choose/" in back.url
    choose = client.get(back.url)
    labels = choose.content.decode()
    assert "Médiathèque de Lille" in labels and "@mediatheque_lille" in labels
    assert "@bib_wazemmes" not in labels  # not ticked in Meta's dialog

    # Annexe's own pick: Lille's Page and its Instagram account, not Wazemmes.
    done = client.post(back.url, {"remote_id": [lille, ig_lille]})

    assert done.status_code == 302
    page = SocialAccount.objects.get(library=library, network="facebook")
    insta = SocialAccount.objects.get(library=library, network="instagram")
    assert (page.remote_id, page.display_name) == (lille, "Médiathèque de Lille")
    assert (insta.remote_id, insta.handle) == (ig_lille, "@mediatheque_lille")
    assert insta.settings["page_id"] == lille
    assert page.credentials["access_token"] == insta.credentials["access_token"]
    token = meta.tokens[page.credentials["access_token"]]
    assert token.kind == "PAGE" and token.long_lived  # from a long-lived user token
    assert expiry.token_expiry_get(page) is None  # Page tokens never expire here
    assert page.server_url == meta.url
    assert SocialAccount.objects.count() == 2


def test_page_tokens_that_expire_are_tracked(client, admin, library, meta):
    meta.configure(page_token_never_expires=False)
    lille = meta.ids()["pages"]["Médiathèque de Lille"]
    back, _query = _facebook_dialog(client, client.post(connect_url("facebook")), pages=[lille])
    client.post(back.url, {"remote_id": [lille]})

    page = SocialAccount.objects.get(network="facebook")
    expires = expiry.token_expiry_get(page)
    assert expires is not None
    assert timedelta(days=59) < expires - timezone.now() < timedelta(days=61)


def test_administrators_are_reminded_before_a_page_token_expires(
    client, admin, library, meta, mailoutbox
):
    meta.configure(page_token_never_expires=False)
    lille = meta.ids()["pages"]["Médiathèque de Lille"]
    back, _query = _facebook_dialog(client, client.post(connect_url("facebook")), pages=[lille])
    client.post(back.url, {"remote_id": [lille]})
    page = SocialAccount.objects.get(network="facebook")

    # No refresher for Pages (Meta renews only through the dialog): reminders.
    counts = expiry.expiry_check(now=expiry.token_expiry_get(page) - timedelta(days=13))

    assert counts == {"refreshed": 0, "reminded": 1, "failed": 0, "needs_reconnect": 0}
    page.refresh_from_db()
    assert page.settings[expiry.REMINDERS_KEY] == [14]


def test_reconnecting_a_page_keeps_the_account(client, admin, library, meta):
    lille = meta.ids()["pages"]["Médiathèque de Lille"]
    back, _ = _facebook_dialog(client, client.post(connect_url("facebook")), pages=[lille])
    client.post(back.url, {"remote_id": [lille]})
    page = SocialAccount.objects.get(network="facebook")
    old_token = page.credentials["access_token"]
    SocialAccount.objects.filter(pk=page.pk).update(status=AccountStatus.NEEDS_RECONNECT)

    back, _ = _facebook_dialog(
        client, client.post(connect_url("facebook"), {"account": page.pk}), pages=[lille]
    )

    assert back.status_code == 302 and back.url == reverse("publishing:account", args=[page.pk])
    page.refresh_from_db()
    assert page.status == AccountStatus.CONNECTED
    assert page.credentials["access_token"] != old_token
    assert SocialAccount.objects.count() == 1


def test_reconnecting_without_ticking_the_account_is_refused(client, admin, library, meta):
    ids = meta.ids()
    lille, wazemmes = ids["pages"]["Médiathèque de Lille"], ids["pages"]["Bibliothèque Wazemmes"]
    back, _ = _facebook_dialog(client, client.post(connect_url("facebook")), pages=[lille])
    client.post(back.url, {"remote_id": [lille]})
    page = SocialAccount.objects.get(network="facebook")

    back, _ = _facebook_dialog(
        client, client.post(connect_url("facebook"), {"account": page.pk}), pages=[wazemmes]
    )

    assert back.url == reverse("publishing:accounts")
    assert SocialAccount.objects.count() == 1
    assert SocialAccount.objects.get().remote_id == lille


def test_instagram_connects_through_its_page(client, admin, library, meta):
    ids = meta.ids()
    lille, ig = ids["pages"]["Médiathèque de Lille"], ids["instagram"]["mediatheque_lille"]
    back, _ = _facebook_dialog(
        client, client.post(connect_url("instagram")), pages=[lille], instagram=[ig]
    )
    client.post(back.url, {"remote_id": [ig]})

    (account,) = SocialAccount.objects.all()
    assert (account.network, account.remote_id) == ("instagram", ig)
    ok, message = _test_account(account)
    assert ok, message


def _test_account(account):
    from publishing.account_services import account_test

    return account_test(account=account, by=None)


def test_no_page_ticked_connects_nothing(client, admin, meta):
    back, _ = _facebook_dialog(client, client.post(connect_url("facebook")))
    assert back.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_refusing_in_facebooks_dialog_connects_nothing(client, admin, meta):
    back, _ = _facebook_dialog(client, client.post(connect_url("facebook")), decision="deny")
    assert back.url == reverse("publishing:accounts")
    assert not SocialAccount.objects.exists()


def test_without_the_app_configured_the_flow_says_so(client, admin, settings):
    settings.META_APP_ID = ""
    response = client.post(connect_url("facebook"), follow=True)
    assert "README" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_threads_connects_with_a_long_lived_token(client, admin, library, meta):
    back, query = _threads_dialog(client, client.post(connect_url("threads")))

    account = SocialAccount.objects.get(library=library, network="threads")
    assert back.url == reverse("publishing:account", args=[account.pk])
    assert account.handle == "@mediatheque_lille"
    assert account.remote_id == meta.ids()["threads"]["mediatheque_lille"]
    assert set(query["scope"].split(",")) >= {"threads_basic", "threads_content_publish"}
    assert meta.tokens[account.credentials["access_token"]].long_lived
    expires = expiry.token_expiry_get(account)
    assert timedelta(days=59) < expires - timezone.now() < timedelta(days=61)


def test_threads_token_is_refreshed_ahead_of_expiry(client, admin, library, meta, monkeypatch):
    _threads_dialog(client, client.post(connect_url("threads")))
    account = SocialAccount.objects.get(network="threads")
    old_token = account.credentials["access_token"]
    # A token may be refreshed once a day old: move the fake's clock and ours.
    meta.advance_clock(52 * 86400)
    now = timezone.now() + timedelta(days=52)

    counts = expiry.expiry_check(now=now)

    assert counts["refreshed"] == 1
    account.refresh_from_db()
    assert account.credentials["access_token"] != old_token
    assert meta.tokens[account.credentials["access_token"]].long_lived
    new_expiry = expiry.token_expiry_get(account)
    assert new_expiry > datetime.now(UTC) + timedelta(days=59)
    assert expiry.REFRESHERS["threads"].refresh is refresh_threads_token


def test_a_threads_refresh_that_fails_reminds_the_administrators(client, admin, library, meta):
    _threads_dialog(client, client.post(connect_url("threads")))
    account = SocialAccount.objects.get(network="threads")
    meta.inject("/threads/refresh_access_token", method="GET", status=503, times=None)
    now = expiry.token_expiry_get(account) - timedelta(days=1, hours=12)

    counts = expiry.expiry_check(now=now)

    assert counts["failed"] == 1 and counts["reminded"] == 1


def test_a_revoked_threads_token_marks_the_account_to_reconnect(client, admin, library, meta):
    _threads_dialog(client, client.post(connect_url("threads")))
    account = SocialAccount.objects.get(network="threads")
    meta.break_token(account.credentials["access_token"])
    now = expiry.token_expiry_get(account) - timedelta(days=5)

    counts = expiry.expiry_check(now=now)

    assert counts["needs_reconnect"] == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT


def test_the_account_page_says_until_when_the_authorisation_lasts(client, admin, meta):
    _threads_dialog(client, client.post(connect_url("threads")))
    threads = SocialAccount.objects.get(network="threads")
    meta.configure(page_token_never_expires=False)
    lille = meta.ids()["pages"]["Médiathèque de Lille"]
    back, _ = _facebook_dialog(client, client.post(connect_url("facebook")), pages=[lille])
    client.post(back.url, {"remote_id": [lille]})
    page = SocialAccount.objects.get(network="facebook")

    threads_page = client.get(reverse("publishing:account", args=[threads.pk])).content.decode()
    facebook_page = client.get(reverse("publishing:account", args=[page.pk])).content.decode()

    assert "Valable jusqu'au" in threads_page and "renouvelle d'elle-même" in threads_page
    assert "reconnectez le compte avant cette date" in facebook_page


# --- disconnecting: what Meta is given back -----------------------------------------------
def _disconnect(client, account):
    response = client.post(
        reverse("publishing:account_disconnect", kwargs={"pk": account.pk}), follow=True
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.status == AccountStatus.DISABLED and account.credentials == {}
    return [str(m) for m in response.context["messages"]]


def _page_and_instagram(client, meta):
    ids = meta.ids()
    lille, ig_lille = ids["pages"]["Médiathèque de Lille"], ids["instagram"]["mediatheque_lille"]
    back, _ = _facebook_dialog(
        client, client.post(connect_url("facebook")), pages=[lille], instagram=[ig_lille]
    )
    client.post(back.url, {"remote_id": [lille, ig_lille]})
    return SocialAccount.objects.get(network="facebook"), SocialAccount.objects.get(
        network="instagram"
    )


def test_the_login_is_given_back_with_the_last_account_that_uses_it(client, admin, meta):
    page, insta = _page_and_instagram(client, meta)
    token = page.credentials["access_token"]
    assert page.settings["meta_user_id"] == insta.settings["meta_user_id"]

    # The Instagram account publishes with the same login: nothing is revoked yet.
    first = _disconnect(client, page)
    assert meta.revocations == []
    assert any("reste actif" in m and str(insta) in m for m in first)
    assert not meta.tokens[token].broken

    last = _disconnect(client, insta)
    (revocation,) = meta.revocations
    assert revocation == {
        "user_id": page.settings["meta_user_id"],
        "app_id": meta.config.app_id,
        "permission": None,
    }
    (call,) = [r for r in meta.requests() if r.path.endswith("/permissions")]
    assert call.method == "DELETE"
    assert meta.tokens[token].broken == "token_app_deauthorized"
    assert any("a été retiré" in m for m in last)


def test_accounts_connected_before_the_person_was_recorded_are_asked_of_debug_token(
    client, admin, meta
):
    page, insta = _page_and_instagram(client, meta)
    for account in (page, insta):
        account.settings.pop("meta_user_id")
        account.save()

    _disconnect(client, page)
    assert meta.revocations == []  # /debug_token says the Instagram account shares it
    _disconnect(client, insta)
    assert len(meta.revocations) == 1


def test_a_failed_revoke_still_disconnects_and_says_so(client, admin, meta):
    page, insta = _page_and_instagram(client, meta)
    _disconnect(client, insta)
    meta.inject(r"/v\d+\.\d+/\d+/permissions", method="DELETE", status=503, regex=True)

    messages = _disconnect(client, page)

    assert meta.revocations == []
    assert any("n'a pas pu être prévenu" in m for m in messages)


def test_threads_has_nothing_to_revoke_and_says_where_to_remove_annexe(client, admin, meta):
    _threads_dialog(client, client.post(connect_url("threads")))
    account = SocialAccount.objects.get(network="threads")

    messages = _disconnect(client, account)

    assert meta.revocations == []
    assert any("Autorisations des sites web" in m for m in messages)
    assert not [r for r in meta.requests() if r.method == "DELETE"]
