"""Events (staff pages) and their public survey (`/metrics/s/<token>/`, no login)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.selectors import library_scope_ids, object_get_for_user, scope
from metrics import events as services
from metrics.forms import AttendanceForm, EventForm, SurveyForm
from metrics.models import Event
from metrics.views.links import client_address
from posts.models import Post
from posts.views.common import current_library

SURVEY_COOKIE_AGE = 60 * 60 * 24 * 60


def _event(request, pk: int) -> Event:
    return object_get_for_user(Event.objects.select_related("library"), user=request.user, pk=pk)


def _survey_url(request, event: Event) -> str:
    return request.build_absolute_uri(
        reverse("metrics:survey", kwargs={"token": event.survey_token})
    )


def _postable(request, library_ids: list[int]):
    """Posts one may link to an event: those of these libraries from the last year on."""
    since = timezone.now() - dt.timedelta(days=365)
    posts = scope(Post.objects.all(), request.user).filter(library_id__in=library_ids)
    return posts.filter(scheduled_at__gte=since).order_by("-scheduled_at")


@login_required
@require_GET
def event_list(request):
    library = current_library(request)
    events = services.events_for(library_ids=library_scope_ids(user=request.user, library=library))
    return render(request, "metrics/events.html", {"library": library, "events": events})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int | None = None):
    event = _event(request, pk) if pk else None
    library = event.library if event else current_library(request)
    posts = _postable(request, library_scope_ids(user=request.user, library=library))
    form = EventForm(request.POST or None, instance=event, library=library, posts=posts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        linked = data.pop("posts")
        if event is None:
            event = services.event_create(library=library, by=request.user, posts=linked, **data)
        else:
            services.event_update(event=event, posts=linked, **data)
        messages.success(request, _("Événement enregistré."))
        return redirect("metrics:event_detail", pk=event.pk)
    return render(
        request, "metrics/event_form.html", {"form": form, "event": event, "library": library}
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request, pk: int):
    event = _event(request, pk)
    form = AttendanceForm(request.POST or None, initial={"attendance": event.attendance})
    if request.method == "POST" and form.is_valid():
        services.event_record_attendance(
            event=event, by=request.user, attendance=form.cleaned_data["attendance"]
        )
        messages.success(request, _("Participation enregistrée."))
        return redirect("metrics:event_detail", pk=event.pk)
    survey_url = _survey_url(request, event)
    results = services.survey_results(event)
    return render(
        request,
        "metrics/event_detail.html",
        {
            "event": event,
            "form": form,
            "results": results,
            "answers": sum(row.count for row in results),
            "survey_url": survey_url,
            "posts": event.posts.order_by("-scheduled_at"),
        },
    )


@login_required
@require_POST
def event_survey_toggle(request, pk: int):
    event = _event(request, pk)
    services.event_set_survey_open(event=event, is_open=request.POST.get("open") == "1")
    return redirect("metrics:event_detail", pk=event.pk)


@login_required
@require_GET
def event_qr(request, pk: int):
    event = _event(request, pk)
    url = _survey_url(request, event)
    response = HttpResponse(services.qr_svg(url), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="questionnaire-{event.pk}.svg"'
    return response


@login_required
@require_GET
def event_poster(request, pk: int):
    """A page to print: the question, the QR code and the address."""
    event = _event(request, pk)
    url = _survey_url(request, event)
    return render(
        request,
        "metrics/event_poster.html",
        {"event": event, "survey_url": url, "question": services.SURVEY_QUESTION},
    )


def _cookie_name(event: Event) -> str:
    return f"annexe_survey_{event.pk}"


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    """The public, anonymous one-question survey of an event (CSRF-protected form)."""
    event = services.survey_event_get(token)
    if event is None:
        raise Http404("Unknown survey.")
    answered = request.get_signed_cookie(_cookie_name(event), default="", salt="survey") == "1"
    form = SurveyForm(request.POST or None, choices=services.survey_choices(event.library))
    context = {"event": event, "form": form, "question": services.SURVEY_QUESTION}
    if answered or not event.survey_open:
        return render(request, "metrics/survey_done.html", {**context, "answered": answered})
    if request.method == "POST" and form.is_valid():
        services.survey_answer(
            event=event, channel=form.cleaned_data["channel"], address=client_address(request)
        )
        # Thanks either way: a refused answer (cap reached) is not the visitor's fault.
        response = render(request, "metrics/survey_done.html", {**context, "answered": True})
        response.set_signed_cookie(
            _cookie_name(event),
            "1",
            salt="survey",
            max_age=SURVEY_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            path=request.path,
        )
        return response
    return render(request, "metrics/survey.html", context)
