"""Validation of the records the fake Bluesky accepts.

Sources: bluesky-social/atproto lexicons ``app/bsky/feed/post.json``
(``text`` maxGraphemes 300, maxLength 3000 — lexicon string lengths are UTF-8
bytes; ``langs`` ≤ 3; ``tags`` ≤ 8), ``app/bsky/embed/images.json`` (≤ 4
images, ``image`` and ``alt`` required), ``app/bsky/embed/external.json``,
``app/bsky/richtext/facet.json``, ``app/bsky/feed/repost.json``. Messages
follow ``@atproto/lexicon``'s validators (``Record/text must not be longer
than 300 graphemes``, ``… must have the property "alt"``, ``… must not have
more than 4 elements``), wrapped by the PDS as ``Invalid <collection>
record: <message>`` with error ``InvalidRequest``.

Facets: the real PDS only checks ``byteStart``/``byteEnd`` are integers ≥ 0;
the AppView then ignores facets that do not fit the text. With
``strict_facets`` (the default) the fake also refuses ranges beyond the text's
UTF-8 length, empty ranges, ranges that cut a UTF-8 character, and ranges
whose text is not what the feature says (a link's URL, possibly shortened with
a trailing ellipsis; ``#tag``; ``@handle``), so a client computing offsets in
code points (Python's ``len``/``str.index``) is caught by a test. Those checks
are the fake's, not the network's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
LIKE = "app.bsky.feed.like"
MAX_GRAPHEMES = 300
MAX_TEXT_BYTES = 3000
MAX_IMAGES = 4


class RecordError(Exception):
    """A record refused by lexicon validation (``message`` is the validator's)."""


@dataclass
class BlobUse:
    path: str
    cid: str
    mime_type: str
    size: int
    accept: str  # e.g. "image/*"
    max_size: int


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _require(obj: Any, path: str, *keys: str) -> None:
    if not isinstance(obj, dict):
        raise RecordError(f"{path} must be an object")
    for key in keys:
        if key not in obj:
            raise RecordError(f'{path} must have the property "{key}"')


def _blob(obj: Any, path: str, accept: str, max_size: int) -> BlobUse:
    if not isinstance(obj, dict) or obj.get("$type") != "blob" or "ref" not in obj:
        raise RecordError(f"{path} should be a blob ref")
    link = obj["ref"].get("$link") if isinstance(obj["ref"], dict) else None
    if not isinstance(link, str):
        raise RecordError(f"{path} should be a blob ref")
    return BlobUse(
        path, link, str(obj.get("mimeType", "")), int(obj.get("size", 0)), accept, max_size
    )


def validate_post(
    record: dict[str, Any], *, image_max_size: int, strict_facets: bool
) -> list[BlobUse]:
    """Raise ``RecordError`` for an invalid post; return the blobs it references."""
    _require(record, "Record", "text", "createdAt")
    text = record["text"]
    if not isinstance(text, str):
        raise RecordError("Record/text must be a string")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise RecordError(f"Record/text must not be longer than {MAX_TEXT_BYTES} characters")
    if graphemes(text) > MAX_GRAPHEMES:
        raise RecordError(f"Record/text must not be longer than {MAX_GRAPHEMES} graphemes")
    if len(record.get("langs") or []) > 3:
        raise RecordError("Record/langs must not have more than 3 elements")
    if len(record.get("tags") or []) > 8:
        raise RecordError("Record/tags must not have more than 8 elements")
    _validate_facets(record.get("facets") or [], text, strict=strict_facets)
    embed = record.get("embed")
    if embed is None:
        return []
    return _validate_embed(embed, image_max_size)


def _validate_facets(facets: Any, text: str, *, strict: bool) -> None:
    if not isinstance(facets, list):
        raise RecordError("Record/facets must be an array")
    encoded = text.encode("utf-8")
    for i, facet in enumerate(facets):
        path = f"Record/facets/{i}"
        _require(facet, path, "index", "features")
        _require(facet["index"], f"{path}/index", "byteStart", "byteEnd")
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        for name, value in (("byteStart", start), ("byteEnd", end)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise RecordError(f"{path}/index/{name} must be an integer >= 0")
        for j, feature in enumerate(facet["features"]):
            kind = feature.get("$type") if isinstance(feature, dict) else None
            required = {
                "app.bsky.richtext.facet#link": "uri",
                "app.bsky.richtext.facet#mention": "did",
                "app.bsky.richtext.facet#tag": "tag",
            }.get(kind or "")
            if required:
                _require(feature, f"{path}/features/{j}", required)
        if strict:
            if not start < end <= len(encoded):
                raise RecordError(
                    f"{path}/index: byte range {start}-{end} is outside the text "
                    f"({len(encoded)} UTF-8 bytes) [fake Bluesky strict facet check]"
                )
            try:
                covered = encoded[start:end].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RecordError(
                    f"{path}/index: byte range {start}-{end} cuts a UTF-8 character "
                    "[fake Bluesky strict facet check]"
                ) from exc
            for feature in facet["features"]:
                if not _covers(feature, covered):
                    raise RecordError(
                        f"{path}/index: bytes {start}-{end} cover {covered!r}, which does not "
                        f"match the facet {feature.get('$type')} [fake Bluesky strict facet check]"
                    )


def _strip_scheme(uri: str) -> str:
    return uri.split("://", 1)[-1]


def _covers(feature: Any, covered: str) -> bool:
    """Whether the faceted text is what the feature says: the link (possibly shortened
    with a trailing ellipsis), ``#tag`` or ``@handle``."""
    kind = feature.get("$type") if isinstance(feature, dict) else None
    if kind == "app.bsky.richtext.facet#link":
        shown = _strip_scheme(covered.rstrip(".…"))
        return bool(shown) and _strip_scheme(str(feature.get("uri", ""))).startswith(shown)
    if kind == "app.bsky.richtext.facet#tag":
        return covered.lstrip("#＃") == str(feature.get("tag", "")) and covered[:1] in "#＃"
    if kind == "app.bsky.richtext.facet#mention":
        return covered.startswith("@") and len(covered) > 1
    return True


def _validate_embed(embed: Any, image_max_size: int) -> list[BlobUse]:
    _require(embed, "Record/embed", "$type")
    kind = embed["$type"]
    if kind == "app.bsky.embed.images":
        _require(embed, "Record/embed", "images")
        images = embed["images"]
        if not isinstance(images, list):
            raise RecordError("Record/embed/images must be an array")
        if len(images) > MAX_IMAGES:
            raise RecordError(f"Record/embed/images must not have more than {MAX_IMAGES} elements")
        uses = []
        for i, image in enumerate(images):
            path = f"Record/embed/images/{i}"
            _require(image, path, "image", "alt")
            if not isinstance(image["alt"], str):
                raise RecordError(f"{path}/alt must be a string")
            uses.append(_blob(image["image"], f"{path}/image", "image/*", image_max_size))
        return uses
    if kind == "app.bsky.embed.external":
        _require(embed, "Record/embed", "external")
        external = embed["external"]
        _require(external, "Record/embed/external", "uri", "title", "description")
        if "thumb" in external:
            return [_blob(external["thumb"], "Record/embed/external/thumb", "image/*", 1_000_000)]
        return []
    return []


def validate_repost(record: dict[str, Any]) -> None:
    _require(record, "Record", "subject", "createdAt")
    _require(record["subject"], "Record/subject", "uri", "cid")


def validate(
    collection: str, record: Any, *, image_max_size: int, strict_facets: bool
) -> list[BlobUse]:
    if not isinstance(record, dict):
        raise RecordError("Record must be an object")
    declared = record.get("$type")
    if declared is not None and declared != collection:
        raise RecordError(f"Record/$type must be {collection}")
    if collection == POST:
        return validate_post(record, image_max_size=image_max_size, strict_facets=strict_facets)
    if collection in (REPOST, LIKE):
        validate_repost(record)
    return []
