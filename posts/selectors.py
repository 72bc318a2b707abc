"""Reads of posts, always scoped by the permission layer."""

from django.db.models import QuerySet

from libraries.models import Library
from libraries.selectors import access_tree, object_get_for_user, scope
from posts.models import EditorialLine, Post


def posts_visible_to(user) -> QuerySet[Post]:
    return scope(Post.objects.all(), user)


def post_get_for_user(*, user, pk: int, min_role: str = "contributor") -> Post:
    """The post, or 404 if the user cannot see it (403 if their role is too low)."""
    return object_get_for_user(
        Post.objects.select_related("library", "author", "editorial_line"),
        user=user,
        pk=pk,
        min_role=min_role,
    )


def editorial_lines_for(library: Library, *, active_only: bool = True) -> QuerySet[EditorialLine]:
    """The library's own editorial lines and those it inherits from its parents."""
    lines = EditorialLine.objects.filter(library_id__in=access_tree().ancestors(library.id))
    return lines.filter(is_active=True) if active_only else lines
