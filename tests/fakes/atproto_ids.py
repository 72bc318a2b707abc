"""Identifiers of the AT Protocol as the fake Bluesky makes them.

- CIDs: CIDv1, sha2-256, base32 (``b…``), codec ``raw`` for blobs
  (``bafkrei…``) and ``dag-cbor`` for records (``bafyrei…``). The record CID is
  computed over canonical JSON, not DAG-CBOR: it looks right and is stable,
  but does not match what a real PDS would compute for the same record.
- TIDs (atproto spec "Record Key Type: tid"): 13 characters of base32-sortable,
  microseconds since the epoch and a 10-bit clock id.
- Session JWTs: real compact JWS (HS256 with a per-fake secret), so a client
  can decode ``exp`` as it would with a PDS token. Access tokens have
  ``typ: at+jwt`` and scope ``com.atproto.appPass`` (app-password sessions);
  refresh tokens ``typ: refresh+jwt``, scope ``com.atproto.refresh`` and a ``jti``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

RAW_CODEC = 0x55
DAG_CBOR_CODEC = 0x71
SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = re.compile(r"\A[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}\Z")
RECORD_KEY_RE = re.compile(r"\A[A-Za-z0-9._:~-]{1,512}\Z")


def cid_for(data: bytes, codec: int) -> str:
    multihash = bytes([0x12, 0x20]) + hashlib.sha256(data).digest()
    raw = bytes([0x01, codec]) + multihash
    return "b" + base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def blob_cid(data: bytes) -> str:
    return cid_for(data, RAW_CODEC)


def record_cid(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return cid_for(canonical.encode("utf-8"), DAG_CBOR_CODEC)


def make_tid(microseconds: int, clock_id: int = 0) -> str:
    value = ((microseconds & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(SORTABLE[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_tid(value: str) -> bool:
    return bool(TID_RE.match(value))


def is_record_key(value: str) -> bool:
    return bool(RECORD_KEY_RE.match(value)) and value not in {".", ".."}


def did_for(handle: str) -> str:
    digest = hashlib.sha256(handle.encode("utf-8")).digest()
    return "did:plc:" + base64.b32encode(digest).decode("ascii").lower()[:24]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_encode(header: dict[str, Any], payload: dict[str, Any], secret: bytes) -> str:
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(payload).encode())
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def jwt_decode(token: str, secret: bytes) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Header and payload if the signature is ours, else None (expiry is not checked here)."""
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        expected = hmac.new(
            secret, f"{header_b64}.{payload_b64}".encode("ascii"), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(expected, _unb64(signature_b64)):
            return None
        return json.loads(_unb64(header_b64)), json.loads(_unb64(payload_b64))
    except (ValueError, UnicodeDecodeError):
        return None
