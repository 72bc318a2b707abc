"""Content changed after an approval: the approvals start over (DESIGN.md, Validation)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from accounts.models import User
from networks.messages import Message
from posts.content import fingerprint_of
from posts.models import Post, PostState
from validation import selectors
from validation.models import Action, Review, ReviewEvent
from validation.services import notices
from validation.services.review import _start_round
from validation.services.transitions import post_lock, post_transition, record_event


def review_reset_for_content_change(
    *, post: Post, by: User | None, previous_snapshot: dict, snapshot: dict
) -> None:
    """Called (through posts.signals.post_content_changed) inside the transaction
    that changed the post's text, link, targets, media, alt text or variants.

    A post with any approval goes back to the first level of its chain (an
    approved post becomes pending again); the people who approved are told and
    see what changed. The date, title, notes and line are not content and keep
    approvals (posts.content decides what is content).
    """
    sent, (post, review) = post, post_lock(post.pk)  # the state as stored, not as sent
    if review is None:
        return
    fingerprint = fingerprint_of(snapshot)
    Review.objects.filter(pk=review.pk).update(fingerprint=fingerprint)
    review.fingerprint = fingerprint
    if post.state not in (PostState.APPROVED, PostState.PENDING):
        return
    approvers = set(
        ReviewEvent.objects.filter(
            post=post, round=review.round, action__in=[Action.APPROVE, Action.FORCE_APPROVE]
        ).values_list("actor_id", flat=True)
    )
    if post.state == PostState.PENDING and not approvers:
        return  # nothing approved yet: the validators will simply see the new version
    levels = _start_round(review, post, fingerprint, submitted=False)
    first = levels[0] if levels else None
    if first is None:
        # The chain is now "no validation": the new version is approved as it stands.
        no_validation = Message(
            gettext_noop("Aucune validation n'est requise pour ces publications.")
        )
        if post.state == PostState.PENDING:
            post_transition(
                post=post,
                to_state=PostState.APPROVED,
                action=Action.RESET,
                by=by,
                comment=no_validation,
                round=review.round,
                snapshot=snapshot,
            )
            sent.state = post.state
        else:
            record_event(
                post=post,
                action=Action.RESET,
                by=by,
                from_state=post.state,
                to_state=post.state,
                round=review.round,
                comment=no_validation,
                snapshot=snapshot,
            )
        return
    if post.state == PostState.APPROVED:
        post_transition(
            post=post,
            to_state=PostState.PENDING,
            action=Action.RESET,
            by=by,
            round=review.round,
            level=first,
            snapshot=snapshot,
        )
    else:
        record_event(
            post=post,
            action=Action.RESET,
            by=by,
            from_state=post.state,
            to_state=post.state,
            round=review.round,
            level=first,
            snapshot=snapshot,
        )
    sent.state = post.state
    deciders = selectors.deciders_for_level(post=post, level=first)
    notices.waiting(post, first, deciders, after_reset=True)
    already_told = {user.pk for user in deciders} | {getattr(by, "pk", None)}
    others = User.objects.filter(pk__in=approvers - already_told)
    notices.changed_since_approval(post, list(others))
