"""Posting slots and daily caps: the settings of the queue."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from editorial_calendar import rules
from editorial_calendar.badges import network_name
from editorial_calendar.models import DailyCap, PostingSlot, Weekday
from editorial_calendar.queue import channel_of
from editorial_calendar.services.schedule import MoveRefused, _apply, _slots, queue_slot_for
from libraries.models import Library
from libraries.selectors import access_for, access_tree
from notifications.services import notify
from posts.models import Post, PostTarget


def _check_admin(by: User, library_id: int) -> None:
    if not rules.can_manage_calendar(access_for(by), library_id):
        raise PermissionDenied


def _check_account(library: Library, account) -> None:
    if account is not None and account.library_id not in access_tree().ancestors(library.id):
        raise ValidationError(_("Ce compte n'appartient pas à cette bibliothèque."))


def slot_create(
    *, library: Library, by: User, network: str, account=None, weekday: int, time: dt.time
) -> PostingSlot:
    _check_admin(by, library.id)
    _check_account(library, account)
    slot = PostingSlot(
        library=library,
        network=account.network if account else network,
        account=account,
        weekday=weekday,
        time=time.replace(second=0, microsecond=0),
    )
    slot.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            slot.save()
    except IntegrityError as exc:
        raise ValidationError(_("Ce créneau existe déjà.")) from exc
    return slot


def cap_set(*, library: Library, by: User, network: str, account=None, limit: int) -> DailyCap:
    _check_admin(by, library.id)
    _check_account(library, account)
    network = account.network if account else network
    cap, _created = DailyCap.objects.update_or_create(
        library=library, network=network, account=account, defaults={"limit": limit}
    )
    cap.full_clean(validate_constraints=False)
    return cap


def slot_delete(*, slot: PostingSlot, by: User) -> list[tuple[Post, dt.datetime | None]]:
    """Remove a slot; the future posts that used it go to their next free slot, and
    their authors are told. Returns (post, new date or None when no slot was free)."""
    _check_admin(by, slot.library_id)
    moved: list[tuple[Post, dt.datetime, dt.datetime | None]] = []
    with transaction.atomic():
        slot = PostingSlot.objects.select_for_update().select_related("library").get(pk=slot.pk)
        users = _posts_in_slot(slot)
        slot.delete()
        for post in users:
            if _still_on_a_slot(post):
                continue
            old = post.scheduled_at
            try:
                new = queue_slot_for(post=post, after=old)
                _apply(post=post, by=by, scheduled_at=new)
            except MoveRefused:
                new = None  # no slot left: the post keeps its date; its author decides
            moved.append((post, old, new))
        # notify() belongs inside the transaction: its emails go out on commit.
        _tell_authors(moved, _slot_description(slot), slot.library)
    return [(post, new) for post, _old, new in moved]


def _posts_in_slot(slot: PostingSlot) -> list[Post]:
    """Future posts, still movable, on this slot's channel at its weekday and time."""
    if slot.account_id:
        targets = PostTarget.objects.filter(account_id=slot.account_id)
    else:
        # Network slots also serve the branches, and accounts without slots of their own.
        with_own_slots = PostingSlot.objects.filter(account__isnull=False).values("account_id")
        targets = PostTarget.objects.filter(
            post__library_id__in=access_tree().descendants(slot.library_id), network=slot.network
        ).filter(Q(account__isnull=True) | ~Q(account_id__in=with_own_slots))
    candidates = (
        Post.objects.filter(id__in=targets.values("post_id"), scheduled_at__gt=timezone.now())
        .exclude(state__in=rules.UNMOVABLE_STATES)
        .select_related("library", "author")
        .order_by("scheduled_at")
    )
    found = []
    for post in candidates:
        local = post.scheduled_at.astimezone(post.library.tzinfo)
        if local.weekday() == slot.weekday and local.time() == slot.time:
            found.append(post)
    return found


def _still_on_a_slot(post: Post) -> bool:
    """After the deletion: is the post's time still a slot of all its targets (another
    library's or account's identical slot)?"""
    local = post.scheduled_at.astimezone(post.library.tzinfo)
    channels = [
        channel_of(n, a, post.library_id)
        for n, a in post.targets.values_list("network", "account_id")
    ]
    slots = _slots(post, channels, None)
    return all((local.weekday(), local.time()) in slots.get(ch, ()) for ch in channels)


def _slot_description(slot: PostingSlot) -> dict:
    account = slot.account
    return {
        "weekday": slot.weekday,
        "time": slot.time.strftime("%H:%M"),
        "channel": str(account) if account else network_name(slot.network),
    }


def _tell_authors(moved, description: dict, library: Library) -> None:
    """Notify each author of the posts moved (or left without a slot)."""
    for post, old, new in moved:
        with translation.override(getattr(post.author, "language", None) or "fr"):
            tz = post.library.tzinfo
            params = {
                "title": post.title,
                "weekday": Weekday(description["weekday"]).label,
                "time": description["time"],
                "channel": description["channel"],
                "old": formats.date_format(old.astimezone(tz), "DATETIME_FORMAT"),
            }
            if new is not None:
                params["new"] = formats.date_format(new.astimezone(tz), "DATETIME_FORMAT")
                title = _("« %(title)s » change de créneau") % params
                body = (
                    _(
                        "Le créneau du %(weekday)s à %(time)s sur %(channel)s a été supprimé. "
                        "« %(title)s » passe du %(old)s au %(new)s, le prochain créneau libre."
                    )
                    % params
                )
            else:
                title = _("« %(title)s » n'a plus de créneau") % params
                body = (
                    _(
                        "Le créneau du %(weekday)s à %(time)s sur %(channel)s a été supprimé et "
                        "aucun autre créneau n'est libre. « %(title)s » reste prévue le %(old)s : "
                        "choisissez une autre date si besoin."
                    )
                    % params
                )
            notify(
                recipients=[post.author],
                library=post.library,
                kind="calendar_reslotted",
                title=title,
                body=body,
                url=_post_url(post.pk),
            )


def _post_url(pk: int) -> str:
    from editorial_calendar.links import post_url

    return post_url(pk)
