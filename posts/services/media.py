"""The media library: uploads, alt text and image rights, renditions per network.

Files go through Django's storage API only (local disk, or an S3-compatible store with
django-storages), so workers on other machines read the same files.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from libraries.models import Library
from libraries.selectors import access_for
from posts import images
from posts.content import post_snapshot
from posts.models import FINAL_STATES, ImageFit, Media, MediaRendition, Post
from posts.selectors import media_usable_in, network_for
from posts.services.posts import notify_content_change

logger = logging.getLogger(__name__)

# Bump when the rendition code changes in a way that should remake every rendition.
PIPELINE_VERSION = "1"


class Rendition(NamedTuple):
    """What `media_rendition_for` returns: the bytes to send and what they are."""

    content: bytes
    mime_type: str
    width: int
    height: int


def _max_pixels() -> int:
    return settings.MEDIA_MAX_MEGAPIXELS * 1_000_000


def _too_large(size: int) -> images.ImageRejected:
    return images.ImageRejected(
        "too_large",
        _(
            "Ce fichier pèse %(size)s Mo ; le maximum est de %(limit)s Mo. "
            "Réduisez la photo (ou exportez-la en JPEG) et réessayez."
        ),
        size=f"{size / 1024 / 1024:.1f}",
        limit=settings.MAX_UPLOAD_MB,
    )


def media_upload(
    *,
    library: Library,
    by: User,
    file,
    alt_text: str = "",
    credit: str = "",
    people_recognisable: bool = False,
    consent_recorded: bool = False,
    consent_note: str = "",
) -> Media:
    """Check, normalise and store an uploaded photo; raises images.ImageRejected with a
    message for people when the file is too big, not an image, corrupt or a bomb."""
    if not access_for(by).has_role(library.id):
        raise PermissionDenied
    size = getattr(file, "size", None)
    if size is not None and size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise _too_large(size)
    data = file.read(settings.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    if len(data) > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise _too_large(len(data))
    normalised = images.normalise(
        data,
        max_pixels=_max_pixels(),
        max_side=settings.MEDIA_MAX_SIDE,
        min_side=settings.MEDIA_MIN_SIDE,
    )
    master, thumbnail = normalised.master, normalised.thumbnail
    media = Media(
        library=library,
        original_name=PurePath(getattr(file, "name", "") or "photo").name[:255],
        mime_type=master.mime_type,
        width=master.width,
        height=master.height,
        bytes=len(master.content),
        animated=master.animated,
        alt_text=alt_text.strip(),
        credit=credit.strip(),
        people_recognisable=people_recognisable,
        consent_recorded=consent_recorded,
        consent_note=consent_note.strip(),
        uploaded_by=by,
    )
    media.file.save(f"photo{master.extension}", ContentFile(master.content), save=False)
    try:
        media.thumbnail.save(
            f"thumb{thumbnail.extension}", ContentFile(thumbnail.content), save=False
        )
        media.full_clean(exclude=["file", "thumbnail", "uploaded_by"])
        media.save()
    except Exception:
        _delete_files(media.file.name, media.thumbnail.name)
        raise
    return media


def media_upload_many(*, library: Library, by: User, files) -> tuple[list[Media], list[tuple]]:
    """Upload several files; returns the photos stored and, for each file refused,
    (file name, message). One bad file never stops the others."""
    stored, refused = [], []
    for file in files:
        try:
            stored.append(media_upload(library=library, by=by, file=file))
        except images.ImageRejected as exc:
            refused.append((PurePath(file.name or "").name, exc.message))
    return stored, refused


_EDITABLE = {
    "alt_text",
    "credit",
    "people_recognisable",
    "consent_recorded",
    "consent_note",
    "original_name",
}


def media_update(*, media: Media, by: User, **fields) -> Media:
    """Change a photo's description, credit or image-rights record.

    The alt text is published with the photo: when it changes, every post still in
    progress that uses the photo gets `post_content_changed` (approvals reset)."""
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise ValueError(f"not an editable media field: {sorted(unknown)}")
    if not access_for(by).has_role(media.library_id):
        raise PermissionDenied
    with transaction.atomic():
        media = Media.objects.select_for_update().get(pk=media.pk)
        alt_changed = "alt_text" in fields and fields["alt_text"].strip() != media.alt_text
        posts = _posts_using([media.pk]) if alt_changed else []
        before = {post.pk: post_snapshot(post) for post in posts}
        for name, value in fields.items():
            setattr(media, name, value.strip() if isinstance(value, str) else value)
        media.full_clean(exclude=[f.name for f in Media._meta.fields if f.name not in fields])
        media.save()
        for post in posts:
            notify_content_change(post=post, by=by, previous_snapshot=before[post.pk])
    return media


def media_set_alt_texts(
    *, alt_texts: dict[int, str], by: User, library: Library, except_post: Post | None = None
) -> list[Media]:
    """Set the alt text of several photos usable in `library` (the composer's photos),
    telling the other posts in progress that use them (`except_post` is the caller's,
    which sends its own signal). Returns the photos that changed."""
    if not access_for(by).has_role(library.id):
        raise PermissionDenied
    with transaction.atomic():
        changed = [
            media
            for media in media_usable_in(library).filter(pk__in=alt_texts).select_for_update()
            if media.alt_text != alt_texts[media.pk].strip()
        ]
        if not changed:
            return []
        posts = _posts_using([m.pk for m in changed], except_post=except_post)
        before = {post.pk: post_snapshot(post) for post in posts}
        for media in changed:
            media.alt_text = alt_texts[media.pk].strip()
            media.save(update_fields=["alt_text", "updated_at"])
        for post in posts:
            notify_content_change(post=post, by=by, previous_snapshot=before[post.pk])
    return changed


def _posts_using(media_ids: list[int], except_post: Post | None = None) -> list[Post]:
    posts = (
        Post.objects.filter(
            Q(post_media__media_id__in=media_ids)
            | Q(variants__variant_media__media_id__in=media_ids)
        )
        .exclude(state__in=FINAL_STATES)
        .distinct()
    )
    if except_post is not None:
        posts = posts.exclude(pk=except_post.pk)
    return list(posts)


def media_delete(*, media: Media, by: User) -> None:
    """Remove a photo that no post uses (a used photo is protected)."""
    if not access_for(by).has_role(media.library_id):
        raise PermissionDenied
    names = [media.file.name, media.thumbnail.name]
    names += [r.file.name for r in media.renditions.all()]
    media.delete()  # ProtectedError if a post uses it
    transaction.on_commit(lambda: _delete_files(*names))


def _delete_files(*names: str) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete %s", name)


# --- renditions -------------------------------------------------------------------------


def rendition_spec(network) -> images.RenditionSpec:
    """What a network (networks.Network, maybe configured for an account) accepts."""
    limits = network.image_limits
    return images.RenditionSpec(
        formats=tuple(limits.formats),
        max_bytes=limits.max_bytes,
        max_width=limits.max_width,
        max_height=limits.max_height,
        max_pixels=limits.max_pixels,
        min_width=limits.min_width,
        min_aspect=limits.min_aspect,
        max_aspect=limits.max_aspect,
        aspect_fixable=limits.aspect_fixable,
        animated_allowed=limits.animated_gif != "never",
        max_side=settings.MEDIA_RENDITION_MAX_SIDE,
    )


def _spec_key(spec: images.RenditionSpec, fit: str) -> str:
    return hashlib.sha256(f"{PIPELINE_VERSION}|{spec!r}|{fit}".encode()).hexdigest()[:40]


def _rendition_job(
    *, network_key: str, account=None, fit: str | None = None
) -> tuple[images.RenditionSpec, str, str]:
    """(spec, fit as stored, its key) of a rendition for a network (and account)."""
    spec = rendition_spec(network_for(network_key=network_key, account=account))
    has_aspect_rule = spec.min_aspect is not None or spec.max_aspect is not None
    fit = (fit or ImageFit.PAD) if has_aspect_rule else ""
    return spec, fit, _spec_key(spec, fit)


def _rendition_store(
    *, media: Media, network_key: str, fit: str, key: str, encoded: images.Encoded
) -> MediaRendition:
    rendition = MediaRendition(
        media=media,
        network=network_key,
        fit=fit,
        spec=key,
        mime_type=encoded.mime_type,
        width=encoded.width,
        height=encoded.height,
        bytes=len(encoded.content),
    )
    rendition.file.save(f"r{encoded.extension}", ContentFile(encoded.content), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Another worker made the same rendition meanwhile: keep theirs.
        _delete_files(rendition.file.name)
        return MediaRendition.objects.get(media=media, network=network_key, fit=fit, spec=key)
    return rendition


def media_renditions_prepare(
    *, media: Media, targets: list[tuple[str, str | None]]
) -> dict[str, MediaRendition | images.RenditionImpossible]:
    """Make the missing renditions of `media` for (network, fit) pairs in one pass over
    the photo (decoded once, see images.render_many); returns each network's rendition,
    or the reason it cannot take the photo. Raises networks.UnknownNetwork."""
    jobs = {}
    found: dict[str, MediaRendition | images.RenditionImpossible] = {}
    for network_key, fit in targets:
        spec, stored_fit, key = _rendition_job(network_key=network_key, fit=fit)
        existing = MediaRendition.objects.filter(
            media=media, network=network_key, fit=stored_fit, spec=key
        ).first()
        if existing is not None:
            found[network_key] = existing
        else:
            jobs[(network_key, stored_fit, key)] = (spec, stored_fit or ImageFit.PAD)
    if not jobs:
        return found
    with media.file.open("rb") as source:
        data = source.read()
    made = images.render_many(data, jobs, max_pixels=_max_pixels())
    for (network_key, fit, key), result in made.items():
        if isinstance(result, images.RenditionImpossible):
            found[network_key] = result
        else:
            found[network_key] = _rendition_store(
                media=media, network_key=network_key, fit=fit, key=key, encoded=result
            )
    return found


def media_rendition_get(
    *, media: Media, network_key: str, account=None, fit: str | None = None
) -> MediaRendition:
    """The stored rendition of `media` for a network (made now if missing).

    `account` (publishing.SocialAccount) applies its own limits (a Mastodon instance's,
    see posts.selectors.network_for); `fit` is "pad" or "crop" for networks with aspect
    bounds (Instagram), "pad" by default. Raises images.RenditionImpossible when the
    network cannot take this photo even after conversion (e.g. an animated GIF)."""
    spec, fit, key = _rendition_job(network_key=network_key, account=account, fit=fit)
    existing = MediaRendition.objects.filter(
        media=media, network=network_key, fit=fit, spec=key
    ).first()
    if existing is not None:
        return existing
    with media.file.open("rb") as source:
        data = source.read()
    encoded = images.render(data, spec, fit=fit or ImageFit.PAD, max_pixels=_max_pixels())
    return _rendition_store(media=media, network_key=network_key, fit=fit, key=key, encoded=encoded)


def media_rendition_for(
    *, media: Media, network_key: str, account=None, fit: str | None = None
) -> Rendition:
    """The photo as `network_key` (and `account`, if given) accepts it: resized and
    re-encoded within the network's byte, dimension and format limits, aspect ratio
    fitted for Instagram (pad by default, or crop), at the highest quality that fits,
    with no metadata. Made once and kept (MediaRendition); safe to call from any worker.

    Returns Rendition(content, mime_type, width, height); raises
    images.RenditionImpossible (with a message naming the rule) when the network cannot
    take the photo at all."""
    rendition = media_rendition_get(media=media, network_key=network_key, account=account, fit=fit)
    with rendition.file.open("rb") as stored:
        content = stored.read()
    return Rendition(content, rendition.mime_type, rendition.width, rendition.height)
