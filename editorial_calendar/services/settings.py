"""Notable dates, editorial-mix targets and private feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from editorial_calendar import rules
from editorial_calendar.ical import ImportResult, parse_notable_dates
from editorial_calendar.models import CalendarFeed, MixTarget, NotableDate
from libraries.models import Library
from libraries.selectors import access_for

NOTABLE_FIELDS = {
    "title",
    "kind",
    "start_date",
    "end_date",
    "yearly",
    "shared_with_branches",
    "description",
}


def _check_admin(by: User, library_id: int) -> None:
    if not rules.can_manage_calendar(access_for(by), library_id):
        raise PermissionDenied


def notable_date_create(*, library: Library, by: User, **fields) -> NotableDate:
    _check_admin(by, library.id)
    if set(fields) - NOTABLE_FIELDS:
        raise ValueError(f"not a notable date field: {sorted(set(fields) - NOTABLE_FIELDS)}")
    item = NotableDate(library=library, **fields)
    item.full_clean()
    item.save()
    return item


def notable_date_update(*, item: NotableDate, by: User, **fields) -> NotableDate:
    _check_admin(by, item.library_id)
    if set(fields) - NOTABLE_FIELDS:
        raise ValueError(f"not a notable date field: {sorted(set(fields) - NOTABLE_FIELDS)}")
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


def notable_date_delete(*, item: NotableDate, by: User) -> None:
    _check_admin(by, item.library_id)
    item.delete()


def notable_dates_import(
    *, library: Library, by: User, data: bytes
) -> tuple[int, int, ImportResult]:
    """Import an .ics file: what is valid is created (or updated, by UID), the rest is
    listed in the result's `skipped` with the reason. Returns (created, updated, result)."""
    _check_admin(by, library.id)
    result = parse_notable_dates(data, library.tzinfo)
    created = updated = 0
    with transaction.atomic():
        for parsed in result.dates:
            values = {
                "title": parsed.title,
                "kind": parsed.kind,
                "start_date": parsed.start,
                "end_date": parsed.end,
                "yearly": parsed.yearly,
                "description": parsed.description,
            }
            if parsed.uid:
                _item, was_created = NotableDate.objects.update_or_create(
                    library=library, uid=parsed.uid, defaults=values
                )
            else:
                NotableDate.objects.create(library=library, **values)
                was_created = True
            created += was_created
            updated += not was_created
    return created, updated, result


def mix_targets_set(
    *, library: Library, by: User, month: dt.date | None, shares: Mapping[int, int | None]
) -> list[MixTarget]:
    """Set the target share (percent) of each editorial line, for a month or for every
    month (month=None). A share of None removes the line's target. Shares add up to 100
    at most."""
    _check_admin(by, library.id)
    if month is not None:
        month = month.replace(day=1)
    total = sum(share for share in shares.values() if share)
    if total > 100:
        raise ValidationError(
            _("Les parts visées font %(total)s %% : 100 %% au plus.") % {"total": total}
        )
    from editorial_calendar.selectors import CalendarScope, lines_of_scope

    allowed = set(
        lines_of_scope(CalendarScope(library=library, library_ids=(library.id,))).values_list(
            "id", flat=True
        )
    )
    if set(shares) - allowed:
        raise ValidationError(_("Ligne éditoriale inconnue pour cette bibliothèque."))
    saved = []
    with transaction.atomic():
        for line_id, share in shares.items():
            lookup = {"library": library, "editorial_line_id": line_id, "month": month}
            if share is None:
                MixTarget.objects.filter(**lookup).delete()
            else:
                target, _created = MixTarget.objects.update_or_create(
                    **lookup, defaults={"share": share}
                )
                saved.append(target)
    return saved


def feed_create(*, user: User, library: Library) -> CalendarFeed:
    """A new private feed URL for the user on this library; the previous one stops working."""
    if not access_for(user).has_role(library.id):
        raise PermissionDenied
    with transaction.atomic():
        feed_revoke(user=user, library=library)
        return CalendarFeed.objects.create(user=user, library=library)


def feed_revoke(*, user: User, library: Library) -> int:
    return CalendarFeed.objects.filter(user=user, library=library, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
