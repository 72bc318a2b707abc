"""The calendar's panel on the post page: "Move to…" and "Add to queue".

Registered with the posts app's panel registry (posts.panels) when it exists.
"""

from __future__ import annotations

import importlib

from django.utils import timezone

from editorial_calendar.rules import move_refusal
from editorial_calendar.timeutil import tz_label
from libraries.selectors import access_for


def post_panel_context(request, post) -> dict:
    tz = post.library.tzinfo
    refusal = move_refusal(
        access_for(request.user),
        request.user,
        library_id=post.library_id,
        author_id=post.author_id,
        state=post.state,
    )
    local = post.scheduled_at.astimezone(tz) if post.scheduled_at else None
    return {
        "calendar_post": post,
        "calendar_refusal": refusal,
        "calendar_value": local.strftime("%Y-%m-%dT%H:%M") if local else "",
        "calendar_tz_label": tz_label(tz, post.scheduled_at or timezone.now()),
        "calendar_tz": tz.key,
        "calendar_next": request.get_full_path(),
    }


def register() -> None:
    try:
        panels = importlib.import_module("posts.panels")
    except ModuleNotFoundError:
        return  # the post page is not built yet
    panels.register_panel(
        key="calendar",
        template="editorial_calendar/_post_panel.html",
        context=post_panel_context,
        order=30,
    )
