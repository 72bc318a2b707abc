"""Who may do what at which level: pure functions, no ORM.

The services call these with facts loaded from the database (the actor's
access and delegations, the level as frozen at submission, who already
approved it in this round); the review pages call the same functions to decide
which buttons to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from libraries.models import Role
from libraries.selectors import Access


@dataclass(frozen=True)
class LevelSpec:
    """A level as frozen when the post was submitted."""

    position: int
    name: str
    validation_level: str = ""
    people: frozenset[int] = frozenset()
    require_all: bool = False


@dataclass(frozen=True)
class Delegation:
    """An absent validator the actor stands in for, right now."""

    absent_user_id: int
    library_ids: frozenset[int]  # the absence's library and its branches
    levels: Mapping[int, frozenset[str]] = field(default_factory=dict)  # theirs, per library


@dataclass(frozen=True)
class Actor:
    user_id: int
    access: Access
    delegations: tuple[Delegation, ...] = ()


@dataclass(frozen=True)
class Capacity:
    """The actor may decide at this level, for themselves or for an absent person."""

    on_behalf_of: int | None = None


def _holds(user_id: int, levels: frozenset[str], level: LevelSpec, approved_by) -> bool:
    if user_id in approved_by:
        return False  # one person, one approval per level and round
    if level.require_all:
        return user_id in level.people
    return user_id in level.people or bool(
        level.validation_level and level.validation_level in levels
    )


def acting_capacity(
    actor: Actor,
    *,
    author_id: int,
    library_id: int,
    level: LevelSpec | None,
    approved_by: frozenset[int] = frozenset(),
) -> Capacity | None:
    """Whether the actor may approve / request changes / reject at `level` (the
    post's current level; None when the post is not waiting at a level).

    The author never decides on their own post, at any level, even holding the
    level or standing in for someone who does; nobody decides at a level other
    than the current one (the caller passes the current level only).
    """
    if level is None or actor.user_id == author_id:
        return None
    if not actor.access.has_role(library_id):
        return None
    if _holds(actor.user_id, actor.access.validation_levels(library_id), level, approved_by):
        return Capacity()
    for delegation in actor.delegations:
        absent = delegation.absent_user_id
        if absent == author_id or library_id not in delegation.library_ids:
            continue
        if _holds(absent, delegation.levels.get(library_id, frozenset()), level, approved_by):
            return Capacity(on_behalf_of=absent)
    return None


def level_satisfied(level: LevelSpec, *, approved_by: frozenset[int], author_id: int) -> bool:
    """One approval satisfies a level, except "all of these people" levels, which
    need every named person but the author (who never approves their own post)."""
    if level.require_all:
        required = level.people - {author_id}
        return bool(required) and required <= approved_by
    return bool(approved_by)


def can_submit(actor: Actor, *, author_id: int, library_id: int) -> bool:
    if actor.user_id == author_id:
        return actor.access.has_role(library_id)
    return actor.access.has_role(library_id, Role.VALIDATOR)


def can_withdraw(actor: Actor, *, author_id: int, library_id: int) -> bool:
    if actor.user_id == author_id:
        return actor.access.has_role(library_id)
    return actor.access.has_role(library_id, Role.ADMINISTRATOR)


def can_reopen(actor: Actor, *, author_id: int, library_id: int) -> bool:
    return can_submit(actor, author_id=author_id, library_id=library_id)


def can_force(actor: Actor, *, author_id: int, library_id: int) -> bool:
    """Administrators may force a decision (with a reason), never on their own post."""
    return actor.user_id != author_id and actor.access.has_role(library_id, Role.ADMINISTRATOR)


def can_comment(actor: Actor, *, library_id: int) -> bool:
    return actor.access.has_role(library_id)


def can_manage_chains(access: Access, *, library_id: int) -> bool:
    return access.has_role(library_id, Role.ADMINISTRATOR)


def can_read_journal(access: Access, *, library_id: int) -> bool:
    return access.has_role(library_id, Role.VALIDATOR)


def can_manage_absence(access: Access, *, user_id: int, absent_user_id: int, library_id: int):
    """A validator declares their own absences; administrators anyone's."""
    if user_id == absent_user_id:
        return access.has_role(library_id)
    return access.has_role(library_id, Role.ADMINISTRATOR)
