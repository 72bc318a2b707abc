"""Background work of the posts app: thin tasks that load by id and call a service."""

from celery import shared_task

from networks import UnknownNetwork, get_network
from posts.models import Media
from posts.services.media import media_renditions_prepare


@shared_task(ignore_result=True)
def media_prepare_renditions(media_id: int, targets: list[list[str]]) -> None:
    """Make (and keep) a photo's renditions for [network, fit] pairs ahead of publishing,
    so the publishing engine finds them ready. Idempotent: kept renditions are reused;
    a network that cannot take the photo is skipped (the composer already said so)."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None:
        return
    known = []
    for network_key, fit in targets:
        try:
            get_network(network_key)
        except UnknownNetwork:
            continue
        known.append((network_key, fit or None))
    media_renditions_prepare(media=media, targets=known)
