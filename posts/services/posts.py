"""Creating posts and changing their fields, targets and media.

State changes belong to validation.services and publishing.services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from libraries.models import Library
from libraries.selectors import access_for, access_tree
from posts.content import post_snapshot
from posts.models import EditorialLine, Media, Post, PostMedia, PostTarget
from posts.rules import can_edit_post
from posts.signals import post_content_changed


@dataclass(frozen=True)
class Target:
    """A destination: an account, or a network when no account is chosen yet."""

    network: str
    account_id: int | None = None


def post_create(
    *,
    library: Library,
    author: User,
    title: str,
    body: str = "",
    editorial_line: EditorialLine | None = None,
    link: str = "",
    scheduled_at=None,
    publish_when_approved: bool = False,
    notes: str = "",
    targets: Sequence[Target] = (),
    media: Sequence[Media] = (),
    event_title: str = "",
    event_starts_at=None,
    event_ends_at=None,
    is_offer: bool = False,
    offer_coupon_code: str = "",
    offer_redeem_url: str = "",
    offer_terms: str = "",
    call_to_action: str = "",
) -> Post:
    if not access_for(author).has_role(library.id):
        raise PermissionDenied
    with transaction.atomic():
        post = Post(
            library=library,
            author=author,
            title=title,
            body=body,
            editorial_line=editorial_line,
            link=link,
            scheduled_at=None if publish_when_approved else scheduled_at,
            publish_when_approved=publish_when_approved,
            notes=notes,
            event_title=event_title,
            event_starts_at=event_starts_at,
            event_ends_at=event_ends_at,
            is_offer=is_offer,
            offer_coupon_code=offer_coupon_code,
            offer_redeem_url=offer_redeem_url,
            offer_terms=offer_terms,
            call_to_action=call_to_action,
        )
        post.full_clean()
        post.save()
        _set_targets(post, targets)
        _set_media(post, media)
    return post


_CONTENT_FIELDS = {
    "body",
    "link",
    "event_title",
    "event_starts_at",
    "event_ends_at",
    "is_offer",
    "offer_coupon_code",
    "offer_redeem_url",
    "offer_terms",
    "call_to_action",
}
_OTHER_FIELDS = {"title", "editorial_line", "notes", "scheduled_at", "publish_when_approved"}


def post_update(
    *,
    post: Post,
    by: User,
    targets: Sequence[Target] | None = None,
    media: Sequence[Media] | None = None,
    **fields,
) -> Post:
    """Change a post's fields, targets and/or media in one transaction.

    When the published content changed, `post_content_changed` is sent inside
    the transaction (approvals are reset by the validation app).
    """
    unknown = set(fields) - _CONTENT_FIELDS - _OTHER_FIELDS
    if unknown:
        raise ValueError(f"not a post field: {sorted(unknown)}")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not can_edit_post(access_for(by), by, post):
            raise PermissionDenied
        before = post_snapshot(post)
        if fields.get("publish_when_approved"):
            fields["scheduled_at"] = None
        for name, value in fields.items():
            setattr(post, name, value)
        post.full_clean()
        post.save()
        if targets is not None:
            _set_targets(post, targets)
        if media is not None:
            _set_media(post, media)
        notify_content_change(post=post, by=by, previous_snapshot=before)
    return post


def notify_content_change(*, post: Post, by: User, previous_snapshot: dict) -> bool:
    """Send post_content_changed if the content differs from previous_snapshot.

    Every service that changes content (here, and the composer's variants and
    media services) calls this inside its transaction.
    """
    after = post_snapshot(post)
    if after == previous_snapshot:
        return False
    post_content_changed.send(
        sender=Post, post=post, by=by, previous_snapshot=previous_snapshot, snapshot=after
    )
    return True


def _set_targets(post: Post, targets: Sequence[Target]) -> None:
    wanted = {(t.network, t.account_id) for t in targets}
    existing = {(t.network, t.account_id): t for t in post.targets.all()}
    for key, target in existing.items():
        if key not in wanted:
            target.delete()
    for network, account_id in wanted - set(existing):
        PostTarget.objects.create(post=post, network=network, account_id=account_id)


def _set_media(post: Post, media: Sequence[Media]) -> None:
    if any(item.library_id != post.library_id and not _same_network(item, post) for item in media):
        raise ValidationError(_("Cette photo appartient à une autre bibliothèque."))
    post.post_media.all().delete()
    PostMedia.objects.bulk_create(
        [PostMedia(post=post, media=item, position=index) for index, item in enumerate(media)]
    )


def _same_network(media: Media, post: Post) -> bool:
    """A network's head library shares its media library with its branches."""
    return media.library_id in access_tree().ancestors(post.library_id)
