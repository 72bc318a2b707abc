"""Small helpers shared by the posts views."""

from django.http import Http404

from libraries.models import Library, Role
from libraries.selectors import library_get_for_user


def current_library(request, min_role: str = Role.CONTRIBUTOR) -> Library:
    """The library chosen in the header's switcher, checked against the user's role."""
    if request.library is None:
        raise Http404("No library.")
    return library_get_for_user(user=request.user, pk=request.library.pk, min_role=min_role)


def network_choices() -> list[tuple[str, str]]:
    """(key, name) of every network, in the registry's order."""
    try:
        from networks import NETWORK_CHOICES
    except ImportError:
        return []
    return list(NETWORK_CHOICES)
