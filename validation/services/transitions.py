"""The one function that writes Post.state, and the trail it appends to."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from networks.messages import as_data
from posts.content import fingerprint_of, post_snapshot
from posts.models import Post, PostState
from validation.errors import IllegalTransition, StaleAction
from validation.models import Review, ReviewEvent
from validation.rules import LevelSpec
from validation.signals import post_state_changed
from validation.states import is_allowed


def post_lock(pk: int) -> tuple[Post, Review | None]:
    """Lock the post (and its review) for the rest of the transaction and return
    them fresh: concurrent decisions on one post run one after the other."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("library", "author", "editorial_line")
        .get(pk=pk)
    )
    review = Review.objects.select_for_update().filter(post=post).first()
    return post, review


def record_event(
    *,
    post: Post,
    action: str,
    by: User | None,
    from_state: str,
    to_state: str,
    round: int = 0,
    level: LevelSpec | None = None,
    comment: str = "",
    forced: bool = False,
    on_behalf_of: int | None = None,
    snapshot: dict | None = None,
    with_snapshot: bool = True,
) -> ReviewEvent:
    """Append one entry to the post's trail (with the content it concerned)."""
    if with_snapshot and snapshot is None:
        snapshot = post_snapshot(post)
    return ReviewEvent.objects.create(
        post=post,
        library_id=post.library_id,
        action=action,
        actor=by,
        on_behalf_of_id=on_behalf_of,
        created_at=timezone.now(),
        from_state=from_state,
        to_state=to_state,
        round=round,
        level_position=level.position if level else None,
        level_name=level.name if level else "",
        comment=comment,
        # A networks.messages.Message (Annexe's words, from a worker): shown translated.
        comment_data=as_data(comment),
        forced=forced,
        fingerprint=fingerprint_of(snapshot) if snapshot is not None else "",
        snapshot=snapshot if with_snapshot else None,
    )


def post_transition(
    *,
    post: Post,
    to_state: str,
    action: str,
    by: User | None,
    comment: str = "",
    round: int = 0,
    level: LevelSpec | None = None,
    forced: bool = False,
    on_behalf_of: int | None = None,
    snapshot: dict | None = None,
) -> ReviewEvent:
    """Move `post` from its current state to `to_state`: the only writer of Post.state.

    Checks the table of allowed transitions (IllegalTransition otherwise), writes
    with a compare-and-set on the state the caller holds (StaleAction if another
    transaction changed it first), appends the event to the trail and sends
    `post_state_changed` on commit. It checks no rule: call it through the
    post_* services, which do, inside their transaction (post_lock first).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("post_transition must run inside transaction.atomic()")
    from_state = post.state
    if not is_allowed(from_state, to_state):
        raise IllegalTransition(from_state, to_state, action)
    changed = Post.objects.filter(pk=post.pk, state=from_state).update(
        state=to_state, updated_at=timezone.now()
    )
    if changed != 1:
        current = Post.objects.filter(pk=post.pk).values_list("state", flat=True).first()
        raise StaleAction(
            _("Cette publication a changé d'état entre-temps : rien n'a été enregistré."),
            state=current or "",
        )
    post.state = to_state
    event = record_event(
        post=post,
        action=action,
        by=by,
        from_state=from_state,
        to_state=to_state,
        round=round,
        level=level,
        comment=comment,
        forced=forced,
        on_behalf_of=on_behalf_of,
        snapshot=snapshot,
    )
    transaction.on_commit(
        lambda: post_state_changed.send(
            sender=Post,
            post=post,
            from_state=from_state,
            to_state=to_state,
            by=by,
            comment=comment,
            action=action,
        )
    )
    return event


def state_label(state: str) -> str:
    try:
        return str(PostState(state).label)
    except ValueError:
        return state
