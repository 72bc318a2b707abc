"""What people do from the post page: publish now, retry, delete from the networks."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from libraries.models import Role
from libraries.selectors import access_for
from networks import get_network
from networks.client import NetworkError
from networks.messages import Message
from posts.models import Post, PostState
from publishing.models import Publication, PublicationKind, PublicationState
from publishing.services.pause import paused_library_ids
from publishing.services.render import client_account, remote_of
from publishing.services.transitions import publication_move, publications_move

logger = logging.getLogger(__name__)
S = PublicationState


class ActionRefused(Exception):
    """`str(exc)` says why, for people."""


def _require(user: User, post: Post, role: str = Role.VALIDATOR) -> None:
    access = access_for(user)
    if not (access.has_role(post.library_id, role) or post.author_id == user.pk):
        raise PermissionDenied


def _send_now(ids: list[int], now: dt.datetime) -> None:
    from publishing.services.dispatch import _enqueue

    transaction.on_commit(lambda: _enqueue([(pk, None) for pk in ids]))


def post_publish_now(*, post: Post, by: User, now: dt.datetime | None = None) -> int:
    """Send the approved post's waiting publications at once (bypassing its date)."""
    _require(by, post)
    now = now or timezone.now()
    if post.state not in {PostState.APPROVED, PostState.FAILED, PostState.PUBLISHING}:
        raise ActionRefused(_("Seule une publication validée peut être publiée."))
    if post.library_id in paused_library_ids():
        raise ActionRefused(_("Les publications de cette bibliothèque sont en pause."))
    with transaction.atomic():
        ids = list(
            Publication.objects.filter(
                post=post, kind=PublicationKind.POST, state=S.SCHEDULED
            ).values_list("pk", flat=True)
        )
        moved = publications_move(
            ids=ids, from_state=S.SCHEDULED, to_state=S.QUEUED, queued_at=now, next_attempt_at=None
        )
        _send_now(moved, now)
    if not moved:
        raise ActionRefused(_("Rien n'attend d'être publié pour cette publication."))
    return len(moved)


def publication_retry(
    *, publication: Publication, by: User, now: dt.datetime | None = None
) -> None:
    """A failed publication is tried again now (its budget of attempts starts afresh;
    an earlier attempt, if any, is looked for on the network first)."""
    _require(by, publication.post)
    now = now or timezone.now()
    if publication.post.library_id in paused_library_ids():
        raise ActionRefused(_("Les publications de cette bibliothèque sont en pause."))
    with transaction.atomic():
        moved = publication_move(
            publication_id=publication.pk,
            from_states={S.FAILED},
            to_state=S.QUEUED,
            queued_at=now,
            next_attempt_at=None,
            attempts=min(publication.attempts, 1),
        )
        if not moved:
            raise ActionRefused(_("Cette publication n'est plus en échec."))
        _send_now([publication.pk], now)


def post_delete_from_networks(*, post: Post, by: User) -> int:
    """Delete the published post from every network (in the background), and cancel it."""
    from publishing.tasks import delete_publication
    from validation.services import post_cancel

    _require(by, post, Role.ADMINISTRATOR)
    with transaction.atomic():
        published = list(
            Publication.objects.filter(
                post=post, state=S.PUBLISHED, remote_deleted_at__isnull=True
            ).values_list("pk", flat=True)
        )
        if post.state in {PostState.PUBLISHED, PostState.FAILED, PostState.APPROVED}:
            post_cancel(
                post=post,
                by=by,
                comment=Message(gettext_noop("Supprimée des réseaux depuis Annexe.")),
            )
        for pk in published:
            transaction.on_commit(lambda pk=pk: delete_publication.delay(pk))
    return len(published)


def publication_delete_remote(*, publication_id: int, now: dt.datetime | None = None) -> bool:
    """Delete one published publication (and its reposts) on its network. Idempotent."""
    now = now or timezone.now()
    publication = Publication.objects.select_related("account").filter(pk=publication_id).first()
    if publication is None or publication.state != S.PUBLISHED or publication.remote_deleted_at:
        return False
    for relay in publication.relays.filter(kind=PublicationKind.REPOST, state=S.PUBLISHED):
        publication_delete_remote(publication_id=relay.pk, now=now)
    if publication.kind == PublicationKind.EMAIL or publication.account is None:
        return False
    client = get_network(publication.network).client()
    if client.supports_delete:
        try:
            client.delete(client_account(publication.account), remote_of(publication))
        except NetworkError as exc:
            Publication.objects.filter(pk=publication.pk).update(
                error_kind="delete", error_status=exc.status, error_message=exc.message
            )
            raise
    Publication.objects.filter(pk=publication.pk, remote_deleted_at__isnull=True).update(
        remote_deleted_at=now, updated_at=now
    )
    return True
