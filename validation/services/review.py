"""The review of a post: submit, withdraw, reopen, force, comment; the helpers the
decisions (validation.services.decisions) and the reset (validation.services.reset) share.

Every function locks the post, checks that the page the person acted on is
still current (state, step and content fingerprint, when given), asks
validation.rules, then changes state through post_transition. Forms carry
`expected_state`, `expected_step` ("round.position") and `expected_fingerprint`.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from networks.messages import Message
from posts.content import fingerprint_of, post_snapshot
from posts.models import Post, PostState
from validation import rules, selectors
from validation.errors import IllegalTransition, NotAllowed, StaleAction
from validation.models import Action, Review, ReviewEvent, ReviewLevel
from validation.rules import LevelSpec
from validation.services import notices
from validation.services.transitions import post_lock, post_transition, record_event, state_label
from validation.states import FORCEABLE, REOPENABLE, SUBMITTABLE, WITHDRAWABLE


def _keeps_caller_in_step(service):
    """The services work on a freshly locked copy of the post; the caller's instance
    gets the resulting state too."""

    @functools.wraps(service)
    def wrapper(*, post: Post, **kwargs):
        result = service(post=post, **kwargs)
        if isinstance(result, Post) and result is not post:
            post.state = result.state
        return result

    return wrapper


def step_of(review: Review | None) -> str:
    """The review's step token for forms: "round.position" ("round." when not at a level)."""
    if review is None:
        return "0."
    position = "" if review.current_level_id is None else str(review.current_level.position)
    return f"{review.round}.{position}"


def _check_fresh(
    post: Post,
    review: Review | None,
    fingerprint: str,
    *,
    expected_state: str | None,
    expected_step: str | None,
    expected_fingerprint: str | None,
) -> None:
    if expected_state is not None and post.state != expected_state:
        raise StaleAction(
            _(
                "Cette publication a changé depuis que vous avez ouvert la page : elle est "
                "maintenant « %(state)s ». Rien n'a été enregistré."
            )
            % {"state": state_label(post.state)},
            state=post.state,
        )
    if expected_fingerprint is not None and expected_fingerprint != fingerprint:
        raise StaleAction(
            _(
                "Le contenu de cette publication a été modifié depuis que vous avez ouvert "
                "la page. Rien n'a été enregistré : relisez la nouvelle version."
            ),
            state=post.state,
        )
    if expected_step is not None and expected_step != step_of(review):
        level = review.current_level if review else None
        raise StaleAction(
            _(
                "Cette publication a avancé depuis que vous avez ouvert la page "
                "(quelqu'un a déjà décidé à cette étape) : elle est maintenant "
                "« %(state)s »%(level)s. Rien n'a été enregistré."
            )
            % {
                "state": state_label(post.state),
                "level": f" — {level.name}" if level else "",
            },
            state=post.state,
        )


def _content(post: Post) -> tuple[dict, str]:
    snapshot = post_snapshot(post)
    return snapshot, fingerprint_of(snapshot)


def _freeze_levels(review: Review, levels: list[LevelSpec]) -> list[ReviewLevel]:
    review.levels.all().delete()
    frozen = []
    for spec in levels:
        level = ReviewLevel.objects.create(
            review=review,
            position=spec.position,
            name=spec.name,
            validation_level=spec.validation_level,
            require_all=spec.require_all,
        )
        level.people.set(spec.people)
        frozen.append(level)
    return frozen


def _start_round(
    review: Review, post: Post, fingerprint: str, *, submitted: bool
) -> list[LevelSpec]:
    """A new round: levels copied from the chain that applies now, approvals start over."""
    effective = selectors.chain_for(library=post.library, editorial_line=post.editorial_line)
    frozen = _freeze_levels(review, effective.levels)
    now = timezone.now()
    review.chain = effective.chain
    review.round += 1
    review.current_level = frozen[0] if frozen else None
    review.level_since = now
    review.fingerprint = fingerprint
    review.approved_fingerprint = "" if frozen else fingerprint
    review.reminded_at = None
    review.escalated_at = None
    if submitted:
        review.submitted_at = now
    review.save()
    return effective.levels


