"""The month's summary: editorial mix (target vs planned vs published), caps, gaps."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from editorial_calendar.models import DailyCap, MixTarget
from editorial_calendar.queue import Channel
from editorial_calendar.selectors import (
    CalendarFilters,
    CalendarScope,
    caps_and_gaps,
    channel_day_counts,
    mix_summary,
    mix_targets_for,
    occurrences,
)
from editorial_calendar.services import mix_targets_set
from libraries.models import Role
from tests.editorial_calendar.conftest import PARIS, paris
from tests.factories import (
    EditorialLineFactory,
    NotableDateFactory,
    PostFactory,
    PostingSlotFactory,
    PostTargetFactory,
    SocialAccountFactory,
    member,
)

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def scope_of(library, *ids):
    return CalendarScope(library=library, library_ids=(library.id, *ids))


def test_mix_shows_target_planned_and_published_share_per_line(network):
    events = EditorialLineFactory(library=network.head, name="Événements", position=0)
    hearts = EditorialLineFactory(library=network.head, name="Coups de cœur", position=1)
    MixTarget.objects.create(library=network.head, editorial_line=events, share=40)
    MixTarget.objects.create(library=network.head, editorial_line=hearts, share=60)
    for day, line, state in [
        (3, events, "published"),
        (5, events, "approved"),
        (10, events, "draft"),
        (12, hearts, "published"),
        (20, hearts, "cancelled"),  # not planned any more
    ]:
        PostFactory(
            library=network.a,
            editorial_line=line,
            state=state,
            scheduled_at=paris(2026, 3, day, 10),
        )
    PostFactory(library=network.a, editorial_line=events, scheduled_at=paris(2026, 4, 1, 10))

    rows = mix_summary(scope=scope_of(network.a), month=MARCH, filters=CalendarFilters())

    assert [
        (r.name, r.target, r.planned, r.planned_share, r.published, r.published_share) for r in rows
    ] == [
        ("Événements", 40, 3, 75, 1, 50),
        ("Coups de cœur", 60, 1, 25, 1, 50),
    ]


def test_a_months_own_targets_replace_the_every_month_ones_and_branches_inherit(network):
    line = EditorialLineFactory(library=network.head)
    MixTarget.objects.create(library=network.head, editorial_line=line, share=40)
    MixTarget.objects.create(library=network.head, editorial_line=line, month=MARCH, share=70)

    assert mix_targets_for(network.a, MARCH) == {line.pk: 70}
    assert mix_targets_for(network.a, dt.date(2026, 4, 1)) == {line.pk: 40}

    MixTarget.objects.create(library=network.a, editorial_line=line, share=10)
    assert mix_targets_for(network.a, MARCH) == {line.pk: 10}


def test_targets_add_up_to_100_at_most(network):
    admin = member(network.head, Role.ADMINISTRATOR)
    one, two = (
        EditorialLineFactory(library=network.head),
        EditorialLineFactory(library=network.head),
    )

    with pytest.raises(ValidationError):
        mix_targets_set(library=network.head, by=admin, month=None, shares={one.pk: 60, two.pk: 50})
    mix_targets_set(library=network.head, by=admin, month=None, shares={one.pk: 60, two.pk: 40})
    mix_targets_set(library=network.head, by=admin, month=None, shares={one.pk: 70, two.pk: None})

    assert dict(MixTarget.objects.values_list("editorial_line_id", "share")) == {one.pk: 70}


def test_another_librarys_line_cannot_get_a_target(network):
    admin = member(network.a, Role.ADMINISTRATOR)
    foreign = EditorialLineFactory(library=network.b)

    with pytest.raises(ValidationError):
        mix_targets_set(library=network.a, by=admin, month=None, shares={foreign.pk: 10})


def test_days_over_a_cap_are_warned_about(network):
    account = SocialAccountFactory(
        library=network.a, network="mastodon", display_name="@mediatheque"
    )
    DailyCap.objects.create(library=network.a, network="mastodon", account=account, limit=2)
    for hour in (9, 12, 18):
        post = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 10, hour))
        PostTargetFactory(post=post, network="mastodon", account=account)
    cancelled = PostFactory(
        library=network.a, state="cancelled", scheduled_at=paris(2026, 3, 11, 9)
    )
    PostTargetFactory(post=cancelled, network="mastodon", account=account)

    warnings, _gaps = caps_and_gaps(
        scope=scope_of(network.a), first=MARCH, last=dt.date(2026, 3, 31)
    )

    assert [(w.day, w.count, w.cap) for w in warnings] == [(dt.date(2026, 3, 10), 3, 2)]
    assert "@mediatheque" in warnings[0].label


def test_posts_are_counted_on_their_local_day_around_the_dst_change(network):
    # Paris goes to UTC+2 on Sunday 29 March 2026 at 02:00.
    account = SocialAccountFactory(library=network.a, network="mastodon")
    for when in [
        paris(2026, 3, 28, 0, 30),  # 23:30 UTC on the 27th
        paris(2026, 3, 28, 23, 59),
        paris(2026, 3, 29, 0, 30),  # 23:30 UTC on the 28th
        paris(2026, 3, 29, 23, 30),  # 21:30 UTC
        paris(2026, 3, 30, 0, 15),  # 22:15 UTC on the 29th
    ]:
        post = PostFactory(library=network.a, scheduled_at=when)
        PostTargetFactory(post=post, network="mastodon", account=account)
        PostTargetFactory(post=post, network="bluesky")
    dropped = PostFactory(library=network.a, state="cancelled", scheduled_at=paris(2026, 3, 28, 9))
    PostTargetFactory(post=dropped, network="mastodon", account=account)

    counts = channel_day_counts(
        library_ids=[network.a.id],
        start=paris(2026, 3, 28, 0, 0),
        end=paris(2026, 3, 30, 0, 0),
        tz=PARIS,
    )

    assert dict(counts[Channel("mastodon", account.pk)]) == {
        dt.date(2026, 3, 28): 2,
        dt.date(2026, 3, 29): 2,
    }
    assert sum(counts[Channel("bluesky", None, network.a.id)].values()) == 4


def test_weeks_without_a_post_on_an_account_are_gaps(network):
    account = SocialAccountFactory(
        library=network.a, network="mastodon", display_name="@mediatheque"
    )
    PostingSlotFactory(library=network.a, network="facebook")  # a network without account yet
    for day in (2, 16, 23, 30):  # nothing in the week of 9 March
        post = PostFactory(library=network.a, scheduled_at=paris(2026, 3, day, 10))
        PostTargetFactory(post=post, network="mastodon", account=account)
    # The week of 23 February (shown in March's first row) has a Sunday 1 March post.
    sunday = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 1, 10))
    PostTargetFactory(post=sunday, network="mastodon", account=account)

    _warnings, gaps = caps_and_gaps(
        scope=scope_of(network.a), first=MARCH, last=dt.date(2026, 3, 31)
    )

    mastodon = [g.week_start for g in gaps if "@mediatheque" in g.label]
    facebook = [g.week_start for g in gaps if g.label == "Facebook"]
    assert mastodon == [dt.date(2026, 3, 9)]
    assert facebook == [dt.date(2026, 2, 23) + dt.timedelta(weeks=w) for w in range(6)]


def test_yearly_dates_recur_and_29_february_falls_on_the_28th(network):
    leap = NotableDateFactory(
        library=network.a,
        title="Jour bissextile",
        start_date=dt.date(2024, 2, 29),
        end_date=dt.date(2024, 2, 29),
        yearly=True,
    )
    spanning = NotableDateFactory(
        library=network.a,
        title="Fêtes",
        start_date=dt.date(2025, 12, 20),
        end_date=dt.date(2026, 1, 5),
        yearly=True,
    )
    once = NotableDateFactory(
        library=network.a,
        title="Une fois",
        start_date=dt.date(2025, 2, 10),
        end_date=dt.date(2025, 2, 10),
    )

    found = occurrences([leap, spanning, once], dt.date(2027, 1, 1), dt.date(2027, 2, 28))

    assert [(o.date.title, o.start, o.end) for o in found] == [
        ("Fêtes", dt.date(2026, 12, 20), dt.date(2027, 1, 5)),
        ("Jour bissextile", dt.date(2027, 2, 28), dt.date(2027, 2, 28)),
    ]


def test_a_parents_shared_dates_show_on_branches_and_private_ones_do_not(client, network):
    NotableDateFactory(
        library=network.head,
        title="Partagée",
        start_date=dt.date(2026, 3, 5),
        end_date=dt.date(2026, 3, 5),
    )
    NotableDateFactory(
        library=network.head,
        title="Réseau seulement",
        shared_with_branches=False,
        start_date=dt.date(2026, 3, 6),
        end_date=dt.date(2026, 3, 6),
    )
    NotableDateFactory(
        library=network.b,
        title="Autre branche",
        start_date=dt.date(2026, 3, 7),
        end_date=dt.date(2026, 3, 7),
    )
    client.force_login(member(network.a))

    response = client.get(reverse("editorial_calendar:summary"), {"month": "2026-03"})

    page = response.content.decode()
    assert "Partagée" in page
    assert "Réseau seulement" not in page and "Autre branche" not in page


def test_the_summary_fragment_rejects_a_bad_month(client, network):
    client.force_login(member(network.a))

    assert (
        client.get(reverse("editorial_calendar:summary"), {"month": "2026-13"}).status_code == 400
    )
    assert client.get(reverse("editorial_calendar:summary"), {"month": "mars"}).status_code == 400
