"""Moving a post: drag and drop (JSON), "Move to…" and "Add to queue" (forms or JSON).

Both answer JSON when asked for it (the calendar's script) and otherwise go
back to the page the form was on, with the outcome as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editorial_calendar import services
from editorial_calendar.links import post_url
from editorial_calendar.timeutil import BadDate, parse_instant, parse_timezone, wall_iso
from posts.selectors import post_get_for_user


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request, post):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = post_url(post.pk)
    return redirect(target)


def _answer(request, post, *, ok: bool, message: str, status: int = 200):
    if _wants_json(request):
        body = {"ok": ok, "message": message} if ok else {"ok": False, "error": message}
        if ok:
            tz = post.library.tzinfo
            body["start"] = wall_iso(post.scheduled_at, tz)
        return JsonResponse(body, status=status)
    (messages.success if ok else messages.error)(request, message)
    return _back(request, post)


def _done_message(post) -> str:
    local = post.scheduled_at.astimezone(post.library.tzinfo)
    return _("« %(title)s » est prévue le %(when)s (heure de %(tz)s).") % {
        "title": post.title,
        "when": formats.date_format(local, "DATETIME_FORMAT"),
        "tz": post.library.timezone,
    }


@login_required
@require_POST
def post_move(request, pk: int):
    """Reschedule a post to a wall-clock time of `timezone` (default: the post's library)."""
    post = post_get_for_user(user=request.user, pk=pk)
    try:
        tz = parse_timezone(request.POST.get("timezone"), post.library.tzinfo)
        when = parse_instant(request.POST.get("scheduled_at"), tz, field=_("date de publication"))
    except BadDate as exc:
        return _answer(request, post, ok=False, message=str(exc), status=400)
    try:
        post = services.post_reschedule(post=post, by=request.user, scheduled_at=when)
    except services.MoveRefused as exc:
        return _answer(request, post, ok=False, message=str(exc), status=409)
    return _answer(request, post, ok=True, message=_done_message(post))


@login_required
@require_POST
def post_queue(request, pk: int):
    """Put the post in the next slot free on all its targets."""
    post = post_get_for_user(user=request.user, pk=pk)
    try:
        post = services.post_add_to_queue(post=post, by=request.user)
    except services.MoveRefused as exc:
        return _answer(request, post, ok=False, message=str(exc), status=409)
    return _answer(request, post, ok=True, message=_done_message(post))
