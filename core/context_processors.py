from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from core.nav import NAV_ITEMS
from libraries.selectors import libraries_visible_to


def _nav(request) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # the app that provides this page is not installed yet
        badge = 0
        if item.badge:
            try:
                badge = import_string(item.badge)(request)
            except ImportError:
                badge = 0
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "badge": badge,
                "active": request.path.startswith(url),
            }
        )
    return items


def shell(request) -> dict:
    """What the base layout needs: navigation, current library, library switcher."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    library = request.library
    return {
        "nav_items": _nav(request),
        "current_library": library if library else None,
        "switchable_libraries": list(
            libraries_visible_to(request.user)
            .select_related("parent")
            .order_by("parent_id", "name")
        ),
    }
