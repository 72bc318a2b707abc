"""Reads of posts, always scoped by the permission layer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.models import User
from libraries.models import Library
from libraries.selectors import access_tree, library_scope_ids, object_get_for_user, scope
from posts.models import EditorialLine, Post, PostMedia, PostTarget, PostVariant, VariantMedia


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


@dataclass(frozen=True)
class PostFilters:
    """What the posts list is filtered by; empty values mean "any"."""

    q: str = ""
    state: str = ""
    editorial_line: EditorialLine | None = None
    network: str = ""
    author: User | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def posts_list(*, user, library: Library, filters: PostFilters) -> QuerySet[Post]:
    """Posts of the library and of the branches the user sees, filtered, newest first.

    The number of queries does not depend on the number of posts: targets and media
    are prefetched (one query each)."""
    posts = Post.objects.filter(library_id__in=library_scope_ids(user=user, library=library))
    if filters.q:
        posts = posts.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    if filters.state:
        posts = posts.filter(state=filters.state)
    if filters.editorial_line:
        posts = posts.filter(editorial_line=filters.editorial_line)
    if filters.network:
        posts = posts.filter(targets__network=filters.network).distinct()
    if filters.author:
        posts = posts.filter(author=filters.author)
    tz = library.tzinfo
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        posts = posts.filter(scheduled_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        posts = posts.filter(scheduled_at__lt=end)
    return (
        posts.select_related("library", "author", "editorial_line")
        .prefetch_related(
            Prefetch("targets", queryset=PostTarget.objects.select_related("account")),
            Prefetch("post_media", queryset=PostMedia.objects.select_related("media")),
        )
        .order_by(F("scheduled_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def authors_of(*, user, library: Library) -> QuerySet[User]:
    """People who wrote posts in the library (and the branches the user sees)."""
    ids = library_scope_ids(user=user, library=library)
    return User.objects.filter(posts__library_id__in=ids).distinct().order_by("username")


def post_detail_for_user(*, user, pk: int) -> Post:
    """The post with what its page shows (targets, media, variants), or 404/403."""
    post = post_get_for_user(user=user, pk=pk)
    return (
        Post.objects.select_related("library", "author", "editorial_line")
        .prefetch_related(
            Prefetch("targets", queryset=PostTarget.objects.select_related("account")),
            Prefetch("post_media", queryset=PostMedia.objects.select_related("media")),
            Prefetch(
                "variants",
                queryset=PostVariant.objects.select_related("account").prefetch_related(
                    Prefetch("variant_media", queryset=VariantMedia.objects.select_related("media"))
                ),
            ),
        )
        .get(pk=post.pk)
    )
