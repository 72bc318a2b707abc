"""Pause and resume a library's publishing (administrators)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from libraries.selectors import library_get_for_user
from publishing import services
from publishing.models import PublishingPause
from publishing.services.pause import CANCEL, PUBLISH_NOW, RESCHEDULE


@login_required
def pause_current(request):
    """The settings entry: the pause page of the library being worked in."""
    if request.library is None:
        raise Http404("No library.")
    return redirect("publishing:pause", slug=request.library.slug)


@login_required
@require_http_methods(["GET", "POST"])
def pause_page(request, slug: str):
    library = library_get_for_user(user=request.user, slug=slug, min_role="administrator")
    if request.method == "POST":
        try:
            services.publishing_pause(
                library=library,
                by=request.user,
                reason=request.POST.get("reason", ""),
                include_branches=bool(request.POST.get("include_branches")),
            )
            messages.success(request, _("Les publications sont en pause."))
            return redirect("publishing:pause", slug=library.slug)
        except services.PauseError as exc:
            messages.error(request, str(exc))
    active = PublishingPause.objects.filter(library=library, ended_at__isnull=True).first()
    return render(request, "publishing/pause.html", {"library": library, "active": active})


def _decisions(post_data, tz) -> dict:
    decisions = {}
    for name, choice in post_data.items():
        if not name.startswith("choice-"):
            continue
        post_id = int(name.removeprefix("choice-"))
        when = None
        raw = post_data.get(f"when-{post_id}", "")
        if choice == RESCHEDULE and raw:
            when = dt.datetime.fromisoformat(raw).replace(tzinfo=tz)
        decisions[post_id] = (choice, when)
    return decisions


@login_required
@require_http_methods(["GET", "POST"])
def resume_page(request, slug: str):
    library = library_get_for_user(user=request.user, slug=slug, min_role="administrator")
    pause = PublishingPause.objects.filter(library=library, ended_at__isnull=True).first()
    if pause is None:
        return redirect("publishing:pause", slug=library.slug)
    if request.method == "POST":
        try:
            services.publishing_resume(
                pause=pause, by=request.user, decisions=_decisions(request.POST, library.tzinfo)
            )
            messages.success(request, _("Les publications reprennent."))
            return redirect("publishing:pause", slug=library.slug)
        except (services.PauseError, ValueError) as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "publishing/resume.html",
        {
            "library": library,
            "pause": pause,
            "overdue": services.overdue_posts(pause=pause, now=timezone.now()),
            "choices": [
                (PUBLISH_NOW, _("Publier maintenant")),
                (RESCHEDULE, _("Reprogrammer")),
                (CANCEL, _("Annuler")),
            ],
        },
    )
