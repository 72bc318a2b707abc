"""The posting queue: next free slot with full days and caps, common slots of several
targets, a removed slot re-slotting its posts and telling their authors."""

import datetime as dt
import zoneinfo
from collections import Counter

import pytest
from django.urls import reverse

from editorial_calendar.models import DailyCap
from editorial_calendar.queue import Channel, Occupancy, next_free_slot
from editorial_calendar.services import MoveRefused, post_add_to_queue, slot_delete
from libraries.models import Role
from notifications.models import Notification
from tests.editorial_calendar.conftest import paris
from tests.factories import (
    PostFactory,
    PostingSlotFactory,
    PostTargetFactory,
    SocialAccountFactory,
    member,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MASTODON = Channel("mastodon", 1)
BLUESKY = Channel("bluesky", 2)
TUESDAY_THURSDAY_10 = [(1, dt.time(10)), (3, dt.time(10))]
# Monday 2 March 2026, 08:00 in Paris.
MONDAY = paris(2026, 3, 2, 8)


def occupancy(*instants):
    return Occupancy.from_instants(instants, PARIS)


# --- the pure function ------------------------------------------------------------


def test_the_next_slot_after_now():
    when = next_free_slot(
        slots={MASTODON: TUESDAY_THURSDAY_10},
        occupancy={},
        caps={MASTODON: 3},
        tz=PARIS,
        after=MONDAY,
    )
    assert when == paris(2026, 3, 3, 10)


def test_a_taken_slot_is_skipped():
    when = next_free_slot(
        slots={MASTODON: TUESDAY_THURSDAY_10},
        occupancy={MASTODON: occupancy(paris(2026, 3, 3, 10))},
        caps={MASTODON: 3},
        tz=PARIS,
        after=MONDAY,
    )
    assert when == paris(2026, 3, 5, 10)


def test_a_full_day_is_skipped_even_when_its_slot_is_free():
    # Tuesday already has its 2 posts (cap 2) at other times: the 10:00 slot is not used.
    when = next_free_slot(
        slots={MASTODON: TUESDAY_THURSDAY_10},
        occupancy={MASTODON: occupancy(paris(2026, 3, 3, 8), paris(2026, 3, 3, 18))},
        caps={MASTODON: 2},
        tz=PARIS,
        after=MONDAY,
    )
    assert when == paris(2026, 3, 5, 10)


def test_the_cap_of_any_target_fills_the_day_for_the_post():
    when = next_free_slot(
        slots={MASTODON: TUESDAY_THURSDAY_10, BLUESKY: TUESDAY_THURSDAY_10},
        occupancy={BLUESKY: occupancy(paris(2026, 3, 3, 12))},
        caps={MASTODON: 3, BLUESKY: 1},
        tz=PARIS,
        after=MONDAY,
    )
    assert when == paris(2026, 3, 5, 10)


def test_several_targets_take_a_slot_common_to_all():
    when = next_free_slot(
        slots={MASTODON: TUESDAY_THURSDAY_10, BLUESKY: [(3, dt.time(10)), (5, dt.time(11, 30))]},
        occupancy={},
        caps={MASTODON: 3, BLUESKY: 3},
        tz=PARIS,
        after=MONDAY,
    )
    assert when == paris(2026, 3, 5, 10)


def test_no_common_slot_gives_none():
    when = next_free_slot(
        slots={MASTODON: [(1, dt.time(10))], BLUESKY: [(1, dt.time(11))]},
        occupancy={},
        caps={MASTODON: 3, BLUESKY: 3},
        tz=PARIS,
        after=MONDAY,
    )
    assert when is None


def test_every_slot_taken_for_the_whole_horizon_gives_none():
    taken = [paris(2026, 3, 3, 10) + dt.timedelta(weeks=w) for w in range(10)]
    when = next_free_slot(
        slots={MASTODON: [(1, dt.time(10))]},
        occupancy={MASTODON: occupancy(*taken)},
        caps={MASTODON: 3},
        tz=PARIS,
        after=MONDAY,
    )
    assert when is None


def test_a_slot_keeps_its_wall_clock_time_across_the_dst_change():
    # Saturday 28 March is UTC+1, Saturday 4 April UTC+2; both at 11:30 local.
    saturday = [(5, dt.time(11, 30))]
    first = next_free_slot(
        slots={MASTODON: saturday},
        occupancy={},
        caps={MASTODON: 3},
        tz=PARIS,
        after=paris(2026, 3, 27, 12),
    )
    second = next_free_slot(
        slots={MASTODON: saturday},
        occupancy={MASTODON: occupancy(first)},
        caps={MASTODON: 3},
        tz=PARIS,
        after=paris(2026, 3, 27, 12),
    )
    assert first.astimezone(dt.UTC).time() == dt.time(10, 30)
    assert second.astimezone(dt.UTC).time() == dt.time(9, 30)
    assert first.astimezone(PARIS).time() == second.astimezone(PARIS).time() == dt.time(11, 30)


def test_occupancy_counts_posts_per_local_day():
    # 23:30 UTC on 2 March is 00:30 on 3 March in Paris.
    found = occupancy(dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC))
    assert found.per_day == Counter({dt.date(2026, 3, 3): 1})


