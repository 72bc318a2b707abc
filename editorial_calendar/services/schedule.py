"""Changing when a post goes out: drag and drop, "Move to…", "Add to queue".

Only the date changes. The date is not part of the approved content
(posts.content), so approvals are kept by design; the state is never written
here (validation.services owns it) but the move is a compare-and-set on it, so
a post that started publishing meanwhile is not moved.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from editorial_calendar import rules
from editorial_calendar.models import DEFAULT_DAILY_CAP, DailyCap, PostingSlot
from editorial_calendar.queue import HORIZON_DAYS, Channel, Occupancy, channel_of, next_free_slot
from editorial_calendar.signals import post_rescheduled
from libraries.selectors import access_for, access_tree
from posts.models import Post, PostTarget


class MoveRefused(Exception):
    """The move is not allowed; `str(exc)` is the reason shown to the person."""


def post_reschedule(*, post: Post, by: User, scheduled_at: dt.datetime) -> Post:
    """Move a post to `scheduled_at` (aware), with every check of a move by `by`."""
    if scheduled_at.tzinfo is None:
        raise ValueError("scheduled_at must be aware")
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        # Who and what first: "already published" says more than "in the past".
        reason = rules.move_refusal(
            access_for(by),
            by,
            library_id=current.library_id,
            author_id=current.author_id,
            state=current.state,
        ) or rules.time_refusal(scheduled_at, timezone.now())
        if reason:
            raise MoveRefused(reason)
        return _apply(post=current, by=by, scheduled_at=scheduled_at)


def _apply(*, post: Post, by: User | None, scheduled_at: dt.datetime) -> Post:
    """Write the new date if the state is still the one checked (compare-and-set)."""
    previous = post.scheduled_at
    changed = Post.objects.filter(pk=post.pk, state=post.state).update(
        scheduled_at=scheduled_at, publish_when_approved=False, updated_at=timezone.now()
    )
    if not changed:
        raise MoveRefused(_("Cette publication vient de changer d'état ; rechargez la page."))
    post.scheduled_at, post.publish_when_approved = scheduled_at, False
    # Inside the transaction, like posts.signals.post_content_changed: a listener
    # (the publishing engine's scheduled publications) moves with it or not at all.
    post_rescheduled.send(
        sender=Post, post=post, by=by, previous=previous, scheduled_at=scheduled_at
    )
    return post


def post_add_to_queue(*, post: Post, by: User, after: dt.datetime | None = None) -> Post:
    """Put the post in the next slot free on all its targets ("Add to queue")."""
    with transaction.atomic():
        current = Post.objects.select_for_update().select_related("library").get(pk=post.pk)
        reason = rules.move_refusal(
            access_for(by),
            by,
            library_id=current.library_id,
            author_id=current.author_id,
            state=current.state,
        )
        if reason:
            raise MoveRefused(reason)
        when = queue_slot_for(post=current, after=after or timezone.now())
        return _apply(post=current, by=by, scheduled_at=when)


def queue_slot_for(*, post: Post, after: dt.datetime, exclude_slot: int | None = None):
    """The next free slot of the post's targets after `after`; MoveRefused says why none."""
    targets = list(post.targets.values_list("network", "account_id"))
    if not targets:
        raise MoveRefused(_("Choisissez d'abord où publier : la file dépend des comptes visés."))
    channels = [channel_of(network, account_id, post.library_id) for network, account_id in targets]
    slots = _slots(post, channels, exclude_slot)
    missing = [ch for ch in channels if not slots.get(ch)]
    if missing:
        raise MoveRefused(
            _("Aucun créneau de publication n'est défini pour : %(names)s.")
            % {"names": ", ".join(_channel_name(ch) for ch in missing)}
        )
    tz = post.library.tzinfo
    when = next_free_slot(
        slots=slots,
        occupancy=_occupancy(post, channels, after, tz),
        caps=_caps(post, channels),
        tz=tz,
        after=after,
    )
    if when is None:
        raise MoveRefused(
            _(
                "Aucun créneau commun à toutes les destinations n'est libre dans les "
                "%(weeks)s prochaines semaines."
            )
            % {"weeks": HORIZON_DAYS // 7}
        )
    return when


def _channel_name(channel: Channel) -> str:
    from editorial_calendar.badges import network_name
    from editorial_calendar.selectors import social_accounts

    account = channel.account_id and social_accounts().filter(pk=channel.account_id).first()
    return str(account) if account else network_name(channel.network)


def _slots(post: Post, channels: list[Channel], exclude_slot: int | None) -> dict:
    """Each channel's weekly slots: the account's own, else its library's slots for the
    network (or the nearest parent's), which also serve network-only targets."""
    chain = access_tree().ancestors(post.library_id)
    account_ids = [ch.account_id for ch in channels if ch.account_id]
    networks = {ch.network for ch in channels}
    rows = PostingSlot.objects.filter(
        Q(account_id__in=account_ids)
        | Q(account__isnull=True, network__in=networks, library_id__in=chain)
    )
    if exclude_slot:
        rows = rows.exclude(pk=exclude_slot)
    by_account: dict[int, set] = {}
    by_network: dict[tuple[int, str], set] = {}
    for account_id, network, library_id, weekday, time in rows.values_list(
        "account_id", "network", "library_id", "weekday", "time"
    ):
        if account_id:
            by_account.setdefault(account_id, set()).add((weekday, time))
        else:
            by_network.setdefault((library_id, network), set()).add((weekday, time))

    def network_slots(network: str) -> set:
        for library_id in chain:
            if by_network.get((library_id, network)):
                return by_network[(library_id, network)]
        return set()

    return {
        ch: (by_account.get(ch.account_id) if ch.account_id else None) or network_slots(ch.network)
        for ch in channels
    }


def _caps(post: Post, channels: list[Channel]) -> dict[Channel, int]:
    chain = access_tree().ancestors(post.library_id)
    account_ids = [ch.account_id for ch in channels if ch.account_id]
    rows = DailyCap.objects.filter(
        Q(account_id__in=account_ids)
        | Q(account__isnull=True, network__in={ch.network for ch in channels}, library_id__in=chain)
    ).values_list("account_id", "network", "library_id", "limit")
    by_account = {a: limit for a, _n, _l, limit in rows if a}
    by_network = {(lib, n): limit for a, n, lib, limit in rows if not a}

    def cap(ch: Channel) -> int:
        if ch.account_id in by_account:
            return by_account[ch.account_id]
        for library_id in chain:
            if (library_id, ch.network) in by_network:
                return by_network[(library_id, ch.network)]
        return DEFAULT_DAILY_CAP

    return {ch: cap(ch) for ch in channels}


def _occupancy(post: Post, channels: list[Channel], after: dt.datetime, tz) -> dict:
    account_ids = [ch.account_id for ch in channels if ch.account_id]
    networks = [ch.network for ch in channels if not ch.account_id]
    rows = (
        PostTarget.objects.filter(
            post__scheduled_at__gte=after - dt.timedelta(days=1),
            post__scheduled_at__lte=after + dt.timedelta(days=HORIZON_DAYS + 2),
            post__state__in=rules.OCCUPYING_STATES,
        )
        .filter(
            Q(account_id__in=account_ids)
            | Q(account__isnull=True, network__in=networks, post__library_id=post.library_id)
        )
        .exclude(post_id=post.pk)
        .values_list("network", "account_id", "post__library_id", "post__scheduled_at")
    )
    instants: dict[Channel, list] = {ch: [] for ch in channels}
    for network, account_id, library_id, when in rows:
        channel = channel_of(network, account_id, library_id)
        if channel in instants:
            instants[channel].append(when)
    return {ch: Occupancy.from_instants(times, tz) for ch, times in instants.items()}
