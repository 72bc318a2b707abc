"""The calendar's demo data: a full current month and next month, several editorial
lines, posting slots, a cap, notable dates and mix targets; seeding twice changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from editorial_calendar import demo
from editorial_calendar.models import DailyCap, MixTarget, NotableDate, NotableKind, PostingSlot
from editorial_calendar.timeutil import next_month
from libraries import demo as libraries_demo
from posts.models import Post

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Post, PostingSlot, DailyCap, NotableDate, MixTarget)
    )


def test_the_demo_fills_this_month_and_the_next_and_is_idempotent():
    ctx = libraries_demo.seed()

    demo.seed(ctx)
    once = counts()
    demo.seed(ctx)

    assert counts() == once
    tz = ctx.network.tzinfo
    first = timezone.localdate(timezone=tz).replace(day=1)
    end = next_month(next_month(first))
    days = {
        timezone.localtime(post.scheduled_at, tz).date()
        for post in Post.objects.exclude(scheduled_at=None)
    }
    # Every week of both months has posts.
    week = first
    while week < end:
        assert any(week <= day < week + dt.timedelta(days=7) for day in days), week
        week += dt.timedelta(days=7)
    assert Post.objects.values("editorial_line").distinct().count() >= 4
    assert PostingSlot.objects.exists() and DailyCap.objects.exists()
    kinds = set(NotableDate.objects.values_list("kind", flat=True))
    assert {NotableKind.CULTURAL, NotableKind.CLOSURE, NotableKind.EXHIBITION} <= kinds
    assert NotableDate.objects.filter(title="Printemps des poètes", yearly=True).exists()
    every_month = MixTarget.objects.filter(month__isnull=True)
    assert sum(every_month.values_list("share", flat=True)) == 100
