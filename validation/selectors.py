"""Reads for validation: chains, who may act, the queue, the trail. Permission-scoped."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.models import User
from libraries.models import Library, Membership, Role
from libraries.selectors import LibraryTree, access_for, access_tree, users_with_role
from posts.models import EditorialLine, Post, PostState
from validation.models import Absence, Action, Chain, Review, ReviewEvent, ReviewLevel
from validation.rules import Actor, Delegation, LevelSpec

# --- chains ------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveChain:
    """The chain that applies to a library (and editorial line), and where it is defined."""

    chain: Chain | None
    levels: list[LevelSpec]

    @property
    def requires_validation(self) -> bool:
        return bool(self.levels)


def chain_for(*, library: Library, editorial_line: EditorialLine | None) -> EffectiveChain:
    """The chain for posts of `library` in `editorial_line`.

    The nearest library (the library itself, then its parents) that defines a
    chain for that line wins; failing that, the nearest default chain. No chain
    anywhere, or a "no validation" chain: no levels (approved on submit).
    """
    ancestors = access_tree().ancestors(library.id)
    lines = Q(editorial_line__isnull=True)
    if editorial_line is not None:
        lines |= Q(editorial_line=editorial_line)
    chains = {
        (chain.library_id, chain.editorial_line_id): chain
        for chain in Chain.objects.filter(lines, library_id__in=ancestors).prefetch_related(
            "levels__people"
        )
    }
    found = None
    if editorial_line is not None:
        found = next(
            (
                chains[(lid, editorial_line.id)]
                for lid in ancestors
                if (lid, editorial_line.id) in chains
            ),
            None,
        )
    if found is None:
        found = next((chains[(lid, None)] for lid in ancestors if (lid, None) in chains), None)
    return EffectiveChain(chain=found, levels=chain_level_specs(found))


def chain_level_specs(chain: Chain | None) -> list[LevelSpec]:
    if chain is None or not chain.requires_validation:
        return []
    return [
        LevelSpec(
            position=index,
            name=level.name,
            validation_level=level.validation_level,
            people=frozenset(person.pk for person in level.people.all()),
            require_all=level.require_all,
        )
        for index, level in enumerate(chain.levels.all())
    ]


# --- reviews -----------------------------------------------------------------


def review_level_specs(review: Review | None) -> list[LevelSpec]:
    if review is None:
        return []
    return [
        LevelSpec(
            position=level.position,
            name=level.name,
            validation_level=level.validation_level,
            people=frozenset(person.pk for person in level.people.all()),
            require_all=level.require_all,
        )
        for level in review.levels.prefetch_related("people").order_by("position")
    ]


def current_level_spec(review: Review | None) -> LevelSpec | None:
    if review is None or review.current_level_id is None:
        return None
    level = ReviewLevel.objects.prefetch_related("people").get(pk=review.current_level_id)
    return LevelSpec(
        position=level.position,
        name=level.name,
        validation_level=level.validation_level,
        people=frozenset(person.pk for person in level.people.all()),
        require_all=level.require_all,
    )


def approvals_at(*, post: Post, round: int, position: int) -> frozenset[int]:
    """Who approved this level in this round (the absent person when a substitute acted)."""
    rows = ReviewEvent.objects.filter(
        post=post, round=round, level_position=position, action=Action.APPROVE
    ).values_list("actor_id", "on_behalf_of_id")
    return frozenset(on_behalf or actor for actor, on_behalf in rows)


def last_approval_of(*, post: Post, user: User) -> ReviewEvent | None:
    """The user's latest approval of this post (in any round), or their request for
    changes when it came later, for "what changed since"."""
    return (
        ReviewEvent.objects.filter(
            Q(actor=user) | Q(on_behalf_of=user),
            post=post,
            action__in=[Action.APPROVE, Action.FORCE_APPROVE, Action.REQUEST_CHANGES],
        )
        .order_by("-created_at", "-id")
        .first()
    )


def last_approval(*, post: Post) -> ReviewEvent | None:
    return (
        ReviewEvent.objects.filter(post=post, action__in=[Action.APPROVE, Action.FORCE_APPROVE])
        .order_by("-created_at", "-id")
        .first()
    )


def post_trail(post: Post) -> QuerySet[ReviewEvent]:
    return (
        ReviewEvent.objects.filter(post=post)
        .select_related("actor", "on_behalf_of")
        .defer("snapshot")
        .order_by("created_at", "id")
    )


# --- who may act -------------------------------------------------------------


def active_absences(*, now: dt.datetime | None = None) -> QuerySet[Absence]:
    now = now or timezone.now()
    return Absence.objects.filter(starts_at__lte=now, ends_at__gt=now)


def actor_for(user: User, *, now: dt.datetime | None = None) -> Actor:
    """The user's access plus the absent validators they stand in for right now."""
    access = access_for(user)
    delegations = []
    absences = active_absences(now=now).filter(substitute=user).select_related("user")
    for absence in absences:
        theirs = access_for(absence.user)
        scope = frozenset(access.tree.descendants(absence.library_id))
        levels = {lid: theirs.validation_levels(lid) for lid in scope}
        delegations.append(
            Delegation(
                absent_user_id=absence.user_id,
                library_ids=scope,
                levels={lid: names for lid, names in levels.items() if names},
            )
        )
    return Actor(user_id=user.pk, access=access, delegations=tuple(delegations))


