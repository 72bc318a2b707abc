"""Publishing on X: media (simple or chunked upload, alt text) then the post, the post
found again after an ambiguous failure, duplicates, delete."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

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
from networks.messages import Message
from networks.x.api import XApi, comparable, post_url

CHUNK_BYTES = 1024 * 1024

# Media processing (GIFs): X says when to check again; never wait longer than this.
PROCESSING_TIMEOUT = 120.0

PROCESSING_PACE = 1.0  # tests speed X's check_after_secs up

FIND_SLACK = timedelta(minutes=5)


class PostsMixin(XApi):
    """Media, publish, find, delete: the posting part of `XClient`."""

    # --- publishing ----------------------------------------------------------------------
    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        """Media first (an unused upload expires: harmless), alt text on each, then the
        post. X has no idempotency key; a repeated text is refused (403), which find()
        tells apart from a real repetition."""
        media_ids = [self._upload(account, image) for image in request.images]
        body: dict = {"text": request.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        try:
            response = self._call("POST", account, "/2/tweets", write=True, json=body)
        except PermanentError as exc:
            if exc.code != "duplicate" or request.created_at is None:
                raise
            earlier = self.find(account, request, since=request.created_at)
            if earlier is not None:
                return earlier
            raise
        post_id = str(response.json()["data"]["id"])
        return RemotePost(remote_id=post_id, url=post_url(account, post_id), published_at=utcnow())

    def _upload(self, account: Account, image: Image) -> str:
        if image.mime_type == "image/gif" or len(image.data) > CHUNK_BYTES * 4:
            media_id = self._upload_chunked(account, image)
        else:
            response = self._call(
                "POST",
                account,
                "/2/media/upload",
                data={"media_category": "tweet_image", "media_type": image.mime_type},
                files={"media": (image.filename, image.data, image.mime_type)},
            )
            media_id = str(response.json()["data"]["id"])
        if image.alt_text:
            self._call(
                "POST",
                account,
                "/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": image.alt_text}}},
            )
        return media_id

    def _upload_chunked(self, account: Account, image: Image) -> str:
        """initialize → append (1 MB segments) → finalize → STATUS until succeeded."""
        category = "tweet_gif" if image.mime_type == "image/gif" else "tweet_image"
        response = self._call(
            "POST",
            account,
            "/2/media/upload/initialize",
            json={
                "media_type": image.mime_type,
                "total_bytes": len(image.data),
                "media_category": category,
            },
        )
        media_id = str(response.json()["data"]["id"])
        for index, start in enumerate(range(0, len(image.data), CHUNK_BYTES)):
            self._call(
                "POST",
                account,
                f"/2/media/upload/{media_id}/append",
                data={"segment_index": str(index)},
                files={"media": (image.filename, image.data[start : start + CHUNK_BYTES])},
            )
        response = self._call("POST", account, f"/2/media/upload/{media_id}/finalize")
        self._wait_processed(account, media_id, response.json().get("data") or {})
        return media_id

    def _wait_processed(self, account: Account, media_id: str, data: dict) -> None:
        deadline = time.monotonic() + PROCESSING_TIMEOUT
        while True:
            info = data.get("processing_info") or {}
            state = info.get("state")
            if state in (None, "succeeded"):
                return
            if state == "failed":
                error = info.get("error") or {}
                raise PermanentError(
                    Message(
                        _("{network} : média refusé ({words})."),
                        network="X",
                        words=error.get("message") or error.get("name") or state,
                    ),
                    code="media_failed",
                )
            wait = min(float(info.get("check_after_secs") or 1), PROCESSING_TIMEOUT)
            if time.monotonic() + wait > deadline:
                raise TransientError(
                    Message(
                        _("{network} : le média est encore en cours de traitement."), network="X"
                    )
                )
            time.sleep(wait * PROCESSING_PACE)
            response = self._call(
                "GET",
                account,
                "/2/media/upload",
                params={"command": "STATUS", "media_id": media_id},
            )
            data = response.json().get("data") or {}

    def find(
        self, account: Account, request: PublishRequest, *, since: datetime
    ) -> RemotePost | None:
        """The account's posts since the first attempt whose text (URLs aside: X
        shows them as t.co links) and media count match."""
        response = self._call(
            "GET",
            account,
            f"/2/users/{account.remote_id}/tweets",
            params={
                "start_time": (since - FIND_SLACK).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "max_results": 100,
                "tweet.fields": "created_at,attachments",
            },
        )
        wanted = comparable(request.text)
        for post in response.json().get("data") or []:
            media = (post.get("attachments") or {}).get("media_keys") or []
            shown = comparable(post.get("text") or "", trailing_media_link=bool(media))
            if shown == wanted and len(media) == len(request.images):
                created = post.get("created_at")
                return RemotePost(
                    remote_id=str(post["id"]),
                    url=post_url(account, str(post["id"])),
                    published_at=datetime.fromisoformat(created.replace("Z", "+00:00"))
                    if created
                    else None,
                )
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        # An unknown or already deleted post answers {"deleted": false}: what we wanted.
        self._call("DELETE", account, f"/2/tweets/{post.remote_id}", write=True)