def _check_ready(post: Post, snapshot: dict) -> None:
    problems = []
    if not snapshot["body"].strip() and not snapshot["media"]:
        problems.append(_("La publication n'a ni texte ni photo."))
    if post.scheduled_at is not None and post.scheduled_at <= timezone.now():
        problems.append(_("La date de publication est passée : choisissez-en une nouvelle."))
    if problems:
        raise ValidationError(problems)


def _move_to(review: Review, level: ReviewLevel | None, **extra) -> None:
    """Compare-and-set on the review's round and level."""
    changed = Review.objects.filter(
        pk=review.pk, round=review.round, current_level_id=review.current_level_id
    ).update(current_level=level, level_since=timezone.now(), reminded_at=None, **extra)
    if changed != 1:
        raise StaleAction(
            _("Quelqu'un a décidé sur cette publication en même temps que vous."),
            state=PostState.PENDING,
        )
    review.current_level = level


def _require_comment(comment: str, message: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": message})
    return comment


@_keeps_caller_in_step
def post_submit(
    *,
    post: Post,
    by: User,
    comment: str = "",
    expected_state: str | None = None,
    expected_fingerprint: str | None = None,
) -> Post:
    """Submit a draft (or a post whose changes were requested, or a withdrawn one).

    The chain of the post's library and editorial line is copied into the
    review; the post waits at its first level (its people are notified), or is
    approved at once when the chain is "no validation". Raises ValidationError
    when there is nothing to publish or the date has passed.
    """
    with transaction.atomic():
        post, review = post_lock(post.pk)
        snapshot, fingerprint = _content(post)
        _check_fresh(
            post,
            review,
            fingerprint,
            expected_state=expected_state,
            expected_step=None,
            expected_fingerprint=expected_fingerprint,
        )
        if post.state not in SUBMITTABLE:
            raise IllegalTransition(post.state, PostState.PENDING, Action.SUBMIT)
        actor = selectors.actor_for(by)
        if not rules.can_submit(actor, author_id=post.author_id, library_id=post.library_id):
            raise NotAllowed(_("Vous ne pouvez pas soumettre cette publication."))
        _check_ready(post, snapshot)
        review = review or Review.objects.create(post=post)
        levels = _start_round(review, post, fingerprint, submitted=True)
        if not levels:
            post_transition(
                post=post,
                to_state=PostState.APPROVED,
                action=Action.SUBMIT,
                by=by,
                comment=comment
                or Message(gettext_noop("Aucune validation n'est requise pour ces publications.")),
                round=review.round,
                snapshot=snapshot,
            )
            return post
        post_transition(
            post=post,
            to_state=PostState.PENDING,
            action=Action.SUBMIT,
            by=by,
            comment=comment,
            round=review.round,
            level=levels[0],
            snapshot=snapshot,
        )
        notices.waiting(post, levels[0], selectors.deciders_for_level(post=post, level=levels[0]))
    return post


@_keeps_caller_in_step
def post_withdraw(
    *, post: Post, by: User, comment: str = "", expected_state: str | None = None
) -> Post:
    """The author (or an administrator) takes the post out of validation or publication."""
    with transaction.atomic():
        post, review = post_lock(post.pk)
        _check_fresh(
            post,
            review,
            "",
            expected_state=expected_state,
            expected_step=None,
            expected_fingerprint=None,
        )
        if post.state not in WITHDRAWABLE:
            raise IllegalTransition(post.state, PostState.WITHDRAWN, Action.WITHDRAW)
        actor = selectors.actor_for(by)
        if not rules.can_withdraw(actor, author_id=post.author_id, library_id=post.library_id):
            raise NotAllowed(
                _(
                    "Seul·e l'auteur·rice ou un·e administrateur·rice peut retirer "
                    "cette publication."
                )
            )
        if review is not None and review.current_level_id is not None:
            _move_to(review, None)
        post_transition(
            post=post,
            to_state=PostState.WITHDRAWN,
            action=Action.WITHDRAW,
            by=by,
            comment=comment,
            round=review.round if review else 0,
        )
    return post


@_keeps_caller_in_step
def post_reopen(*, post: Post, by: User, expected_state: str | None = None) -> Post:
    """Back to draft (after changes were requested, a withdrawal or a missed date)."""
    with transaction.atomic():
        post, review = post_lock(post.pk)
        _check_fresh(
            post,
            review,
            "",
            expected_state=expected_state,
            expected_step=None,
            expected_fingerprint=None,
        )
        if post.state not in REOPENABLE:
            raise IllegalTransition(post.state, PostState.DRAFT, Action.REOPEN)
        actor = selectors.actor_for(by)
        if not rules.can_reopen(actor, author_id=post.author_id, library_id=post.library_id):
            raise NotAllowed(_("Vous ne pouvez pas modifier cette publication."))
        post_transition(
            post=post,
            to_state=PostState.DRAFT,
            action=Action.REOPEN,
            by=by,
            round=review.round if review else 0,
        )
    return post


@_keeps_caller_in_step
def post_force_decision(
    *,
    post: Post,
    by: User,
    decision: str,
    reason: str,
    expected_state: str | None = None,
    expected_fingerprint: str | None = None,
) -> Post:
    """An administrator approves or rejects the post whatever the chain says, with
    a reason (required). Recorded as forced and shown as such in the trail; the
    author and the people of the current level are told. Never on one's own post."""
    if decision not in ("approve", "reject"):
        raise ValueError("decision must be 'approve' or 'reject'")
    reason = _require_comment(reason, _("Une décision forcée doit être justifiée."))
    with transaction.atomic():
        post, review = post_lock(post.pk)
        snapshot, fingerprint = _content(post)
        _check_fresh(
            post,
            review,
            fingerprint,
            expected_state=expected_state,
            expected_step=None,
            expected_fingerprint=expected_fingerprint,
        )
        to_state = PostState.APPROVED if decision == "approve" else PostState.REJECTED
        action = Action.FORCE_APPROVE if decision == "approve" else Action.FORCE_REJECT
        if post.state not in FORCEABLE:
            raise IllegalTransition(post.state, to_state, action)
        actor = selectors.actor_for(by)
        if not rules.can_force(actor, author_id=post.author_id, library_id=post.library_id):
            raise NotAllowed(
                _(
                    "Seul·e un·e administrateur·rice peut forcer une décision, "
                    "jamais sur sa propre publication."
                )
            )
        review = review or Review.objects.create(post=post)
        level = selectors.current_level_spec(review)
        waiting_for = (
            selectors.deciders_for_level(post=post, level=level) if level is not None else []
        )
        _move_to(review, None, approved_fingerprint=fingerprint if decision == "approve" else "")
        post_transition(
            post=post,
            to_state=to_state,
            action=action,
            by=by,
            comment=reason,
            round=review.round,
            level=level,
            forced=True,
            snapshot=snapshot,
        )
        notices.decided(post, "forced", by, reason)
        notices.forced(post, waiting_for, by, reason)
    return post


def post_comment(*, post: Post, by: User, body: str) -> ReviewEvent:
    """Add a comment to the post's thread; the author, or the people it waits for, hear of it."""
    body = _require_comment(body, _("Écrivez un commentaire."))
    with transaction.atomic():
        post, review = post_lock(post.pk)
        actor = selectors.actor_for(by)
        if not rules.can_comment(actor, library_id=post.library_id):
            raise NotAllowed()
        event = record_event(
            post=post,
            action=Action.COMMENT,
            by=by,
            from_state=post.state,
            to_state=post.state,
            round=review.round if review else 0,
            level=selectors.current_level_spec(review),
            comment=body,
            with_snapshot=False,
        )
        if by.pk != post.author_id:
            notices.commented(post, [post.author], by, body)
        else:
            level = selectors.current_level_spec(review)
            if level is not None:
                notices.commented(
                    post, selectors.deciders_for_level(post=post, level=level), by, body
                )
    return event
