"""Every change to libraries and memberships."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from libraries.models import Library, Membership, Role
from libraries.selectors import access_for, access_forget
from libraries.tasks import send_invitation


def _require_admin(*, by: User, library: Library) -> None:
    if not access_for(by).has_role(library.id, Role.ADMINISTRATOR):
        raise PermissionDenied


def library_create(
    *, name: str, parent: Library | None = None, slug: str = "", **values
) -> Library:
    """Create a library; a branch starts with its parent's settings."""
    if parent is not None:
        values = {
            "timezone": parent.timezone,
            "working_hours": parent.working_hours,
            "alt_text_required": parent.alt_text_required,
            "validation_deadline_hours": parent.validation_deadline_hours,
        } | values
    library = Library(name=name, parent=parent, slug=slug or _unique_slug(name), **values)
    library.full_clean()
    library.save()
    return library


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "bibliotheque"
    slug, n = base, 2
    while Library.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def library_update_settings(*, library: Library, by: User, **values) -> Library:
    _require_admin(by=by, library=library)
    allowed = {
        "name",
        "timezone",
        "working_hours",
        "alt_text_required",
        "validation_deadline_hours",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not a library setting: {sorted(unknown)}")
    for key, value in values.items():
        setattr(library, key, value)
    library.full_clean()
    library.save(update_fields=list(values))
    return library


@transaction.atomic
def membership_add(
    *,
    library: Library,
    by: User,
    email: str,
    role: str,
    validation_level: str = "",
    display_name: str = "",
    request=None,
) -> Membership:
    """Add a person to a library. Unknown email: create the account and send an invitation
    (a password-setting link); known: add the membership."""
    _require_admin(by=by, library=library)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    invited = user is None
    if invited:
        user = User(username=_unique_username(email), email=email, display_name=display_name)
        user.set_unusable_password()
        user.save()
    elif Membership.objects.filter(user=user, library=library).exists():
        raise ValidationError(
            _("%(email)s est déjà membre de %(library)s.") % {"email": email, "library": library}
        )
    membership = Membership.objects.create(
        user=user, library=library, role=role, validation_level=_level_for(role, validation_level)
    )
    if invited:
        domain = request.get_host() if request else urlsplit(settings.SITE_URL).netloc
        use_https = request.is_secure() if request else settings.SITE_URL.startswith("https")
        transaction.on_commit(
            lambda: send_invitation.delay(email=email, domain=domain, use_https=use_https)
        )
    access_forget(by)
    return membership


def _unique_username(email: str) -> str:
    base = slugify(email.split("@")[0])[:140] or "membre"
    name, n = base, 2
    while User.objects.filter(username=name).exists():
        name, n = f"{base}{n}", n + 1
    return name


def _level_for(role: str, level: str) -> str:
    return level.strip() if role in (Role.VALIDATOR, Role.ADMINISTRATOR) else ""


def membership_change_role(
    *, membership: Membership, by: User, role: str, validation_level: str = ""
) -> Membership:
    _require_admin(by=by, library=membership.library)
    if membership.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR:
        _refuse_last_administrator(membership)
    membership.role = role
    membership.validation_level = _level_for(role, validation_level)
    membership.full_clean()
    membership.save(update_fields=["role", "validation_level"])
    access_forget(by)
    return membership


def membership_remove(*, membership: Membership, by: User) -> None:
    _require_admin(by=by, library=membership.library)
    if membership.role == Role.ADMINISTRATOR:
        _refuse_last_administrator(membership)
    membership.delete()
    access_forget(by)


def _refuse_last_administrator(membership: Membership) -> None:
    others = Membership.objects.filter(library=membership.library, role=Role.ADMINISTRATOR).exclude(
        pk=membership.pk
    )
    if membership.library.parent_id is None and not others.exists():
        raise ValidationError(
            _("%(library)s doit garder au moins un·e administrateur·rice.")
            % {"library": membership.library}
        )