# --- "Add to queue" -----------------------------------------------------------------


@pytest.fixture
def now(time_machine):
    time_machine.move_to(MONDAY, tick=False)


@pytest.mark.django_db
def test_add_to_queue_uses_the_accounts_slots_and_caps(network, now):
    agent = member(network.a)
    account = SocialAccountFactory(library=network.a, network="mastodon")
    PostingSlotFactory(
        library=network.a, network="mastodon", account=account, weekday=1, time=dt.time(10)
    )
    PostingSlotFactory(
        library=network.a, network="mastodon", account=account, weekday=3, time=dt.time(10)
    )
    DailyCap.objects.create(library=network.a, network="mastodon", account=account, limit=1)
    # Tuesday is full (one post at 15:00, cap 1).
    busy = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 3, 15))
    PostTargetFactory(post=busy, network="mastodon", account=account)
    post = PostFactory(library=network.a, author=agent, scheduled_at=None)
    PostTargetFactory(post=post, network="mastodon", account=account)

    post_add_to_queue(post=post, by=agent)

    post.refresh_from_db()
    assert post.scheduled_at == paris(2026, 3, 5, 10)


@pytest.mark.django_db
def test_the_default_cap_is_three_a_day(network, now):
    agent = member(network.a)
    PostingSlotFactory(library=network.a, network="mastodon", weekday=1, time=dt.time(18))
    PostingSlotFactory(library=network.a, network="mastodon", weekday=2, time=dt.time(18))
    for hour in (8, 9, 10):
        other = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 3, hour))
        PostTargetFactory(post=other, network="mastodon")
    post = PostFactory(library=network.a, author=agent, scheduled_at=None)
    PostTargetFactory(post=post, network="mastodon")

    post_add_to_queue(post=post, by=agent)

    post.refresh_from_db()
    assert post.scheduled_at == paris(2026, 3, 4, 18)


@pytest.mark.django_db
def test_network_slots_of_the_parent_serve_a_branch(network, now):
    agent = member(network.a)
    PostingSlotFactory(library=network.head, network="bluesky", weekday=4, time=dt.time(9, 15))
    post = PostFactory(library=network.a, author=agent, scheduled_at=None)
    PostTargetFactory(post=post, network="bluesky")

    post_add_to_queue(post=post, by=agent)

    post.refresh_from_db()
    assert post.scheduled_at == paris(2026, 3, 6, 9, 15)


@pytest.mark.django_db
def test_add_to_queue_explains_when_it_cannot(network, now):
    agent = member(network.a)
    untargeted = PostFactory(library=network.a, author=agent, scheduled_at=None)
    no_slots = PostFactory(library=network.a, author=agent, scheduled_at=None)
    PostTargetFactory(post=no_slots, network="instagram")

    with pytest.raises(MoveRefused, match="Choisissez d'abord"):
        post_add_to_queue(post=untargeted, by=agent)
    with pytest.raises(MoveRefused, match="Instagram"):
        post_add_to_queue(post=no_slots, by=agent)


