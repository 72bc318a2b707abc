""" "À valider": the posts waiting for me, and bulk approval."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from validation import pages, selectors, services

PAGE_SIZE = 50


@login_required
def queue(request):
    posts = pages.queue_rows(selectors.queue_for(request.user))
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    # The navigation badge shows the same count: do not count twice.
    request._validation_queue_count = page.paginator.count
    return render(request, "validation/queue.html", {"page": page, "now": timezone.now()})


@login_required
@require_POST
def bulk_approve(request):
    """Each ticked post goes through post_approve and its rules; the page reports
    what happened to each."""
    items = []
    for raw in request.POST.getlist("post"):
        if not raw.isdigit():
            continue
        items.append(
            services.BulkItem(
                post_id=int(raw),
                expected_state=request.POST.get(f"state-{raw}") or None,
                expected_step=request.POST.get(f"step-{raw}") or None,
                expected_fingerprint=request.POST.get(f"fingerprint-{raw}") or None,
            )
        )
    results = services.posts_bulk_approve(by=request.user, items=items)
    return render(request, "validation/bulk_result.html", {"results": results})
