"""Repository endpoints of the fake Bluesky PDS.

- ``com.atproto.repo.uploadBlob`` (lexicon ``uploadBlob.json``): raw body, the
  ``Content-Type`` is the blob's mimeType; answers
  ``{"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType", "size"}}``; a
  body over ``blob_limit`` (default 2,000,000 bytes) is ``413 PayloadTooLarge
  "request entity too large"`` (bluesky-social/pds issues #90, #217).
- ``createRecord`` (lexicon; PDS ``api/com/atproto/repo/createRecord.ts``):
  ``{uri, cid, commit: {cid, rev}, validationStatus}``; a referenced blob that
  this account did not upload is ``400 BlobNotFound "Could not find blob: <cid>"``
  (PDS ``actor-store/blob/transactor.ts``); an image over ``image_max_size`` is
  ``400 BlobTooLarge`` (message unconfirmed). Creating a repost (or like) of a
  subject already reposted deletes the earlier one (``getBacklinkDeletions``).
- A second create with the same ``rkey``: today's reference PDS fails inside
  the repository tree ("There is already a value at key") and answers
  ``500 {"error": "InternalServerError", "message": "Internal Server Error"}``
  (atproto issue #3718, indigo issue #873). atproto PR #4728 (open in March
  2026) adds an explicit error whose name and status are unconfirmed: set
  ``duplicate_rkey=(409, "RecordAlreadyExists", "…")`` to try a client against
  that variant.
- ``app.bsky.feed.post`` (and repost, like) keys must be TIDs (lexicon
  ``"key": "tid"``; the refusal's message is unconfirmed), unless
  ``enforce_tid_rkeys=False``.
- ``getRecord``: ``400 RecordNotFound "Could not locate record: <uri>"``
  (PDS ``getRecord.ts``); public. ``deleteRecord``: a no-op ``{}`` when the
  record does not exist (PDS ``deleteRecord.ts``).
"""

from __future__ import annotations

from typing import Any

from tests.fakes.atproto_ids import blob_cid, is_record_key, is_tid, make_tid, record_cid
from tests.fakes.bluesky_models import Blob, StoredRecord, iso
from tests.fakes.bluesky_records import LIKE, POST, REPOST, RecordError, validate
from tests.fakes.bluesky_session import Credentials, xrpc_error
from tests.fakes.web import FakeRequest, FakeResponse, json_response