@pytest.mark.django_db
def test_add_to_queue_follows_the_move_rules(network, now):
    agent = member(network.a)
    PostingSlotFactory(library=network.a, network="mastodon")
    someone_elses = PostFactory(library=network.a, scheduled_at=None)
    PostTargetFactory(post=someone_elses, network="mastodon")

    with pytest.raises(MoveRefused, match="vos propres brouillons"):
        post_add_to_queue(post=someone_elses, by=agent)


@pytest.mark.django_db
def test_the_queue_endpoint_answers_with_the_new_date(client, network, now):
    agent = member(network.a)
    PostingSlotFactory(library=network.a, network="mastodon", weekday=1, time=dt.time(10))
    post = PostFactory(library=network.a, author=agent, scheduled_at=None)
    PostTargetFactory(post=post, network="mastodon")
    client.force_login(agent)

    response = client.post(
        reverse("editorial_calendar:post_queue", kwargs={"pk": post.pk}),
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json()["start"] == "2026-03-03T10:00:00"


# --- removing a slot ------------------------------------------------------------------


@pytest.mark.django_db
def test_removing_a_slot_reslots_its_posts_and_tells_their_authors(network, now):
    admin = member(network.a, Role.ADMINISTRATOR)
    agent = member(network.a)
    tuesday = PostingSlotFactory(library=network.a, network="mastodon", weekday=1, time=dt.time(10))
    PostingSlotFactory(library=network.a, network="mastodon", weekday=3, time=dt.time(10))
    on_tuesday = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 10))
    PostTargetFactory(post=on_tuesday, network="mastodon")
    elsewhere = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 15))
    PostTargetFactory(post=elsewhere, network="mastodon")
    published = PostFactory(
        library=network.a, state="published", scheduled_at=paris(2026, 3, 3, 10)
    )
    PostTargetFactory(post=published, network="mastodon")
    moved = slot_delete(slot=tuesday, by=admin)

    on_tuesday.refresh_from_db()
    elsewhere.refresh_from_db()
    assert moved == [(on_tuesday, paris(2026, 3, 12, 10))]
    assert on_tuesday.scheduled_at == paris(2026, 3, 12, 10)  # the next Thursday slot
    assert elsewhere.scheduled_at == paris(2026, 3, 10, 15)  # not on the slot: untouched
    told = Notification.objects.get()
    assert told.recipient == agent and told.library == network.a
    assert told.url == f"/posts/{on_tuesday.pk}/"
    assert "mardi à 10:00" in told.body
    assert "10 mars 2026 10:00" in told.body and "12 mars 2026 10:00" in told.body


@pytest.mark.django_db
def test_removing_the_last_slot_keeps_the_date_and_says_so(network, now):
    admin = member(network.a, Role.ADMINISTRATOR)
    only = PostingSlotFactory(library=network.a, network="mastodon", weekday=1, time=dt.time(10))
    post = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 10, 10))
    PostTargetFactory(post=post, network="mastodon")
    moved = slot_delete(slot=only, by=admin)

    post.refresh_from_db()
    assert moved == [(post, None)]
    assert post.scheduled_at == paris(2026, 3, 10, 10)
    told = Notification.objects.get(recipient=post.author)
    assert "n'a plus de créneau" in told.title


@pytest.mark.django_db
def test_an_english_speaking_author_is_told_in_english(network, now):
    admin = member(network.a, Role.ADMINISTRATOR)
    author = member(network.a, language="en")
    slot = PostingSlotFactory(library=network.a, network="mastodon", weekday=1, time=dt.time(10))
    PostingSlotFactory(library=network.a, network="mastodon", weekday=3, time=dt.time(10))
    post = PostFactory(
        library=network.a, author=author, title="Storytime", scheduled_at=paris(2026, 3, 10, 10)
    )
    PostTargetFactory(post=post, network="mastodon")

    slot_delete(slot=slot, by=admin)

    told = Notification.objects.get(recipient=author)
    assert told.title == "“Storytime” moves to another slot"
    assert "Tuesday" in told.body


@pytest.mark.django_db
def test_only_administrators_remove_slots(client, network):
    slot = PostingSlotFactory(library=network.a)
    client.force_login(member(network.a, Role.VALIDATOR))

    response = client.post(reverse("editorial_calendar:slot_delete", kwargs={"pk": slot.pk}))

    assert response.status_code == 403
