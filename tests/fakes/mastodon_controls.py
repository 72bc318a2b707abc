"""Test helpers of the fake Mastodon (also callable through ``POST /__fake__/call``)."""

from __future__ import annotations

import secrets
from typing import Any

from tests.fakes.mastodon_entities import Account, Application, Token


class MastodonControlsMixin:
    """Users, tokens, likers, counters, budgets, settings; mixed into ``FakeMastodon``."""

    # -- test helpers ----------------------------------------------------------
    def add_user(self, username: str, display_name: str = "") -> dict[str, Any]:
        """A local account of this instance (one that can log in and post)."""
        return self.add_account(username, display_name=display_name)

    def add_account(
        self, username: str, domain: str | None = None, display_name: str = ""
    ) -> dict[str, Any]:
        """An account, local (no ``domain``) or remote (``acct`` is ``user@domain``)."""
        with self.lock:
            for account in self.accounts.values():
                if account.username == username and account.domain == domain:
                    return account.serialize(self.url)
            account = Account(
                id=str(len(self.accounts) + 1),
                username=username,
                domain=domain,
                display_name=display_name,
                created_at=self.now(),
            )
            self.accounts[account.id] = account
            return account.serialize(self.url)

    def _local_account(self, username: str | None) -> Account:
        for account in self.accounts.values():
            if account.local and account.username == (username or self.default_username):
                return account
        raise KeyError(f"no local user {username!r}")

    def login_as(self, username: str) -> None:
        """The user the OAuth consent page authorizes (the 'logged-in' browser user)."""
        with self.lock:
            self.current_user_id = self._local_account(username).id

    def issue_token(self, username: str | None = None, scopes: str = "read write profile") -> str:
        """A user token without the OAuth dance, for tests that are not about connecting."""
        with self.lock:
            app = Application(
                id=str(len(self.apps) + 1),
                name="Annexe (test)",
                website=None,
                redirect_uris=["urn:ietf:wg:oauth:2.0:oob"],
                scopes=scopes.split(),
                client_id=secrets.token_urlsafe(32),
                client_secret=secrets.token_urlsafe(32),
            )
            self.apps[app.client_id] = app
            token = Token(
                value=secrets.token_urlsafe(32),
                client_id=app.client_id,
                scopes=scopes.split(),
                account_id=self._local_account(username).id,
                created_at=self.now(),
            )
            self.tokens[token.value] = token
            return token.value

    def revoke_token(self, token: str) -> None:
        """As if the user revoked the app in their settings: the next call answers 401."""
        with self.lock:
            self.tokens[token].revoked = True

    def favourite(self, status_id: str, account_id: str) -> None:
        with self.lock:
            self.favourites.setdefault(status_id, []).append(
                (self.next_interaction_id(), account_id)
            )
            self.statuses[status_id].favourites_count += 1

    def reblog_by(self, status_id: str, account_id: str) -> None:
        """A boost by another (typically remote) account: listed and counted."""
        with self.lock:
            self.reblogs.setdefault(status_id, []).append(
                (self.next_interaction_id(), account_id, None)
            )
            self.statuses[status_id].reblogs_count += 1

    def set_counts(
        self,
        status_id: str,
        *,
        favourites: int | None = None,
        reblogs: int | None = None,
        replies: int | None = None,
    ) -> None:
        """Override the counters of a status (remote interactions federate counts only)."""
        with self.lock:
            status = self.statuses[status_id]
            if favourites is not None:
                status.favourites_count = favourites
            if reblogs is not None:
                status.reblogs_count = reblogs
            if replies is not None:
                status.replies_count = replies

    def delete_status(self, status_id: str) -> None:
        """Delete a status as if done on the network (then GET answers 404)."""
        with self.lock:
            self._discard(self.statuses[status_id])

    def posts(
        self, include_deleted: bool = True, include_reblogs: bool = False
    ) -> list[dict[str, Any]]:
        """The statuses created through the API: what was actually published."""
        with self.lock:
            found = []
            for status in self.statuses.values():
                if status.reblog_of_id and not include_reblogs:
                    continue
                if status.deleted and not include_deleted:
                    continue
                data = self.serialize_status(status, with_source=True)
                data["deleted"] = status.deleted
                data["idempotency_key"] = status.idempotency_key
                found.append(data)
            return found

    def exhaust_rate_limit(self, username: str | None = None, budget: str = "api") -> None:
        """Spend a user's budget (``api``, ``media`` or ``statuses``): the next call is 429."""
        with self.lock:
            key = self._local_account(username).id
            {"api": self.api_budget, "media": self.media_budget, "statuses": self.status_budget}[
                budget
            ].exhaust(key, self.now())

    def configure(self, **options: Any) -> None:
        """Change settings at run time: ``max_characters``, ``media_processing_seconds``…"""
        with self.lock:
            for key, value in options.items():
                if key in self.instance_config["statuses"]:
                    self.instance_config["statuses"][key] = value
                elif key in self.instance_config["media_attachments"]:
                    self.instance_config["media_attachments"][key] = value
                elif key in (
                    "media_processing_seconds",
                    "idempotency_ttl",
                    "title",
                    "batch_lookup",
                ):
                    setattr(self, key, value)
                else:
                    raise KeyError(f"unknown option {key!r}")
