"""End to end with a real Celery worker process: beat's "metrics-refresh-sweep" entry is
sent to the broker as beat sends it, the worker runs the sweep, which enqueues one
refresh batch per account, and the worker runs those against the fake Mastodon and
Bluesky servers over HTTP. The snapshots it stores are what the dashboard and the
post page then show (read by the test client in this process).

Broker and database are the session's: Redis and PostgreSQL in CI (`CI=true make
test`, checked below), the filesystem broker and SQLite otherwise."""

import os
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from libraries.models import Role
from metrics.models import Colleague, MetricRefresh, MetricSnapshot
from networks import get_network
from networks.client import PublishRequest
from publishing.services.render import client_account
from tests.conftest import IN_CI
from tests.factories import PostFactory, member
from tests.publishing.conftest import bluesky_account_on, mastodon_account_on
from tests.publishing.published import published
from tests.support.worker import WorkerProcess, _database_url, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def metrics_worker(django_db_setup, tmp_path):
    """A worker on the test database whose first refresh tier is 2 seconds (so a post
    published now is due within seconds, not at its account's next quarter-hour)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url(connection.settings_dict)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["EMAIL_URL"] = f"filemail:///{tmp_path}"
    env["METRICS_REFRESH_TIERS"] = "1h:2s,90d:1d"
    worker = WorkerProcess(env)
    worker.start()
    yield worker
    worker.stop()


def _published_on(account, title: str):
    """A post really published on the account's fake, recorded as published (no
    MetricRefresh: the sweep adopts it, as in production)."""
    client = get_network(account.network).client()
    post = PostFactory(library=account.library, title=title, state="published")
    remote = client.publish(
        client_account(account),
        PublishRequest(key=client.new_key(str(uuid.uuid4()), timezone.now()), text=title),
    )
    return published(
        post, account, remote_id=remote.remote_id, remote_url=remote.url, remote_data=remote.data
    )


def _beat_sends_the_sweep() -> None:
    entry = celery_app.conf.beat_schedule["metrics-refresh-sweep"]
    celery_app.send_task(entry["task"], **entry.get("options", {}))


def test_beat_sweep_refreshes_counts_through_the_worker_and_they_show(
    metrics_worker, client, network, fake_mastodon, fake_bluesky
):
    if IN_CI:  # the point of this test in CI: the production stack
        assert connection.vendor == "postgresql"
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    # given: one post on Mastodon and one on Bluesky of branch A, liked and shared by
    # a listed colleague and by the public
    Colleague.objects.create(library=network.head, identifier="alice@bibliotheques.social")
    mastodon = mastodon_account_on(fake_mastodon, network.a)
    bluesky = bluesky_account_on(fake_bluesky, network.a)
    toot = _published_on(mastodon, "Nuit de la lecture")
    skeet = _published_on(bluesky, "Heure du conte")
    alice = fake_mastodon.add_account("alice", domain="bibliotheques.social")["id"]
    fake_mastodon.favourite(toot.remote_id, alice)
    fake_mastodon.reblog_by(toot.remote_id, alice)
    for name in ("lea", "marc", "nina"):
        fake_mastodon.favourite(
            toot.remote_id, fake_mastodon.add_account(name, domain="mastodon.social")["id"]
        )
    for n in range(4):
        fake_bluesky.add_like(skeet.remote_id, handle=f"lecteur{n}.bsky.social")
    fake_bluesky.add_repost(skeet.remote_id, handle="lecteur0.bsky.social")
    fake_bluesky.set_counts(skeet.remote_id, replies=2)
    fake_mastodon.journal.clear()
    fake_bluesky.journal.clear()

    # when: beat sends its sweep (every few seconds here) until the worker has stored
    # a snapshot of both publications
    def refreshed():
        _beat_sends_the_sweep()
        return (
            MetricSnapshot.objects.filter(publication__in=[toot, skeet])
            .values("publication")
            .distinct()
            .count()
            == 2
        )

    wait_until(refreshed, timeout=90, interval=1.5, message="snapshots from the worker")

    # then: the worker asked the fakes (batched count requests, then the engager lists)
    assert fake_mastodon.requests(path="/api/v1/statuses", method="GET")
    assert fake_mastodon.requests(path=f"/api/v1/statuses/{toot.remote_id}/favourited_by")
    assert fake_bluesky.requests(path="/xrpc/app.bsky.feed.getPosts")
    assert fake_bluesky.requests(path="/xrpc/app.bsky.feed.getLikes")
    toot_snap = MetricSnapshot.objects.filter(publication=toot).latest("taken_at")
    assert (toot_snap.likes, toot_snap.public_likes, toot_snap.colleague_likes) == (4, 3, 1)
    assert (toot_snap.shares, toot_snap.public_shares, toot_snap.colleague_shares) == (1, 0, 1)
    skeet_snap = MetricSnapshot.objects.filter(publication=skeet).latest("taken_at")
    assert (skeet_snap.likes, skeet_snap.shares, skeet_snap.replies) == (4, 1, 2)
    refresh = MetricRefresh.objects.get(publication=toot)
    assert refresh.latest_id is not None and refresh.claimed_until is None
    assert refresh.next_refresh_at is not None

    # …and a member of the branch sees them: the dashboard's public figure (3 + 0 on
    # Mastodon, 4 + 1 + 2 on Bluesky) with the colleague's 2 apart, and each post page
    client.force_login(member(network.a, Role.CONTRIBUTOR))
    board = client.get(reverse("metrics:dashboard"), {"days": 7}).context["board"]
    assert board.totals["public"] == 3 + 7
    assert board.totals["colleagues"] == 2
    assert {row["name"]: row["public"] for row in board.by_network} == {
        "Mastodon": 3,
        "Bluesky": 7,
    }
    assert [p["post__title"] for p in board.top_posts] == ["Heure du conte", "Nuit de la lecture"]
    page = client.get(reverse("posts:detail", args=[toot.post_id])).content.decode()
    assert "Relevés de cette publication" in page
    assert "<td>Médiathèque (Mastodon)</td><td>3</td><td>2</td><td>4</td><td>1</td>" in page
