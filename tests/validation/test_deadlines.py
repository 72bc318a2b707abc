"""Deadlines (Celery beat): a reminder before the approval deadline, escalation
after it, and `missed` when the publication time comes before the last approval."""

import datetime as dt

import pytest
import time_machine

from notifications.models import Notification
from posts.models import Post
from posts.models import PostState as S
from validation import services
from validation.beat import BEAT_SCHEDULE
from validation.models import Action, ReviewEvent
from validation.services.deadlines import REMINDER_LEAD
from validation.tasks import check_validation_deadlines

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def pending(cast, make_post):
    """Due in three days; the network's deadline is 24 h before publication."""
    post = make_post(when=dt.timedelta(days=3))
    services.post_submit(post=post, by=cast.agent)
    services.post_approve(post=post, by=cast.responsable)  # now at Direction
    Notification.objects.all().delete()
    return post


def deadline(post):
    return post.scheduled_at - dt.timedelta(hours=post.library.validation_deadline_hours)


def test_nothing_happens_while_the_deadline_is_far(cast, pending):
    before = deadline(pending) - REMINDER_LEAD - dt.timedelta(minutes=1)
    assert services.deadlines_check(now=before) == {"reminded": 0, "escalated": 0, "missed": 0}
    assert Notification.objects.count() == 0


def test_the_current_level_is_reminded_once_when_the_deadline_nears(cast, pending):
    near = deadline(pending) - dt.timedelta(hours=1)
    with time_machine.travel(near, tick=False):
        assert services.deadlines_check(now=near)["reminded"] == 1
        assert services.deadlines_check(now=near)["reminded"] == 0  # the next beat: nothing

    assert _kinds(cast.direction) == ["validation.reminder"]
    # not the level already passed, nor the author, nor the next level
    assert _kinds(cast.responsable) == [] and _kinds(cast.communication) == []
    assert _kinds(cast.agent) == []
    # an hour before the deadline is within two hours: urgent, emailed at once
    assert Notification.objects.get(recipient=cast.direction).urgent


def test_the_administrators_hear_once_when_the_deadline_passes(cast, pending):
    late = deadline(pending) + dt.timedelta(hours=1)
    with time_machine.travel(late, tick=False):
        counts = services.deadlines_check(now=late)
        assert counts["escalated"] == 1
        assert services.deadlines_check(now=late)["escalated"] == 0

    assert _kinds(cast.admin) == ["validation.escalation"]
    assert "Direction" in Notification.objects.get(recipient=cast.admin).body
    assert Post.objects.get(pk=pending.pk).state == S.PENDING  # still time to approve


def test_a_post_not_approved_at_its_time_is_missed_and_its_author_told(cast, pending):
    at_time = pending.scheduled_at + dt.timedelta(seconds=30)
    with time_machine.travel(at_time, tick=False):
        assert services.deadlines_check(now=at_time)["missed"] == 1
        assert services.deadlines_check(now=at_time)["missed"] == 0

    pending.refresh_from_db()
    assert pending.state == S.MISSED
    assert pending.review.current_level is None
    assert "validation.missed" in _kinds(cast.agent)
    event = ReviewEvent.objects.filter(post=pending).last()
    assert (event.action, event.from_state, event.actor) == (Action.MISSED, S.PENDING, None)
    # and it can no longer be approved, nor published
    with pytest.raises(services.IllegalTransition):
        services.post_approve(post=pending, by=cast.direction)
    with pytest.raises(services.IllegalTransition):
        services.post_mark_publishing(post=pending)


def test_changes_requested_too_late_is_missed(cast, make_post):
    post = make_post(when=dt.timedelta(days=3))
    services.post_submit(post=post, by=cast.agent)
    services.post_request_changes(post=post, by=cast.responsable, comment="L'heure ?")

    services.deadlines_check(now=post.scheduled_at)

    assert Post.objects.get(pk=post.pk).state == S.MISSED


def test_an_approved_post_is_never_missed(cast, reach):
    post = reach(S.APPROVED)
    assert services.deadlines_check(now=post.scheduled_at)["missed"] == 0
    assert Post.objects.get(pk=post.pk).state == S.APPROVED


def test_a_validator_who_takes_the_level_late_is_not_reminded_at_once(cast, make_post):
    # submitted already inside the reminder window: the people were just told it waits
    post = make_post(when=dt.timedelta(hours=26))
    services.post_submit(post=post, by=cast.agent)
    Notification.objects.all().delete()
    services.deadlines_check()
    assert not Notification.objects.filter(kind="validation.reminder").exists()


def test_beat_runs_the_sweep_every_minute(cast, pending):
    entry = BEAT_SCHEDULE["validation-check-deadlines"]
    assert entry["task"] == check_validation_deadlines.name
    assert entry["schedule"] <= 60
    with time_machine.travel(pending.scheduled_at + dt.timedelta(minutes=1), tick=False):
        assert check_validation_deadlines.apply().get()["missed"] == 1
