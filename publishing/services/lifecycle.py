"""Publications follow their post: created when it is approved, cancelled when it is
withdrawn, reset or cancelled, moved when its date moves, `missed` with it; and the
post's state follows its publications (publishing, published, failed) through the
validation app's post_mark_* services, the only writers of Post.state.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from libraries.selectors import access_tree
from networks.messages import Message
from posts.models import Post, PostState
from publishing.models import (
    AccountStatus,
    Publication,
    PublicationKind,
    PublicationState,
    SocialAccount,
)
from publishing.services.transitions import IN_PROGRESS, NOT_SENT, publication_move
from validation.errors import ValidationFlowError

logger = logging.getLogger(__name__)
S = PublicationState

# Post states in which nothing should go out (anything not sent is cancelled).
_STOPPED = {
    PostState.DRAFT,
    PostState.PENDING,
    PostState.CHANGES_REQUESTED,
    PostState.REJECTED,
    PostState.WITHDRAWN,
    PostState.CANCELLED,
}


# The post states publications_sync acts on (approved: ensure them; stopped: cancel;
# missed: mark missed); in any other state it changes nothing.
POST_STATES_PUBLICATIONS_FOLLOW = frozenset({PostState.APPROVED, PostState.MISSED, *_STOPPED})


def target_accounts(post: Post) -> list[SocialAccount]:
    """The accounts a post goes to: each target's account; a target naming only a
    network uses the library's account on it when there is exactly one (its own, or
    else the nearest parent library's)."""
    accounts: dict[int, SocialAccount] = {}
    by_network = []
    for target in post.targets.select_related("account"):
        if target.account_id:
            accounts[target.account_id] = target.account
        else:
            by_network.append(target.network)
    if by_network:
        chain = access_tree().ancestors(post.library_id)
        candidates = SocialAccount.objects.filter(
            library_id__in=chain, network__in=by_network
        ).exclude(status=AccountStatus.DISABLED)
        for network in by_network:
            for library_id in chain:
                found = [
                    a for a in candidates if a.network == network and a.library_id == library_id
                ]
                if found:
                    if len(found) == 1:
                        accounts.setdefault(found[0].pk, found[0])
                    break
    return list(accounts.values())


def _wanted_time(post: Post, now: dt.datetime) -> dt.datetime:
    return post.scheduled_at or now


def publications_sync(*, post: Post, now: dt.datetime | None = None) -> None:
    """Bring the post's publications in line with the post (idempotent; every
    receiver and the dispatcher's repair sweep call this)."""
    now = now or timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        live = list(
            Publication.objects.filter(post=post, kind=PublicationKind.POST, source__isnull=True)
            .exclude(state=S.CANCELLED)
            .select_related("account")
        )
        if post.state == PostState.APPROVED:
            _ensure(post, live, now)
        elif post.state in _STOPPED:
            for publication in live:
                publication_move(
                    publication_id=publication.pk, from_states=NOT_SENT, to_state=S.CANCELLED
                )
        elif post.state == PostState.MISSED:
            for publication in live:
                publication_move(
                    publication_id=publication.pk, from_states=NOT_SENT, to_state=S.MISSED
                )


def _ensure(post: Post, live: list[Publication], now: dt.datetime) -> None:
    wanted = {account.pk: account for account in target_accounts(post)}
    when = _wanted_time(post, now)
    by_account = {p.account_id: p for p in live}
    for account_id, account in wanted.items():
        existing = by_account.get(account_id)
        if existing is None:
            try:
                with transaction.atomic():
                    Publication.objects.create(
                        post=post, account=account, network=account.network, scheduled_at=when
                    )
            except IntegrityError:
                pass  # created meanwhile by another sync
        elif existing.state == S.MISSED:
            # Approved again after being missed: it goes out at its new time.
            publication_move(
                publication_id=existing.pk,
                from_states={S.MISSED},
                to_state=S.SCHEDULED,
                scheduled_at=when,
                next_attempt_at=None,
            )
        elif (
            existing.state == S.SCHEDULED
            and existing.attempts == 0
            and existing.scheduled_at != when
            and post.scheduled_at is not None
        ):
            Publication.objects.filter(pk=existing.pk, state=S.SCHEDULED, attempts=0).update(
                scheduled_at=when, updated_at=now
            )
    for publication in live:
        if publication.account_id not in wanted:
            publication_move(
                publication_id=publication.pk, from_states=NOT_SENT, to_state=S.CANCELLED
            )


