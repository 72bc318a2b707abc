"""The Sandbox timeline: what a library published on its training network, with the
simulated reactions that have arrived so far (networks.sandbox)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from libraries.selectors import library_get_for_user
from publishing import sandbox


@login_required
def timeline(request, library: str):
    library = library_get_for_user(user=request.user, slug=library)
    page = Paginator(sandbox.timeline_of(library), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/sandbox.html",
        {"library": library, "page": page, "entries": sandbox.entries(page.object_list)},
    )
