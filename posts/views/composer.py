"""The composer: write a post, adapt it per network, save it as a draft at any time.

The live counters, checks and previews are rendered by `composer_check` as people type
(htmx, debounced); the rules themselves live in networks/ and posts.charter.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libraries.selectors import access_for
from networks import UnknownNetwork, get_network
from posts import composer, selectors, services
from posts.charter import charter_for
from posts.forms import PostFieldsForm
from posts.models import Post
from posts.rules import can_edit_post
from posts.views.common import current_library
from posts.views.recovery import keep_text_when_logged_out


@keep_text_when_logged_out
def post_new(request):
    return _compose(request, library=current_library(request), post=None)


@keep_text_when_logged_out
def post_edit(request, pk: int):
    return _compose(request, **_editable(request, pk))


def _editable(request, pk) -> dict:
    post = selectors.post_get_for_user(user=request.user, pk=pk)
    if not can_edit_post(access_for(request.user), request.user, post):
        raise PermissionDenied
    return {"library": post.library, "post": post}


def _compose(request, *, library, post: Post | None):
    if request.method != "POST":
        form = PostFieldsForm(library=library, initial=_initial(post) or _requested_time(request))
        return _render(request, library, post, form, composer.from_post(post))
    form = PostFieldsForm(request.POST, library=library)
    uploaded, refused = services.media_upload_many(
        library=library, by=request.user, files=request.FILES.getlist("upload")
    )
    composed = composer.parse(request.POST, library=library, extra_media=uploaded)
    if form.is_valid() and not refused and not composed.errors:
        saved = services.post_save_composed(
            by=request.user, fields=form.cleaned_data, composed=composed, library=library, post=post
        )
        messages.success(
            request,
            _("Brouillon enregistré.") if post is None else _("Modifications enregistrées."),
        )
        url = reverse("posts:edit", args=[saved.pk])
        return redirect(url + ("?created=1" if post is None else ""))
    return _render(request, library, post, form, composed, refused=refused, status=422)


def _initial(post: Post | None) -> dict:
    if post is None:
        return {}
    return {name: getattr(post, name) for name in PostFieldsForm.base_fields}


def _requested_time(request) -> dict:
    """?scheduled_at=2026-03-10T10:00 (the library's wall-clock time): the calendar's
    "click on an empty slot starts a new post at that time". Anything else is ignored."""
    value = request.GET.get("scheduled_at", "")[:16]
    try:
        dt.datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError:
        return {}
    return {"scheduled_at": value}


def _render(request, library, post, form, composed, *, refused=(), status=200):
    link = form.cleaned_data.get("link", "") if form.is_bound else post.link if post else ""
    charter = charter_for(library)
    event, offer = composer.event_and_offer(form)
    reports = composer.report(
        library=library,
        inp=composed,
        body=form["body"].value() or "",
        link=link or "",
        charter=charter,
        call_to_action=form["call_to_action"].value() or "",
        event=event,
        offer=offer,
    )
    context = {
        "form": form,
        "library": library,
        "post": post,
        "composed": composed,
        "groups": composer.target_groups(library, composed.targets),
        "chosen": {composer.target_value(t) for t in composed.targets},
        "charter": charter,
        "refused": refused,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        **_live_context(composed, reports, charter),
    }
    return render(request, "posts/composer.html", context, status=status)


def _live_context(composed, reports, charter=None) -> dict:
    return {
        "reports": reports,
        "panels": composer.panels(composed, reports, charter),
        "text_problems": composer.problems_for(reports, "text", severity="error"),
        "media_problems": composer.problems_for(reports, "media", "alt_text", group=True),
        "link_problems": composer.problems_for(reports, "link"),
        "event_problems": composer.problems_for(reports, "event"),
    }


def _live_input(request):
    """The library, the post (if any), the parsed form: shared by the live endpoints."""
    post_id = request.POST.get("post_id")
    if post_id:
        found = _editable(request, post_id)
        library, post = found["library"], found["post"]
    else:
        library, post = current_library(request), None
    form = PostFieldsForm(request.POST, library=library)
    form.is_valid()
    composed = composer.parse(request.POST, library=library)
    return library, post, form, composed


@keep_text_when_logged_out
@require_POST
def composer_check(request):
    """Counters, checks and previews for what is in the composer right now (htmx)."""
    library, post, form, composed = _live_input(request)
    event, offer = composer.event_and_offer(form)
    reports = composer.report(
        library=library,
        inp=composed,
        body=request.POST.get("body", ""),
        link=form.cleaned_data.get("link", ""),
        charter=charter_for(library),
        call_to_action=form.cleaned_data.get("call_to_action", ""),
        event=event,
        offer=offer,
    )
    context = {"composed": composed, "library": library, "post": post}
    return render(request, "posts/_composer_live.html", context | _live_context(composed, reports))


@keep_text_when_logged_out
@require_POST
def composer_utm(request):
    """Add UTM parameters to one link for one network (htmx): returns that network's tab
    with its text or link updated; the page then re-checks."""
    library, _post, form, composed = _live_input(request)
    try:
        network = get_network(request.POST.get("utm_network", ""))
    except UnknownNetwork as exc:
        raise Http404 from exc
    composer.add_utm_to_variant(
        composed,
        network_key=network.key,
        url=request.POST.get("utm_url", ""),
        body=request.POST.get("body", ""),
        link=form.cleaned_data.get("link", ""),
        campaign=composer.utm_campaign(editorial_line=form.cleaned_data.get("editorial_line")),
    )
    charter = charter_for(library)
    panel = composer.Panel(
        network=network,
        variant=composed.variants[network.key],
        targeted=True,
        reports=[],
        charter_html=charter.section_html(network.key) if charter else "",
    )
    response = render(
        request, "posts/_network_panel.html", {"panel": panel, "composed": composed, "active": True}
    )
    response["HX-Trigger"] = "composer-changed"
    return response
