"""Background work of the posts app: thin tasks that load by id and call a service."""

from celery import shared_task

from networks import UnknownNetwork
from posts.images import RenditionImpossible
from posts.models import Media
from posts.services.media import media_rendition_get


@shared_task(ignore_result=True)
def media_prepare_renditions(media_id: int, targets: list[list[str]]) -> None:
    """Make (and keep) a photo's renditions for [network, fit] pairs ahead of publishing,
    so the publishing engine finds them ready. Idempotent: kept renditions are reused;
    a network that cannot take the photo is skipped (the composer already said so)."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None:
        return
    for network_key, fit in targets:
        try:
            media_rendition_get(media=media, network_key=network_key, fit=fit or None)
        except (RenditionImpossible, UnknownNetwork):
            continue
