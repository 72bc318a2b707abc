"""The metrics cast: the publishing cast's accounts on the fake Mastodon and Bluesky,
and posts really published there (real HTTP), recorded as published publications."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from metrics.models import MetricRefresh
from metrics.refresh import next_refresh_at
from networks import get_network
from networks.client import PublishRequest
from publishing.models import SocialAccount
from publishing.services.render import client_account
from tests.factories import PostFactory
from tests.publishing.conftest import (  # noqa: F401 - fixtures
    bluesky_account,
    bluesky_account_on,
    cast,
    li_account,
    mastodon_account,
    mastodon_account_on,
    x_account,
)
from tests.publishing.published import published


def publish_on(account, *, when: dt.datetime | None = None, text: str = "") -> object:
    """A post published on the account's fake (really sent), its Publication and its
    refresh bookkeeping (as the sweep adopts it)."""
    when = when or timezone.now()
    client = get_network(account.network).client()
    post = PostFactory(library=account.library)
    key = client.new_key(_uuid(), timezone.now())
    remote = client.publish(
        client_account(account), PublishRequest(key=key, text=text or f"Billet {post.pk}")
    )
    publication = published(
        post,
        account,
        when=when,
        remote_id=remote.remote_id,
        remote_url=remote.url,
        remote_data=remote.data,
    )
    MetricRefresh.objects.create(
        publication=publication,
        account=account,
        published_at=when,
        next_refresh_at=next_refresh_at(
            published_at=when, now=when, account_id=account.pk, first=True
        ),
    )
    return publication


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


@pytest.fixture
def location(fake_google_business, network, settings):
    """A Google Business Profile location of branch A, connected on the fake."""
    settings.GOOGLE_BUSINESS_CLIENT_ID = fake_google_business.config.client_id
    settings.GOOGLE_BUSINESS_CLIENT_SECRET = fake_google_business.config.client_secret
    ids = fake_google_business.ids()
    group = ids["accounts"]["Réseau des médiathèques"]
    return SocialAccount.objects.create(
        library=network.a,
        network="google_business",
        display_name="Médiathèque de Lille",
        server_url=fake_google_business.url,
        remote_id=f"accounts/{group}/locations/{ids['locations']['Médiathèque de Lille']}",
        credentials={**fake_google_business.issue_token(), "expires_at": time.time() + 3500},
    )
