"""Media, statuses, boosts and who-liked lists of the fake Mastodon.

Sources (mastodon/documentation unless noted):
- ``methods/media.md``: POST /api/v2/media answers 200 (processed) or 202
  (``url`` null); GET /api/v1/media/:id answers 206 while processing, 200 when
  ready; media already attached to a status is 404 for GET/PUT.
- ``methods/statuses.md``: create/show/index/delete/reblog/favourited_by/
  reblogged_by, the 401/404/422 bodies, ``Idempotency-Key`` kept 1 hour,
  ``limit`` default 40 max 80 for account lists, ``Link`` pagination.
- mastodon ``app/services/post_status_service.rb``: the idempotency key is per
  account and checked before any validation; a replay of a deleted status is
  404; media errors ("Cannot attach files that have not finished processing.
  Try again in a moment!") are raised as ValidationError and rendered
  ``{"error": message}`` with 422.
- mastodon ``app/controllers/api/v1/statuses_controller.rb``: GET
  /api/v1/statuses with more than 20 ``id[]`` is 422; missing ids are skipped.
- mastodon ``app/services/reblog_service.rb``: boosting twice returns the
  existing boost.
- ``api/guidelines.md#pagination``: the ``next`` link is emitted when a page
  is full, so the last page of a walk may be empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.fakes.mastodon_entities import Media, Status, Token, content_html, countable_length, iso
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.mastodon import FakeMastodon

NOT_FOUND = {"error": "Record not found"}
NOT_READY = "Cannot attach files that have not finished processing. Try again in a moment!"
VISIBILITIES = ("public", "unlisted", "private", "direct")
TRUE_VALUES = {"1", "true", "on", "yes", "t"}
STATUSES_INDEX_LIMIT = 20  # Api::BaseController::DEFAULT_STATUSES_LIMIT


def truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_VALUES


def _clamp_limit(value: Any, default: int, maximum: int) -> int:
    try:
        limit = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(limit, maximum))


class MastodonStatusesMixin:
    """Routes for media and statuses; mixed into ``FakeMastodon``."""

    # -- serialisation ---------------------------------------------------------
    def serialize_status(
        self: FakeMastodon,
        status: Status,
        *,
        with_source: bool = False,
        viewer_id: str | None = None,
    ) -> dict[str, Any]:
        """``viewer_id``: the account of the token, for the viewer-relative flags
        (``reblogged``: "have you boosted this status?", entities/Status.md)."""
        account = self.accounts[status.account_id]
        reblog = self.statuses.get(status.reblog_of_id) if status.reblog_of_id else None
        url = f"{self.url}/@{account.username}/{status.id}"
        data: dict[str, Any] = {
            "id": status.id,
            "created_at": iso(status.created_at),
            "in_reply_to_id": status.in_reply_to_id,
            "in_reply_to_account_id": (
                self.statuses[status.in_reply_to_id].account_id
                if status.in_reply_to_id in self.statuses
                else None
            ),
            "sensitive": status.sensitive,
            "spoiler_text": status.spoiler_text,
            "visibility": status.visibility,
            "language": status.language,
            "uri": f"{self.url}/users/{account.username}/statuses/{status.id}",
            "url": None if reblog else url,
            "replies_count": status.replies_count,
            "reblogs_count": status.reblogs_count,
            "favourites_count": status.favourites_count,
            "edited_at": None,
            "favourited": False,
            "reblogged": self._boosted_by(reblog or status, viewer_id),
            "muted": False,
            "bookmarked": False,
            "pinned": False,
            "content": "" if reblog else content_html(status.text),
            "filtered": [],
            "reblog": self.serialize_status(reblog) if reblog else None,
            "application": {"name": status.application, "website": None}
            if status.application
            else None,
            "account": account.serialize(self.url, self._statuses_count(account.id)),
            "media_attachments": [
                self.media[m].serialize(self.url, self.now())
                for m in status.media_ids
                if m in self.media
            ],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": None,
            "poll": None,
        }
        if with_source:
            data["text"] = status.text
        return data

    def _boosted_by(self: FakeMastodon, status: Status, viewer_id: str | None) -> bool:
        return viewer_id is not None and any(
            s.reblog_of_id == status.id and s.account_id == viewer_id and not s.deleted
            for s in self.statuses.values()
        )

    def _statuses_count(self: FakeMastodon, account_id: str) -> int:
        return self.status_counts.get(account_id, 0)

    def _store(self: FakeMastodon, status: Status) -> None:
        # A counter, not a scan: serialising a status must stay O(1) for benchmarks.
        self.statuses[status.id] = status
        self.status_counts[status.account_id] = self._statuses_count(status.account_id) + 1

    def _mark_deleted(self: FakeMastodon, status: Status) -> None:
        if not status.deleted:
            status.deleted_at = self.now()
            self.status_counts[status.account_id] = self._statuses_count(status.account_id) - 1

    # -- media -----------------------------------------------------------------
    def create_media(
        self: FakeMastodon, request: FakeRequest, token: Token, *, v2: bool
    ) -> FakeResponse:
        upload = request.files.get("file")
        supported = self.instance_config["media_attachments"]["supported_mime_types"]
        if upload is None or upload.content_type not in supported:
            return json_response(
                {"error": "Validation failed: File content type is invalid, File is invalid"}, 422
            )
        limit = self.instance_config["media_attachments"]["image_size_limit"]
        if upload.content_type.startswith("image/") and len(upload.data) > limit:
            return json_response(
                {"error": f"Validation failed: File file size must be less than {limit >> 20} MB"},
                422,
            )
        description = request.arg("description")
        problem = self._check_description(description)
        if problem:
            return problem
        now = self.now()
        processing = self.media_processing_seconds if v2 else 0.0
        media = Media(
            id=self.next_id(),
            account_id=token.account_id or "",
            filename=upload.filename or "file",
            content_type=upload.content_type,
            size=len(upload.data),
            description=description,
            focus=request.arg("focus"),
            uploaded_at=now,
            ready_at=now + processing,
        )
        self.media[media.id] = media
        return json_response(media.serialize(self.url, now), 202 if processing > 0 else 200)

    def _check_description(self: FakeMastodon, description: str | None) -> FakeResponse | None:
        limit = self.instance_config["media_attachments"]["description_limit"]
        if description and len(description) > limit:
            return json_response(
                {
                    "error": "Validation failed: Description is too long "
                    f"(maximum is {limit} characters)"
                },
                422,
            )
        return None

    def _own_unattached_media(self: FakeMastodon, media_id: str, token: Token) -> Media | None:
        media = self.media.get(media_id)
        if media is None or media.account_id != token.account_id or media.status_id is not None:
            return None
        return media

    def get_media(self: FakeMastodon, request: FakeRequest, token: Token) -> FakeResponse:
        media = self._own_unattached_media(request.params["id"], token)
        if media is None:
            return json_response(NOT_FOUND, 404)
        now = self.now()
        return json_response(media.serialize(self.url, now), 200 if now >= media.ready_at else 206)

    def update_media(self: FakeMastodon, request: FakeRequest, token: Token) -> FakeResponse:
        media = self._own_unattached_media(request.params["id"], token)
        if media is None:
            return json_response(NOT_FOUND, 404)
        description = request.arg("description", media.description)
        problem = self._check_description(description)
        if problem:
            return problem
        media.description = description
        media.focus = request.arg("focus", media.focus)
        now = self.now()
        return json_response(media.serialize(self.url, now), 200 if now >= media.ready_at else 206)

    def delete_media(self: FakeMastodon, request: FakeRequest, token: Token) -> FakeResponse:
        media = self._own_unattached_media(request.params["id"], token)
        if media is None:
            return json_response(NOT_FOUND, 404)
        del self.media[media.id]
        return json_response({})

    # -- statuses --------------------------------------------------------------
    def create_status(self: FakeMastodon, request: FakeRequest, token: Token) -> FakeResponse:
        account_id = token.account_id or ""
        key = request.header("idempotency-key")
        now = self.now()
        if key:
            known = self.idempotency.get((account_id, key))
            if known and known[1] > now:
                original = self.statuses.get(known[0])
                if original is None or original.deleted:
                    return json_response(NOT_FOUND, 404)
                return json_response(self.serialize_status(original))
        if request.arg("scheduled_at"):
            # Annexe schedules posts itself; the fake does not model ScheduledStatus.
            return json_response({"error": "fake Mastodon: scheduled_at is not supported"}, 422)
        media_ids = [str(m) for m in request.arg_list("media_ids")]
        problem = self._check_status_media(media_ids, account_id, now)
        if problem:
            return problem
        # Status#prepare_contents strips both before validating.
        text = (request.arg("status") or "").strip()
        spoiler = (request.arg("spoiler_text") or "").strip()
        sensitive = truthy(request.arg("sensitive")) or bool(spoiler)
        if not text and spoiler:
            # PostStatusService#preprocess_attributes!: the warning becomes the text.
            text, spoiler = spoiler, ""
        if not text.strip() and not media_ids:
            return json_response({"error": "Validation failed: Text can't be blank"}, 422)
        limit = self.instance_config["statuses"]["max_characters"]
        if countable_length(text, spoiler) > limit:
            return json_response(
                {"error": f"Validation failed: Text character limit of {limit} exceeded"}, 422
            )
        visibility = request.arg("visibility") or "public"
        if visibility not in VISIBILITIES:
            return json_response({"error": f"'{visibility}' is not a valid visibility"}, 422)
        reply_to = request.arg("in_reply_to_id")
        if reply_to and (reply_to not in self.statuses or self.statuses[reply_to].deleted):
            return json_response(
                {"error": "The post you are trying to reply to does not appear to exist."}, 404
            )
        status = Status(
            id=self.next_id(),
            account_id=account_id,
            text=text,
            created_at=now,
            visibility=visibility,
            sensitive=sensitive,
            spoiler_text=spoiler,
            language=request.arg("language") or "en",
            media_ids=media_ids,
            in_reply_to_id=reply_to,
            application=self.apps[token.client_id].name if token.client_id in self.apps else None,
            idempotency_key=key or None,
        )
        self._store(status)
        for media_id in media_ids:
            self.media[media_id].status_id = status.id
        if reply_to:
            self.statuses[reply_to].replies_count += 1
        if key:
            self.idempotency[(account_id, key)] = (status.id, now + self.idempotency_ttl)
        return json_response(self.serialize_status(status))

    def _check_status_media(
        self: FakeMastodon, media_ids: list[str], account_id: str, now: float
    ) -> FakeResponse | None:
        if not media_ids:
            return None
        maximum = self.instance_config["statuses"]["max_media_attachments"]
        if len(media_ids) > maximum:
            return json_response({"error": f"Cannot attach more than {maximum} files"}, 422)
        missing = [
            m
            for m in media_ids
            if m not in self.media
            or self.media[m].account_id != account_id
            or self.media[m].status_id is not None
        ]
        if missing:
            return json_response(
                {
                    "error": f"Media {', '.join(missing)} not found or already attached "
                    "to another post"
                },
                422,
            )
        if any(self.media[m].ready_at > now for m in media_ids):
            return json_response({"error": NOT_READY}, 422)
        return None

    def _visible(self: FakeMastodon, status: Status | None, token: Token | None) -> bool:
        if status is None or status.deleted:
            return False
        if status.visibility in ("public", "unlisted"):
            return True
        return token is not None and token.account_id == status.account_id

    def get_status(self: FakeMastodon, request: FakeRequest, token: Token | None) -> FakeResponse:
        status = self.statuses.get(request.params["id"])
        if not self._visible(status, token):
            return json_response(NOT_FOUND, 404)
        viewer = token.account_id if token else None
        return json_response(self.serialize_status(status, viewer_id=viewer))

    def list_statuses(
        self: FakeMastodon, request: FakeRequest, token: Token | None
    ) -> FakeResponse:
        if not self.batch_lookup:
            return json_response(NOT_FOUND, 404)
        ids = list(dict.fromkeys(str(i) for i in request.arg_list("id")))
        if len(ids) > STATUSES_INDEX_LIMIT:
            return json_response({"error": "Mastodon::ValidationError"}, 422)
        found = [self.statuses.get(i) for i in ids]
        return json_response([self.serialize_status(s) for s in found if self._visible(s, token)])

    def delete_status_route(self: FakeMastodon, request: FakeRequest, token: Token) -> FakeResponse:
        status = self.statuses.get(request.params["id"])
        if status is None or status.deleted or status.account_id != token.account_id:
            return json_response(NOT_FOUND, 404)
        body = self.serialize_status(status, with_source=True)
        self._discard(status)
        return json_response(body)

    def _discard(self: FakeMastodon, status: Status) -> None:
        self._mark_deleted(status)
        if status.reblog_of_id and status.reblog_of_id in self.statuses:
            original = self.statuses[status.reblog_of_id]
            original.reblogs_count = max(original.reblogs_count - 1, 0)
            self.reblogs[original.id] = [
                r for r in self.reblogs.get(original.id, []) if r[2] != status.id
            ]
        for boost in [s for s in self.statuses.values() if s.reblog_of_id == status.id]:
            self._mark_deleted(boost)  # discard_with_reblogs

    def reblog(self: FakeMastodon, request: FakeRequest, token: Token) -> FakeResponse:
        original = self.statuses.get(request.params["id"])
        if (
            not self._visible(original, token)
            or original.visibility == "direct"
            or original.reblog_of_id
        ):
            return json_response(NOT_FOUND, 404)
        for existing in self.statuses.values():
            if (
                existing.reblog_of_id == original.id
                and existing.account_id == token.account_id
                and not existing.deleted
            ):
                return json_response(self.serialize_status(existing, viewer_id=token.account_id))
        boost = Status(
            id=self.next_id(),
            account_id=token.account_id or "",
            text="",
            created_at=self.now(),
            visibility=request.arg("visibility") or "public",
            reblog_of_id=original.id,
        )
        self._store(boost)
        original.reblogs_count += 1
        self.reblogs.setdefault(original.id, []).append(
            (self.next_interaction_id(), boost.account_id, boost.id)
        )
        return json_response(self.serialize_status(boost, viewer_id=token.account_id))

    # -- lists with Link pagination --------------------------------------------
    def favourited_by(
        self: FakeMastodon, request: FakeRequest, token: Token | None
    ) -> FakeResponse:
        return self._interaction_page(
            request, token, [(i, a) for i, a in self.favourites.get(request.params["id"], [])]
        )

    def reblogged_by(self: FakeMastodon, request: FakeRequest, token: Token | None) -> FakeResponse:
        rows = [(i, a) for i, a, _ in self.reblogs.get(request.params["id"], [])]
        return self._interaction_page(request, token, rows)

    def _interaction_page(
        self: FakeMastodon, request: FakeRequest, token: Token | None, rows: list[tuple[int, str]]
    ) -> FakeResponse:
        if not self._visible(self.statuses.get(request.params["id"]), token):
            return json_response(NOT_FOUND, 404)
        limit = _clamp_limit(request.arg("limit"), 40, 80)
        page = self._page(rows, request, limit)
        accounts = [self.accounts[a].serialize(self.url) for _, a in page]
        response = json_response(accounts)
        link = self._link_header(request.path, [i for i, _ in page], limit)
        if link:
            response.headers["Link"] = link
        return response

    def account_statuses(
        self: FakeMastodon, request: FakeRequest, token: Token | None
    ) -> FakeResponse:
        account_id = request.params["id"]
        if account_id not in self.accounts:
            return json_response(NOT_FOUND, 404)
        exclude_reblogs = truthy(request.arg("exclude_reblogs"))
        rows = [
            (int(s.id), s.id)
            for s in self.statuses.values()
            if s.account_id == account_id
            and self._visible(s, token)
            and not (exclude_reblogs and s.reblog_of_id)
        ]
        limit = _clamp_limit(request.arg("limit"), 20, 40)
        page = self._page(rows, request, limit)
        response = json_response([self.serialize_status(self.statuses[sid]) for _, sid in page])
        link = self._link_header(request.path, [i for i, _ in page], limit)
        if link:
            response.headers["Link"] = link
        return response

    @staticmethod
    def _page(
        rows: list[tuple[int, Any]], request: FakeRequest, limit: int
    ) -> list[tuple[int, Any]]:
        """Newest first; ``max_id`` (older than), ``since_id``/``min_id`` (newer than)."""
        ordered = sorted(rows, key=lambda r: r[0], reverse=True)
        if request.arg("max_id"):
            ordered = [r for r in ordered if r[0] < int(request.arg("max_id"))]
        if request.arg("since_id"):
            ordered = [r for r in ordered if r[0] > int(request.arg("since_id"))]
        if request.arg("min_id"):
            newer = [r for r in reversed(ordered) if r[0] > int(request.arg("min_id"))]
            return list(reversed(newer[:limit]))
        return ordered[:limit]

    def _link_header(self: FakeMastodon, path: str, ids: list[int], limit: int) -> str | None:
        if not ids:
            return None
        links = []
        if len(ids) == limit:
            links.append(
                f'<{self.url}{path}?{urlencode({"limit": limit, "max_id": ids[-1]})}>; rel="next"'
            )
        links.append(
            f'<{self.url}{path}?{urlencode({"limit": limit, "since_id": ids[0]})}>; rel="prev"'
        )
        return ", ".join(links)
