"""Who may do what with a post: pure functions over the permission layer's Access."""

from libraries.models import Role
from libraries.selectors import Access
from posts.models import Post


def can_view_post(access: Access, post: Post) -> bool:
    return access.has_role(post.library_id)


def can_edit_post(access: Access, user, post: Post) -> bool:
    """Authors edit their own posts; validators and administrators any post they see.
    Nobody edits a post that is published, being published, rejected or cancelled."""
    if not post.is_editable:
        return False
    if post.author_id == user.pk and access.has_role(post.library_id):
        return True
    return access.has_role(post.library_id, Role.VALIDATOR)
