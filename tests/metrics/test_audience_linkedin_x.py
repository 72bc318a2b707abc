"""Public vs colleagues on X and LinkedIn, through the refresh (real HTTP to the fakes):
own accounts and listed colleagues set apart, LinkedIn's reshares all public, and a
list's rate limit that holds back neither the counts nor the account."""

import pytest

from metrics.audience import engager_hash
from metrics.models import Colleague, Engagement, MetricRefresh, MetricSnapshot
from metrics.refresh import refresh_batch, refresh_sweep
from networks import linkedin
from networks import x as xmodule
from publishing.models import AccountStatus
from tests.factories import SocialAccountFactory
from tests.metrics.conftest import publish_on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _apps(monkeypatch, settings, fake_linkedin, fake_x):
    monkeypatch.setattr(linkedin.posts, "POLL_DELAYS", (0.01,) * 3)
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret
    xmodule.stats._list_budgets.clear()
    linkedin.stats._list_budgets.clear()
    yield
    xmodule.stats._list_budgets.clear()
    linkedin.stats._list_budgets.clear()


def _refresh(publication, at=None):
    refresh = MetricRefresh.objects.get(publication=publication)
    at = at or refresh.next_refresh_at
    sweep = refresh_sweep(now=at, send=lambda b: None)
    for ids in sweep.batches:
        refresh_batch(refresh_ids=ids, now=at)
    return MetricSnapshot.objects.filter(publication=publication).latest("taken_at")


def test_x_likes_and_reposts_of_colleagues_are_set_apart(x_account, fake_x, network):
    # given: the branch's own X account, a colleague listed by its profile address and
    # one by its @name, and two people of the public
    SocialAccountFactory(library=network.b, network="x", handle="@annexe_b", remote_id="42")
    Colleague.objects.create(library=network.head, identifier="https://x.com/alice_bib")
    Colleague.objects.create(library=network.a, identifier="@bob_bib")
    publication = publish_on(x_account)
    for name in ("annexe_b", "alice_bib", "bob_bib", "lea", "marc"):
        fake_x.like(publication.remote_id, name)
    fake_x.retweet(publication.remote_id, "alice_bib")
    fake_x.retweet(publication.remote_id, "lea")

    snapshot = _refresh(publication)

    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (5, 3, 2)
    assert (snapshot.shares, snapshot.colleague_shares, snapshot.public_shares) == (2, 1, 1)
    assert snapshot.audience_known
    actors = set(Engagement.objects.values_list("actor", flat=True))
    lea = next(u.id for u in fake_x.users.values() if u.username == "lea")
    assert engager_hash(lea) in actors and not any("lea" in a for a in actors)

    # Nothing changed: the next refresh asks for no list at all.
    fake_x.journal.clear()
    _refresh(publication)
    assert fake_x.requests(path_prefix=f"/2/tweets/{publication.remote_id}/") == []


def test_x_list_window_spent_keeps_counts_and_the_account_going(x_account, fake_x):
    publication = publish_on(x_account)
    fake_x.like(publication.remote_id, "lea")
    fake_x.exhaust_rate_limit("liking_users")

    snapshot = _refresh(publication)

    refresh = MetricRefresh.objects.get(publication=publication)
    x_account.refresh_from_db()
    assert snapshot.likes == 1 and snapshot.public_likes == 1
    assert refresh.audience_likes == 0  # not walked: the next refresh will
    assert x_account.status == AccountStatus.CONNECTED
    # The counts keep their own schedule (not pushed to the list's reset).
    assert (refresh.next_refresh_at - snapshot.taken_at).total_seconds() <= 15 * 60


def test_linkedin_reactions_of_own_pages_and_listed_colleagues(li_account, fake_linkedin, network):
    SocialAccountFactory(library=network.b, network="linkedin", remote_id="10002")
    Colleague.objects.create(library=network.a, identifier="urn:li:person:mD8xQ2pL1z")
    publication = publish_on(li_account)
    urn = publication.remote_id
    fake_linkedin.add_reaction(urn, "urn:li:organization:10002", "PRAISE")
    fake_linkedin.add_reaction(urn, "urn:li:person:mD8xQ2pL1z", "LIKE")
    fake_linkedin.add_reaction(urn, "urn:li:person:lecteur1", "EMPATHY")
    fake_linkedin.set_post_stats(urn, shareCount=3)

    snapshot = _refresh(publication)

    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (3, 2, 1)
    # No list of resharers on LinkedIn: every reshare counts as public.
    assert (snapshot.shares, snapshot.colleague_shares, snapshot.public_shares) == (3, 0, 3)
    assert Engagement.objects.filter(kind="share").count() == 0
