"""The events endpoint: range, permissions per branch, time zones, query count, bad input."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from libraries.models import Role
from publishing.models import Publication
from tests.editorial_calendar.conftest import bulk_posts, calendar_events, events, paris
from tests.factories import (
    EditorialLineFactory,
    NotableDateFactory,
    PostFactory,
    PostTargetFactory,
    SocialAccountFactory,
    member,
)

pytestmark = pytest.mark.django_db


def post_ids(response) -> set[int]:
    return {
        e["extendedProps"]["postId"]
        for e in calendar_events(response)
        if e["extendedProps"]["kind"] == "post"
    }


def test_only_posts_of_the_visible_range_are_returned(client, network):
    user = member(network.a)
    before = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 2, 28, 23, 59))
    first = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 3, 1, 0, 0))
    last = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 3, 31, 23, 59))
    after = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 4, 1, 0, 0))
    undated = PostFactory(library=network.a, author=user, scheduled_at=None)
    client.force_login(user)

    response = events(client, "2026-03-01T00:00:00", "2026-04-01T00:00:00")

    assert response.status_code == 200
    ids = post_ids(response)
    assert {first.pk, last.pk} <= ids
    assert not ids & {before.pk, after.pk, undated.pk}


def test_a_branch_member_sees_only_their_branch(client, network, use_library):
    in_a = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 10, 9))
    in_b = PostFactory(library=network.b, scheduled_at=paris(2026, 3, 10, 9))
    in_head = PostFactory(library=network.head, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(member(network.a))

    response = events(client, "2026-03-01", "2026-04-01")
    # Even asking for branch B explicitly gives nothing of B.
    forged = events(client, "2026-03-01", "2026-04-01", branch=network.b.pk)

    assert post_ids(response) == {in_a.pk}
    assert in_b.pk not in post_ids(response) and in_head.pk not in post_ids(response)
    assert forged.status_code == 400


def test_a_network_member_sees_every_branch_and_can_narrow_to_one(client, network, use_library):
    in_a = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 10, 9))
    in_b = PostFactory(library=network.b, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(member(network.head, Role.VALIDATOR))
    use_library(network.head)

    everything = events(client, "2026-03-01", "2026-04-01")
    only_b = events(client, "2026-03-01", "2026-04-01", branch=network.b.pk)

    assert post_ids(everything) == {in_a.pk, in_b.pk}
    assert post_ids(only_b) == {in_b.pk}
    by_id = {
        e["extendedProps"]["postId"]: e
        for e in calendar_events(everything)
        if "postId" in e["extendedProps"]
    }
    assert by_id[in_b.pk]["extendedProps"]["library"] == network.b.name


def test_times_are_the_librarys_wall_clock_across_the_dst_change(client, network):
    # Paris moves from UTC+1 to UTC+2 on Sunday 29 March 2026 at 02:00.
    user = member(network.a)
    saturday = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 3, 28, 9))
    sunday = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 3, 29, 9))
    assert saturday.scheduled_at.astimezone(dt.UTC).hour == 8
    assert sunday.scheduled_at.astimezone(dt.UTC).hour == 7
    client.force_login(user)

    response = events(client, "2026-03-23T00:00:00", "2026-03-30T00:00:00")

    starts = {
        e["extendedProps"]["postId"]: e["start"]
        for e in calendar_events(response)
        if "postId" in e["extendedProps"]
    }
    assert starts == {saturday.pk: "2026-03-28T09:00:00", sunday.pk: "2026-03-29T09:00:00"}


def test_a_range_boundary_is_read_in_the_librarys_timezone(client, network):
    user = member(network.a)
    # 00:30 local on 30 March is 22:30 UTC on 29 March.
    early = PostFactory(library=network.a, author=user, scheduled_at=paris(2026, 3, 30, 0, 30))
    client.force_login(user)

    week_before = events(client, "2026-03-23T00:00:00", "2026-03-30T00:00:00")
    week_after = events(client, "2026-03-30T00:00:00", "2026-04-06T00:00:00")

    assert early.pk not in post_ids(week_before)
    assert early.pk in post_ids(week_after)


def test_each_post_carries_what_the_calendar_shows(client, network):
    user = member(network.a, display_name="Camille")
    line = EditorialLineFactory(library=network.head, name="Coups de cœur", colour="#ffdd00")
    post = PostFactory(
        library=network.a,
        author=user,
        title="BD de la semaine",
        editorial_line=line,
        scheduled_at=paris(2026, 3, 10, 10),
    )
    PostTargetFactory(post=post, network="mastodon")
    PostTargetFactory(post=post, network="bluesky")
    client.force_login(user)

    event = next(
        e
        for e in calendar_events(events(client, "2026-03-01", "2026-04-01"))
        if e["id"] == f"post-{post.pk}"
    )

    assert event["title"] == "BD de la semaine"
    assert event["color"] == "#ffdd00"
    assert event["textColor"] == "#000000"  # dark text on a light colour
    props = event["extendedProps"]
    assert props["state"] == "draft"
    assert props["line"] == "Coups de cœur"
    assert sorted(n["name"] for n in props["networks"]) == ["Bluesky", "Mastodon"]
    assert props["author"] == "Camille"
    assert props["refusal"] == ""  # the author may move their own draft


def test_each_network_badge_tells_how_the_post_went_on_its_account(client, network):
    # given a post on three accounts and a network: Mastodon published, Bluesky failed,
    # the sandbox cancelled then scheduled again, Facebook still without an account
    validator = member(network.a, Role.VALIDATOR)
    post = PostFactory(
        library=network.a, author=validator, state="failed", scheduled_at=paris(2026, 3, 10, 10)
    )
    mastodon = SocialAccountFactory(library=network.a, network="mastodon", display_name="Masto A")
    bluesky = SocialAccountFactory(library=network.a, network="bluesky", display_name="Bsky A")
    sandbox = SocialAccountFactory(library=network.a, network="sandbox", display_name="Bac A")
    for account in (mastodon, bluesky, sandbox):
        PostTargetFactory(post=post, network=account.network, account=account)
    PostTargetFactory(post=post, network="facebook")
    for account, state in (
        (mastodon, "published"),
        (bluesky, "failed"),
        (sandbox, "cancelled"),
        (sandbox, "scheduled"),
    ):
        Publication.objects.create(
            post=post,
            account=account,
            network=account.network,
            state=state,
            scheduled_at=post.scheduled_at,
        )
    client.force_login(validator)

    # when
    [event] = [
        e
        for e in calendar_events(events(client, "2026-03-01", "2026-04-01"))
        if e["id"] == f"post-{post.pk}"
    ]

    # then each badge names its account and its publication's state
    assert event["extendedProps"]["state"] == "failed"
    assert event["extendedProps"]["networks"] == [
        {"badge": "Bs", "name": "Bsky A", "state": "failed"},
        {"badge": "Fb", "name": "Facebook", "state": ""},
        {"badge": "Ma", "name": "Masto A", "state": "published"},
        {"badge": "Sb", "name": "Bac A", "state": "scheduled"},
    ]


def test_filters_by_line_state_author_and_network(client, network):
    validator = member(network.a, Role.VALIDATOR)
    agent = member(network.a)
    line = EditorialLineFactory(library=network.a)
    when = paris(2026, 3, 10, 10)
    lined = PostFactory(library=network.a, author=agent, editorial_line=line, scheduled_at=when)
    published = PostFactory(
        library=network.a, author=validator, state="published", scheduled_at=when
    )
    on_facebook = PostFactory(library=network.a, author=validator, scheduled_at=when)
    PostTargetFactory(post=on_facebook, network="facebook")
    cancelled = PostFactory(library=network.a, author=agent, state="cancelled", scheduled_at=when)
    client.force_login(validator)

    def ids(**params):
        return post_ids(events(client, "2026-03-01", "2026-04-01", **params))

    assert ids() == {lined.pk, published.pk, on_facebook.pk}  # cancelled hidden by default
    assert ids(line=line.pk) == {lined.pk}
    assert ids(state="published") == {published.pk}
    assert ids(state="cancelled") == {cancelled.pk}
    assert ids(author=agent.pk) == {lined.pk}
    assert ids(channel="network:facebook") == {on_facebook.pk}


def test_notable_dates_come_as_background_events_with_yearly_recurrence(client, network):
    user = member(network.a)
    NotableDateFactory(
        library=network.head,
        title="Fête de la musique",
        start_date=dt.date(2020, 6, 21),
        end_date=dt.date(2020, 6, 21),
        yearly=True,
    )
    NotableDateFactory(
        library=network.b,
        title="Fermeture de B",
        start_date=dt.date(2026, 6, 10),
        end_date=dt.date(2026, 6, 12),
    )
    client.force_login(user)

    background = [
        e
        for e in calendar_events(events(client, "2026-06-01", "2026-07-01"))
        if e.get("display") == "background"
    ]

    notable = [e for e in background if "notable" in e["classNames"]]
    assert [(e["title"], e["start"], e["end"]) for e in notable] == [
        ("Fête de la musique", "2026-06-21", "2026-06-22")
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "not-a-date", "end": "2026-04-01"},
        {"start": "2026-03-01", "end": "2026-13-45"},
        {"start": "2026-03-01"},
        {"start": "2026-04-01", "end": "2026-03-01"},
        {"start": "0001-01-01", "end": "0001-02-01"},
        {"start": "9999-12-01", "end": "9999-12-31"},
        {"start": "2026-01-01", "end": "2027-06-01"},
        {"start": "2026-03-01", "end": "2026-04-01", "timeZone": "Mars/Olympus_Mons"},
        {"start": "2026-03-01", "end": "2026-04-01", "line": "abc"},
        {"start": "2026-03-01", "end": "2026-04-01", "state": "lost"},
        {"start": "2026-03-01", "end": "2026-04-01", "channel": "account:x"},
        {"start": "2026-03-01" * 10, "end": "2026-04-01"},
    ],
)
def test_bad_input_is_a_400_with_a_message(client, network, params):
    client.force_login(member(network.a))
    from django.urls import reverse

    response = client.get(reverse("editorial_calendar:events"), params)

    assert response.status_code == 400
    assert response.json()["error"]


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = events(client, "2026-03-01", "2026-04-01")
    assert response.status_code == 302


def count_queries(client, start: str, end: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = events(client, start, end)
    assert response.status_code == 200
    return len(queries), len(post_ids(response))


def test_the_query_count_does_not_depend_on_the_number_of_posts(client, network, use_library):
    admin = member(network.head, Role.ADMINISTRATOR)
    line = EditorialLineFactory(library=network.head)
    start = paris(2026, 3, 1)
    bulk_posts(network.a, admin, 10, start=start, line=line)
    client.force_login(admin)
    use_library(network.head)
    few_queries, few = count_queries(client, "2026-03-01", "2026-04-01")

    bulk_posts(network.b, admin, 4990, start=start, line=line)
    many_queries, many = count_queries(client, "2026-03-01", "2026-04-01")

    assert (few, many) == (10, 5000)
    assert many_queries == few_queries
