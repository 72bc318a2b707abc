"""The publishing engine's cast: a branch with accounts on the fake Mastodon and the
fake Bluesky, and approved posts (no validation chain: submitting approves)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from libraries.models import Role
from networks.bluesky import BlueskyClient
from networks.client import Account
from networks.mastodon import SCOPES, MastodonClient
from posts.services import Target, post_create
from publishing.models import SocialAccount
from tests.factories import member

BLUESKY_PASSWORD = "abcd-efgh-ijkl-mnop"
X_USER = "1500000000000000001"  # the fake X's user of the library's account


def mastodon_account_on(fake, library) -> SocialAccount:
    token = fake.issue_token(scopes=" ".join(SCOPES))
    info = MastodonClient().verify(
        Account("mastodon", server_url=fake.url, credentials={"access_token": token})
    )
    return SocialAccount.objects.create(
        library=library,
        network="mastodon",
        display_name="Médiathèque (Mastodon)",
        handle=info.handle,
        server_url=fake.url,
        remote_id=info.remote_id,
        credentials={"access_token": token},
    )


def bluesky_account_on(fake, library) -> SocialAccount:
    credentials = BlueskyClient().login(
        fake.url, identifier="mediatheque.bsky.social", app_password=BLUESKY_PASSWORD
    )
    credentials["app_password"] = BLUESKY_PASSWORD
    credentials["identifier"] = "mediatheque.bsky.social"
    return SocialAccount.objects.create(
        library=library,
        network="bluesky",
        display_name="Médiathèque (Bluesky)",
        handle="@mediatheque.bsky.social",
        server_url=fake.url,
        remote_id=credentials["did"],
        credentials=credentials,
    )


def instagram_account_on(fake, library, *, username: str = "mediatheque_lille") -> SocialAccount:
    """An Instagram professional account linked to its Page (Instagram API with Facebook
    Login: the Page token publishes)."""
    ids = fake.ids()
    ig_id = ids["instagram"][username]
    page_id = next(pid for name, pid in ids["pages"].items() if fake.pages[pid].ig_user_id == ig_id)
    return SocialAccount.objects.create(
        library=library,
        network="instagram",
        display_name=f"@{username}",
        handle=f"@{username}",
        server_url=fake.url,
        remote_id=ig_id,
        credentials={"access_token": fake.issue_page_token(page_id)},
        settings={"page_id": page_id},
    )


def facebook_account_on(fake, library, *, name: str = "Médiathèque de Lille") -> SocialAccount:
    page_id = fake.ids()["pages"][name]
    return SocialAccount.objects.create(
        library=library,
        network="facebook",
        display_name=name,
        handle=name,
        server_url=fake.url,
        remote_id=page_id,
        credentials={"access_token": fake.issue_page_token(page_id)},
    )


def threads_account_on(fake, library) -> SocialAccount:
    user_id = fake.ids()["threads"]["mediatheque_lille"]
    token = fake.issue_threads(user_id)
    return SocialAccount.objects.create(
        library=library,
        network="threads",
        display_name="Médiathèque de Lille",
        handle="@mediatheque_lille",
        server_url=fake.threads_url,
        remote_id=user_id,
        credentials={"access_token": token},
    )


@pytest.fixture
def cast(network):
    return SimpleNamespace(
        net=network,
        agent=member(network.a, Role.CONTRIBUTOR, username="agent"),
        admin=member(network.head, Role.ADMINISTRATOR, username="admin"),
    )


@pytest.fixture
def mastodon_account(fake_mastodon, network):
    return mastodon_account_on(fake_mastodon, network.a)


@pytest.fixture
def bluesky_account(fake_bluesky, network):
    return bluesky_account_on(fake_bluesky, network.a)


def approved_post(cast, accounts, *, when=dt.timedelta(seconds=30), body=None, **fields):
    """Create and submit a post (no chain: approved at once); the on-commit signal is
    run by the caller's capture (or by a real commit in transactional tests)."""
    from validation.services import post_submit

    post = post_create(
        library=cast.net.a,
        author=cast.agent,
        title=fields.pop("title", "Nuit du conte"),
        body=body or "Samedi soir, contes pour petits et grands à la médiathèque.",
        scheduled_at=timezone.now() + when,
        targets=[Target(network=a.network, account_id=a.pk) for a in accounts],
        **fields,
    )
    post_submit(post=post, by=cast.agent)
    post.refresh_from_db()
    return post


@pytest.fixture
def approve(cast, django_capture_on_commit_callbacks):
    def _approve(accounts, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return approved_post(cast, accounts, **kwargs)

    return _approve


@pytest.fixture
def li_account(fake_linkedin, network):
    return SocialAccount.objects.create(
        library=network.a,
        network="linkedin",
        display_name="Médiathèque de Lille",
        handle="mediatheque-de-lille",
        server_url=fake_linkedin.url,
        remote_id="10001",
        credentials=fake_linkedin.issue_token(),
    )


@pytest.fixture
def x_account(fake_x, network):
    token = fake_x.issue_token()
    return SocialAccount.objects.create(
        library=network.a,
        network="x",
        display_name="Médiathèque de Lille",
        handle="@mediatheque_lille",
        server_url=fake_x.url,
        remote_id=X_USER,
        credentials={**token, "expires_at": int(timezone.now().timestamp()) + 7200},
    )
