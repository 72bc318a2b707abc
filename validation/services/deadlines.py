"""Deadlines (Celery beat): reminders, escalation, and `missed` at publication time.

A post must be fully approved `library.validation_deadline_hours` before its
publication time. REMINDER_LEAD before that deadline, the people of the
current level get a reminder (once per level); when the deadline passes, the
library's administrators are told (once per round); at publication time a
post that is not approved becomes `missed` and its author is told.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from libraries.models import Library
from networks.messages import Message
from posts.models import Post, PostState
from validation import selectors
from validation.models import Action, Review
from validation.services import notices
from validation.services.transitions import post_lock, post_transition
from validation.states import MISSABLE

REMINDER_LEAD = dt.timedelta(hours=4)


def post_mark_missed(*, post: Post, now: dt.datetime | None = None) -> bool:
    """A post not approved at its publication time becomes `missed`; its author is told.
    Does nothing (False) when the post is approved, already moved on, or not yet due."""
    now = now or timezone.now()
    with transaction.atomic():
        post, review = post_lock(post.pk)
        if post.state not in MISSABLE or post.scheduled_at is None or post.scheduled_at > now:
            return False
        if review is not None and review.current_level_id is not None:
            Review.objects.filter(pk=review.pk).update(current_level=None)
        post_transition(
            post=post,
            to_state=PostState.MISSED,
            action=Action.MISSED,
            by=None,
            comment=Message(
                gettext_noop("Pas entièrement validée à l'heure prévue : elle n'a pas été publiée.")
            ),
            round=review.round if review else 0,
        )
        notices.decided(post, "missed", None)
    return True


def _claim(review: Review, field: str, now: dt.datetime) -> bool:
    """Compare-and-set a reminder/escalation timestamp, so each is sent once."""
    return bool(
        Review.objects.filter(pk=review.pk, **{f"{field}__isnull": True}).update(**{field: now})
    )


def deadlines_check(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One sweep (idempotent): returns how many reminders, escalations and missed posts."""
    now = now or timezone.now()
    counts = {"reminded": 0, "escalated": 0, "missed": 0}
    longest = Library.objects.aggregate(hours=Max("validation_deadline_hours"))["hours"] or 0
    horizon = now + dt.timedelta(hours=longest) + REMINDER_LEAD
    waiting = (
        selectors.with_deadline(
            Post.objects.filter(
                state__in=[PostState.PENDING, PostState.CHANGES_REQUESTED],
                scheduled_at__isnull=False,
                scheduled_at__gt=now,
                scheduled_at__lte=horizon,
                review__isnull=False,
            )
        )
        .filter(deadline__lte=now + REMINDER_LEAD)
        .select_related("library", "author", "review", "review__current_level")
    )
    for post in waiting:
        review = post.review
        level = selectors.current_level_spec(review)
        if post.deadline > now:
            if (
                level is not None
                and review.reminded_at is None
                and (
                    review.level_since is None or review.level_since < post.deadline - REMINDER_LEAD
                )
                and _claim(review, "reminded_at", now)
            ):
                approved_by = selectors.approvals_at(
                    post=post, round=review.round, position=level.position
                )
                notices.reminder(
                    post,
                    level,
                    selectors.deciders_for_level(post=post, level=level, approved_by=approved_by),
                    post.deadline,
                )
                counts["reminded"] += 1
        elif review.escalated_at is None and _claim(review, "escalated_at", now):
            notices.escalation(post, level, selectors.administrators_of(post.library))
            counts["escalated"] += 1
    due = Post.objects.filter(state__in=list(MISSABLE), scheduled_at__lte=now)
    for post in due:
        if post_mark_missed(post=post, now=now):
            counts["missed"] += 1
    return counts