def publications_reschedule(*, post: Post, scheduled_at: dt.datetime) -> int:
    """The post's date moved (its content did not): publications not tried yet move
    with it. Runs inside the caller's transaction (editorial_calendar's move)."""
    return Publication.objects.filter(
        post=post, kind=PublicationKind.POST, state=S.SCHEDULED, attempts=0
    ).update(scheduled_at=scheduled_at, updated_at=timezone.now())


# --- the post follows its publications ----------------------------------------------------
def post_follow_publications(*, post_id: int, by=None) -> None:
    """After a publication changed: the post is `publishing` once one went out,
    `published` when all are, `failed` when one failed and none is still on its way."""
    from validation.services import post_mark_failed, post_mark_published

    publications = Publication.objects.filter(post_id=post_id, kind=PublicationKind.POST).exclude(
        state__in=[S.CANCELLED, S.MISSED]
    )
    # A first look without locking the post: while one of them is still on its way,
    # there is nothing to do. Each caller looks after committing its own change, so
    # the last publication to settle sees all the others settled.
    if set(publications.values_list("state", flat=True)) & IN_PROGRESS:
        return
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post_id)
        rows = list(publications.values_list("state", "error_message", "error_data"))
        states = {state for state, _message, _data in rows}
        if not states or post.state not in {
            PostState.APPROVED,
            PostState.PUBLISHING,
            PostState.FAILED,
        }:
            return
        try:
            if states == {S.PUBLISHED}:
                post_mark_published(post=post, by=by)
            elif S.FAILED in states and not states & IN_PROGRESS:
                message = next(
                    (_stored(m, data) for state, m, data in rows if state == S.FAILED and m), ""
                )
                if post.state != PostState.FAILED:
                    post_mark_failed(post=post, by=by, comment=message)
        except ValidationFlowError as exc:
            logger.warning("post %s could not follow its publications: %s", post_id, exc)


def posts_needing_sync(*, now: dt.datetime, horizon: dt.datetime) -> list[int]:
    """Approved posts due soon without any publication, and scheduled publications whose
    post moved (a date changed by a path that sent no signal): the repair sweep."""
    orphans = (
        Post.objects.filter(state=PostState.APPROVED)
        # Not older than an hour: a post from long ago is not sent late by surprise.
        .filter(
            Q(scheduled_at__lte=horizon, scheduled_at__gte=now - dt.timedelta(hours=1))
            | Q(scheduled_at__isnull=True, updated_at__gte=now - dt.timedelta(hours=1))
        )
        .filter(targets__account__isnull=False)
        .exclude(publications__kind=PublicationKind.POST)
        .values_list("pk", flat=True)
        .distinct()[:200]
    )
    drifted = (
        Publication.objects.filter(
            state=S.SCHEDULED,
            attempts=0,
            kind=PublicationKind.POST,
            post__scheduled_at__isnull=False,
        )
        .exclude(scheduled_at=F("post__scheduled_at"))
        .values_list("post_id", flat=True)
        .distinct()[:200]
    )
    return sorted(set(orphans) | set(drifted))


def _stored(text: str, data: dict | None) -> str:
    """A publication's stored message as a Message again when it has its msgid, so that
    the trail keeps it too and shows it in each reader's language."""
    if not data or not data.get("msgid"):
        return text
    return _message_of(data)


def _message_of(data: dict) -> Message:
    params = {
        name: _message_of(value) if isinstance(value, dict) and "msgid" in value else value
        for name, value in (data.get("params") or {}).items()
    }
    return Message(data["msgid"], **params)
