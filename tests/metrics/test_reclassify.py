"""Engagement already seen follows the colleague list: adding a colleague moves its
past likes and shares from the public to the colleagues (and removing it moves them
back) on the dashboard, the post page and every snapshot, in bulk."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries.models import Role
from metrics import tasks
from metrics.models import Colleague, ColleagueMatch, Engagement, MetricRefresh, MetricSnapshot
from metrics.reclassify import engagements_reclassify
from metrics.refresh import refresh_batch, refresh_sweep
from tests.factories import member
from tests.metrics.conftest import bluesky_account_on, mastodon_account_on, publish_on

pytestmark = pytest.mark.django_db


def _refresh(publication, at=None):
    refresh = MetricRefresh.objects.get(publication=publication)
    at = at or refresh.next_refresh_at
    for ids in refresh_sweep(now=at, send=lambda b: None).batches:
        refresh_batch(refresh_ids=ids, now=at)
    return MetricSnapshot.objects.filter(publication=publication).latest("taken_at")


@pytest.fixture
def admin_client(client, network, django_capture_on_commit_callbacks):
    """An administrator of the head library posting to the colleague page; the task
    the page enqueues on commit runs at once (what the worker does)."""
    client.force_login(member(network.head, Role.ADMINISTRATOR))

    def post(path, data=None, library=None):
        with (
            mock.patch.object(
                tasks.reclassify_engagements,
                "delay",
                side_effect=lambda library_id: tasks.reclassify_engagements(library_id),
            ) as delay,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(path, data or {}, follow=True)
        assert delay.called, "the change enqueues the reclassification"
        return response

    client.post_and_reclassify = post
    return client


@pytest.fixture
def toot(network, fake_mastodon):
    """A Mastodon post of branch A liked by alice (bibliotheques.social), bob
    (paris.collegues.example) and lea (mastodon.social), boosted by alice; refreshed
    twice (two snapshots), with nobody listed as a colleague yet."""
    account = mastodon_account_on(fake_mastodon, network.a)
    publication = publish_on(account)
    fans = {
        "alice": fake_mastodon.add_account("alice", domain="bibliotheques.social")["id"],
        "bob": fake_mastodon.add_account("bob", domain="paris.collegues.example")["id"],
        "lea": fake_mastodon.add_account("lea", domain="mastodon.social")["id"],
    }
    fake_mastodon.favourite(publication.remote_id, fans["alice"])
    fake_mastodon.reblog_by(publication.remote_id, fans["alice"])
    first = _refresh(publication)
    fake_mastodon.favourite(publication.remote_id, fans["bob"])
    fake_mastodon.favourite(publication.remote_id, fans["lea"])
    _refresh(publication, MetricRefresh.objects.get().next_refresh_at)
    assert (first.likes, first.public_likes, first.public_shares) == (1, 1, 1)
    return publication


def _figures(client, network, publication):
    """What a member of branch A sees: the dashboard's public and colleague totals and
    the post page's table rows (public, colleagues) per snapshot."""
    client.force_login(member(network.a, Role.CONTRIBUTOR))
    board = client.get(reverse("metrics:dashboard"), {"days": 7}).context["board"]
    panel = client.get(reverse("posts:detail", args=[publication.post_id])).context
    rows = [(row["public"], row["colleagues"]) for row in panel["snapshots"]]
    return board.totals["public"], board.totals["colleagues"], rows


def test_adding_then_removing_a_colleague_moves_past_engagement_and_back(
    admin_client, network, toot
):
    # Before: all public (3 likes + 1 boost); the first snapshot saw alice only.
    before = _figures(admin_client, network, toot)
    assert before == (4, 0, [(2, 0), (4, 0)])

    # when: the head's administrator lists alice (branch A inherits the list)
    admin_client.force_login(member(network.head, Role.ADMINISTRATOR))
    response = admin_client.post_and_reclassify(
        reverse("metrics:colleagues"),
        {"identifier": "@alice@bibliotheques.social", "match": "account", "kind": "library"},
    )
    assert "sont reclassés" in response.content.decode()

    # then: her like and boost count as colleagues', on the dashboard and every snapshot
    assert _figures(admin_client, network, toot) == (2, 2, [(0, 2), (2, 2)])
    refresh = MetricRefresh.objects.get(publication=toot)
    assert (refresh.colleague_likes, refresh.colleague_shares) == (1, 1)
    latest = refresh.latest
    assert (latest.likes, latest.public_likes, latest.colleague_likes) == (3, 2, 1)
    assert (latest.shares, latest.public_shares, latest.colleague_shares) == (1, 0, 1)

    # when: a whole domain is listed: bob (paris.collegues.example) moves too
    admin_client.force_login(member(network.head, Role.ADMINISTRATOR))
    admin_client.post_and_reclassify(
        reverse("metrics:colleagues"),
        {"identifier": "collegues.example", "match": "domain", "kind": "professional"},
    )
    assert _figures(admin_client, network, toot) == (1, 3, [(0, 2), (1, 3)])

    # when: alice is removed: back to the public
    admin_client.force_login(member(network.head, Role.ADMINISTRATOR))
    alice = Colleague.objects.get(identifier="alice@bibliotheques.social")
    admin_client.post_and_reclassify(reverse("metrics:colleague_delete", args=[alice.pk]))
    assert _figures(admin_client, network, toot) == (3, 1, [(2, 0), (3, 1)])
    assert Engagement.objects.filter(is_colleague=True).count() == 1


