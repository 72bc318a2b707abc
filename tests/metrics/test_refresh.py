"""Collection: tiers on a frozen clock, batching per account, the rate caps at a tier
boundary, deleted posts, reconnect pause and 429 — against the fake networks."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.utils import timezone

from metrics.models import MetricRefresh, MetricSnapshot
from metrics.refresh import next_refresh_at, refresh_batch, refresh_sweep
from networks import mastodon as mastodon_module
from posts.models import Post
from publishing.models import AccountStatus, Publication
from tests.factories import PostFactory, SocialAccountFactory
from tests.metrics.conftest import publish_on

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
MIN, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


def _sweep_and_refresh(now):
    sent = []
    sweep = refresh_sweep(now=now, send=sent.extend)
    outcomes = [refresh_batch(refresh_ids=ids, now=now) for ids in sweep.batches]
    return sweep, outcomes


@pytest.fixture(autouse=True)
def _forget_batch_support():
    mastodon_module._NO_BATCH_LOOKUP.clear()
    yield
    mastodon_module._NO_BATCH_LOOKUP.clear()


# --- tiers -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("age", "low", "high"),
    [
        (dt.timedelta(0), 7.5 * MIN, 22.5 * MIN),  # first 6 h: every 15 min
        (5 * HOUR, 7.5 * MIN, 22.5 * MIN),
        (10 * HOUR, 30 * MIN, 90 * MIN),  # until 48 h: hourly
        (3 * DAY, 12 * HOUR, 36 * HOUR),  # until 30 d: daily
        (40 * DAY, 3.5 * DAY, 10.5 * DAY),  # until 90 d: weekly
    ],
)
def test_next_refresh_follows_the_age_tier(age, low, high):
    published_at = T0 - age
    at = next_refresh_at(published_at=published_at, now=T0, account_id=7)
    assert low <= at - T0 <= high


def test_refreshing_stops_after_the_last_tier():
    assert next_refresh_at(published_at=T0 - 91 * DAY, now=T0, account_id=7) is None
    last = next_refresh_at(published_at=T0 - 89 * DAY, now=T0, account_id=7)
    assert last is None or last - (T0 - 89 * DAY) <= 90 * DAY


def test_an_accounts_publications_of_every_tier_fall_due_together():
    ages = [2 * HOUR, 20 * HOUR, 5 * DAY]
    slots = {
        age: next_refresh_at(published_at=T0 - age, now=T0 + 3 * DAY, account_id=7) for age in ages
    }
    # The daily slot is also an hourly and a quarter-hour slot of the same account.
    daily = slots[5 * DAY]
    for slot in slots.values():
        assert (daily - slot).total_seconds() % 900 == 0
    other_account = next_refresh_at(published_at=T0 - 5 * DAY, now=T0 + 3 * DAY, account_id=8)
    assert other_account != daily  # accounts are spread over the day


def test_which_publications_are_due_when_over_a_day_on_a_frozen_clock(settings):
    # given: sandbox publications (no HTTP) aged 1 h, 12 h, 5 days and 100 days at T0
    account = SocialAccountFactory(network="sandbox", server_url="http://annexe.test/bac")
    ages = {"1h": HOUR, "12h": 12 * HOUR, "5d": 5 * DAY, "100d": 100 * DAY}
    publications = {}
    for name, age in ages.items():
        post = PostFactory(library=account.library)
        publications[name] = Publication.objects.create(
            post=post,
            account=account,
            network="sandbox",
            state="published",
            scheduled_at=T0 - age,
            published_at=T0 - age,
            remote_id=f"sandbox:{name}",
        )
    # when: a sweep every 5 minutes for 24 hours, the clock frozen at each step
    refreshed_at = {name: [] for name in ages}
    moment = T0
    while moment < T0 + DAY:
        with time_machine.travel(moment, tick=False):
            _sweep_and_refresh(moment)
        moment += 5 * MIN
    for snapshot in MetricSnapshot.objects.select_related("publication"):
        name = snapshot.publication.remote_id.removeprefix("sandbox:")
        refreshed_at[name].append(snapshot.taken_at)
    # then: 15-minute refreshes until 6 h of age, then hourly; daily; never after 90 days
    young = refreshed_at["1h"]
    first_hours = [t for t in young if t - (T0 - HOUR) < 6 * HOUR]
    later = [t for t in young if t - (T0 - HOUR) >= 6 * HOUR]
    assert 18 <= len(first_hours) <= 21
    assert all(b - a == 15 * MIN for a, b in itertools.pairwise(first_hours))
    assert 17 <= len(later) <= 20
    assert all(b - a == HOUR for a, b in itertools.pairwise(later[1:]))
    assert 23 <= len(refreshed_at["12h"]) <= 25
    assert len(refreshed_at["5d"]) == 1
    assert refreshed_at["100d"] == []
    assert not MetricRefresh.objects.filter(publication=publications["100d"]).exists()


# --- batching ----------------------------------------------------------------------------
def test_mastodon_refreshes_twenty_statuses_per_request(mastodon_account, fake_mastodon):
    publications = [publish_on(mastodon_account) for _ in range(45)]
    fake_mastodon.journal.clear()
    due = max(p.metric_refresh.next_refresh_at for p in publications)

    sweep, outcomes = _sweep_and_refresh(due)

    assert sorted(len(b) for b in sweep.batches) == [5, 20, 20]
    assert set(outcomes) == {"refreshed"}
    assert len(fake_mastodon.requests(path="/api/v1/statuses", method="GET")) == 3
    assert len(fake_mastodon.requests()) == 3  # 0.067 requests per refreshed publication
    assert MetricSnapshot.objects.count() == 45


def test_bluesky_refreshes_twenty_five_posts_per_request(bluesky_account, fake_bluesky):
    publications = [publish_on(bluesky_account) for _ in range(30)]
    fake_bluesky.set_counts(publications[0].remote_id, likes=0, replies=4, quotes=2)
    fake_bluesky.journal.clear()
    due = max(p.metric_refresh.next_refresh_at for p in publications)

    sweep, _outcomes = _sweep_and_refresh(due)

    assert sorted(len(b) for b in sweep.batches) == [5, 25]
    assert len(fake_bluesky.requests(path="/xrpc/app.bsky.feed.getPosts")) == 2
    assert len(fake_bluesky.requests()) == 2
    first = MetricSnapshot.objects.get(publication=publications[0])
    assert (first.replies, first.quotes, first.impressions) == (4, 2, None)


def test_mastodon_without_the_batch_lookup_is_asked_one_status_at_a_time(
    mastodon_account, fake_mastodon
):
    publications = [publish_on(mastodon_account) for _ in range(3)]
    fake_mastodon.set_counts(publications[1].remote_id, favourites=7, reblogs=0, replies=1)
    # An older server: no GET /api/v1/statuses (404), statuses one by one instead.
    fake_mastodon.configure(batch_lookup=False)
    fake_mastodon.journal.clear()
    due = max(p.metric_refresh.next_refresh_at for p in publications)

    _sweep_and_refresh(due)

    assert len(fake_mastodon.requests(path="/api/v1/statuses")) == 1  # tried once, remembered
    assert len(fake_mastodon.requests(path_prefix="/api/v1/statuses/")) >= 3
    second = MetricSnapshot.objects.get(publication=publications[1])
    assert (second.likes, second.replies) == (7, 1)


# --- a tier boundary with 10,000 publications --------------------------------------------
def test_a_tier_boundary_of_ten_thousand_publications_never_exceeds_the_rate(settings):
    settings.METRICS_SWEEP_INTERVAL = 60
    settings.METRICS_REFRESH_PER_MINUTE = 1000
    settings.METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE = 100
    settings.METRICS_REFRESH_LEASE_SECONDS = 3600
    accounts = [
        SocialAccountFactory(network="mastodon", server_url=f"http://m{i}.test") for i in range(40)
    ]
    first = PostFactory(library=accounts[0].library)
    posts = Post.objects.bulk_create(
        PostFactory.build(library=first.library, author=first.author) for _ in range(250)
    )
    publications = Publication.objects.bulk_create(
        Publication(
            post=posts[i // 40],
            account=accounts[i % 40],
            network="mastodon",
            state="published",
            scheduled_at=T0 - 6 * HOUR,
            published_at=T0 - 6 * HOUR,
            remote_id=str(i),
            key=str(i),
        )
        for i in range(10_000)
    )
    MetricRefresh.objects.bulk_create(
        MetricRefresh(
            publication=p,
            account_id=p.account_id,
            published_at=p.published_at,
            next_refresh_at=T0,  # all of them due at the same instant
        )
        for p in publications
    )

    claimed_per_sweep = []
    for minute in range(12):
        sweep = refresh_sweep(now=T0 + minute * MIN, send=lambda batches: None)
        claimed_per_sweep.append(sweep.claimed)
        per_account = {}
        for batch in sweep.batches:
            account_id = MetricRefresh.objects.get(pk=batch[0]).account_id
            per_account[account_id] = per_account.get(account_id, 0) + len(batch)
            assert len(batch) <= 20
        assert max(per_account.values(), default=0) <= 100

    assert claimed_per_sweep[:10] == [1000] * 10
    assert claimed_per_sweep[10:] == [0, 0]  # all claimed, leases not yet expired


def test_a_sweep_run_twice_at_once_claims_each_row_once(mastodon_account, fake_mastodon):
    publications = [publish_on(mastodon_account) for _ in range(5)]
    due = max(p.metric_refresh.next_refresh_at for p in publications)

    first = refresh_sweep(now=due, send=lambda b: None)
    second = refresh_sweep(now=due, send=lambda b: None)

    assert (first.claimed, second.claimed) == (5, 0)


# --- deleted posts, reconnect, 429 -------------------------------------------------------
def test_a_post_deleted_on_mastodon_is_marked_and_no_longer_refreshed(
    mastodon_account, fake_mastodon
):
    kept, deleted = publish_on(mastodon_account), publish_on(mastodon_account)
    fake_mastodon.delete_status(deleted.remote_id)
    due = max(kept.metric_refresh.next_refresh_at, deleted.metric_refresh.next_refresh_at)

    _sweep_and_refresh(due)

    deleted.refresh_from_db()
    refresh = MetricRefresh.objects.get(publication=deleted)
    assert deleted.remote_deleted_at == due and refresh.remote_deleted_at == due
    assert refresh.next_refresh_at is None
    assert not MetricSnapshot.objects.filter(publication=deleted).exists()
    assert MetricSnapshot.objects.filter(publication=kept).count() == 1


def test_a_post_deleted_on_bluesky_is_marked(bluesky_account, fake_bluesky):
    deleted = publish_on(bluesky_account)
    fake_bluesky.delete_post(deleted.remote_id)

    _sweep_and_refresh(deleted.metric_refresh.next_refresh_at)

    assert MetricRefresh.objects.get(publication=deleted).remote_deleted_at is not None


def test_an_account_that_needs_reconnecting_is_skipped_until_reconnected(
    mastodon_account, fake_mastodon
):
    publication = publish_on(mastodon_account)
    due = publication.metric_refresh.next_refresh_at
    SocialAccount = type(mastodon_account)
    SocialAccount.objects.filter(pk=mastodon_account.pk).update(
        status=AccountStatus.NEEDS_RECONNECT
    )
    fake_mastodon.journal.clear()

    assert refresh_sweep(now=due + HOUR, send=lambda b: None).claimed == 0
    assert fake_mastodon.requests() == []

    SocialAccount.objects.filter(pk=mastodon_account.pk).update(status=AccountStatus.CONNECTED)
    _sweep_and_refresh(due + 2 * HOUR)
    assert MetricSnapshot.objects.filter(publication=publication).count() == 1


def test_a_revoked_token_flags_the_account_and_stores_nothing(mastodon_account, fake_mastodon):
    publication = publish_on(mastodon_account)
    fake_mastodon.revoke_token(mastodon_account.credentials["access_token"])

    _sweep, outcomes = _sweep_and_refresh(publication.metric_refresh.next_refresh_at)

    assert outcomes == ["needs_reconnect"]
    mastodon_account.refresh_from_db()
    assert mastodon_account.status == AccountStatus.NEEDS_RECONNECT
    refresh = MetricRefresh.objects.get(publication=publication)
    assert refresh.claimed_until is None and refresh.next_refresh_at is not None
    assert not MetricSnapshot.objects.exists()


def test_429_waits_for_the_reset_the_network_gave(mastodon_account, fake_mastodon):
    publications = [publish_on(mastodon_account) for _ in range(3)]
    due = max(p.metric_refresh.next_refresh_at for p in publications)
    fake_mastodon.inject_rate_limited("/api/v1/statuses", method="GET", reset_in=7200)

    _sweep, outcomes = _sweep_and_refresh(due)

    assert outcomes == ["rate_limited"]
    reset = timezone.now() + dt.timedelta(seconds=7100)  # the fake's clock is the real one
    for refresh in MetricRefresh.objects.all():
        assert refresh.next_refresh_at > reset and refresh.claimed_until is None
    fake_mastodon.journal.clear()
    assert refresh_sweep(now=due + 20 * MIN, send=lambda b: None).claimed == 0
    later = max(r.next_refresh_at for r in MetricRefresh.objects.all())
    _sweep_and_refresh(later)
    assert MetricSnapshot.objects.count() == 3
    assert len(fake_mastodon.requests()) == 1


def test_accounts_of_one_instance_share_batch_requests_and_private_posts_are_asked_again(
    mastodon_account, fake_mastodon, network
):
    # given: a second library account on the same instance, with a followers-only post
    from networks.client import PublishRequest
    from networks.mastodon import SCOPES
    from publishing.services.render import client_account

    fake_mastodon.add_user("annexe-b")
    other = SocialAccountFactory(
        library=network.b,
        network="mastodon",
        server_url=fake_mastodon.url,
        handle=f"@annexe-b@{fake_mastodon.domain}",
        credentials={"access_token": fake_mastodon.issue_token("annexe-b", " ".join(SCOPES))},
    )
    mine = [publish_on(mastodon_account) for _ in range(9)]
    theirs = [publish_on(other) for _ in range(9)]
    private = mastodon_module.MastodonClient().publish(
        client_account(other), PublishRequest(key="k-private", text="Réservé", visibility="private")
    )
    hidden = publish_on(other)
    Publication.objects.filter(pk=hidden.pk).update(remote_id=private.remote_id)
    now = timezone.now() + HOUR
    MetricRefresh.objects.update(next_refresh_at=now)
    fake_mastodon.journal.clear()

    sweep, _outcomes = _sweep_and_refresh(now)

    assert [len(b) for b in sweep.batches] == [19]  # 9 + 10 in one batch
    lookups = fake_mastodon.requests(path="/api/v1/statuses")
    assert len(lookups) <= 2  # one for all, plus the hidden one asked by its owner
    assert MetricSnapshot.objects.count() == 19
    assert not MetricRefresh.objects.filter(remote_deleted_at__isnull=False).exists()
    assert {p.pk for p in mine + theirs + [hidden]} == set(
        MetricSnapshot.objects.values_list("publication_id", flat=True)
    )
