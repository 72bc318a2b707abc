"""Public, signed, expiring URLs of the renditions a network downloads itself.

Instagram and Threads take no image bytes: a container names an `image_url` that
Meta's servers fetch (instagram-platform/content-publishing, threads/posts); Google
Business Profile local posts name a `media[].sourceUrl` that Google fetches
(my-business/content/posts-data). Every client whose `needs_public_image_urls` is set
gets such a URL in `Image.url` (publishing.services.render), built here:

    <PUBLIC_BASE_URL>/publishing/public-media/<token>/<filename>

`token` signs "<publication id>.<rendition id>" with a TimestampSigner (the
SECRET_KEY, a salt of its own). The view answers without a login, only while:
- the signature is valid (else 404) and younger than PUBLIC_MEDIA_MAX_AGE seconds
  (else 410 Gone);
- the publication is being sent (`publishing`), being reconciled (`unknown`: the
  post may exist and its photo still be fetched), or was published less than
  PUBLIC_MEDIA_MAX_AGE seconds ago; otherwise (failed, cancelled, published long
  ago, back to scheduled) 410 Gone.

How long after publishing: Meta says "we cURL media used in publishing attempts, so
the media must be hosted on a publicly accessible server at the time of the attempt"
(instagram-platform/content-publishing) and Annexe publishes a container only once it
is FINISHED, so Meta has the bytes by then. Google says nothing of when it fetches a
local post's photo: the post answers PROCESSING first, and the client stops polling
after a few seconds, so Google may fetch after the publication is marked published.
The URL therefore stays valid until PUBLIC_MEDIA_MAX_AGE after publication (and, like
every URL, at most PUBLIC_MEDIA_MAX_AGE after it was signed).
- the rendition is one of the publication's photos, for the publication's network
  (else 404).
The file is read from storage by the rendition's own name: nothing in the URL is a
path, so no directory traversal is possible; `filename` only has to match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from posts.models import MediaRendition
from posts.selectors import content_for_target
from publishing.models import Publication, PublicationState

SALT = "annexe.publishing.public_media"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


class PublicMediaNotFound(Exception):
    """No such public media (bad signature, or not a photo of that publication)."""


class PublicMediaGone(Exception):
    """The URL was valid but is no longer: expired, or the publication is done."""


@dataclass(frozen=True)
class PublicMedia:
    rendition: MediaRendition
    filename: str


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def rendition_filename(rendition: MediaRendition) -> str:
    return f"image-{rendition.media_id}.{EXTENSIONS.get(rendition.mime_type, 'jpg')}"


def public_media_url(*, publication: Publication, rendition: MediaRendition) -> str:
    """The absolute URL under which the network may download `rendition` while
    `publication` is sent, and a while after (see `still_fetchable`)."""
    token = _signer().sign(f"{publication.pk}.{rendition.pk}")
    path = reverse(
        "publishing:public_media",
        kwargs={"token": token, "filename": rendition_filename(rendition)},
    )
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def public_media_get(*, token: str, filename: str) -> PublicMedia:
    """The rendition a public URL names, if it may be served now.

    Raises PublicMediaNotFound (404) or PublicMediaGone (410)."""
    try:
        value = _signer().unsign(token, max_age=settings.PUBLIC_MEDIA_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PublicMediaGone from exc
    except signing.BadSignature as exc:
        raise PublicMediaNotFound from exc
    publication_id, _, rendition_id = value.partition(".")
    if not (publication_id.isdigit() and rendition_id.isdigit()):
        raise PublicMediaNotFound
    rendition = MediaRendition.objects.filter(pk=int(rendition_id)).first()
    publication = (
        Publication.objects.select_related("post", "account").filter(pk=int(publication_id)).first()
    )
    if rendition is None or publication is None or rendition.network != publication.network:
        raise PublicMediaNotFound
    if filename != rendition_filename(rendition):
        raise PublicMediaNotFound
    content = content_for_target(
        post=publication.post, network_key=publication.network, account=publication.account
    )
    if rendition.media_id not in {media.pk for media in content.media}:
        raise PublicMediaNotFound
    if not still_fetchable(publication):
        raise PublicMediaGone
    return PublicMedia(rendition=rendition, filename=filename)


def still_fetchable(publication: Publication, *, now: dt.datetime | None = None) -> bool:
    """Whether the network may still be downloading the publication's photos (see the
    module docstring)."""
    if publication.state in (PublicationState.PUBLISHING, PublicationState.UNKNOWN):
        return True
    if publication.state != PublicationState.PUBLISHED or publication.published_at is None:
        return False
    now = now or timezone.now()
    return now < publication.published_at + dt.timedelta(seconds=settings.PUBLIC_MEDIA_MAX_AGE)