def test_later_refreshes_keep_the_reclassified_counts(network, fake_mastodon, toot):
    Colleague.objects.create(library=network.a, identifier="alice@bibliotheques.social")
    engagements_reclassify(library_id=network.a.pk)

    # A new like walks the list incrementally: alice stays a colleague.
    fake_mastodon.favourite(toot.remote_id, fake_mastodon.add_account("max", "m.s")["id"])
    snapshot = _refresh(toot, MetricRefresh.objects.get().next_refresh_at)

    assert (snapshot.likes, snapshot.public_likes, snapshot.colleague_likes) == (4, 3, 1)
    assert (snapshot.shares, snapshot.public_shares, snapshot.colleague_shares) == (1, 0, 1)


def test_bluesky_colleagues_by_handle_and_by_domain(network, fake_bluesky):
    account = bluesky_account_on(fake_bluesky, network.a)
    publication = publish_on(account)
    fake_bluesky.add_like(publication.remote_id, handle="bu.univ-exemple.fr")
    fake_bluesky.add_like(publication.remote_id, handle="mediatheque.lyon.bibliotheques.fr")
    fake_bluesky.add_repost(publication.remote_id, handle="mediatheque.lyon.bibliotheques.fr")
    for n in range(3):
        fake_bluesky.add_like(publication.remote_id, handle=f"lecteur{n}.bsky.social")
    assert _refresh(publication).public_likes == 5

    # A handle listed as an account (the row's key is the DID: its handle hash matches)
    Colleague.objects.create(library=network.a, identifier="bu.univ-exemple.fr")
    # …and a domain, matching a handle two levels below it.
    Colleague.objects.create(
        library=network.a, match=ColleagueMatch.DOMAIN, identifier="bibliotheques.fr"
    )
    moved = engagements_reclassify(library_id=network.a.pk)

    assert (moved.to_colleagues, moved.to_public) == (3, 0)
    latest = MetricRefresh.objects.get(publication=publication).latest
    assert (latest.public_likes, latest.colleague_likes) == (3, 2)
    assert (latest.public_shares, latest.colleague_shares) == (0, 1)
    # Nothing in clear: hashes only.
    for row in Engagement.objects.all():
        assert "bibliotheques" not in row.domain_keys + row.handle_key + row.actor


