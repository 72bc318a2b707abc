"""The exactly-once fault of the publishing engine on Google Business Profile, with a
real Celery worker process (see test_worker.py): the worker is SIGKILLed while its post
is in flight and Google still creates it; the restarted worker finds it."""

import datetime as dt

import pytest

from publishing.models import Publication
from tests.publishing.conftest import approved_post
from tests.publishing.test_engine_google_business import location_account_on
from tests.publishing.test_worker import (  # noqa: F401  (fixtures)
    _all_published,
    _dispatch_until,
    start_worker,
)
from tests.support.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_killed_during_a_publish_is_reconciled_not_duplicated(
    start_worker,  # noqa: F811  (the fixture imported above)
    cast,
    fake_google_business,
):
    fake = fake_google_business
    worker = start_worker()
    account = location_account_on(fake, cast.net.a)
    path = f"/v4/{account.remote_id}/localPosts"
    fake.inject(path, method="POST", mode="delay", seconds=2)
    post = approved_post(cast, [account], when=dt.timedelta(seconds=1))

    _dispatch_until(lambda: fake.requests(path, "POST"), message="the request")
    worker.kill()
    wait_until(lambda: len(fake.gbp_posts()) == 1, timeout=10, message="the late post")
    start_worker()

    _dispatch_until(lambda: _all_published(post))

    assert Publication.objects.get(post=post).remote_id == fake.gbp_posts()[0]["name"]
    assert len(fake.gbp_posts()) == 1
    assert len(fake.requests(path, "POST")) == 1  # found, never sent again