def _members_of(library: Library, user_ids) -> set[int]:
    ancestors = LibraryTree.load().ancestors(library.id)
    return set(
        Membership.objects.filter(
            library_id__in=ancestors, user_id__in=list(user_ids), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def deciders_for_level(
    *,
    post: Post,
    level: LevelSpec,
    approved_by: frozenset[int] = frozenset(),
    now: dt.datetime | None = None,
) -> list[User]:
    """Who should hear that `post` waits at `level`: the holders of the level and its
    named people (not the author, not those who already approved), each absent one
    replaced by their substitute."""
    library = post.library
    ids: set[int] = set()
    if level.validation_level and not level.require_all:
        ids |= set(
            users_with_role(
                library=library, min_role=Role.VALIDATOR, levels=[level.validation_level]
            ).values_list("pk", flat=True)
        )
    if level.people:
        ids |= _members_of(library, level.people)
    ids -= {post.author_id, *approved_by}
    ancestors = LibraryTree.load().ancestors(library.id)
    absences = active_absences(now=now).filter(user_id__in=ids, library_id__in=ancestors)
    for absence in absences:
        if absence.substitute_id != post.author_id and _members_of(
            library, [absence.substitute_id]
        ):
            ids.discard(absence.user_id)
            ids.add(absence.substitute_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def administrators_of(library: Library) -> list[User]:
    return list(users_with_role(library=library, min_role=Role.ADMINISTRATOR))


# --- the queue ---------------------------------------------------------------


class HoursAsDuration(Func):
    """An integer number of hours as a duration, in SQL: an interval on PostgreSQL,
    microseconds on SQLite (how Django stores durations there)."""

    output_field = DurationField()
    template = "(%(expressions)s * INTERVAL '1 hour')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s * 3600000000)", **extra_context
        )


def with_deadline(queryset: QuerySet[Post]) -> QuerySet[Post]:
    """Annotate `deadline`: the publication time minus the library's validation delay."""
    return queryset.annotate(
        deadline=ExpressionWrapper(
            F("scheduled_at") - HoursAsDuration(F("library__validation_deadline_hours")),
            output_field=DateTimeField(),
        )
    )


def _level_filter(library_ids, levels_by_library, *, exclude_author=None) -> Q:
    groups: dict[frozenset[str], list[int]] = defaultdict(list)
    for lid in library_ids:
        names = levels_by_library.get(lid)
        if names:
            groups[names].append(lid)
    q = Q(pk__in=[])
    for names, lids in groups.items():
        term = Q(
            library_id__in=lids,
            review__current_level__validation_level__in=sorted(names),
            review__current_level__require_all=False,
        )
        if exclude_author is not None:
            term &= ~Q(author_id=exclude_author)
        q |= term
    return q


def _named(user_id: int) -> Exists:
    return Exists(
        ReviewLevel.people.through.objects.filter(
            reviewlevel_id=OuterRef("review__current_level_id"), user_id=user_id
        )
    )


def queue_for(user: User, *, actor: Actor | None = None) -> QuerySet[Post]:
    """Posts waiting at a level the user can act on (themselves or standing in for an
    absent validator), never their own, oldest deadline first."""
    actor = actor or actor_for(user)
    visible = actor.access.library_ids()
    mine = {lid: actor.access.validation_levels(lid) for lid in visible}
    q = _level_filter(visible, mine) | (Q(library_id__in=visible) & _named(user.pk))
    for delegation in actor.delegations:
        scope = visible & delegation.library_ids
        q |= _level_filter(scope, delegation.levels, exclude_author=delegation.absent_user_id)
        q |= (
            Q(library_id__in=scope)
            & ~Q(author_id=delegation.absent_user_id)
            & _named(delegation.absent_user_id)
        )
    # Posts whose current level the user already approved (an "all of these people"
    # level still waiting for others). Not correlated: the database computes it once,
    # whatever its statistics (a correlated NOT EXISTS was planned as 2,000 × 2,000
    # on a freshly loaded PostgreSQL table).
    already = ReviewEvent.objects.filter(
        actor=user,
        action=Action.APPROVE,
        post__state=PostState.PENDING,
        round=F("post__review__round"),
        level_position=F("post__review__current_level__position"),
    ).values("post_id")
    queryset = (
        Post.objects.filter(state=PostState.PENDING, review__current_level__isnull=False)
        .filter(q)
        .exclude(author=user)
        .exclude(pk__in=already)
    )
    return with_deadline(queryset).order_by(
        F("deadline").asc(nulls_last=True), "review__submitted_at", "pk"
    )


def queue_page_rows(queryset: QuerySet[Post]) -> QuerySet[Post]:
    """What the queue page shows of each post, in a constant number of queries."""
    return queryset.select_related(
        "library", "author", "editorial_line", "review", "review__current_level"
    ).prefetch_related("targets__account")


def queue_count_for_request(request) -> int:
    """The navigation badge: how many posts wait for the user (cached on the request)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(request, "_validation_queue_count", None)
    if cached is None:
        cached = queue_for(user).count()
        request._validation_queue_count = cached
    return cached


def level_counts(review: Review | None) -> int:
    return review.levels.count() if review else 0


# --- settings and journal ----------------------------------------------------


@dataclass(frozen=True)
class ChainRow:
    line: EditorialLine | None
    effective: EffectiveChain
    own: Chain | None  # this library's own chain for the line (None: inherited)


def chains_overview(library: Library) -> list[ChainRow]:
    """The default chain and each editorial line's, as they apply to `library`."""
    from posts.selectors import editorial_lines_for

    own = {chain.editorial_line_id: chain for chain in Chain.objects.filter(library=library)}
    rows = [ChainRow(None, chain_for(library=library, editorial_line=None), own.get(None))]
    for line in editorial_lines_for(library).order_by("position", "name"):
        rows.append(
            ChainRow(line, chain_for(library=library, editorial_line=line), own.get(line.id))
        )
    return rows


def members_of(library: Library) -> QuerySet[User]:
    """People whose membership applies to `library` (its own, or a parent's)."""
    ancestors = LibraryTree.load().ancestors(library.id)
    return (
        User.objects.filter(is_active=True, memberships__library_id__in=ancestors)
        .distinct()
        .order_by("display_name", "username")
    )


def known_levels(library: Library) -> list[str]:
    tree = LibraryTree.load()
    ids = set(tree.ancestors(library.id)) | set(tree.descendants(library.id))
    names = Membership.objects.filter(library_id__in=ids).exclude(validation_level="")
    return sorted(set(names.values_list("validation_level", flat=True)))


def absences_visible_to(user: User, library: Library) -> QuerySet[Absence]:
    """The user's own absences and substitutions; all of the library's for its administrators."""
    access = access_for(user)
    scope_ids = [lid for lid in access.tree.descendants(library.id) if access.has_role(lid)]
    mine = Q(user=user) | Q(substitute=user)
    if access.has_role(library.id, Role.ADMINISTRATOR):
        mine |= Q(library_id__in=scope_ids)
    return (
        Absence.objects.filter(mine, ends_at__gt=timezone.now() - dt.timedelta(days=30))
        .select_related("user", "substitute", "library")
        .order_by("starts_at")
    )


def absence_get_for_user(*, user: User, pk: int) -> Absence:
    """An absence the user may manage (their own, or as an administrator); else 404."""
    from django.http import Http404

    absence = Absence.objects.select_related("library").filter(pk=pk).first()
    if absence is None:
        raise Http404("No such absence.")
    access = access_for(user)
    if absence.user_id != user.pk and not access.has_role(absence.library_id, Role.ADMINISTRATOR):
        raise Http404("No such absence.")
    return absence


@dataclass(frozen=True)
class JournalFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    actor: User | None = None
    q: str = ""


def journal_events(
    *, user: User, library: Library, filters: JournalFilters
) -> QuerySet[ReviewEvent]:
    """The library's (and its visible branches') trail, newest first, filtered."""
    from libraries.selectors import library_scope_ids

    events = ReviewEvent.objects.filter(
        library_id__in=library_scope_ids(user=user, library=library)
    )
    tz = library.tzinfo
    if filters.date_from:
        events = events.filter(
            created_at__gte=dt.datetime.combine(filters.date_from, dt.time(), tz)
        )
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time(), tz)
        events = events.filter(created_at__lt=end)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(Q(actor=filters.actor) | Q(on_behalf_of=filters.actor))
    if filters.q:
        events = events.filter(post__title__icontains=filters.q)
    return (
        events.select_related("post", "actor", "on_behalf_of", "library")
        .defer("snapshot")
        .order_by("-created_at", "-id")
    )
