"""Test helpers of the fake Graph API (also callable through ``POST /__fake__/call``).

The default world (``seed_default_accounts``): Facebook user "Marie Dupont"
administers three Pages: "Médiathèque de Lille" (Instagram
``@mediatheque_lille``), "Bibliothèque Wazemmes" (Instagram
``@bib_wazemmes``) and "Ludothèque du Centre" (no Instagram); Threads user
``@mediatheque_lille``. ``ids()`` returns their ids.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from tests.fakes.faults import RateBudget
from tests.fakes.graph_models import FbUser, IgUser, Page, ThreadsUser
from tests.fakes.graph_oauth import DEFAULT_SCOPES, targets_for

if TYPE_CHECKING:
    from tests.fakes.graph import FakeGraph


class GraphControlsMixin:
    CONTROL_METHODS: tuple[str, ...] = (
        "ids",
        "add_user",
        "add_page",
        "add_threads_user",
        "login_as",
        "login_threads_as",
        "issue_token",
        "issue_page_token",
        "issue_threads",
        "expire_token",
        "break_token",
        "add_reaction",
        "set_fb_counts",
        "set_fb_insights",
        "set_ig_counts",
        "set_ig_insights",
        "set_insights_unavailable",
        "set_threads_insights",
        "fail_container",
        "delete_remote",
        "exhaust_rate_limit",
        "fb_posts",
        "ig_posts",
        "threads_posts",
        "configure",
    )

    # -- accounts --------------------------------------------------------------
    def seed_default_accounts(self: FakeGraph) -> None:
        self.current_user_id = self.add_user("Marie Dupont")
        self.add_page("Médiathèque de Lille", ig_username="mediatheque_lille")
        self.add_page("Bibliothèque Wazemmes", ig_username="bib_wazemmes")
        self.add_page("Ludothèque du Centre")
        self.current_threads_user_id = self.add_threads_user(
            "mediatheque_lille", "Médiathèque de Lille"
        )

    def ids(self: FakeGraph) -> dict[str, Any]:
        """Ids of the world: ``{"user", "pages": {name: id}, "instagram": {username: id},
        "threads": {username: id}}``."""
        with self.lock:
            return {
                "user": self.current_user_id,
                "pages": {p.name: p.id for p in self.pages.values()},
                "instagram": {u.username: u.id for u in self.ig_users.values()},
                "threads": {u.username: u.id for u in self.threads_users.values()},
            }

    def add_user(self: FakeGraph, name: str) -> str:
        with self.lock:
            user = FbUser(id=self.new_id(100_000_000_000_000), name=name)
            self.users[user.id] = user
            return user.id

    def add_page(
        self: FakeGraph,
        name: str,
        admin_id: str | None = None,
        ig_username: str | None = None,
        category: str = "Library",
    ) -> dict[str, Any]:
        """A Page administered by ``admin_id`` (default: the logged-in user), with
        an Instagram professional account when ``ig_username`` is given."""
        with self.lock:
            page = Page(
                id=self.new_id(101_000_000_000_000),
                name=name,
                category=category,
                admin_ids=[admin_id or self.current_user_id],
            )
            self.pages[page.id] = page
            if ig_username:
                ig = IgUser(
                    id=self.new_id(17_841_400_000_000_000),
                    username=ig_username,
                    name=name,
                    page_id=page.id,
                )
                self.ig_users[ig.id] = ig
                page.ig_user_id = ig.id
            return {"page_id": page.id, "ig_user_id": page.ig_user_id}

    def add_threads_user(self: FakeGraph, username: str, name: str = "") -> str:
        with self.lock:
            user = ThreadsUser(
                id=self.new_id(26_000_000_000_000_000), username=username, name=name or username
            )
            self.threads_users[user.id] = user
            return user.id

    def login_as(self: FakeGraph, user_id: str) -> None:
        """The Facebook user the login dialog shows (the browser's session)."""
        with self.lock:
            if user_id not in self.users:
                raise KeyError(user_id)
            self.current_user_id = user_id

    def login_threads_as(self: FakeGraph, user_id: str) -> None:
        with self.lock:
            if user_id not in self.threads_users:
                raise KeyError(user_id)
            self.current_threads_user_id = user_id

    # -- tokens ----------------------------------------------------------------
    def issue_token(
        self: FakeGraph,
        user_id: str | None = None,
        long_lived: bool = True,
        scopes: list[str] | None = None,
        page_ids: list[str] | None = None,
        ig_ids: list[str] | None = None,
    ) -> str:
        """A user token without the dialog; by default every Page and IG account is picked."""
        with self.lock:
            user_id = user_id or self.current_user_id
            pages = [p for p in self.pages.values() if user_id in p.admin_ids]
            chosen_pages = page_ids if page_ids is not None else [p.id for p in pages]
            chosen_igs = (
                ig_ids if ig_ids is not None else [p.ig_user_id for p in pages if p.ig_user_id]
            )
            scopes = list(scopes or DEFAULT_SCOPES)
            token = self.issue_user_token(
                user_id,
                scopes=scopes,
                targets=targets_for(scopes, chosen_pages, chosen_igs),
                long_lived=long_lived,
            )
            return token.value

    def issue_page_token(self: FakeGraph, page_id: str, long_lived: bool = True) -> str:
        """The Page token an admin of ``page_id`` would get from ``/me/accounts``."""
        with self.lock:
            admin = self.pages[page_id].admin_ids[0]
            user_token = self.tokens[self.issue_token(admin, long_lived=long_lived)]
            return self.page_token(user_token, page_id).value

    def issue_threads(
        self: FakeGraph,
        user_id: str | None = None,
        long_lived: bool = True,
        scopes: list[str] | None = None,
    ) -> str:
        with self.lock:
            token = self.issue_threads_token(
                user_id or self.current_threads_user_id, scopes=scopes, long_lived=long_lived
            )
            return token.value

    def expire_token(self: FakeGraph, token: str) -> None:
        """The token's expiry is now (``advance_clock`` does it for every token)."""
        with self.lock:
            self.tokens[token].expires_at = self.now()

    def break_token(self: FakeGraph, token: str, reason: str = "token_password_changed") -> None:
        """Invalidate a token (and the Page tokens minted from it): ``token_password_changed``
        (190/460), ``token_app_deauthorized`` (458), ``token_logged_out`` (467),
        ``token_checkpoint`` (459)."""
        with self.lock:
            self.tokens[token].broken = reason

    # -- counters and insights -------------------------------------------------
    def add_reaction(
        self: FakeGraph, post_id: str, name: str, kind: str = "LIKE", user_id: str | None = None
    ) -> None:
        with self.lock:
            self.posts[post_id].reactions.append(
                (user_id or self.new_id(100_000_000_000_000), name, kind)
            )

    def set_fb_counts(
        self: FakeGraph, post_id: str, comments: int | None = None, shares: int | None = None
    ) -> None:
        with self.lock:
            post = self.posts[post_id]
            if comments is not None:
                post.comments = comments
            if shares is not None:
                post.shares = shares

    def set_fb_insights(self: FakeGraph, post_id: str, **metrics: Any) -> None:
        with self.lock:
            self.posts[post_id].insights.update(metrics)

    def set_ig_counts(
        self: FakeGraph, media_id: str, likes: int | None = None, comments: int | None = None
    ) -> None:
        with self.lock:
            media = self.media[media_id]
            if likes is not None:
                media.like_count = likes
            if comments is not None:
                media.comments_count = comments

    def set_ig_insights(self: FakeGraph, media_id: str, **metrics: int) -> None:
        with self.lock:
            self.media[media_id].insights.update(metrics)

    def set_insights_unavailable(self: FakeGraph, media_id: str, unavailable: bool = True) -> None:
        """``(#10) Not enough viewers for the media to show insights``."""
        with self.lock:
            self.media[media_id].insights_unavailable = unavailable

    def set_threads_insights(self: FakeGraph, media_id: str, **metrics: int) -> None:
        with self.lock:
            self.media[media_id].insights.update(metrics)

    def fail_container(
        self: FakeGraph, container_id: str, status: str = "ERROR", message: str | None = None
    ) -> None:
        """Put an IG/Threads container in ``ERROR`` or ``EXPIRED``."""
        with self.lock:
            container = self.containers[container_id]
            container.forced_status = status
            container.error_message = message

    def delete_remote(self: FakeGraph, node_id: str) -> None:
        """Delete a post or media as if done on the network itself."""
        with self.lock:
            if node_id in self.posts:
                self.posts[node_id].deleted = True
            else:
                self.media[node_id].deleted = True

    def exhaust_rate_limit(self: FakeGraph, kind: str = "pages", key: str | None = None) -> None:
        """Spend a budget: ``pages`` (Page id), ``instagram`` (IG user id) or ``app``."""
        with self.lock:
            budget = {
                "pages": self.page_budget,
                "instagram": self.ig_budget,
                "app": self.app_budget,
            }[kind]
            budget.exhaust(key or self.config.app_id, self.now())

    # -- what was published ----------------------------------------------------
    def fb_posts(self: FakeGraph, include_deleted: bool = True) -> list[dict[str, Any]]:
        with self.lock:
            found = []
            for post in sorted(self.posts.values(), key=lambda p: p.created):
                if post.deleted and not include_deleted:
                    continue
                data = dataclasses.asdict(post)
                data["photos"] = [
                    dataclasses.asdict(self.photos[p]) for p in post.photo_ids if p in self.photos
                ]
                data["permalink_url"] = post.permalink_url
                found.append(data)
            return found

    def _published(self: FakeGraph, owners: dict[str, Any]) -> list[dict[str, Any]]:
        children = self._child_ids()
        return [
            dataclasses.asdict(m)
            for m in sorted(self.media.values(), key=lambda m: m.created)
            if m.owner_id in owners and m.id not in children
        ]

    def ig_posts(self: FakeGraph) -> list[dict[str, Any]]:
        with self.lock:
            return self._published(self.ig_users)

    def threads_posts(self: FakeGraph) -> list[dict[str, Any]]:
        with self.lock:
            return self._published(self.threads_users)

    def configure(self: FakeGraph, **options: Any) -> None:
        """Change ``GraphConfig`` fields at run time (``ig_quota_total=2``…)."""
        with self.lock:
            for key, value in options.items():
                if not hasattr(self.config, key):
                    raise KeyError(f"unknown option {key!r}")
                setattr(
                    self.config,
                    key,
                    tuple(value)
                    if isinstance(value, list) and key.endswith(("metrics", "formats"))
                    else value,
                )
            if any("_call_" in key for key in options):
                self.app_budget = RateBudget(
                    self.config.app_call_limit, self.config.app_call_window
                )
                self.page_budget = RateBudget(
                    self.config.page_call_limit, self.config.page_call_window
                )
                self.ig_budget = RateBudget(self.config.ig_call_limit, self.config.ig_call_window)
