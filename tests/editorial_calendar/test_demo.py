"""The calendar's demo data: a full current month and next month, several editorial
lines, posting slots, a cap, notable dates and mix targets, on the branches' demo
accounts; seeding twice changes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from editorial_calendar.demo import MARK
from editorial_calendar.models import DailyCap, MixTarget, NotableDate, NotableKind, PostingSlot
from editorial_calendar.timeutil import next_month
from libraries.models import Library
from posts.models import Post, PostTarget
from publishing.models import SocialAccount
from tests.editorial_calendar.conftest import calendar_events, events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Post, PostTarget, PostingSlot, DailyCap, NotableDate, MixTarget)
    )


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_fills_this_month_and_the_next_and_is_idempotent():
    seed_demo()
    once = counts()
    seed_demo()

    assert counts() == once
    network = Library.objects.get(slug="demo-sur-oise")
    tz = network.tzinfo
    first = timezone.localdate(timezone=tz).replace(day=1)
    end = next_month(next_month(first))
    mine = Post.objects.filter(notes__startswith=MARK)
    days = {timezone.localtime(post.scheduled_at, tz).date() for post in mine}
    # Every week of both months has posts.
    week = first
    while week < end:
        assert any(week <= day < week + dt.timedelta(days=7) for day in days), week
        week += dt.timedelta(days=7)
    assert mine.values("editorial_line").distinct().count() >= 4
    kinds = set(NotableDate.objects.values_list("kind", flat=True))
    assert {NotableKind.CULTURAL, NotableKind.CLOSURE, NotableKind.EXHIBITION} <= kinds
    assert NotableDate.objects.filter(title="Printemps des poètes", yearly=True).exists()
    every_month = MixTarget.objects.filter(month__isnull=True)
    assert sum(every_month.values_list("share", flat=True)) == 100


def test_the_demo_plans_on_the_branches_accounts(client):
    seed_demo()

    targets = PostTarget.objects.filter(post__notes__startswith=MARK)
    # Every post goes to accounts of its own branch, and every account gets posts.
    assert not targets.filter(account__isnull=True).exists()
    assert not targets.exclude(account__library=F("post__library")).exists()
    # (The demo's Google location is disabled: nothing is planned on it.)
    accounts = SocialAccount.objects.filter(library__parent__slug="demo-sur-oise").exclude(
        status="disabled"
    )
    assert set(targets.values_list("account", flat=True)) == set(
        accounts.values_list("pk", flat=True)
    )
    assert {a.network for a in accounts} == {"sandbox", "website"}
    # Slots and the cap are the accounts', not the networks'.
    slots = PostingSlot.objects.filter(library__in=accounts.values("library"))
    assert slots.exists() and not slots.filter(account__isnull=True).exists()
    assert DailyCap.objects.filter(account__network="sandbox", limit=2).exists()

    # The network's calendar shows them, warns of the busy Saturday and filters by them.
    client.force_login(User.objects.get(username="admin"))  # the network's administrator
    first = timezone.localdate().replace(day=1)

    shown = calendar_events(events(client, first.isoformat(), next_month(first).isoformat()))
    page = client.get(reverse("editorial_calendar:month"))

    names = {
        badge["name"]
        for event in shown
        if event["extendedProps"]["kind"] == "post"
        for badge in event["extendedProps"]["networks"]
    }
    assert {"Bac à sable Jules-Verne", "Site de la médiathèque", "Bac à sable du Parc"} <= names
    over_cap = [e["title"] for e in shown if "over-cap" in e.get("classNames", [])]
    assert any("Bac à sable Jules-Verne" in title for title in over_cap)
    channel = page.context["form"]["channel"]
    assert "Bac à sable Jules-Verne" in str(channel) and "Site de la médiathèque" in str(channel)
