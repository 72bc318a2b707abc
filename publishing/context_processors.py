from publishing.services import pauses_covering


def pause_banner(request) -> dict:
    """The active pauses covering the current library (the banner on every page)."""
    library = getattr(request, "library", None)
    if library is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"publishing_pauses": pauses_covering(library.id)}
