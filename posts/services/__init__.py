"""Every change to posts, media, editorial lines and the charter.

Import from here: `from posts.services import post_create, media_rendition_for`.
State changes of a post belong to validation.services and publishing.services.
"""

from posts.services.posts import Target, notify_content_change, post_create, post_update

__all__ = [
    "Target",
    "notify_content_change",
    "post_create",
    "post_update",
]
