"""End to end with a real Celery worker process and the fake networks over HTTP:
on time, once; and the faults (worker SIGKILLed mid-publish, every broker message
lost). The dispatcher runs in the test process (what beat does every few seconds);
the worker runs publish_publication from the broker (Redis in CI).

Losing the broker's messages: in CI we cannot restart the Redis server (other
helpers share it), so we FLUSHDB our own database number only (the one in
CELERY_BROKER_URL), which is what a restarted Redis without persistence looks like
to us; with the filesystem broker, we delete the queued message files."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from posts.models import Post, PostState
from publishing.models import Publication, PublicationState
from publishing.services import dispatch_due
from tests.publishing.conftest import approved_post, bluesky_account_on, mastodon_account_on
from tests.support.worker import WorkerProcess, _database_url, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
S = PublicationState


@pytest.fixture
def start_worker(django_db_setup, tmp_path):
    """Start (and restart) worker processes on the test database, with a short lease."""
    from django.db import connection

    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url(connection.settings_dict)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["PUBLISHING_LEASE_SECONDS"] = "3"
    env["EMAIL_URL"] = f"filemail:///{tmp_path}"
    started = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(env)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _dispatch_until(predicate, timeout=90, message="publications settled"):
    # Generous: a loaded CI machine starts a worker process and reconciles slowly; a
    # passing run returns as soon as the outcome is there.
    def step():
        dispatch_due()
        return predicate()

    return wait_until(step, timeout=timeout, interval=0.3, message=message)


def _lose_every_message() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()  # our own db number only
        return
    queue = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    for path in queue.glob("*"):
        path.unlink(missing_ok=True)


def _all_published(post):
    return set(Publication.objects.filter(post=post).values_list("state", flat=True)) == {
        S.PUBLISHED
    }


def test_approved_post_is_published_on_time_once_by_the_worker(
    start_worker, cast, fake_mastodon, fake_bluesky
):
    start_worker()
    accounts = [
        mastodon_account_on(fake_mastodon, cast.net.a),
        bluesky_account_on(fake_bluesky, cast.net.a),
    ]
    post = approved_post(cast, accounts, when=dt.timedelta(seconds=4))

    # The post follows its publications just after the last one is recorded.
    _dispatch_until(
        lambda: _all_published(post) and Post.objects.get(pk=post.pk).state == PostState.PUBLISHED
    )

    assert len(fake_mastodon.posts()) == 1
    assert len(fake_bluesky.posts()) == 1
    for publication in Publication.objects.filter(post=post):
        assert publication.remote_id and publication.remote_url
        assert publication.published_at >= post.scheduled_at - dt.timedelta(seconds=1)
    assert Post.objects.get(pk=post.pk).state == PostState.PUBLISHED


def test_worker_killed_during_a_publish_is_reconciled_not_duplicated(
    start_worker, cast, fake_mastodon
):
    worker = start_worker()
    account = mastodon_account_on(fake_mastodon, cast.net.a)
    # The network is slow: the worker is killed while its request is in flight, and
    # the server still creates the status afterwards.
    fake_mastodon.inject("/api/v1/statuses", method="POST", mode="delay", seconds=2)
    post = approved_post(cast, [account], when=dt.timedelta(seconds=1))

    _dispatch_until(
        lambda: fake_mastodon.requests("/api/v1/statuses", "POST"), message="the request"
    )
    worker.kill()
    wait_until(lambda: len(fake_mastodon.posts()) == 1, timeout=10, message="the late status")
    start_worker()

    _dispatch_until(lambda: _all_published(post))

    publication = Publication.objects.get(post=post)
    assert publication.remote_id == fake_mastodon.posts()[0]["id"]
    assert len(fake_mastodon.posts()) == 1


def test_every_broker_message_lost_is_sent_again_from_the_database(
    start_worker, cast, fake_mastodon, settings
):
    settings.PUBLISHING_REQUEUE_AFTER_SECONDS = 2
    account = mastodon_account_on(fake_mastodon, cast.net.a)
    post = approved_post(cast, [account], when=dt.timedelta(seconds=1))
    # No worker yet: the dispatcher hands the publication to the broker…
    wait_until(
        lambda: dispatch_due().claimed or Publication.objects.filter(state=S.QUEUED).exists(),
        message="the claim",
    )
    # …which loses everything (a Redis restart without persistence).
    _lose_every_message()
    start_worker()

    _dispatch_until(lambda: _all_published(post))

    assert len(fake_mastodon.posts()) == 1


def test_the_same_message_delivered_twice_publishes_once(start_worker, cast, fake_mastodon):
    from publishing.tasks import publish_publication

    start_worker()
    account = mastodon_account_on(fake_mastodon, cast.net.a)
    post = approved_post(cast, [account], when=dt.timedelta(seconds=1))
    wait_until(lambda: timezone.now() > post.scheduled_at, message="the time")
    sweep = dispatch_due()
    for pk, _eta in sweep.sent:
        publish_publication.delay(pk)  # a second delivery of the same task

    _dispatch_until(lambda: _all_published(post))
    wait_until(lambda: True, timeout=1)
    assert len(fake_mastodon.posts()) == 1
