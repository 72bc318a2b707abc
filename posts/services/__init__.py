"""Every change to posts, media, editorial lines and the charter.

Import from here: `from posts.services import post_create, media_rendition_for`.
State changes of a post belong to validation.services and publishing.services.
"""

from posts.images import ImageRejected, RenditionImpossible
from posts.services.composer import post_save_composed
from posts.services.media import (
    Rendition,
    media_delete,
    media_rendition_for,
    media_rendition_get,
    media_renditions_prepare,
    media_set_alt_texts,
    media_update,
    media_upload,
    media_upload_many,
)
from posts.services.posts import Target, notify_content_change, post_create, post_update
from posts.services.settings import charter_save, editorial_line_create, editorial_line_update

__all__ = [
    "ImageRejected",
    "Rendition",
    "RenditionImpossible",
    "Target",
    "charter_save",
    "editorial_line_create",
    "editorial_line_update",
    "media_delete",
    "media_rendition_for",
    "media_rendition_get",
    "media_renditions_prepare",
    "media_set_alt_texts",
    "media_update",
    "media_upload",
    "media_upload_many",
    "notify_content_change",
    "post_create",
    "post_save_composed",
    "post_update",
]
