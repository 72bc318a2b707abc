"""Chains in plain language, for the settings page and the post page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from validation.rules import LevelSpec


def _names(people: list) -> str:
    names = [str(person) for person in people]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _either(people: list) -> str:
    names = [str(person) for person in people]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s ou %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def describe_level(level: LevelSpec, people_by_id: dict[int, object]) -> str:
    """e.g. "Direction", "Élus (Alice et Bob, tous)", "Relecture (niveau Direction, ou Alice)"."""
    people = [people_by_id[pk] for pk in sorted(level.people) if pk in people_by_id]
    if level.require_all:
        return _("%(name)s (toutes ces personnes : %(people)s)") % {
            "name": level.name,
            "people": _names(people),
        }
    detail = []
    if level.validation_level and level.validation_level != level.name:
        detail.append(_("niveau « %(level)s »") % {"level": level.validation_level})
    if people:
        detail.append(_either(people))
    if not detail:
        return level.name
    return f"{level.name} ({_(', ou ').join(detail)})"


def describe_chain(levels: list[LevelSpec], people_by_id: dict[int, object], line=None) -> str:
    """The sentence an administrator reads on the settings page."""
    if not levels:
        if line is None:
            return _("Par défaut, les publications partent sans validation.")
        return _("Les publications de « %(line)s » partent sans validation.") % {"line": line}
    steps = _(", puis ").join(describe_level(level, people_by_id) for level in levels)
    if line is None:
        return _("Par défaut, les publications doivent être validées par : %(steps)s.") % {
            "steps": steps
        }
    return _("Les publications de « %(line)s » doivent être validées par : %(steps)s.") % {
        "line": line,
        "steps": steps,
    }
