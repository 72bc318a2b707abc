"""The Website feed's public pages: RSS, Atom, JSON Feed, the widget and item pages.

Public and read-only: no login, addressed by the account's unguessable `feed_token`
(an administrator can change it). Only the widget may be framed by other sites.
"""

from __future__ import annotations

import uuid

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from publishing import feeds
from publishing.account_selectors import website_account_by_token
from publishing.models import Publication, PublicationKind, PublicationState

CACHE_SECONDS = 300
WIDGET_LENGTH = 10


def _feed(request, token: str, *, limit: int = feeds.FEED_LENGTH):
    account = website_account_by_token(token)
    items = [
        feeds.item_for(p, request.build_absolute_uri)
        for p in feeds.published_on(account, limit=limit)
    ]
    urls = {
        name: request.build_absolute_uri(reverse(f"publishing:feed_{name}", args=[token]))
        for name in ("rss", "atom", "json", "widget")
    }
    info = feeds.FeedInfo(
        title=_("Les actualités de %(library)s") % {"library": account.library.name},
        description=_("Les publications de %(library)s.") % {"library": account.library.name},
        home_page_url=account.settings.get("home_page_url") or urls["widget"],
        urls=urls,
    )
    return account, info, items


def _cached(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def feed_rss(request, token: str):
    _account, info, items = _feed(request, token)
    body = feeds.syndication("rss", info, items)
    return _cached(HttpResponse(body, content_type="application/rss+xml; charset=utf-8"))


@require_safe
def feed_atom(request, token: str):
    _account, info, items = _feed(request, token)
    body = feeds.syndication("atom", info, items)
    return _cached(HttpResponse(body, content_type="application/atom+xml; charset=utf-8"))


@require_safe
def feed_json(request, token: str):
    _account, info, items = _feed(request, token)
    response = JsonResponse(
        feeds.json_feed(info, items),
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    return _cached(response)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def feed_widget(request, token: str):
    """The embeddable widget: the latest posts, framed by any site."""
    account, info, items = _feed(request, token, limit=WIDGET_LENGTH)
    response = render(
        request,
        "publishing/widget.html",
        {"account": account, "info": info, "items": items},
    )
    return _cached(response)


@require_safe
def feed_items(request):
    raise Http404("Items have their own addresses.")


@require_safe
def feed_item(request, key: str):
    """One published item's public page (the address WebsiteClient gives it)."""
    found = Publication.objects.filter(
        network="website",
        kind=PublicationKind.POST,
        state=PublicationState.PUBLISHED,
        remote_deleted_at__isnull=True,
        account__feed_token__isnull=False,
    ).select_related("account__library", "post")
    publication = found.filter(key=key).first()
    if publication is None:
        try:
            publication = found.filter(uuid=uuid.UUID(key)).first()
        except ValueError:
            publication = None
    if publication is None:
        raise Http404("No such item.")
    item = feeds.item_for(publication, request.build_absolute_uri)
    return _cached(
        render(
            request,
            "publishing/feed_item.html",
            {"item": item, "library": publication.account.library},
        )
    )
