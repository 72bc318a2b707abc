"""Publishing on a LinkedIn page: images (Images API) then the post (Posts API), the
post found again after an ambiguous failure, duplicates, delete."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from urllib.parse import quote

from django.utils.translation import gettext_noop as _

from networks.client import (
    Account,
    Image,
    PermanentError,
    PublishRequest,
    RemotePost,
    TransientError,
    utcnow,
)
from networks.linkedin.api import (
    LinkedInApi,
    _comparable,
    _http,
    _image_count,
    _ms,
    little,
    org_urn,
    post_url,
)
from networks.messages import Message

# Image processing: usually ready at once; tests shorten the delays.
POLL_DELAYS: tuple[float, ...] = (0.2, 0.5, 1, 2, 3, 5, 8, 13)

# Looking back this far before the first attempt (LinkedIn's clock against ours).
FIND_SLACK = timedelta(minutes=5)

_DUPLICATE_URN = re.compile(r"urn:li:(?:share|ugcPost):\d+")


class PostsMixin(LinkedInApi):
    """Publish, find, delete: the posting part of `LinkedInClient`."""

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        """Images first (initializeUpload, PUT the bytes, wait until AVAILABLE: an
        unused image is harmless), then one post: `content.media` for one image,
        `content.multiImage` for 2 to 20, `content.article` for a link alone."""
        images = [self._upload(account, image) for image in request.images]
        body: dict = {
            "author": org_urn(account),
            "commentary": little(request.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        elif request.link:
            body["content"] = {
                "article": {"source": request.link, "title": request.title or request.link}
            }
        try:
            response = self._request("POST", account, "/rest/posts", write=True, json=body)
        except PermanentError as exc:
            if exc.code != "DUPLICATE_POST":
                raise
            return self._duplicate(account, request, exc)
        urn = response.headers.get("x-restli-id") or ""
        return RemotePost(remote_id=urn, url=post_url(urn), published_at=utcnow())

    def _duplicate(
        self, account: Account, request: PublishRequest, exc: PermanentError
    ) -> RemotePost:
        """422 DUPLICATE_POST names the post it repeats. Made since our first attempt,
        it is that attempt (the answer was lost): it is the publication. Older, the
        library really repeats itself and LinkedIn refuses: permanent."""
        found = _DUPLICATE_URN.search(exc.message)
        if found and request.created_at is not None:
            try:
                post = self._request("GET", account, f"/rest/posts/{quote(found.group(), '')}")
            except PermanentError:
                post = None
            data = post.json() if post is not None else {}
            created = _ms(data.get("createdAt"))
            if created is not None and created >= request.created_at - FIND_SLACK:
                return RemotePost(
                    remote_id=found.group(), url=post_url(found.group()), published_at=created
                )
        raise PermanentError(
            Message(
                _("{message} (LinkedIn refuse de publier deux fois le même contenu)"),
                message=exc.message,
            ),
            status=exc.status,
            code=exc.code,
        )

    def _upload(self, account: Account, image: Image) -> dict:
        response = self._request(
            "POST",
            account,
            "/rest/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": org_urn(account)}},
        )
        value = response.json()["value"]
        # The upload URL is LinkedIn's media host: the token, no Rest.li headers.
        _http.request(
            "PUT",
            value["uploadUrl"],
            headers={
                "Authorization": f"Bearer {self._token(account)}",
                "Content-Type": "application/octet-stream",
            },
            data=image.data,
        )
        self._wait_available(account, value["image"], image)
        item = {"id": value["image"]}
        if image.alt_text:
            item["altText"] = image.alt_text
        return item

    def _wait_available(self, account: Account, urn: str, image: Image) -> None:
        for delay in (*POLL_DELAYS, None):
            response = self._request("GET", account, f"/rest/images/{quote(urn, '')}")
            status = response.json().get("status")
            if status == "AVAILABLE":
                return
            if status == "PROCESSING_FAILED":
                name = image.alt_text or image.filename
                raise PermanentError(
                    Message(
                        _("{network} : l'image « {name} » a été refusée (PROCESSING_FAILED)."),
                        network="LinkedIn",
                        name=name,
                    ),
                    code="PROCESSING_FAILED",
                )
            if delay is None:
                break
            time.sleep(delay)
        raise TransientError(
            Message(_("{network} : l'image est encore en cours de traitement."), network="LinkedIn")
        )

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The organization's latest posts (newest first) made since the first attempt,
        whose commentary and image count match: LinkedIn has no idempotency key."""
        response = self._request(
            "GET",
            account,
            f"/rest/posts?q=author&author={quote(org_urn(account), '')}&count=50&sortBy=CREATED",
        )
        wanted = _comparable(little(request.text))
        for post in response.json().get("elements") or []:
            created = _ms(post.get("createdAt"))
            if created is not None and created < since - FIND_SLACK:
                break
            if _comparable(post.get("commentary") or "") != wanted:
                continue
            if _image_count(post) == len(request.images):
                urn = str(post["id"])
                return RemotePost(remote_id=urn, url=post_url(urn), published_at=created)
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        try:
            self._request("DELETE", account, f"/rest/posts/{quote(post.remote_id, '')}", write=True)
        except PermanentError as exc:
            if exc.status != 404:  # already gone: what we wanted
                raise
