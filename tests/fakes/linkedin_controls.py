"""Test helpers of the fake LinkedIn (also callable through ``POST /__fake__/call``).

The default world: member Marie Dupont (``urn:li:person:mD8xQ2pL1z``) is
ADMINISTRATOR of "Médiathèque de Lille" (organization 10001),
CONTENT_ADMINISTRATOR of "Réseau des bibliothèques" (10002) and only ANALYST
of "Ville de Lille" (10003), where she cannot post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.linkedin_models import Member, Organization
from tests.fakes.linkedin_oauth import DEFAULT_SCOPES

if TYPE_CHECKING:
    from tests.fakes.linkedin import FakeLinkedIn


class LinkedInControlsMixin:
    CONTROL_METHODS: tuple[str, ...] = (
        "add_member",
        "add_organization",
        "login_as",
        "issue_token",
        "revoke_token",
        "expire_token",
        "revoke_refresh_token",
        "set_post_stats",
        "add_reaction",
        "delete_remote",
        "exhaust_rate_limit",
        "li_posts",
        "configure",
    )

    def seed_default_accounts(self: FakeLinkedIn) -> None:
        self.current_member_id = self.add_member("mD8xQ2pL1z", "Marie", "Dupont")
        self.add_organization(
            "10001", "Médiathèque de Lille", {self.current_member_id: "ADMINISTRATOR"}
        )
        self.add_organization(
            "10002", "Réseau des bibliothèques", {self.current_member_id: "CONTENT_ADMINISTRATOR"}
        )
        self.add_organization("10003", "Ville de Lille", {self.current_member_id: "ANALYST"})

    def add_member(self: FakeLinkedIn, member_id: str, given_name: str, family_name: str) -> str:
        with self.lock:
            email = f"{given_name}.{family_name}@example.fr".lower()
            self.members[member_id] = Member(member_id, given_name, family_name, email)
            return member_id

    def add_organization(
        self: FakeLinkedIn, org_id: str, name: str, roles: dict[str, str] | None = None
    ) -> str:
        """An organization page; ``roles`` maps member ids to ADMINISTRATOR, ANALYST…"""
        with self.lock:
            vanity = name.lower().replace(" ", "-")
            self.organizations[org_id] = Organization(org_id, name, vanity, dict(roles or {}))
            return f"urn:li:organization:{org_id}"

    def login_as(self: FakeLinkedIn, member_id: str) -> None:
        with self.lock:
            if member_id not in self.members:
                raise KeyError(member_id)
            self.current_member_id = member_id

    def issue_token(
        self: FakeLinkedIn, member_id: str | None = None, scopes: list[str] | None = None
    ) -> dict[str, Any]:
        """``{"access_token", "refresh_token"?}`` without the OAuth dance."""
        with self.lock:
            token = self.issue_li_token(
                member_id or self.current_member_id, list(scopes or DEFAULT_SCOPES)
            )
            result: dict[str, Any] = {"access_token": token.value}
            if token.refresh_token:
                result["refresh_token"] = token.refresh_token
            return result

    def revoke_token(self: FakeLinkedIn, token: str) -> None:
        """As if the member removed the app: 401 REVOKED_ACCESS_TOKEN (65601)."""
        with self.lock:
            self.tokens[token].revoked = True
            if self.tokens[token].refresh_token:
                self.refresh_tokens[self.tokens[token].refresh_token].revoked = True

    def expire_token(self: FakeLinkedIn, token: str) -> None:
        with self.lock:
            self.tokens[token].expires_at = self.now()

    def revoke_refresh_token(self: FakeLinkedIn, refresh_token: str) -> None:
        with self.lock:
            self.refresh_tokens[refresh_token].revoked = True

    def set_post_stats(
        self: FakeLinkedIn,
        urn: str,
        likes: int | None = None,
        comments: int | None = None,
        **stats: int,
    ) -> None:
        """Counters of a post: ``likes``, ``comments`` and statistics such as
        ``impressionCount``, ``uniqueImpressionsCount``, ``clickCount``, ``shareCount``."""
        with self.lock:
            post = self.posts[urn]
            if likes is not None:
                post.likes = likes
            if comments is not None:
                post.comments = comments
            post.stats.update(stats)

    def add_reaction(self: FakeLinkedIn, urn: str, actor: str, kind: str = "LIKE") -> None:
        """A reaction (LIKE, PRAISE, EMPATHY, INTEREST, APPRECIATION, ENTERTAINMENT)."""
        with self.lock:
            self.posts[urn].reactions.append((actor, kind, self.now()))

    def delete_remote(self: FakeLinkedIn, urn: str) -> None:
        with self.lock:
            self.posts[urn].deleted = True

    def exhaust_rate_limit(
        self: FakeLinkedIn, scope: str = "member", member_id: str | None = None
    ) -> None:
        """Spend today's ``member`` (or ``application``) quota: the next call is 429."""
        with self.lock:
            if scope == "member":
                self.member_budget.exhaust(member_id or self.current_member_id, self.now())
            else:
                self.app_budget.exhaust(self.config.client_id, self.now())

    def li_posts(self: FakeLinkedIn, include_deleted: bool = True) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {**self.serialize_post(p), "deleted": p.deleted}
                for p in sorted(self.posts.values(), key=lambda p: p.created)
                if include_deleted or not p.deleted
            ]

    def configure(self: FakeLinkedIn, **options: Any) -> None:
        with self.lock:
            for key, value in options.items():
                if not hasattr(self.config, key):
                    raise KeyError(f"unknown option {key!r}")
                setattr(self.config, key, value)
            if any(key.endswith("_daily_limit") for key in options):
                self._make_budgets()
