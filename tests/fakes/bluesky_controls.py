"""Test helpers of the fake Bluesky (also callable through ``POST /__fake__/call``)."""

from __future__ import annotations

from typing import Any

from tests.fakes.atproto_ids import did_for
from tests.fakes.bluesky_models import Actor, BlueskyAccount, iso
from tests.fakes.bluesky_records import POST


class BlueskyControlsMixin:
    """Accounts, likers, counters, token expiry, budgets; mixed into ``FakeBluesky``."""

    # -- test helpers ----------------------------------------------------------
    def add_account(self, handle: str, password: str, email: str | None = None) -> str:
        """An account of this PDS (can log in with ``password``); returns its DID."""
        with self.lock:
            did = did_for(handle)
            account = BlueskyAccount(
                did=did,
                handle=handle.lower(),
                email=email or f"{handle.split('.')[0]}@example.org",
                passwords=[password],
                created_at=iso(self.now()),
            )
            self.accounts_by_did[did] = account
            self.accounts_by_handle[account.handle] = account
            self.actors[did] = account
            return did

    def add_actor(self, handle: str, display_name: str = "") -> str:
        """Another network user (a liker or reposter); returns its DID."""
        with self.lock:
            did = did_for(handle)
            self.actors.setdefault(
                did, Actor(did=did, handle=handle.lower(), display_name=display_name)
            )
            return did

    def _engage(
        self,
        table: dict[str, list[tuple[int, str, str]]],
        uri: str,
        handle: str | None,
        did: str | None,
        counter: str,
    ) -> None:
        did = did or self.add_actor(handle or f"user{next(self._seq)}.bsky.social")
        table.setdefault(uri, []).append((next(self._seq), did, iso(self.now())))
        self.counts.setdefault(uri, self.empty_counts())[counter] += 1

    def add_like(self, uri: str, handle: str | None = None, did: str | None = None) -> None:
        """A like by another user: listed by getLikes and counted in likeCount."""
        with self.lock:
            self._engage(self.likes, uri, handle, did, "likeCount")

    def add_repost(self, uri: str, handle: str | None = None, did: str | None = None) -> None:
        with self.lock:
            self._engage(self.reposts, uri, handle, did, "repostCount")

    def set_counts(self, uri: str, **counts: int) -> None:
        """Override counters: ``likes``, ``reposts``, ``replies``, ``quotes``, ``bookmarks``."""
        names = {
            "likes": "likeCount",
            "reposts": "repostCount",
            "replies": "replyCount",
            "quotes": "quoteCount",
            "bookmarks": "bookmarkCount",
        }
        with self.lock:
            current = self.counts.setdefault(uri, self.empty_counts())
            for key, value in counts.items():
                current[names[key]] = value

    def delete_post(self, uri: str) -> None:
        """Delete a record as if from another app: getRecord 400, absent from getPosts."""
        with self.lock:
            record = self.record_by_uri(uri)
            if record is not None:
                self._delete(record)

    def posts(self, include_deleted: bool = True) -> list[dict[str, Any]]:
        """Every ``app.bsky.feed.post`` record created through the API."""
        with self.lock:
            return [
                {
                    "uri": r.uri,
                    "cid": r.cid,
                    "rkey": r.rkey,
                    "did": r.did,
                    "value": r.value,
                    "deleted": r.deleted,
                }
                for r in self.created
                if r.collection == POST and (include_deleted or not r.deleted)
            ]

    def exhaust_rate_limit(self, kind: str = "write", key: str | None = None) -> None:
        """Spend a budget: ``write`` (key: DID), ``session`` (key: identifier), ``global`` (IP)."""
        with self.lock:
            budget = {
                "write": self.write_budget,
                "session": self.session_budget,
                "global": self.global_budget,
            }[kind]
            default = {"write": self.did, "session": self.default_handle, "global": "127.0.0.1"}[
                kind
            ]
            budget.exhaust(key or default, self.now())

    def configure(self, **options: Any) -> None:
        allowed = {
            "access_ttl",
            "refresh_ttl",
            "refresh_grace",
            "blob_limit",
            "image_max_size",
            "strict_facets",
            "enforce_tid_rkeys",
            "duplicate_rkey",
        }
        with self.lock:
            for key, value in options.items():
                if key not in allowed:
                    raise KeyError(f"unknown option {key!r}")
                setattr(self, key, tuple(value) if key == "duplicate_rkey" else value)
