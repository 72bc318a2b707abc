"""What a publication sends: the client's Account, and the PublishRequest built from
the post's content for this account (final text, renditions with their own alt text,
the link and the links typed in the text through the registered link rewriters)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from networks.base import VariantInput
from networks.client import Account, Event, Image, Offer, PublishRequest, RemotePost
from posts.published_links import replace_links
from posts.selectors import content_for_target, network_for
from posts.services.media import media_rendition_get
from publishing.hooks import rewrite_link
from publishing.models import Publication, SocialAccount
from publishing.public_media import public_media_url, rendition_filename


def client_account(account: SocialAccount) -> Account:
    """The client's view of an account; refreshed credentials are saved encrypted."""

    def save(credentials: dict) -> None:
        SocialAccount.objects.filter(pk=account.pk).update(
            credentials=credentials, updated_at=timezone.now()
        )
        account.credentials = credentials

    def reload() -> dict:
        account.refresh_from_db(fields=["credentials"])
        return dict(account.credentials or {})

    return Account(
        network=account.network,
        server_url=account.server_url.rstrip("/"),
        handle=account.handle,
        remote_id=account.remote_id,
        credentials=dict(account.credentials or {}),
        settings=dict(account.settings or {}),
        on_credentials_changed=save,
        reload_credentials=reload,
    )


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL.rstrip("/") + url


def publish_request_for(publication: Publication) -> PublishRequest:
    """The request for a publication of kind "post". Deterministic: a retry sends the
    same text (the reconciliation compares it) under the same key."""
    post, account = publication.post, publication.account
    network = network_for(network_key=publication.network, account=account)
    content = content_for_target(post=post, network_key=publication.network, account=account)
    link = rewrite_link(publication, content.link) if content.link else ""
    # Every http(s) link typed in the text too (not those inside hashtags or mentions):
    # the same links the composer measured in their rewritten form.
    text = replace_links(content.text, lambda url: rewrite_link(publication, url))
    if content.link and link != content.link:
        text = text.replace(content.link, link)
    final = network.final_text(VariantInput(text=text, link=link))
    client = network.client()
    images = []
    for media in content.media:
        rendition = media_rendition_get(
            media=media, network_key=publication.network, account=account, fit=content.image_fit
        )
        with rendition.file.open("rb") as stored:
            data = stored.read()
        if client.needs_public_image_urls:
            # Meta and Google download the image themselves: a signed URL, valid
            # while this publication is sent and a while after (public_media).
            url = public_media_url(publication=publication, rendition=rendition)
        else:
            url = _absolute(media.file.url)
        images.append(
            Image(
                data=data,
                mime_type=rendition.mime_type,
                alt_text=media.alt_text,
                width=rendition.width,
                height=rendition.height,
                filename=rendition_filename(rendition),
                url=url,
            )
        )
    options = account.settings or {}
    event = None
    if post.event_title and post.event_starts_at and post.event_ends_at:
        # Networks take the event's civil time, as the library's people read it.
        zone = post.library.tzinfo
        event = Event(
            title=post.event_title,
            start=post.event_starts_at.astimezone(zone),
            end=post.event_ends_at.astimezone(zone),
        )
    offer = None
    if event is not None and post.is_offer:
        offer = Offer(
            coupon_code=post.offer_coupon_code,
            redeem_url=post.offer_redeem_url,
            terms=post.offer_terms,
        )
    return PublishRequest(
        key=publication.key,
        text=final,
        images=tuple(images),
        link=link,
        language=options.get("language", "fr"),
        # The post's own warning; else the account's, if one was ever set.
        content_warning=content.content_warning or options.get("content_warning", ""),
        visibility=options.get("visibility", ""),
        created_at=publication.first_attempt_at or timezone.now(),
        event=event,
        offer=offer,
        call_to_action=post.call_to_action,
    )


def remote_of(publication: Publication) -> RemotePost:
    """The remote post a publication holds (to delete it, or to repost it)."""
    return RemotePost(
        remote_id=publication.remote_id,
        url=publication.remote_url,
        published_at=publication.published_at,
        data=dict(publication.remote_data or {}),
    )
