"""Saving what the composer holds: the post's fields, targets, photos (with their alt
text) and per-network variants, in one transaction with one content-change signal."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from libraries.models import Library
from libraries.selectors import access_for
from posts.content import post_snapshot
from posts.models import Post, PostVariant, VariantMedia
from posts.rules import can_edit_post
from posts.services.media import media_set_alt_texts
from posts.services.posts import _set_media, _set_targets, notify_content_change

logger = logging.getLogger(__name__)

if TYPE_CHECKING:  # posts.composer imports posts.services: no import cycle at runtime
    from posts.composer import ComposerInput, VariantDraft


def post_save_composed(
    *,
    by: User,
    fields: dict,
    composed: ComposerInput,
    library: Library | None = None,
    post: Post | None = None,
) -> Post:
    """Create (with `library`) or update (with `post`) a post from the composer.

    Variants not in `composed` (networks whose tab was not in the form) are kept as
    they are, so un-ticking a network and ticking it again loses nothing."""
    with transaction.atomic():
        if post is None:
            if library is None or not access_for(by).has_role(library.id):
                raise PermissionDenied
            post = Post(library=library, author=by)
            before = None
        else:
            post = Post.objects.select_for_update().get(pk=post.pk)
            if not can_edit_post(access_for(by), by, post):
                raise PermissionDenied
            before = post_snapshot(post)
        for name, value in fields.items():
            setattr(post, name, value)
        if post.publish_when_approved:
            post.scheduled_at = None
        post.full_clean()
        post.save()
        _set_targets(post, composed.targets)
        _set_media(post, composed.media)
        media_set_alt_texts(
            alt_texts={m.pk: composed.alt_text(m) for m in composed.media},
            by=by,
            library=post.library,
            except_post=post,
        )
        for draft in composed.variants.values():
            _set_variant(post, draft)
        if before is not None:
            notify_content_change(post=post, by=by, previous_snapshot=before)
        _prepare_renditions_on_commit(post, composed)
    return post


def _prepare_renditions_on_commit(post: Post, composed: ComposerInput) -> None:
    """Renditions for the networks targeted are made in the background after the save,
    so that publishing does not wait for them."""
    from posts.tasks import media_prepare_renditions

    networks = sorted({target.network for target in composed.targets})
    if not networks or not composed.media:
        return
    plan = {}
    for media in composed.media:
        plan[media.pk] = [
            [key, (composed.variants[key].image_fit if key in composed.variants else "pad")]
            for key in networks
        ]

    def enqueue() -> None:
        # An optimisation only: publishing makes missing renditions itself.
        try:
            for pk, targets in plan.items():
                media_prepare_renditions.delay(pk, targets)
        except Exception:
            logger.warning("could not enqueue renditions for post %s", post.pk, exc_info=True)

    transaction.on_commit(enqueue)


def _set_variant(post: Post, draft: VariantDraft) -> None:
    variant = PostVariant.objects.filter(
        post=post, network=draft.network, account__isnull=True
    ).first()
    if draft.is_empty:
        if variant is not None:
            variant.delete()
        return
    if variant is None:
        variant = PostVariant(post=post, network=draft.network)
    variant.text = draft.text if draft.text.strip() else ""
    variant.link = draft.link
    variant.own_media = draft.own_media
    variant.image_fit = draft.image_fit
    variant.content_warning = draft.content_warning.strip()
    variant.full_clean(exclude=["post", "account"])
    variant.save()
    variant.variant_media.all().delete()
    if draft.own_media:
        allowed = set(post.post_media.values_list("media_id", flat=True))
        if any(media_id not in allowed for media_id in draft.media_ids):
            raise ValidationError(
                _("Une photo d'un réseau doit aussi être une photo de la publication.")
            )
        VariantMedia.objects.bulk_create(
            [
                VariantMedia(variant=variant, media_id=media_id, position=index)
                for index, media_id in enumerate(draft.media_ids)
            ]
        )
