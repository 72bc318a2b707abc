"""`/l/<code>`: Annexe's short redirect (public, no login)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from metrics.links import click_record, link_get


def client_address(request: HttpRequest) -> str:
    """The visitor's address (hashed, never stored). Behind the HTTPS proxy, the last
    X-Forwarded-For entry is the one our proxy added; earlier ones can be forged."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


@never_cache
@require_safe
def short_link_redirect(request: HttpRequest, code: str):
    link = link_get(code)
    if link is None:
        raise Http404("Unknown link.")
    if request.method == "GET":
        click_record(
            link=link,
            address=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    response = HttpResponseRedirect(link.target_url)
    response["X-Robots-Tag"] = "noindex"
    return response
