"""Renditions served to the networks that download images themselves (Meta): no
login, a signed and expiring URL (publishing.public_media)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from publishing.public_media import PublicMediaGone, PublicMediaNotFound, public_media_get


@require_safe
def public_media(request, token: str, filename: str):
    try:
        found = public_media_get(token=token, filename=filename)
    except PublicMediaNotFound as exc:
        raise Http404("No such media.") from exc
    except PublicMediaGone:
        return HttpResponse("Gone.", status=410, content_type="text/plain; charset=utf-8")
    rendition = found.rendition
    response = FileResponse(
        rendition.file.open("rb"), content_type=rendition.mime_type, filename=found.filename
    )
    response["Content-Disposition"] = f'inline; filename="{found.filename}"'
    # Neither shared caches nor browsers keep it: the URL is valid for minutes only.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response
