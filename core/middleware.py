from django.utils.functional import SimpleLazyObject

from libraries.models import Library
from libraries.selectors import access_for

SESSION_KEY = "annexe_library_id"


def current_library(request) -> Library | None:
    """The library the user is working in: the one chosen in the switcher, if the
    user still sees it, else the first one they see (a network's head first)."""
    user = request.user
    if not user.is_authenticated:
        return None
    access = access_for(user)
    ids = access.library_ids()
    if not ids:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen not in ids:
        roots = [lid for lid in ids if access.tree.parent_of.get(lid) not in ids]
        chosen = min(roots or ids)
    return Library.objects.filter(pk=chosen).first()


class CurrentLibraryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.library = SimpleLazyObject(lambda: current_library(request))
        return self.get_response(request)
