"""Library settings owned by the posts app: editorial lines and the editorial charter."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from libraries.models import Library, Role
from libraries.selectors import access_for
from networks import all_networks
from posts.models import CharterVersion, EditorialLine

LINE_FIELDS = {"name", "colour", "description", "position", "is_active"}


def _require_admin(user: User, library_id: int) -> None:
    if not access_for(user).has_role(library_id, Role.ADMINISTRATOR):
        raise PermissionDenied


def editorial_line_create(*, library: Library, by: User, **fields) -> EditorialLine:
    _require_admin(by, library.id)
    unknown = set(fields) - LINE_FIELDS
    if unknown:
        raise ValueError(f"not an editorial line field: {sorted(unknown)}")
    line = EditorialLine(library=library, **fields)
    line.full_clean()
    line.save()
    return line


def editorial_line_update(*, line: EditorialLine, by: User, **fields) -> EditorialLine:
    """Change a line (a branch changes only its own lines, not inherited ones)."""
    _require_admin(by, line.library_id)
    unknown = set(fields) - LINE_FIELDS
    if unknown:
        raise ValueError(f"not an editorial line field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(line, name, value)
    line.full_clean()
    line.save()
    return line


def charter_save(
    *,
    library: Library,
    by: User,
    body: str,
    sections: dict[str, str],
    house_hashtags: str = "",
    signature: str = "",
    signature_networks: list[str] | None = None,
    note: str = "",
) -> CharterVersion:
    """Save the library's charter as a new version (every version is kept)."""
    _require_admin(by, library.id)
    known = {network.key for network in all_networks()}
    with transaction.atomic():
        # Lock the library row so two administrators saving at once get 2 numbers.
        Library.objects.select_for_update().filter(pk=library.pk).first()
        last = CharterVersion.objects.filter(library=library).aggregate(n=Max("number"))["n"]
        version = CharterVersion(
            library=library,
            number=(last or 0) + 1,
            body=body.strip(),
            sections={
                key: text.strip() for key, text in sections.items() if key in known and text.strip()
            },
            house_hashtags=" ".join(house_hashtags.split()),
            signature=signature.strip(),
            signature_networks=[key for key in (signature_networks or []) if key in known],
            note=note.strip(),
            created_by=by,
        )
        version.full_clean()
        version.save()
    return version
