"""The permission layer: which libraries a user sees, and with which role.

Every view and every queryset goes through here. A membership gives its role
on the library and on all its branches (a member of a network's head library
sees the branches' content according to that role). A user's effective role on
a library is the highest of the memberships on it and on its ancestors.

Objects of a library the user cannot see do not exist for them: selectors raise
Http404, never 403, so that their existence does not leak. A visible object on
which the user's role is too low gives PermissionDenied (403).

Access is computed with two queries and cached on the user object for the
request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from libraries.models import ROLE_RANK, Library, Membership, Role

_CACHE_ATTR = "_annexe_access"


@dataclass(frozen=True)
class LibraryTree:
    parent_of: dict[int, int | None]
    children_of: dict[int | None, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> LibraryTree:
        parent_of = dict(Library.objects.values_list("id", "parent_id"))
        children: dict[int | None, list[int]] = {}
        for library_id, parent_id in parent_of.items():
            children.setdefault(parent_id, []).append(library_id)
        return cls(parent_of=parent_of, children_of=children)

    def descendants(self, library_id: int) -> list[int]:
        """The library and all its branches, depth first."""
        found, stack = [], [library_id]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self.children_of.get(current, []))
        return found

    def ancestors(self, library_id: int) -> list[int]:
        """The library and its parents up to the root, nearest first."""
        chain, current = [], library_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent_of.get(current)
        return chain


@dataclass(frozen=True)
class Access:
    """What one user may see and do, library by library."""

    roles: dict[int, str]
    levels: dict[int, frozenset[str]]
    tree: LibraryTree

    def role(self, library_id: int) -> str | None:
        return self.roles.get(library_id)

    def has_role(self, library_id: int, min_role: str = Role.CONTRIBUTOR) -> bool:
        role = self.roles.get(library_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[min_role]

    def library_ids(self, min_role: str = Role.CONTRIBUTOR) -> set[int]:
        return {lid for lid, role in self.roles.items() if ROLE_RANK[role] >= ROLE_RANK[min_role]}

    def validation_levels(self, library_id: int) -> frozenset[str]:
        """Validation level names the user holds on this library (own or inherited)."""
        return self.levels.get(library_id, frozenset())


def _compute_access(user) -> Access:
    tree = LibraryTree.load()
    if user.is_superuser:
        return Access(
            roles={lid: Role.ADMINISTRATOR for lid in tree.parent_of},
            levels={},
            tree=tree,
        )
    roles: dict[int, str] = {}
    levels: dict[int, set[str]] = {}
    memberships = Membership.objects.filter(user=user).values_list(
        "library_id", "role", "validation_level"
    )
    for library_id, role, level in memberships:
        for lid in tree.descendants(library_id):
            current = roles.get(lid)
            if current is None or ROLE_RANK[role] > ROLE_RANK[current]:
                roles[lid] = role
            if level and ROLE_RANK[role] >= ROLE_RANK[Role.VALIDATOR]:
                levels.setdefault(lid, set()).add(level)
    return Access(
        roles=roles, levels={lid: frozenset(names) for lid, names in levels.items()}, tree=tree
    )


def access_for(user) -> Access:
    """The user's access, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access(roles={}, levels={}, tree=LibraryTree(parent_of={}))
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _compute_access(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def access_forget(user) -> None:
    """Drop the cached access (after a membership change in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def libraries_visible_to(user, *, min_role: str = Role.CONTRIBUTOR) -> QuerySet[Library]:
    return Library.objects.filter(id__in=access_for(user).library_ids(min_role))


def scope(
    queryset: QuerySet, user, *, field: str = "library", min_role: str = Role.CONTRIBUTOR
) -> QuerySet:
    """Restrict any queryset to the libraries the user sees.

    `field` is the lookup path from the model to its Library (e.g. "post__library").
    """
    ids = access_for(user).library_ids(min_role)
    return queryset.filter(**{f"{field}_id__in": ids})


def library_get_for_user(
    *, user, slug: str | None = None, pk: int | None = None, min_role: str = Role.CONTRIBUTOR
) -> Library:
    """The library, or 404 when the user cannot see it, or 403 when their role is too low."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    access = access_for(user)
    library = Library.objects.filter(id__in=access.library_ids(), **lookup).first()
    if library is None:
        raise Http404("No such library.")
    if not access.has_role(library.id, min_role):
        raise PermissionDenied
    return library


def library_scope_ids(*, user, library: Library) -> list[int]:
    """The library and those of its branches the user sees (for "this library's content")."""
    access = access_for(user)
    return [lid for lid in access.tree.descendants(library.id) if access.has_role(lid)]


def library_ancestors(library: Library) -> list[Library]:
    """The library, then its parent, up to the root: the order of setting inheritance."""
    ids = access_tree().ancestors(library.id)
    by_id = Library.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def access_tree() -> LibraryTree:
    return LibraryTree.load()


def object_get_for_user(
    queryset: QuerySet, *, user, pk, field: str = "library", min_role: str = Role.CONTRIBUTOR
) -> Model:
    """Any library-owned object by primary key: 404 if not visible, 403 if role too low."""
    obj = scope(queryset, user, field=field).filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found.")
    library_id = _follow(obj, field).id
    if not access_for(user).has_role(library_id, min_role):
        raise PermissionDenied
    return obj


def _follow(obj: Model, path: str) -> Library:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def memberships_of_library(*, user, library: Library) -> QuerySet[Membership]:
    """Direct members of a library (administrators of it or of a parent only)."""
    if not access_for(user).has_role(library.id, Role.ADMINISTRATOR):
        raise PermissionDenied
    return (
        Membership.objects.filter(library=library).select_related("user").order_by("user__username")
    )


def inherited_memberships(*, user, library: Library) -> QuerySet[Membership]:
    """Members of the parent libraries, whose role also applies here."""
    if not access_for(user).has_role(library.id, Role.ADMINISTRATOR):
        raise PermissionDenied
    ancestors = access_for(user).tree.ancestors(library.id)[1:]
    return Membership.objects.filter(library_id__in=ancestors).select_related("user", "library")


def users_with_role(*, library: Library, min_role: str, levels: Iterable[str] | None = None):
    """Users whose effective role on `library` is at least `min_role` (for notifications)."""
    from accounts.models import User

    ancestors = LibraryTree.load().ancestors(library.id)
    roles = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[min_role]]
    memberships = Membership.objects.filter(library_id__in=ancestors, role__in=roles)
    if levels is not None:
        memberships = memberships.filter(validation_level__in=list(levels))
    return User.objects.filter(is_active=True, memberships__in=memberships).distinct()
