"""Reads of posts, always scoped by the permission layer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.models import User
from libraries.models import Library
from libraries.selectors import (
    access_tree,
    library_scope_ids,
    object_get_for_user,
    scope,
)
from networks import Network, get_network
from posts.models import (
    CharterVersion,
    EditorialLine,
    ImageFit,
    Media,
    Post,
    PostMedia,
    PostTarget,
    PostVariant,
    VariantMedia,
)


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


def editorial_lines_split(library: Library) -> tuple[list[EditorialLine], list[EditorialLine]]:
    """(the library's own lines, the lines it inherits from its parents), all of them."""
    lines = list(editorial_lines_for(library, active_only=False).select_related("library"))
    own = [line for line in lines if line.library_id == library.id]
    return own, [line for line in lines if line.library_id != library.id]


def charter_history(library: Library) -> QuerySet[CharterVersion]:
    """Every version of the library's own charter, newest first."""
    return (
        CharterVersion.objects.filter(library=library)
        .select_related("created_by")
        .order_by("-number")
    )


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


# --- networks -----------------------------------------------------------------------------


def network_for(*, network_key: str, account=None) -> Network:
    """The rules of a network, configured for an account when it has its own limits.

    An account (publishing.SocialAccount) may carry in its `settings`:
    - "instance_configuration": a Mastodon instance's `GET /api/v2/instance` JSON (or its
      `configuration` object): its character limit, media limits…;
    - "network_config": overrides accepted by `Network.with_config` (e.g.
      {"max_length": 25000} for an X account with long posts).
    Raises networks.UnknownNetwork for an unknown key."""
    network = get_network(network_key)
    account_settings = (getattr(account, "settings", None) or {}) if account else {}
    instance = account_settings.get("instance_configuration")
    if instance and hasattr(network, "with_instance_configuration"):
        network = network.with_instance_configuration(instance)
    overrides = account_settings.get("network_config")
    if overrides:
        network = network.with_config(**overrides)
    return network


# --- media ----------------------------------------------------------------------------------


def media_usable_in(library: Library) -> QuerySet[Media]:
    """Photos a post of `library` may use: its own and those of its parent libraries
    (a network's head shares its media library with its branches)."""
    return Media.objects.filter(library_id__in=access_tree().ancestors(library.id))


def media_library(*, user, library: Library, q: str = "") -> QuerySet[Media]:
    """The media library as `user` sees it from `library`, newest first, searchable by
    name, alt text and credit."""
    media = media_usable_in(library)
    for word in q.split():
        media = media.filter(
            Q(original_name__icontains=word)
            | Q(alt_text__icontains=word)
            | Q(credit__icontains=word)
        )
    return media.select_related("library", "uploaded_by").order_by("-created_at", "-pk")


def media_get_for_user(*, user, pk: int, min_role: str = "contributor") -> Media:
    return object_get_for_user(
        Media.objects.select_related("library"), user=user, pk=pk, min_role=min_role
    )


# --- what a target publishes ----------------------------------------------------------------


@dataclass(frozen=True)
class TargetContent:
    """What one target (a network, or an account on it) publishes: the variant's text and
    link when overridden, else the post's; its photos in order; how photos are fitted to
    aspect-ratio rules; the content warning shown before the text (Mastodon). `text` is
    before `Network.final_text` (which may append the link)."""

    network: str
    account_id: int | None
    text: str
    link: str
    media: list[Media]
    image_fit: str
    content_warning: str = ""


def content_for_target(*, post: Post, network_key: str, account=None) -> TargetContent:
    """The content of `post` for one target; an account's own variant wins over the
    network's, which wins over the master text (the publishing engine calls this)."""
    variants = list(post.variants.all())
    account_id = getattr(account, "pk", None)
    variant = next(
        (v for v in variants if account_id and v.account_id == account_id),
        None,
    ) or next((v for v in variants if v.network == network_key and v.account_id is None), None)
    if variant is not None and variant.own_media:
        links = variant.variant_media.select_related("media").order_by("position")
    else:
        links = post.post_media.select_related("media").order_by("position")
    return TargetContent(
        network=network_key,
        account_id=account_id,
        text=(variant.text if variant and variant.text else post.body),
        link=(variant.link if variant and variant.link else post.link),
        media=[link.media for link in links],
        image_fit=variant.image_fit if variant else ImageFit.PAD,
        content_warning=variant.content_warning if variant else "",
    )
