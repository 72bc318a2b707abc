"""Test helpers of the fake X (also callable through ``POST /__fake__/call``).

The default world: the authorizing user ``@mediatheque_lille`` (id
``1500000000000000001``) and a few readers who like posts.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from tests.fakes.x_models import XUser
from tests.fakes.x_oauth import DEFAULT_SCOPES

if TYPE_CHECKING:
    from tests.fakes.x import FakeX


class XControlsMixin:
    CONTROL_METHODS: tuple[str, ...] = (
        "add_user",
        "login_as",
        "issue_token",
        "revoke_token",
        "retweet",
        "like",
        "set_metrics",
        "fail_media",
        "delete_remote",
        "exhaust_rate_limit",
        "cap_usage",
        "x_posts",
        "configure",
    )

    def seed_default_accounts(self: FakeX) -> None:
        self.current_user_id = self.add_user(
            "1500000000000000001", "Médiathèque de Lille", "mediatheque_lille"
        )

    def add_user(self: FakeX, user_id: str, name: str, username: str) -> str:
        with self.lock:
            self.users[user_id] = XUser(user_id, name, username)
            return user_id

    def login_as(self: FakeX, user_id: str) -> None:
        with self.lock:
            if user_id not in self.users:
                raise KeyError(user_id)
            self.current_user_id = user_id

    def issue_token(
        self: FakeX, user_id: str | None = None, scopes: list[str] | None = None
    ) -> dict[str, Any]:
        """``{"access_token", "refresh_token"?}`` without the OAuth dance."""
        with self.lock:
            token, refresh = self.issue_x_token(
                user_id or self.current_user_id, list(scopes or DEFAULT_SCOPES)
            )
            result: dict[str, Any] = {"access_token": token.value}
            if refresh:
                result["refresh_token"] = refresh.value
            return result

    def revoke_token(self: FakeX, token: str) -> None:
        with self.lock:
            self.tokens[token].revoked = True

    def like(self: FakeX, tweet_id: str, username: str) -> None:
        """A reader (created on the fly) likes the post: listed and counted."""
        with self.lock:
            tweet = self.tweets[tweet_id]
            tweet.likers.append(self._reader(username).id)
            tweet.public["like_count"] = tweet.public.get("like_count", 0) + 1

    def retweet(self: FakeX, tweet_id: str, username: str) -> None:
        """A reader (created on the fly) reposts the post: listed and counted."""
        with self.lock:
            tweet = self.tweets[tweet_id]
            tweet.retweeters.append(self._reader(username).id)
            tweet.public["retweet_count"] = tweet.public.get("retweet_count", 0) + 1

    def _reader(self: FakeX, username: str) -> XUser:
        user = next((u for u in self.users.values() if u.username == username), None)
        if user is None:
            user = XUser(self.snowflake(), username.capitalize(), username)
            self.users[user.id] = user
        return user

    def set_metrics(self: FakeX, tweet_id: str, **metrics: int) -> None:
        """``like_count``, ``retweet_count``, ``impression_count``, ``url_link_clicks``…"""
        with self.lock:
            tweet = self.tweets[tweet_id]
            for key, value in metrics.items():
                if key in tweet.public:
                    tweet.public[key] = value
                if key in tweet.private or key not in tweet.public:
                    tweet.private[key] = value

    def fail_media(self: FakeX, media_id: str, message: str = "Unsupported video format") -> None:
        with self.lock:
            media = self.media[media_id]
            media.state, media.error = "failed", message

    def delete_remote(self: FakeX, tweet_id: str) -> None:
        with self.lock:
            self.tweets[tweet_id].deleted = True

    def exhaust_rate_limit(
        self: FakeX, endpoint: str = "tweets_create", user_id: str | None = None
    ) -> None:
        """Spend a budget (a key of ``RATE_LIMITS``): the next call is 429."""
        with self.lock:
            key = (
                self.config.client_id
                if endpoint.endswith("_app")
                else (user_id or self.current_user_id)
            )
            self.budgets[endpoint].exhaust(key, self.now())

    def cap_usage(self: FakeX, capped: bool = True) -> None:
        """The pay-per-use budget is spent: 429 ``usage-capped`` everywhere."""
        with self.lock:
            self.usage_capped = capped

    def x_posts(self: FakeX, include_deleted: bool = True) -> list[dict[str, Any]]:
        with self.lock:
            found = []
            for tweet in sorted(self.tweets.values(), key=lambda t: int(t.id)):
                if tweet.deleted and not include_deleted:
                    continue
                data = dataclasses.asdict(tweet)
                data["alt_texts"] = [self.media[m].alt_text for m in tweet.media_ids]
                found.append(data)
            return found

    def configure(self: FakeX, **options: Any) -> None:
        with self.lock:
            for key, value in options.items():
                if not hasattr(self.config, key):
                    raise KeyError(f"unknown option {key!r}")
                setattr(self.config, key, value)
            if "rate_limits" in options:
                self._make_budgets()
