"""Pausing publishing: a library, or a library and all its branches (mourning, a
crisis, the pre-election restraint period). Nothing goes out while paused; on resume
the administrator decides, post by post, what happens to what fell due meanwhile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from libraries.models import Library, Role
from libraries.selectors import access_for, access_tree
from networks.messages import Message
from posts.models import Post, PostState
from publishing.models import Publication, PublicationKind, PublicationState, PublishingPause
from publishing.services.transitions import publications_move

S = PublicationState


class PauseError(Exception):
    """The pause or resume cannot be done; `str(exc)` says why, for people."""


def paused_library_ids() -> set[int]:
    """Every library under an active pause (a pause with branches covers them all)."""
    pauses = list(
        PublishingPause.objects.filter(ended_at__isnull=True).values_list(
            "library_id", "include_branches"
        )
    )
    if not pauses:
        return set()
    tree = access_tree()
    ids: set[int] = set()
    for library_id, include_branches in pauses:
        ids |= set(tree.descendants(library_id)) if include_branches else {library_id}
    return ids


def pauses_covering(library_id: int) -> list[PublishingPause]:
    """The active pauses that stop `library_id` (its own, or a parent's with branches)."""
    chain = access_tree().ancestors(library_id)
    return [
        pause
        for pause in PublishingPause.objects.filter(
            ended_at__isnull=True, library_id__in=chain
        ).select_related("library", "started_by")
        if pause.library_id == library_id or pause.include_branches
    ]


def _forget_cache() -> None:
    from django.core.cache import cache

    from publishing.context_processors import CACHE_KEY

    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _require_admin(user: User, library: Library) -> None:
    if not access_for(user).has_role(library.id, Role.ADMINISTRATOR):
        raise PermissionDenied


def publishing_pause(
    *, library: Library, by: User, reason: str, include_branches: bool = True
) -> PublishingPause:
    _require_admin(by, library)
    reason = reason.strip()
    if not reason:
        raise PauseError(_("Indiquez la raison de la pause : elle s'affiche pour toute l'équipe."))
    try:
        with transaction.atomic():
            pause = PublishingPause.objects.create(
                library=library, include_branches=include_branches, reason=reason, started_by=by
            )
            _forget_cache()
            return pause
    except IntegrityError:
        raise PauseError(_("Les publications de cette bibliothèque sont déjà en pause.")) from None


@dataclass(frozen=True)
class Overdue:
    post: Post
    publications: list[Publication]


def overdue_posts(*, pause: PublishingPause, now: dt.datetime | None = None) -> list[Overdue]:
    """Posts of the paused libraries whose publications fell due during the pause."""
    now = now or timezone.now()
    tree = access_tree()
    ids = tree.descendants(pause.library_id) if pause.include_branches else [pause.library_id]
    publications = (
        Publication.objects.filter(
            post__library_id__in=ids,
            kind=PublicationKind.POST,
            state__in=[S.SCHEDULED, S.NEEDS_RECONNECT],
            scheduled_at__lte=now,
        )
        .select_related("post", "account")
        .order_by("scheduled_at", "pk")
    )
    by_post: dict[int, Overdue] = {}
    for publication in publications:
        entry = by_post.setdefault(publication.post_id, Overdue(publication.post, []))
        entry.publications.append(publication)
    return list(by_post.values())


# What the administrator chooses for each overdue post on resume.
PUBLISH_NOW, RESCHEDULE, CANCEL = "publish_now", "reschedule", "cancel"


def publishing_resume(
    *,
    pause: PublishingPause,
    by: User,
    decisions: dict[int, tuple[str, dt.datetime | None]],
    now: dt.datetime | None = None,
) -> None:
    """End the pause, applying for each overdue post (by id) its decision: publish now,
    reschedule to the given time, or cancel. Every overdue post needs a decision."""
    from editorial_calendar.services.schedule import MoveRefused, post_reschedule
    from validation.services import post_cancel

    _require_admin(by, pause.library)
    now = now or timezone.now()
    overdue = {entry.post.pk: entry for entry in overdue_posts(pause=pause, now=now)}
    missing = [entry.post.title for pk, entry in overdue.items() if pk not in decisions]
    if missing:
        raise PauseError(
            _("Choisissez quoi faire de : %(titles)s.") % {"titles": ", ".join(missing)}
        )
    with transaction.atomic():
        ended = PublishingPause.objects.filter(pk=pause.pk, ended_at__isnull=True).update(
            ended_at=now, ended_by=by
        )
        if not ended:
            raise PauseError(_("Cette pause est déjà terminée."))
        _forget_cache()
        for post_id, entry in overdue.items():
            choice, when = decisions[post_id]
            if choice == PUBLISH_NOW:
                Publication.objects.filter(
                    pk__in=[p.pk for p in entry.publications], state=S.SCHEDULED
                ).update(scheduled_at=now, next_attempt_at=None, updated_at=now)
            elif choice == RESCHEDULE:
                if when is None:
                    raise PauseError(
                        _("Indiquez la nouvelle date de « %(title)s ».")
                        % {"title": entry.post.title}
                    )
                try:
                    post_reschedule(post=entry.post, by=by, scheduled_at=when)
                except MoveRefused as exc:
                    raise PauseError(f"{entry.post.title} : {exc}") from exc
            elif choice == CANCEL:
                # Cancelled here, in this transaction, before any dispatcher sees the end
                # of the pause; the post follows.
                publications_move(
                    ids=[p.pk for p in entry.publications],
                    from_state=S.SCHEDULED,
                    to_state=S.CANCELLED,
                )
                if entry.post.state in {PostState.APPROVED, PostState.FAILED}:
                    post_cancel(
                        post=entry.post,
                        by=by,
                        comment=Message(gettext_noop("Annulée à la fin d'une pause.")),
                    )
            else:
                raise PauseError(f"unknown choice {choice!r}")
