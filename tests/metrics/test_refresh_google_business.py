"""Collection on Google Business Profile: ten posts per insights call, views and button
clicks stored, and a retired insights method leaving the counts unknown without failing
the refresh (against the fake)."""

import pytest

from metrics.models import MetricSnapshot
from metrics.refresh import refresh_batch, refresh_sweep
from tests.metrics.conftest import publish_on

pytestmark = pytest.mark.django_db


def _refresh_all(publications):
    due = max(p.metric_refresh.next_refresh_at for p in publications)
    sweep = refresh_sweep(now=due, send=lambda batches: None)
    return sweep, [refresh_batch(refresh_ids=ids, now=due) for ids in sweep.batches]


def test_views_and_button_clicks_ten_posts_per_call(location, fake_google_business):
    publications = [publish_on(location) for _ in range(12)]
    fake_google_business.set_post_metrics(
        publications[0].remote_id, LOCAL_POST_VIEWS_SEARCH=250, LOCAL_POST_ACTIONS_CALL_TO_ACTION=9
    )
    fake_google_business.journal.clear()

    sweep, outcomes = _refresh_all(publications)

    assert sorted(len(b) for b in sweep.batches) == [2, 10]
    assert set(outcomes) == {"refreshed"}
    insights = fake_google_business.requests(
        f"/v4/{location.remote_id}/localPosts:reportInsights", method="POST"
    )
    assert len(insights) == 2
    first = MetricSnapshot.objects.get(publication=publications[0])
    assert (first.impressions, first.clicks, first.likes) == (250, 9, 0)


def test_retired_post_insights_never_fail_the_refresh(location, fake_google_business):
    publications = [publish_on(location) for _ in range(3)]
    fake_google_business.configure(post_insights="retired")

    _sweep, outcomes = _refresh_all(publications)

    assert set(outcomes) == {"refreshed"}
    snapshots = MetricSnapshot.objects.filter(publication__in=publications)
    assert snapshots.count() == 3
    assert {s.impressions for s in snapshots} == {None}
