"""The dashboard (`/metrics/`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from posts.views.common import current_library


@login_required
def dashboard(request):
    library = current_library(request)
    return render(request, "metrics/dashboard.html", {"library": library})
