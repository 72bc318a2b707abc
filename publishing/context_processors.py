from django.core.cache import cache

from libraries.selectors import access_tree
from publishing.models import PublishingPause

CACHE_KEY = "publishing:active-pauses"


def active_pauses() -> list[dict]:
    """The active pauses, cached (every page asks; pausing and resuming forget it)."""
    pauses = cache.get(CACHE_KEY)
    if pauses is None:
        pauses = list(
            PublishingPause.objects.filter(ended_at__isnull=True).values(
                "library_id", "library__name", "include_branches", "reason"
            )
        )
        cache.set(CACHE_KEY, pauses, 60)
    return pauses


def pause_banner(request) -> dict:
    """The active pauses covering the current library (the banner on every page)."""
    library = getattr(request, "library", None)
    if library is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    pauses = active_pauses()
    if not pauses:
        return {}
    chain = access_tree().ancestors(library.id)
    return {
        "publishing_pauses": [
            p
            for p in pauses
            if p["library_id"] == library.id or (p["include_branches"] and p["library_id"] in chain)
        ]
    }
