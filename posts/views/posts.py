"""The posts list and the post page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from libraries.selectors import access_for
from posts import selectors
from posts.forms import PostFilterForm
from posts.panels import render_panels
from posts.rules import can_edit_post
from posts.views.common import current_library, network_choices

PAGE_SIZE = 25


@login_required
def post_list(request):
    library = current_library(request)
    form = PostFilterForm(
        request.GET or None,
        lines=selectors.editorial_lines_for(library, active_only=False),
        authors=selectors.authors_of(user=request.user, library=library),
        networks=network_choices(),
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.PostFilters(**{k: v for k, v in data.items() if v})
    posts = selectors.posts_list(user=request.user, library=library, filters=filters)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "posts/list.html",
        {"library": library, "form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def post_detail(request, pk: int):
    post = selectors.post_detail_for_user(user=request.user, pk=pk)
    return render(
        request,
        "posts/detail.html",
        {
            "post": post,
            "can_edit": can_edit_post(access_for(request.user), request.user, post),
            "panels": render_panels(request, post),
        },
    )
