"""Who may move which post, and who may change the calendar's settings.

Pure functions over the permission layer's Access: no queries, so the events
endpoint can ask them for thousands of posts at no cost. Each refusal comes
with the reason shown to the person who tried (a refused drag snaps back with it).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from libraries.models import Role
from libraries.selectors import Access
from posts.models import PostState

# Once a post is going out, out or given up, its date is history.
UNMOVABLE_STATES = {
    PostState.PUBLISHING: "publishing",
    PostState.PUBLISHED: "published",
    PostState.CANCELLED: "cancelled",
    PostState.REJECTED: "rejected",
}

# States whose post still holds its place in the queue and counts towards caps.
OCCUPYING_STATES = {
    PostState.DRAFT,
    PostState.PENDING,
    PostState.CHANGES_REQUESTED,
    PostState.APPROVED,
    PostState.PUBLISHING,
    PostState.PUBLISHED,
    PostState.FAILED,
}


def move_refusal(
    access: Access, user, *, library_id: int, author_id: int, state: str
) -> str | None:
    """Why this user may not move this post, or None when they may.

    A contributor moves only their own drafts; validators and administrators
    any post they can see. Nobody moves a post that is published, being
    published, cancelled or rejected.
    """
    if not access.has_role(library_id):
        return _("Cette publication n'existe pas.")
    if state == PostState.PUBLISHED:
        return _("Cette publication est déjà publiée : sa date ne peut plus changer.")
    if state == PostState.PUBLISHING:
        return _("Cette publication est en cours de publication : sa date ne peut plus changer.")
    if state in UNMOVABLE_STATES:
        return _("Cette publication est close (annulée ou refusée) : sa date ne peut plus changer.")
    if access.has_role(library_id, Role.VALIDATOR):
        return None
    if author_id != user.pk:
        return _(
            "Vous ne pouvez déplacer que vos propres brouillons. "
            "Demandez à une personne qui valide de le faire."
        )
    if state != PostState.DRAFT:
        return _(
            "Cette publication est déjà soumise à validation : seule une personne qui valide "
            "peut changer sa date."
        )
    return None


def time_refusal(scheduled_at: dt.datetime, now: dt.datetime) -> str | None:
    if scheduled_at <= now:
        return _("On ne peut pas programmer une publication dans le passé.")
    return None


def can_manage_calendar(access: Access, library_id: int) -> bool:
    """Posting slots, caps, notable dates and mix targets: administrators."""
    return access.has_role(library_id, Role.ADMINISTRATOR)
