"""Absences: a validator away names a substitute who acts at their levels meanwhile."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from libraries.models import Library
from libraries.selectors import access_for
from validation import rules
from validation.errors import NotAllowed
from validation.models import Absence


def absence_create(
    *,
    library: Library,
    by: User,
    user: User,
    substitute: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
) -> Absence:
    """Declare `user` absent in `library` (and its branches); `substitute` acts for them.

    People declare their own absences; administrators anyone's. The substitute
    must be a member of the library; both must be different people.
    """
    if not rules.can_manage_absence(
        access_for(by), user_id=by.pk, absent_user_id=user.pk, library_id=library.id
    ):
        raise NotAllowed(_("Vous ne pouvez pas déclarer l'absence de cette personne."))
    if not access_for(user).has_role(library.id):
        raise ValidationError(
            _("%(user)s n'est pas membre de %(library)s.") % {"user": user, "library": library}
        )
    if substitute.pk == user.pk:
        raise ValidationError({"substitute": _("Choisissez une autre personne.")})
    if not access_for(substitute).has_role(library.id):
        raise ValidationError(
            {
                "substitute": _("%(user)s n'est pas membre de %(library)s.")
                % {"user": substitute, "library": library}
            }
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("La fin doit venir après le début.")})
    absence = Absence(
        library=library,
        user=user,
        substitute=substitute,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        created_by=by,
    )
    absence.full_clean()
    absence.save()
    return absence


def absence_cancel(*, absence: Absence, by: User) -> None:
    if not rules.can_manage_absence(
        access_for(by), user_id=by.pk, absent_user_id=absence.user_id, library_id=absence.library_id
    ):
        raise NotAllowed()
    absence.delete()
