"""Media upload and alt text on the fake X (API v2).

Sources: docs.x.com ``x-api/media/quickstart/media-upload-chunked`` and the
v2 media reference (``upload-media``, ``initialize-media-upload``,
``append-media-upload``, ``finalize-media-upload``, ``get-media-upload-
status``, ``create-media-metadata``); the v1.1 pages they replace for the
state machine:
- simple: ``POST /2/media/upload`` multipart ``media`` (+ ``media_category``
  ``tweet_image``, ``media_type``) → ``{"data": {"id", "media_key", "size",
  "expires_after_secs", "image": {"image_type", "w", "h"}}}``;
- chunked, both forms the docs show: ``command=INIT|APPEND|FINALIZE`` on
  ``POST /2/media/upload``, or ``POST /2/media/upload/initialize`` (JSON
  ``media_type``, ``total_bytes``, ``media_category``), ``…/{id}/append``
  (``segment_index``, ``media``), ``…/{id}/finalize``; videos and GIFs answer
  FINALIZE with ``processing_info {"state": "pending", "check_after_secs"}``
  and ``GET /2/media/upload?command=STATUS&media_id=`` goes ``pending →
  in_progress → succeeded | failed``; media cannot be posted before
  ``succeeded``;
- ``POST /2/media/metadata`` ``{"id", "metadata": {"alt_text": {"text"}}}``
  (at most 1000 characters) → ``{"data": {"associated_metadata": …}}``.
The APPEND answer and the error wording for unreadable files are unconfirmed.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from tests.fakes.remote_media import inspect_image
from tests.fakes.web import FakeRequest, FakeResponse, json_response
from tests.fakes.x_models import XMedia, XToken, invalid_request, problem

if TYPE_CHECKING:
    from tests.fakes.x import FakeX

ASYNC_CATEGORIES = ("tweet_video", "tweet_gif", "amplify_video", "dm_video", "dm_gif")


class XMediaMixin:
    """Upload (simple and chunked), STATUS, metadata; mixed into FakeX."""

    def _media_of(self: FakeX, media_id: str, token: XToken) -> XMedia | None:
        media = self.media.get(str(media_id))
        if media is None or media.owner != token.user_id or self.now() >= media.expires_at:
            return None
        return media

    def _media_data(self: FakeX, media: XMedia) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": media.id,
            "media_key": media.media_key,
            "size": media.total_bytes,
            "expires_after_secs": max(0, round(media.expires_at - self.now())),
        }
        if media.kind == "photo" and media.state == "succeeded":
            data["image"] = {"image_type": media.media_type, "w": media.width, "h": media.height}
        if media.state in ("pending", "in_progress", "failed") or (
            media.category in ASYNC_CATEGORIES and media.state == "succeeded"
        ):
            info: dict[str, Any] = {"state": media.state}
            if media.state in ("pending", "in_progress"):
                info["check_after_secs"] = self.config.check_after_secs
            if media.state == "in_progress":
                info["progress_percent"] = 50
            if media.state == "succeeded":
                info["progress_percent"] = 100
            if media.state == "failed":
                info["error"] = {
                    "code": 1,
                    "name": "InvalidMedia",
                    "message": media.error or "Unsupported media",
                }
            data["processing_info"] = info
        return data

    def _new_media(
        self: FakeX, token: XToken, media_type: str, category: str, total_bytes: int
    ) -> XMedia:
        now = self.now()
        media = XMedia(
            id=self.snowflake(),
            owner=token.user_id,
            media_type=media_type,
            category=category,
            total_bytes=total_bytes,
            created=now,
            expires_at=now + self.config.media_ttl,
        )
        self.media[media.id] = media
        return media

    def _check_image(self: FakeX, media: XMedia, data: bytes) -> FakeResponse | None:
        facts = inspect_image(data)
        if facts is None or facts.format not in self.config.image_formats:
            return invalid_request(
                "media type unrecognized.", {"media": ["media type unrecognized."]}
            )
        limit = self.config.gif_max_bytes if facts.format == "GIF" else self.config.image_max_bytes
        if len(data) > limit:
            return invalid_request(
                f"File size exceeds {limit} bytes.", {"media": ["File size exceeds the limit."]}
            )
        media.width, media.height = facts.width, facts.height
        media.media_type = facts.mime_type
        return None

    # -- simple upload, and the command= form ----------------------------------
    def media_upload(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        command = (request.arg("command") or "").upper()
        if command == "INIT":
            return self.media_initialize(request, token)
        if command in ("APPEND", "FINALIZE"):
            request.params["id"] = str(request.arg("media_id") or "")
            return (
                self.media_append(request, token)
                if command == "APPEND"
                else self.media_finalize(request, token)
            )
        upload = request.files.get("media")
        data = upload.data if upload else self._b64(request.arg("media_data"))
        if not data:
            return invalid_request("The `media` field is required.", {"media": ["required"]})
        category = request.arg("media_category") or "tweet_image"
        media = self._new_media(
            token,
            request.arg("media_type") or (upload.content_type if upload else ""),
            category,
            len(data),
        )
        problem_response = self._check_image(media, data)
        if problem_response:
            del self.media[media.id]
            return problem_response
        media.state = "succeeded"
        return json_response({"data": self._media_data(media)})

    @staticmethod
    def _b64(value: Any) -> bytes:
        if not value:
            return b""
        try:
            return base64.b64decode(value)
        except (binascii.Error, ValueError):
            return b""

    # -- chunked ---------------------------------------------------------------
    def media_initialize(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        media_type = request.arg("media_type") or ""
        try:
            total = int(request.arg("total_bytes") or 0)
        except ValueError:
            total = 0
        if not media_type or total <= 0:
            return invalid_request(
                "media_type and total_bytes are required.", {"total_bytes": ["required"]}
            )
        media = self._new_media(
            token, media_type, request.arg("media_category") or "tweet_image", total
        )
        return json_response(
            {
                "data": {
                    "id": media.id,
                    "media_key": media.media_key,
                    "expires_after_secs": round(media.expires_at - self.now()),
                }
            }
        )

    def media_append(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        media = self._media_of(request.params.get("id", ""), token)
        if media is None or media.state != "uploading":
            return invalid_request(
                "Invalid media_id.", {"media_id": [request.params.get("id", "")]}
            )
        try:
            index = int(request.arg("segment_index"))
        except (TypeError, ValueError):
            return invalid_request("segment_index is required.", {"segment_index": ["required"]})
        if not 0 <= index <= 999:
            return invalid_request(
                "segment_index must be between 0 and 999.", {"segment_index": [str(index)]}
            )
        upload = request.files.get("media")
        chunk = (
            upload.data if upload else self._b64(request.arg("media") or request.arg("media_data"))
        )
        media.segments[index] = chunk
        return json_response({"data": {"expires_at": int(media.expires_at)}})

    def media_finalize(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        media = self._media_of(request.params.get("id", ""), token)
        if media is None or media.state != "uploading":
            return invalid_request(
                "Invalid media_id.", {"media_id": [request.params.get("id", "")]}
            )
        data = b"".join(media.segments[i] for i in sorted(media.segments))
        if len(data) != media.total_bytes:
            return invalid_request(
                "File size is not the same as the total_bytes sent with INIT.",
                {"total_bytes": [str(media.total_bytes)]},
            )
        media.segments = {}
        if media.category in ASYNC_CATEGORIES or media.media_type.startswith("video/"):
            media.state = "pending"
            media.polls_left = self.config.processing_polls
        else:
            problem_response = self._check_image(media, data)
            if problem_response:
                media.state, media.error = "failed", "media type unrecognized."
                return problem_response
            media.state = "succeeded"
        return json_response({"data": self._media_data(media)})

    def media_status(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        if (request.arg("command") or "").upper() != "STATUS":
            return invalid_request(
                "command must be STATUS.", {"command": [request.arg("command") or ""]}
            )
        media = self._media_of(request.arg("media_id") or "", token)
        if media is None:
            return invalid_request(
                "Invalid media_id.", {"media_id": [request.arg("media_id") or ""]}
            )
        if media.state in ("pending", "in_progress"):
            if media.polls_left > 0:
                media.polls_left -= 1
                media.state = "in_progress"
            else:
                media.state = "succeeded"
        return json_response({"data": self._media_data(media)})

    # -- alt text --------------------------------------------------------------
    def media_metadata(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else {}
        media = self._media_of(str(body.get("id", "")), token)
        if media is None:
            return problem(
                400, f"Media id {body.get('id')} is invalid or has expired.", kind="invalid-request"
            )
        alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
        if not isinstance(alt, str):
            return invalid_request(
                "metadata.alt_text.text is required.", {"metadata.alt_text.text": ["required"]}
            )
        if len(alt) > self.config.alt_text_max:
            return invalid_request(
                f"Alt text must be {self.config.alt_text_max} characters or fewer.",
                {"metadata.alt_text.text": [alt[:20]]},
            )
        media.alt_text = alt
        return json_response(
            {"data": {"id": media.id, "associated_metadata": {"alt_text": {"text": alt}}}}
        )