def test_a_branch_s_own_list_leaves_its_sister_branch_alone(
    network, fake_mastodon, toot, django_capture_on_commit_callbacks
):
    from metrics.colleague_services import colleague_add

    account_b = mastodon_account_on(fake_mastodon, network.b)
    toot_b = publish_on(account_b)
    alice = fake_mastodon.add_account("alice", domain="bibliotheques.social")["id"]
    fake_mastodon.favourite(toot_b.remote_id, alice)
    _refresh(toot_b)

    with (
        mock.patch.object(tasks.reclassify_engagements, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        colleague_add(
            library=network.b,
            by=None,
            identifier="alice@bibliotheques.social",
            match="account",
            kind="staff",
        )
    delay.assert_called_once_with(network.b.pk)
    engagements_reclassify(library_id=network.b.pk)

    assert MetricRefresh.objects.get(publication=toot_b).latest.colleague_likes == 1
    assert MetricRefresh.objects.get(publication=toot).latest.colleague_likes == 0


def test_the_work_is_bulk_and_idempotent(network, fake_mastodon):
    account = mastodon_account_on(fake_mastodon, network.a)
    publications = [publish_on(account) for _ in range(3)]
    for publication in publications:
        for n in range(30):
            fan = fake_mastodon.add_account(f"fan{n}", domain=f"bib{n % 3}.example")["id"]
            fake_mastodon.favourite(publication.remote_id, fan)
    due = max(p.metric_refresh.next_refresh_at for p in publications)
    for ids in refresh_sweep(now=due, send=lambda b: None).batches:
        refresh_batch(refresh_ids=ids, now=due)
    Colleague.objects.create(
        library=network.head, match=ColleagueMatch.DOMAIN, identifier="bib1.example"
    )

    with CaptureQueriesContext(connection) as first:
        moved = engagements_reclassify(library_id=network.head.pk)
    with CaptureQueriesContext(connection) as second:
        again = engagements_reclassify(library_id=network.head.pk)

    assert (moved.to_colleagues, moved.to_public) == (30, 0)
    assert (again.to_colleagues, again.to_public) == (0, 0)
    # A few statements per group of libraries with the same rules, not one per row.
    assert len(first) <= 15, [q["sql"] for q in first.captured_queries]
    assert len(second) == len(first)
    assert set(
        MetricRefresh.objects.filter(publication__in=publications).values_list(
            "latest__public_likes", "latest__colleague_likes"
        )
    ) == {(20, 10)}


def test_purged_and_older_rows_keep_what_cannot_be_proven(network, toot):
    # Engagement seen before the handle and domain hashes were kept: only its stable
    # identifier can be matched; it never moves back to the public.
    Engagement.objects.update(handle_key="", domain_keys="")
    Colleague.objects.create(
        library=network.a, match=ColleagueMatch.DOMAIN, identifier="bibliotheques.social"
    )
    assert engagements_reclassify(library_id=network.a.pk).to_colleagues == 0
    Colleague.objects.create(library=network.a, identifier="lea@mastodon.social")
    assert engagements_reclassify(library_id=network.a.pk).to_colleagues == 1
    Colleague.objects.all().delete()
    assert engagements_reclassify(library_id=network.a.pk).to_public == 0
    assert MetricRefresh.objects.get(publication=toot).latest.colleague_likes == 1


def test_snapshots_never_go_below_zero_or_above_the_total(network, toot):
    snapshot = MetricRefresh.objects.get(publication=toot).latest
    MetricSnapshot.objects.filter(pk=snapshot.pk).update(likes=1, public_likes=1)
    Colleague.objects.create(
        library=network.a, match=ColleagueMatch.DOMAIN, identifier="social"
    )  # alice and lea

    engagements_reclassify(library_id=network.a.pk)

    snapshot.refresh_from_db()
    assert (snapshot.likes, snapshot.colleague_likes, snapshot.public_likes) == (1, 1, 0)
    assert snapshot.taken_at - toot.published_at < dt.timedelta(days=1)


def test_connecting_an_own_account_moves_its_past_engagement_to_the_colleagues(
    network, toot, django_capture_on_commit_callbacks
):
    from publishing.account_services import account_connect
    from publishing.connect import AccountDetails, get_flow

    # given alice's likes and boost on branch A's post, counted as the public's
    assert MetricRefresh.objects.get(publication=toot).latest.public_likes == 3

    # when branch B (the same network of libraries) connects alice's account: own
    # accounts are colleagues of the whole network
    def connect(remote_id, handle):
        with (
            mock.patch.object(
                tasks.reclassify_engagements,
                "delay",
                side_effect=lambda library_id: tasks.reclassify_engagements(library_id),
            ) as delay,
            django_capture_on_commit_callbacks(execute=True),
        ):
            account_connect(
                library=network.b,
                flow=get_flow("mastodon"),
                details=AccountDetails(
                    remote_id=remote_id,
                    display_name="Alice",
                    handle=handle,
                    server_url="https://bibliotheques.social",
                ),
                by=None,
            )
        return delay

    delay = connect("alice-id", "@alice@bibliotheques.social")

    # then the reclassification of the whole network is enqueued and moves her
    # engagement to the colleagues
    delay.assert_called_once_with(network.head.pk)
    latest = MetricRefresh.objects.get(publication=toot).latest
    assert (latest.public_likes, latest.colleague_likes) == (2, 1)
    assert (latest.public_shares, latest.colleague_shares) == (0, 1)

    # and reconnecting the same account (same identity) enqueues nothing
    assert not connect("alice-id", "@alice@bibliotheques.social").called
