"""Writes of the colleague list (metrics.audience reads it). Each change enqueues the
reclassification of the engagement already seen (metrics.reclassify), on commit; so
does a new own account of a library (own accounts are colleagues of the whole network
of libraries: publishing.signals.account_identity_changed, metrics.receivers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from libraries.models import Library
from libraries.selectors import access_tree
from metrics.audience import normalise_identifier
from metrics.models import Colleague, ColleagueMatch


def _reclassify_later(library_id: int) -> None:
    from metrics.tasks import reclassify_engagements

    transaction.on_commit(lambda: reclassify_engagements.delay(library_id))


def colleague_add(
    *, library: Library, by, identifier: str, match: str, kind: str, label: str = ""
) -> Colleague:
    identifier = normalise_identifier(identifier)
    if match == ColleagueMatch.DOMAIN:
        identifier = identifier.split("@")[-1]
    if not identifier or " " in identifier:
        raise ValidationError(_("Indiquez un compte ou un nom de domaine."))
    if Colleague.objects.filter(library=library, match=match, identifier=identifier).exists():
        raise ValidationError(_("« %(name)s » est déjà dans la liste.") % {"name": identifier})
    with transaction.atomic():
        colleague = Colleague.objects.create(
            library=library,
            identifier=identifier,
            match=match,
            kind=kind,
            label=label,
            created_by=by,
        )
        _reclassify_later(library.pk)
    return colleague


def colleague_remove(*, colleague: Colleague, by) -> None:
    with transaction.atomic():
        library_id = colleague.library_id
        colleague.delete()
        _reclassify_later(library_id)


def own_accounts_changed(*, library_id: int) -> None:
    """An account of `library_id` was connected (or is now someone else): own accounts
    count for the whole tree of libraries (metrics.audience.colleague_rules_of), so the
    engagement of the tree's root and all its branches is classified again."""
    chain = access_tree().ancestors(library_id)
    _reclassify_later(chain[-1] if chain else library_id)
