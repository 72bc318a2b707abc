"""Public vs colleagues: engager lists walked on the fakes (pagination, incremental
walks), classification, the public-only headline, hashed identifiers and retention."""

import datetime as dt

import pytest
from django.utils import timezone

from metrics.audience import engager_hash, engagers_purge
from metrics.models import Colleague, ColleagueMatch, Engagement, MetricRefresh, MetricSnapshot
from metrics.refresh import refresh_batch, refresh_sweep
from tests.factories import SocialAccountFactory
from tests.metrics.conftest import publish_on

pytestmark = pytest.mark.django_db


def _refresh(publication, at=None):
    refresh = MetricRefresh.objects.get(publication=publication)
    at = at or refresh.next_refresh_at
    sweep = refresh_sweep(now=at, send=lambda b: None)
    for ids in sweep.batches:
        refresh_batch(refresh_ids=ids, now=at)
    return MetricSnapshot.objects.filter(publication=publication).latest("taken_at")


def test_mastodon_likes_and_boosts_of_colleagues_are_set_apart(
    mastodon_account, fake_mastodon, network
):
    # given: an own account of branch B, a listed colleague, a listed domain (set on the
    # head library, inherited by branch A) and three people of the public
    host = fake_mastodon.url.split("://")[1]
    SocialAccountFactory(library=network.b, network="mastodon", handle=f"@annexe-b@{host}")
    Colleague.objects.create(library=network.a, identifier="alice@bibliotheques.social")
    Colleague.objects.create(
        library=network.head, match=ColleagueMatch.DOMAIN, identifier="collegues.example"
    )
    publication = publish_on(mastodon_account)
    status = publication.remote_id
    likers = {
        "annexe-b": fake_mastodon.add_account("annexe-b")["id"],
        "alice": fake_mastodon.add_account("alice", domain="bibliotheques.social")["id"],
        "bob": fake_mastodon.add_account("bob", domain="paris.collegues.example")["id"],
        **{
            name: fake_mastodon.add_account(name, domain="mastodon.social")["id"]
            for name in ("lea", "marc", "nina")
        },
    }
    for account_id in likers.values():
        fake_mastodon.favourite(status, account_id)
    fake_mastodon.reblog_by(status, likers["alice"])
    fake_mastodon.reblog_by(status, likers["lea"])

    snapshot = _refresh(publication)

    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (6, 3, 3)
    assert (snapshot.shares, snapshot.colleague_shares, snapshot.public_shares) == (2, 1, 1)
    assert snapshot.audience_known
    # Only keyed hashes are stored, never a handle.
    actors = set(Engagement.objects.values_list("actor", flat=True))
    assert engager_hash("alice@bibliotheques.social") in actors
    assert not any("alice" in a or "@" in a for a in actors)


def test_long_lists_are_paged_once_then_walked_incrementally(mastodon_account, fake_mastodon):
    publication = publish_on(mastodon_account)
    for n in range(100):
        liker = fake_mastodon.add_account(f"fan{n}", domain="mastodon.social")["id"]
        fake_mastodon.favourite(publication.remote_id, liker)
    fake_mastodon.journal.clear()

    first = _refresh(publication)
    pages = fake_mastodon.requests(path=f"/api/v1/statuses/{publication.remote_id}/favourited_by")
    assert len(pages) == 2  # 80 + 20 (Link rel="next")
    assert first.public_likes == 100

    for n in range(3):
        liker = fake_mastodon.add_account(f"new{n}", domain="mastodon.social")["id"]
        fake_mastodon.favourite(publication.remote_id, liker)
    fake_mastodon.journal.clear()
    second = _refresh(publication, MetricRefresh.objects.get().next_refresh_at)

    assert second.likes == 103 and second.public_likes == 103
    # One page (it holds already-seen likers) and no boosts list: none changed.
    assert len(fake_mastodon.requests(path_prefix="/api/v1/statuses/")) == 1
    assert Engagement.objects.count() == 103


def test_unchanged_counts_cost_no_list_request(mastodon_account, fake_mastodon):
    publication = publish_on(mastodon_account)
    fake_mastodon.favourite(publication.remote_id, fake_mastodon.add_account("x", "a.b")["id"])
    _refresh(publication)
    fake_mastodon.journal.clear()

    _refresh(publication, MetricRefresh.objects.get().next_refresh_at)

    assert [e.path for e in fake_mastodon.requests()] == ["/api/v1/statuses"]


