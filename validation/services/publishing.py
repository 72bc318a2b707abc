"""The publishing states of a post, for the publishing engine.

Each is a compare-and-set through post_transition and does nothing (returns
False) when the post is already in the target state, so a task delivered twice
is harmless. Publishing requires the content to be exactly the approved
content (its fingerprint): otherwise ContentNotApproved, and nothing changes.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from posts.content import fingerprint_of, post_snapshot
from posts.models import Post, PostState
from validation import rules, selectors
from validation.errors import ContentNotApproved, IllegalTransition, NotAllowed
from validation.models import Action, Review
from validation.services.transitions import post_lock, post_transition
from validation.states import PUBLISHABLE


def _move(
    *,
    post: Post,
    to_state: str,
    from_states: set[str],
    action: str,
    by: User | None,
    comment: str = "",
    check_content: bool = True,
) -> bool:
    with transaction.atomic():
        locked, review = post_lock(post.pk)
        if locked.state == to_state:
            post.state = locked.state
            return False
        if locked.state not in from_states:
            raise IllegalTransition(locked.state, to_state, action)
        snapshot = post_snapshot(locked)
        if check_content and (
            review is None or review.approved_fingerprint != fingerprint_of(snapshot)
        ):
            raise ContentNotApproved(
                _("Le contenu de cette publication n'est pas celui qui a été validé.")
            )
        post_transition(
            post=locked,
            to_state=to_state,
            action=action,
            by=by,
            comment=comment,
            round=review.round if review else 0,
            snapshot=snapshot,
        )
    post.state = locked.state
    return True


def post_check_publishable(*, post: Post) -> None:
    """Raise unless `post` may go out now: approved through its whole chain (or
    failed, for a retry) with exactly the approved content. For every path that
    schedules or publishes ("publish now", a new publication, a retry) before it
    acts; post_mark_publishing checks the same again under the row lock.
    IllegalTransition when the post is not approved, ContentNotApproved when its
    content changed since the approval."""
    post = Post.objects.get(pk=post.pk)
    if post.state not in PUBLISHABLE:
        raise IllegalTransition(post.state, PostState.PUBLISHING, Action.PUBLISHING)
    review = Review.objects.filter(post=post).first()
    if review is None or review.approved_fingerprint != fingerprint_of(post_snapshot(post)):
        raise ContentNotApproved(
            _("Le contenu de cette publication n'est pas celui qui a été validé.")
        )


def post_mark_publishing(*, post: Post, by: User | None = None) -> bool:
    """approved or failed → publishing (a publish task starts)."""
    return _move(
        post=post,
        to_state=PostState.PUBLISHING,
        from_states={PostState.APPROVED, PostState.FAILED},
        action=Action.PUBLISHING,
        by=by,
    )


def post_mark_published(*, post: Post, by: User | None = None, comment: str = "") -> bool:
    """publishing, approved or failed → published."""
    return _move(
        post=post,
        to_state=PostState.PUBLISHED,
        from_states={PostState.PUBLISHING, PostState.APPROVED, PostState.FAILED},
        action=Action.PUBLISHED,
        by=by,
        comment=comment,
    )


def post_mark_failed(*, post: Post, by: User | None = None, comment: str = "") -> bool:
    """publishing or approved → failed (comment: the network's message)."""
    return _move(
        post=post,
        to_state=PostState.FAILED,
        from_states={PostState.PUBLISHING, PostState.APPROVED},
        action=Action.FAILED,
        by=by,
        comment=comment,
        check_content=False,
    )


def post_requeue(*, post: Post, by: User | None = None, comment: str = "") -> bool:
    """publishing or failed → approved (waiting for its time again, e.g. after a pause)."""
    return _move(
        post=post,
        to_state=PostState.APPROVED,
        from_states={PostState.PUBLISHING, PostState.FAILED},
        action=Action.REQUEUE,
        by=by,
        comment=comment,
    )


def post_cancel(*, post: Post, by: User | None, comment: str = "") -> bool:
    """approved, failed or published (then deleted from the networks) → cancelled.
    A person must be the author or an administrator; None is Annexe itself."""
    if by is not None:
        actor = selectors.actor_for(by)
        if not rules.can_withdraw(actor, author_id=post.author_id, library_id=post.library_id):
            raise NotAllowed(
                _(
                    "Seul·e l'auteur·rice ou un·e administrateur·rice peut annuler "
                    "cette publication."
                )
            )
    return _move(
        post=post,
        to_state=PostState.CANCELLED,
        from_states={PostState.APPROVED, PostState.FAILED, PostState.PUBLISHED},
        action=Action.CANCEL,
        by=by,
        comment=comment,
        check_content=False,
    )
