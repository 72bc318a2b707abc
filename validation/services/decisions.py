"""Decisions at the current level: approve, request changes, reject, bulk approval.

Same contract as validation.services.review: lock, check the page is fresh, ask
validation.rules, change state through post_transition.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from posts.models import Post, PostState
from posts.selectors import posts_visible_to
from validation import rules, selectors
from validation.errors import IllegalTransition, NotAllowed, StaleAction
from validation.models import Action, Review
from validation.rules import LevelSpec
from validation.services import notices
from validation.services.review import (
    _check_fresh,
    _content,
    _keeps_caller_in_step,
    _move_to,
    _require_comment,
)
from validation.services.transitions import post_lock, post_transition, record_event


@dataclass(frozen=True)
class _Decision:
    post: Post
    review: Review
    level: LevelSpec
    approved_by: frozenset[int]
    capacity: rules.Capacity
    snapshot: dict
    fingerprint: str


def _decision(
    post: Post,
    by: User,
    *,
    expected_state,
    expected_step,
    expected_fingerprint,
    to_state: str,
    action: str,
) -> _Decision:
    """Lock, check freshness and the rules for a decision at the current level."""
    post, review = post_lock(post.pk)
    snapshot, fingerprint = _content(post)
    _check_fresh(
        post,
        review,
        fingerprint,
        expected_state=expected_state,
        expected_step=expected_step,
        expected_fingerprint=expected_fingerprint,
    )
    level = selectors.current_level_spec(review)
    if post.state != PostState.PENDING or level is None:
        raise IllegalTransition(post.state, to_state, action)
    approved_by = selectors.approvals_at(post=post, round=review.round, position=level.position)
    capacity = rules.acting_capacity(
        selectors.actor_for(by),
        author_id=post.author_id,
        library_id=post.library_id,
        level=level,
        approved_by=approved_by,
    )
    if capacity is None:
        raise NotAllowed(_why_not(post, by, level, approved_by))
    return _Decision(post, review, level, approved_by, capacity, snapshot, fingerprint)


def _why_not(post: Post, by: User, level: LevelSpec, approved_by: frozenset[int]) -> str:
    if post.author_id == by.pk:
        return _("Vous ne pouvez pas valider votre propre publication.")
    if by.pk in approved_by:
        return _("Vous avez déjà validé cette étape.")
    return _("Cette étape (« %(level)s ») ne fait pas partie de celles que vous validez.") % {
        "level": level.name
    }


@_keeps_caller_in_step
def post_approve(
    *,
    post: Post,
    by: User,
    comment: str = "",
    expected_state: str | None = None,
    expected_step: str | None = None,
    expected_fingerprint: str | None = None,
) -> Post:
    """Approve the post at its current level (for an absent validator when `by`
    stands in for them). A satisfied level moves the post to the next one (its
    people are notified); the last one approves the post (its author is told)."""
    post, _outcome = _approve(
        post=post,
        by=by,
        comment=comment,
        expected_state=expected_state,
        expected_step=expected_step,
        expected_fingerprint=expected_fingerprint,
    )
    return post


def _approve(
    *, post, by, comment, expected_state, expected_step, expected_fingerprint
) -> tuple[Post, str]:
    """post_approve, also saying what happened: "approved", "next_level" or "recorded"."""
    with transaction.atomic():
        d = _decision(
            post,
            by,
            expected_state=expected_state,
            expected_step=expected_step,
            expected_fingerprint=expected_fingerprint,
            to_state=PostState.APPROVED,
            action=Action.APPROVE,
        )
        post, review, level = d.post, d.review, d.level
        approved_by = d.approved_by | {d.capacity.on_behalf_of or by.pk}
        satisfied = rules.level_satisfied(level, approved_by=approved_by, author_id=post.author_id)
        levels = list(review.levels.order_by("position"))
        is_last = level.position + 1 >= len(levels)
        if satisfied and is_last:
            _move_to(review, None, approved_fingerprint=d.fingerprint)
            post_transition(
                post=post,
                to_state=PostState.APPROVED,
                action=Action.APPROVE,
                by=by,
                comment=comment,
                round=review.round,
                level=level,
                on_behalf_of=d.capacity.on_behalf_of,
                snapshot=d.snapshot,
            )
            notices.decided(post, "approved", by, comment)
            return post, "approved"
        record_event(
            post=post,
            action=Action.APPROVE,
            by=by,
            from_state=post.state,
            to_state=post.state,
            round=review.round,
            level=level,
            comment=comment,
            on_behalf_of=d.capacity.on_behalf_of,
            snapshot=d.snapshot,
        )
        if satisfied:
            _move_to(review, levels[level.position + 1])
            following = selectors.current_level_spec(review)
            notices.waiting(
                post, following, selectors.deciders_for_level(post=post, level=following)
            )
            return post, "next_level"
    return post, "recorded"


@_keeps_caller_in_step
def post_request_changes(
    *,
    post: Post,
    by: User,
    comment: str,
    expected_state: str | None = None,
    expected_step: str | None = None,
    expected_fingerprint: str | None = None,
) -> Post:
    """Send the post back to its author with a comment (required)."""
    comment = _require_comment(comment, _("Dites à l'auteur·rice ce qu'il faut modifier."))
    return _decide_against(
        post=post,
        by=by,
        comment=comment,
        to_state=PostState.CHANGES_REQUESTED,
        action=Action.REQUEST_CHANGES,
        notice="changes_requested",
        expected=(expected_state, expected_step, expected_fingerprint),
    )


@_keeps_caller_in_step
def post_reject(
    *,
    post: Post,
    by: User,
    comment: str,
    expected_state: str | None = None,
    expected_step: str | None = None,
    expected_fingerprint: str | None = None,
) -> Post:
    """Refuse the post for good, with a reason (required)."""
    comment = _require_comment(comment, _("Donnez la raison du refus."))
    return _decide_against(
        post=post,
        by=by,
        comment=comment,
        to_state=PostState.REJECTED,
        action=Action.REJECT,
        notice="rejected",
        expected=(expected_state, expected_step, expected_fingerprint),
    )


def _decide_against(*, post, by, comment, to_state, action, notice, expected) -> Post:
    expected_state, expected_step, expected_fingerprint = expected
    with transaction.atomic():
        d = _decision(
            post,
            by,
            expected_state=expected_state,
            expected_step=expected_step,
            expected_fingerprint=expected_fingerprint,
            to_state=to_state,
            action=action,
        )
        _move_to(d.review, None)
        post_transition(
            post=d.post,
            to_state=to_state,
            action=action,
            by=by,
            comment=comment,
            round=d.review.round,
            level=d.level,
            on_behalf_of=d.capacity.on_behalf_of,
            snapshot=d.snapshot,
        )
        notices.decided(d.post, notice, by, comment)
    return d.post


@dataclass(frozen=True)
class BulkItem:
    post_id: int
    expected_state: str | None = None
    expected_step: str | None = None
    expected_fingerprint: str | None = None


@dataclass(frozen=True)
class BulkResult:
    post_id: int
    title: str
    outcome: str  # "approved", "next_level", "recorded", "stale", "refused", "not_found"
    message: str


def posts_bulk_approve(*, by: User, items: list[BulkItem]) -> list[BulkResult]:
    """Approve several posts, each through post_approve and its rules, each in its
    own transaction; report per post what happened."""
    visible = {
        post.pk: post for post in posts_visible_to(by).filter(pk__in=[i.post_id for i in items])
    }
    results = []
    for item in items:
        post = visible.get(item.post_id)
        if post is None:
            results.append(BulkResult(item.post_id, "", "not_found", _("Publication introuvable.")))
            continue
        try:
            post, outcome = _approve(
                post=post,
                comment="",
                by=by,
                expected_state=item.expected_state,
                expected_step=item.expected_step,
                expected_fingerprint=item.expected_fingerprint,
            )
        except StaleAction as exc:
            results.append(BulkResult(post.pk, post.title, "stale", exc.message))
        except IllegalTransition as exc:
            results.append(BulkResult(post.pk, post.title, "stale", exc.message))
        except NotAllowed as exc:
            results.append(BulkResult(post.pk, post.title, "refused", exc.message))
        else:
            results.append(BulkResult(post.pk, post.title, outcome, _bulk_message(post, outcome)))
    return results


def _bulk_message(post: Post, outcome: str) -> str:
    if outcome == "approved":
        return _("Validée : toutes les étapes sont franchies.")
    if outcome == "next_level":
        level = Review.objects.select_related("current_level").get(post=post).current_level
        return _("Validée à votre étape ; elle passe à « %(level)s ».") % {"level": level.name}
    return _("Votre validation est enregistrée ; d'autres personnes doivent encore valider.")
