"""The exactly-once faults of the publishing engine on LinkedIn and X, with a real
Celery worker process (see test_worker.py): the worker is SIGKILLed while its post is
in flight and the network still creates it; the restarted worker finds it."""

import datetime as dt

import pytest
from django.utils import timezone

from publishing.models import Publication, SocialAccount
from tests.publishing.conftest import approved_post
from tests.publishing.test_worker import (  # noqa: F401  (fixtures)
    _all_published,
    _dispatch_until,
    start_worker,
)
from tests.support.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _linkedin(fake, library):
    return SocialAccount.objects.create(
        library=library,
        network="linkedin",
        display_name="Médiathèque de Lille",
        server_url=fake.url,
        remote_id="10001",
        credentials=fake.issue_token(),
    )


def _x(fake, library):
    return SocialAccount.objects.create(
        library=library,
        network="x",
        display_name="Médiathèque de Lille",
        handle="@mediatheque_lille",
        server_url=fake.url,
        remote_id="1500000000000000001",
        credentials={
            **fake.issue_token(),
            "expires_at": int(timezone.now().timestamp()) + 7200,
        },
    )


@pytest.mark.parametrize(("which", "path"), [("linkedin", "/rest/posts"), ("x", "/2/tweets")])
def test_worker_killed_during_a_publish_is_reconciled_not_duplicated(
    start_worker,  # noqa: F811  (the fixture imported above)
    cast,
    fake_linkedin,
    fake_x,
    which,
    path,
):
    fake = fake_linkedin if which == "linkedin" else fake_x
    posts = fake.li_posts if which == "linkedin" else fake.x_posts
    worker = start_worker()
    account = (_linkedin if which == "linkedin" else _x)(fake, cast.net.a)
    fake.inject(path, method="POST", mode="delay", seconds=2)
    post = approved_post(cast, [account], when=dt.timedelta(seconds=1))

    _dispatch_until(lambda: fake.requests(path, "POST"), message="the request")
    worker.kill()
    wait_until(lambda: len(posts()) == 1, timeout=10, message="the late post")
    start_worker()

    _dispatch_until(lambda: _all_published(post))

    assert Publication.objects.get(post=post).remote_id == posts()[0]["id"]
    assert len(posts()) == 1
    assert len(fake.requests(path, "POST")) == 1  # found, never sent again
