"""The demo: Sandbox and Website-feed accounts, and approved posts that go out."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from publishing.models import Publication, SocialAccount
from publishing.services import dispatch_due, publication_publish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_demo_posts_go_out_on_the_sandbox_and_the_website_feed():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    assert set(SocialAccount.objects.values_list("network", flat=True)) >= {"sandbox", "website"}
    mine = Publication.objects.filter(post__notes__startswith="[démo publication]")
    assert mine.count() == 4
    sweep = dispatch_due(now=timezone.now() + dt.timedelta(minutes=11))
    outcomes = {publication_publish(publication_id=pk) for pk, _eta in sweep.sent}
    assert outcomes == {"published"}
    assert set(mine.values_list("state", flat=True)) == {"published"}