class BlueskyRepoMixin:
    """uploadBlob, createRecord, get/list/deleteRecord; mixed into ``FakeBluesky``."""

    # -- repo endpoints --------------------------------------------------------
    def describe_server(self, request: FakeRequest) -> FakeResponse:
        return json_response(
            {
                "did": self.service_did,
                "availableUserDomains": [".bsky.social"],
                "inviteCodeRequired": True,
                "links": {},
            }
        )

    def upload_blob(self, request: FakeRequest, creds: Credentials) -> FakeResponse:
        if len(request.body) > self.blob_limit:
            return xrpc_error(413, "PayloadTooLarge", "request entity too large")
        mime = request.content_type or "application/octet-stream"
        blob = Blob(
            cid=blob_cid(request.body), did=creds.did, mime_type=mime, size=len(request.body)
        )
        self.blobs[(creds.did, blob.cid)] = blob
        return json_response(
            {
                "blob": {
                    "$type": "blob",
                    "ref": {"$link": blob.cid},
                    "mimeType": mime,
                    "size": blob.size,
                }
            }
        )

    def _repo_did(self, repo: Any) -> str | FakeResponse:
        account = self.find_account(str(repo or ""))
        if account is None:
            return xrpc_error(400, "InvalidRequest", f"Could not find repo: {repo}")
        return account.did

    def _next_tid(self) -> str:
        micros = max(int(self.now() * 1_000_000), self._last_tid_us + 1)
        self._last_tid_us = micros
        return make_tid(micros, clock_id=7)

    def create_record(self, request: FakeRequest, creds: Credentials) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else {}
        for key in ("repo", "collection", "record"):
            if key not in body:
                return xrpc_error(400, "InvalidRequest", f'Input must have the property "{key}"')
        did = self._repo_did(body["repo"])
        if isinstance(did, FakeResponse):
            return did
        if did != creds.did:
            return xrpc_error(401, "AuthenticationRequired", "Authentication Required")
        collection, record = body["collection"], body["record"]
        rkey = body.get("rkey")
        if rkey is not None:
            keyed = collection in (POST, REPOST, LIKE) and self.enforce_tid_rkeys
            if not is_record_key(str(rkey)) or (keyed and not is_tid(str(rkey))):
                return xrpc_error(
                    400,
                    "InvalidRequest",
                    f"Invalid {collection} record: invalid record key {rkey!r} (expected a TID)",
                )
        rkey = rkey or self._next_tid()
        validated = body.get("validate") is not False
        if validated:
            try:
                uses = validate(
                    collection,
                    record,
                    image_max_size=self.image_max_size,
                    strict_facets=self.strict_facets,
                )
            except RecordError as exc:
                return xrpc_error(400, "InvalidRequest", f"Invalid {collection} record: {exc}")
            for use in uses:
                problem = self._check_blob(did, use)
                if problem:
                    return problem
        if (did, collection, rkey) in self.records:
            status, error, message = self.duplicate_rkey
            return xrpc_error(int(status), error, message)
        if collection in (REPOST, LIKE) and isinstance(record.get("subject"), dict):
            self._delete_backlinks(did, collection, record["subject"].get("uri"))
        value = {"$type": collection, **record}
        stored = StoredRecord(
            did=did,
            collection=collection,
            rkey=rkey,
            value=value,
            cid=record_cid(value),
            indexed_at=iso(self.now()),
        )
        self.records[(did, collection, rkey)] = stored
        self.created.append(stored)
        if collection == REPOST:
            self._engage(self.reposts, record["subject"]["uri"], None, did, "repostCount")
        elif collection == LIKE:
            self._engage(self.likes, record["subject"]["uri"], None, did, "likeCount")
        return json_response(
            {
                "uri": stored.uri,
                "cid": stored.cid,
                "commit": {"cid": record_cid({"commit": stored.cid}), "rev": self._next_tid()},
                "validationStatus": "valid" if validated else "unknown",
            }
        )

    def _check_blob(self, did: str, use: Any) -> FakeResponse | None:
        blob = self.blobs.get((did, use.cid))
        if blob is None:
            return xrpc_error(400, "BlobNotFound", f"Could not find blob: {use.cid}")
        if blob.size > use.max_size:
            return xrpc_error(
                400,
                "BlobTooLarge",
                f"This file is too large. It is {blob.size} but the maximum size is "
                f"{use.max_size}.",
            )
        major = use.accept.split("/")[0]
        if not blob.mime_type.startswith(major + "/"):
            return xrpc_error(
                400,
                "InvalidMimeType",
                f"Wrong type of file. It is {blob.mime_type} but it must match {use.accept}.",
            )
        return None

    def _delete_backlinks(self, did: str, collection: str, subject_uri: Any) -> None:
        for record in list(self.records.values()):
            if (
                record.did == did
                and record.collection == collection
                and record.value.get("subject", {}).get("uri") == subject_uri
            ):
                self._delete(record)

    def _delete(self, record: StoredRecord) -> None:
        self.records.pop((record.did, record.collection, record.rkey), None)
        record.deleted = True
        if record.collection in (REPOST, LIKE):
            table, counter = (
                (self.reposts, "repostCount")
                if record.collection == REPOST
                else (self.likes, "likeCount")
            )
            subject = record.value.get("subject", {}).get("uri", "")
            before = table.get(subject, [])
            table[subject] = [row for row in before if row[1] != record.did]
            if len(table[subject]) < len(before):
                counts = self.counts.setdefault(subject, self.empty_counts())
                counts[counter] = max(counts[counter] - 1, 0)

    def get_record(self, request: FakeRequest) -> FakeResponse:
        for key in ("repo", "collection", "rkey"):
            if not request.arg(key):
                return xrpc_error(
                    400, "InvalidRequest", f'Error: Params must have the property "{key}"'
                )
        did = self._repo_did(request.arg("repo"))
        if isinstance(did, FakeResponse):
            return did
        uri = f"at://{did}/{request.arg('collection')}/{request.arg('rkey')}"
        record = self.records.get((did, request.arg("collection"), request.arg("rkey")))
        if record is None or (request.arg("cid") and request.arg("cid") != record.cid):
            return xrpc_error(400, "RecordNotFound", f"Could not locate record: {uri}")
        return json_response({"uri": record.uri, "cid": record.cid, "value": record.value})

    def list_records(self, request: FakeRequest) -> FakeResponse:
        did = self._repo_did(request.arg("repo"))
        if isinstance(did, FakeResponse):
            return did
        limit = max(1, min(int(request.arg("limit", 50)), 100))
        rows = sorted(
            (
                r
                for r in self.records.values()
                if r.did == did and r.collection == request.arg("collection")
            ),
            key=lambda r: r.rkey,
            reverse=str(request.arg("reverse")).lower() != "true",
        )
        cursor = request.arg("cursor")
        if cursor:
            rows = [
                r
                for r in rows
                if (
                    r.rkey < cursor
                    if str(request.arg("reverse")).lower() != "true"
                    else r.rkey > cursor
                )
            ]
        page = rows[:limit]
        body: dict[str, Any] = {
            "records": [{"uri": r.uri, "cid": r.cid, "value": r.value} for r in page]
        }
        if page:
            body["cursor"] = page[-1].rkey
        return json_response(body)

    def delete_record(self, request: FakeRequest, creds: Credentials) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else {}
        for key in ("repo", "collection", "rkey"):
            if key not in body:
                return xrpc_error(400, "InvalidRequest", f'Input must have the property "{key}"')
        did = self._repo_did(body["repo"])
        if isinstance(did, FakeResponse):
            return did
        if did != creds.did:
            return xrpc_error(401, "AuthenticationRequired", "Authentication Required")
        record = self.records.get((did, body["collection"], body["rkey"]))
        if record is None:
            return json_response({})
        self._delete(record)
        return json_response(
            {"commit": {"cid": record_cid({"delete": record.cid}), "rev": self._next_tid()}}
        )
