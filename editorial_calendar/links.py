"""Links from the calendar to the posts app's pages.

The post page is `/posts/<id>/` and the composer `posts:new` (cross-app
contract); the URL pattern is reversed once and filled per post, so thousands
of events cost no thousands of reverse() calls.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

_PLACEHOLDER = 987654321


def post_url_pattern() -> str:
    """ "/posts/{id}/" with a {id} placeholder."""
    try:
        url = reverse("posts:detail", kwargs={"pk": _PLACEHOLDER})
    except NoReverseMatch:
        url = f"/posts/{_PLACEHOLDER}/"
    return url.replace(str(_PLACEHOLDER), "{id}")


def post_url(pk: int) -> str:
    return post_url_pattern().replace("{id}", str(pk))


def new_post_url(scheduled_at_local: str = "", library_id: int | None = None) -> str:
    """The composer, starting at a wall-clock time of the library ("2026-03-10T10:00")."""
    try:
        url = reverse("posts:new")
    except NoReverseMatch:
        url = "/posts/new/"
    params = {}
    if scheduled_at_local:
        params["scheduled_at"] = scheduled_at_local
    if library_id:
        params["library"] = library_id
    return f"{url}?{urlencode(params)}" if params else url
