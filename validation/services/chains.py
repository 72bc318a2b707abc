"""Administrators define chains: a library's default, or one editorial line's."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from libraries.models import Library
from libraries.selectors import access_for, access_tree
from posts.models import EditorialLine
from validation import rules
from validation.errors import ChainInvalid, NotAllowed
from validation.models import Chain, ChainLevel


@dataclass(frozen=True)
class LevelInput:
    name: str
    validation_level: str = ""
    people: list[User] = field(default_factory=list)
    require_all: bool = False


def _check(library: Library, by: User, editorial_line: EditorialLine | None) -> None:
    if not rules.can_manage_chains(access_for(by), library_id=library.id):
        raise NotAllowed(_("Seul·es les administrateur·rices définissent les circuits."))
    if editorial_line is not None and editorial_line.library_id not in access_tree().ancestors(
        library.id
    ):
        raise ValidationError(_("Cette ligne éditoriale n'est pas celle de cette bibliothèque."))


def chain_save(
    *,
    library: Library,
    by: User,
    editorial_line: EditorialLine | None = None,
    requires_validation: bool = True,
    levels: list[LevelInput] = (),
) -> Chain:
    """Define (or replace) the library's chain for the line (None: its default chain).

    `requires_validation=False` is "no validation". Posts already in review keep
    the levels they were submitted with; the new chain applies from the next
    submission. Named people must be members of the library or of a parent.
    All the levels are replaced at once, in the order given; every problem is
    reported together (ChainInvalid, per level), and then nothing is saved.
    """
    _check(library, by, editorial_line)
    levels = list(levels)
    general: list[str] = []
    if requires_validation and not levels:
        general.append(_("Ajoutez au moins une étape, ou choisissez « sans validation »."))
    problems = {index: _level_problems(level, library) for index, level in enumerate(levels)}
    problems = {index: found for index, found in problems.items() if found}
    if general or (requires_validation and problems):
        raise ChainInvalid(general=general, levels=problems)
    with transaction.atomic():
        chain, _created = Chain.objects.update_or_create(
            library=library,
            editorial_line=editorial_line,
            defaults={"requires_validation": requires_validation, "updated_by": by},
        )
        chain.levels.all().delete()
        if requires_validation:
            for position, level in enumerate(levels):
                row = ChainLevel.objects.create(
                    chain=chain,
                    position=position,
                    name=level.name.strip(),
                    validation_level="" if level.require_all else level.validation_level.strip(),
                    require_all=level.require_all,
                )
                row.people.set(level.people)
    return chain


def _level_problems(level: LevelInput, library: Library) -> list[str]:
    name = level.name.strip()
    problems = [] if name else [_("Chaque étape a besoin d'un nom.")]

    def about(message: str) -> str:
        # Named after the level when it has a name: the message may be read alone.
        return (
            _("« %(name)s » : %(problem)s") % {"name": name, "problem": message}
            if name
            else (message[:1].upper() + message[1:])
        )

    if level.require_all and not level.people:
        problems.append(about(_("nommez les personnes qui doivent toutes valider.")))
    elif not level.validation_level.strip() and not level.people:
        problems.append(about(_("choisissez un niveau de validation ou des personnes.")))
    for person in level.people:
        if not access_for(person).has_role(library.id):
            problems.append(
                _("%(person)s n'est pas membre de %(library)s.")
                % {"person": person, "library": library}
            )
    return problems


def chain_clear(*, library: Library, by: User, editorial_line: EditorialLine | None = None) -> None:
    """Remove the library's own chain: it inherits again (from the default or the parent)."""
    _check(library, by, editorial_line)
    Chain.objects.filter(library=library, editorial_line=editorial_line).delete()