def test_bluesky_likers_by_did_and_handle_domain(bluesky_account, fake_bluesky, network):
    colleague_did = fake_bluesky.add_actor("bu.univ-exemple.fr")
    Colleague.objects.create(library=network.a, identifier=colleague_did)
    Colleague.objects.create(
        library=network.a, match=ColleagueMatch.DOMAIN, identifier="bibliotheques.fr"
    )
    publication = publish_on(bluesky_account)
    uri = publication.remote_id
    fake_bluesky.add_like(uri, did=colleague_did)
    fake_bluesky.add_like(uri, handle="mediatheque.lyon.bibliotheques.fr")
    for n in range(120):
        fake_bluesky.add_like(uri, handle=f"lecteur{n}.bsky.social")
    fake_bluesky.add_repost(uri, handle="lecteur1.bsky.social")
    fake_bluesky.journal.clear()

    snapshot = _refresh(publication)

    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (122, 2, 120)
    assert (snapshot.shares, snapshot.public_shares) == (1, 1)
    # 100 + 22: all 122 counted are listed, so no request for the empty last page (the
    # AppView sends a cursor with every non-empty page).
    assert len(fake_bluesky.requests(path="/xrpc/app.bsky.feed.getLikes")) == 2


def test_a_like_taken_back_walks_the_whole_list_again(mastodon_account, fake_mastodon, network):
    Colleague.objects.create(library=network.a, identifier="alice@bibliotheques.social")
    publication = publish_on(mastodon_account)
    alice = fake_mastodon.add_account("alice", domain="bibliotheques.social")["id"]
    fake_mastodon.favourite(publication.remote_id, alice)
    fake_mastodon.favourite(publication.remote_id, fake_mastodon.add_account("p", "m.s")["id"])
    assert _refresh(publication).colleague_likes == 1

    fake_mastodon.favourites[publication.remote_id] = [
        row for row in fake_mastodon.favourites[publication.remote_id] if row[1] != alice
    ]
    fake_mastodon.set_counts(publication.remote_id, favourites=1)
    snapshot = _refresh(publication, MetricRefresh.objects.get().next_refresh_at)

    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (1, 0, 1)
    assert Engagement.objects.count() == 1


def test_networks_that_do_not_say_who_count_everything_as_public(network):
    account = SocialAccountFactory(library=network.a, network="sandbox")
    # Sandbox does list its simulated engagers; a network that does not (Facebook) is
    # represented by the flag: totals become the public figures.
    from metrics.refresh import _snapshot
    from networks.client import Metrics, NetworkClient

    refresh = MetricRefresh(publication_id=1, account=account, published_at=timezone.now())
    snapshot = _snapshot(NetworkClient(), refresh, Metrics(likes=9, shares=2), {}, timezone.now())
    assert (snapshot.public_likes, snapshot.colleague_likes, snapshot.audience_known) == (
        9,
        0,
        False,
    )


def test_engager_identifiers_are_purged_after_the_retention_and_counts_stay(
    mastodon_account, fake_mastodon, network, settings
):
    settings.METRICS_ENGAGER_RETENTION_DAYS = 30
    Colleague.objects.create(library=network.a, identifier="alice@bibliotheques.social")
    old = publish_on(mastodon_account, when=timezone.now() - dt.timedelta(days=31))
    recent = publish_on(mastodon_account)
    alice = fake_mastodon.add_account("alice", domain="bibliotheques.social")["id"]
    for publication in (old, recent):
        fake_mastodon.favourite(publication.remote_id, alice)
    now = timezone.now()
    for publication in (old, recent):
        MetricRefresh.objects.filter(publication=publication).update(next_refresh_at=now)
    _refresh(old, now)
    assert Engagement.objects.count() == 2

    assert engagers_purge(now=timezone.now()) == 1

    assert list(Engagement.objects.values_list("publication_id", flat=True)) == [recent.pk]
    # After the purge, the old post's lists are not walked again: a new like is public.
    fake_mastodon.favourite(old.remote_id, fake_mastodon.add_account("zoe", "m.s")["id"])
    fake_mastodon.journal.clear()
    snapshot = _refresh(old, MetricRefresh.objects.get(publication=old).next_refresh_at)
    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (2, 1, 1)
    assert "favourited_by" not in " ".join(e.path for e in fake_mastodon.requests())


def test_sandbox_colleagues_count_apart_once_their_domain_is_listed(network):
    from networks.sandbox import COLLEAGUE_DOMAIN
    from tests.factories import PostFactory
    from tests.publishing.published import published

    Colleague.objects.create(
        library=network.head, match=ColleagueMatch.DOMAIN, identifier=COLLEAGUE_DOMAIN
    )
    account = SocialAccountFactory(library=network.a, network="sandbox")
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    publication = published(PostFactory(library=network.a), account, when=two_days_ago)
    refresh_sweep(now=timezone.now(), send=lambda b: None)  # adopted
    due = MetricRefresh.objects.get(publication=publication).next_refresh_at

    snapshot = _refresh(publication, due)

    assert snapshot.colleague_likes > 0 and snapshot.public_likes > 0
    assert snapshot.colleague_likes + snapshot.public_likes == snapshot.likes
