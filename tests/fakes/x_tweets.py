"""Posts, metrics and likers on the fake X (API v2).

Sources: docs.x.com ``x-api/posts/manage-tweets`` (``POST /2/tweets`` → 201
``{"data": {"id", "text", "edit_history_tweet_ids"}}``; ``DELETE
/2/tweets/:id`` → ``{"data": {"deleted": true}}``), ``x-api/posts/lookup``
(``GET /2/tweets/:id``, and ``GET /2/tweets?ids=`` for up to 100, with
``tweet.fields``, ``expansions``,
``media.fields``; a missing post is a 200 whose ``errors`` hold a
``resource-not-found`` problem), ``x-api/fundamentals/metrics``
(``public_metrics``; ``non_public_metrics`` and ``organic_metrics`` only for
the author's own posts of the last 30 days, otherwise a
``not-authorized-for-field`` error next to the data),
``x-api/posts/timelines`` (``GET /2/users/:id/tweets``, ``max_results``
5–100, ``start_time``, ``pagination_token``, ``meta``),
``x-api/posts/likes/introduction`` (``liking_users``: the 100 most recent).
Text: 280 weighted characters counted like ``networks.x`` (twitter-text v3);
URLs come back wrapped as ``https://t.co/…`` and attached media add one more
t.co link at the end. A repeated text answers 403 "You are not allowed to
create a Tweet with duplicate content." (Postiz error map); a too long one
400 "Your Tweet text is too long. …" (tweepy traces). Deleting an unknown
post answers ``{"deleted": false}`` (unconfirmed).
"""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING, Any

from tests.fakes.web import FakeRequest, FakeResponse, json_response
from tests.fakes.x_models import (
    PROBLEMS,
    Tweet,
    XToken,
    invalid_request,
    parse_x_time,
    problem,
    x_time,
)

if TYPE_CHECKING:
    from tests.fakes.x import FakeX

TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length "
    "see https://github.com/twitter/twitter-text."
)
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
PUBLIC = (
    "retweet_count",
    "reply_count",
    "like_count",
    "quote_count",
    "bookmark_count",
    "impression_count",
)
NON_PUBLIC = ("impression_count", "url_link_clicks", "user_profile_clicks", "engagements")
ORGANIC = (
    "impression_count",
    "like_count",
    "reply_count",
    "retweet_count",
    "url_link_clicks",
    "user_profile_clicks",
)


def tco() -> str:
    return "https://t.co/" + "".join(
        secrets.choice(string.ascii_letters + string.digits) for _ in range(10)
    )


class XTweetsMixin:
    """Create, delete, look up, list posts; liking users; mixed into FakeX."""

    def _display_text(self: FakeX, text: str, with_media: bool) -> str:
        from networks import text as textlib

        out, position = [], 0
        for url in textlib.extract_urls(text):
            out.append(text[position : url.start])
            out.append(tco())
            position = url.end
        out.append(text[position:])
        shown = "".join(out)
        return f"{shown} {tco()}".strip() if with_media else shown

    def create_tweet(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else None
        if body is None:
            return invalid_request("Request body must be JSON.", {"body": ["invalid"]})
        text = body.get("text") or ""
        media_ids = [str(m) for m in ((body.get("media") or {}).get("media_ids") or [])]
        if not text.strip() and not media_ids:
            return invalid_request("Tweet needs to have text or media.", {"text": [""]})
        from networks import get_network

        if get_network("x").measure(text) > self.config.text_max:
            return problem(400, TOO_LONG)
        problem_response = self._check_attached(media_ids, token)
        if problem_response:
            return problem_response
        if self._is_duplicate(token.user_id, text):
            return problem(403, DUPLICATE)
        tweet = Tweet(
            id=self.snowflake(),
            author_id=token.user_id,
            text=text,
            created=self.now(),
            media_ids=media_ids,
        )
        tweet.public = {key: 0 for key in PUBLIC}
        tweet.private = {key: 0 for key in NON_PUBLIC}
        tweet.display = self._display_text(text, bool(media_ids))
        self.tweets[tweet.id] = tweet
        data = {"edit_history_tweet_ids": [tweet.id], "id": tweet.id, "text": tweet.display}
        return json_response({"data": data}, 201)

    def _check_attached(self: FakeX, media_ids: list[str], token: XToken) -> FakeResponse | None:
        if not media_ids:
            return None
        if len(media_ids) > self.config.photos_max:
            return invalid_request(
                f"size must be between 1 and {self.config.photos_max}",
                {"media.media_ids": media_ids},
            )
        items = [self._media_of(m, token) for m in media_ids]
        if any(m is None or m.state != "succeeded" for m in items):
            return invalid_request("Your media IDs are invalid.", {"media.media_ids": media_ids})
        if len(items) > 1 and any(m.kind != "photo" for m in items):
            return invalid_request(
                "A GIF or a video must be the only media of a post.", {"media.media_ids": media_ids}
            )
        return None

    def _is_duplicate(self: FakeX, user_id: str, text: str) -> bool:
        window = self.config.duplicate_window
        for tweet in self.tweets.values():
            if tweet.deleted or tweet.author_id != user_id or tweet.text != text:
                continue
            if window is None or self.now() - tweet.created <= window:
                return True
        return False

    def delete_tweet(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        tweet = self.tweets.get(request.params["id"])
        if tweet is None or tweet.deleted:
            return json_response({"data": {"deleted": False}})
        if tweet.author_id != token.user_id:
            return problem(403, "You are not allowed to delete this Tweet.")
        tweet.deleted = True
        return json_response({"data": {"deleted": True}})

    # -- reads -----------------------------------------------------------------
    def serialize_tweet(
        self: FakeX, tweet: Tweet, request: FakeRequest, token: XToken
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        fields = [f for f in (request.arg("tweet.fields") or "").split(",") if f]
        data: dict[str, Any] = {
            "id": tweet.id,
            "text": tweet.display,
            "edit_history_tweet_ids": [tweet.id],
        }
        errors: list[dict[str, Any]] = []
        own_recent = (
            tweet.author_id == token.user_id
            and self.now() - tweet.created <= self.config.non_public_days * 86400
        )
        for name in fields:
            if name == "created_at":
                data["created_at"] = x_time(tweet.created)
            elif name == "author_id":
                data["author_id"] = tweet.author_id
            elif name == "public_metrics":
                data["public_metrics"] = {k: tweet.public.get(k, 0) for k in PUBLIC}
            elif name in ("non_public_metrics", "organic_metrics"):
                if not own_recent:
                    errors.append(self._field_error(tweet.id, name))
                    continue
                keys = NON_PUBLIC if name == "non_public_metrics" else ORGANIC
                source = {**tweet.public, **tweet.private}
                data[name] = {k: source.get(k, 0) for k in keys}
            elif name == "attachments" and tweet.media_ids:
                data["attachments"] = {
                    "media_keys": [self.media[m].media_key for m in tweet.media_ids]
                }
        return data, errors

    @staticmethod
    def _field_error(tweet_id: str, field: str) -> dict[str, Any]:
        return {
            "value": tweet_id,
            "detail": f"Sorry, you are not authorized to access '{field}' on the Tweet "
            f"with ids: [{tweet_id}].",
            "title": "Field Authorization Error",
            "resource_type": "tweet",
            "field": field,
            "parameter": "tweet.fields",
            "section": "data",
            "resource_id": tweet_id,
            "type": PROBLEMS + "not-authorized-for-field",
        }

    def _includes(self: FakeX, tweets: list[Tweet], request: FakeRequest) -> dict[str, Any]:
        if "attachments.media_keys" not in (request.arg("expansions") or ""):
            return {}
        fields = [f for f in (request.arg("media.fields") or "").split(",") if f]
        media = []
        for tweet in tweets:
            for media_id in tweet.media_ids:
                item = self.media[media_id]
                entry: dict[str, Any] = {"media_key": item.media_key, "type": item.kind}
                if "alt_text" in fields and item.alt_text is not None:
                    entry["alt_text"] = item.alt_text
                if "width" in fields:
                    entry["width"] = item.width
                if "height" in fields:
                    entry["height"] = item.height
                media.append(entry)
        return {"includes": {"media": media}} if media else {}

    def get_tweet(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        tweet = self.tweets.get(request.params["id"])
        if tweet is None or tweet.deleted:
            tweet_id = request.params["id"]
            return json_response(
                {
                    "errors": [
                        {
                            "value": tweet_id,
                            "detail": f"Could not find tweet with id: [{tweet_id}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "id",
                            "resource_id": tweet_id,
                            "type": PROBLEMS + "resource-not-found",
                        }
                    ]
                }
            )
        data, errors = self.serialize_tweet(tweet, request, token)
        body: dict[str, Any] = {"data": data, **self._includes([tweet], request)}
        if errors:
            body["errors"] = errors
        return json_response(body)

    def get_tweets(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        """``GET /2/tweets?ids=1,2,…`` (1 to 100 ids): the posts found in ``data``,
        each missing one as a ``resource-not-found`` error, refused fields too."""
        ids = [i for i in (request.arg("ids") or "").split(",") if i]
        if not 1 <= len(ids) <= 100:
            return invalid_request(
                "The `ids` query parameter value must hold 1 to 100 ids",
                {"ids": [request.arg("ids") or ""]},
            )
        data, errors, found = [], [], []
        for tweet_id in ids:
            tweet = self.tweets.get(tweet_id)
            if tweet is None or tweet.deleted:
                errors.append(
                    {
                        "value": tweet_id,
                        "detail": f"Could not find tweet with ids: [{tweet_id}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "ids",
                        "resource_id": tweet_id,
                        "type": PROBLEMS + "resource-not-found",
                    }
                )
                continue
            item, refused = self.serialize_tweet(tweet, request, token)
            data.append(item)
            errors += refused
            found.append(tweet)
        body: dict[str, Any] = {}
        if data:
            body["data"] = data
            body.update(self._includes(found, request))
        if errors:
            body["errors"] = errors
        return json_response(body)

    def user_tweets(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        user_id = request.params["id"]
        if user_id not in self.users:
            return problem(
                404,
                f"Could not find user with id: [{user_id}].",
                title="Not Found Error",
                kind="resource-not-found",
            )
        try:
            limit = int(request.arg("max_results", 10))
        except ValueError:
            limit = -1
        if not 5 <= limit <= 100:
            return invalid_request(
                "The `max_results` query parameter value is not between 5 and 100",
                {"max_results": [str(request.arg("max_results"))]},
            )
        tweets = [t for t in self.tweets.values() if t.author_id == user_id and not t.deleted]
        if request.arg("start_time"):
            tweets = [t for t in tweets if t.created >= parse_x_time(request.arg("start_time"))]
        if request.arg("end_time"):
            tweets = [t for t in tweets if t.created <= parse_x_time(request.arg("end_time"))]
        if request.arg("since_id"):
            tweets = [t for t in tweets if int(t.id) > int(request.arg("since_id"))]
        tweets.sort(key=lambda t: int(t.id), reverse=True)
        start = int(request.arg("pagination_token") or 0)
        page = tweets[start : start + limit]
        meta: dict[str, Any] = {"result_count": len(page)}
        if not page:
            return json_response({"meta": meta})
        meta["newest_id"], meta["oldest_id"] = page[0].id, page[-1].id
        if start + limit < len(tweets):
            meta["next_token"] = str(start + limit)
        data = [self.serialize_tweet(t, request, token)[0] for t in page]
        return json_response({"data": data, **self._includes(page, request), "meta": meta})

    def liking_users(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        tweet = self.tweets.get(request.params["id"])
        if tweet is None or tweet.deleted:
            return json_response({"meta": {"result_count": 0}})
        likers = list(reversed(tweet.likers))[: self.config.liking_users_cap]
        return self._users_page(likers, request)

    def retweeted_by(self: FakeX, request: FakeRequest, token: XToken) -> FakeResponse:
        """``GET /2/tweets/:id/retweeted_by`` (x-api/posts/retweets): no all-time cap
        is documented, unlike liking_users."""
        tweet = self.tweets.get(request.params["id"])
        if tweet is None or tweet.deleted:
            return json_response({"meta": {"result_count": 0}})
        return self._users_page(list(reversed(tweet.retweeters)), request)

    def _users_page(self: FakeX, user_ids: list[str], request: FakeRequest) -> FakeResponse:
        """Newest first (unconfirmed), ``max_results`` 1-100 (default 100),
        ``pagination_token`` → ``meta.next_token``."""
        limit = max(1, min(int(request.arg("max_results", 100)), 100))
        start = int(request.arg("pagination_token") or 0)
        page = user_ids[start : start + limit]
        meta: dict[str, Any] = {"result_count": len(page)}
        if start + limit < len(user_ids):
            meta["next_token"] = str(start + limit)
        if not page:
            return json_response({"meta": meta})
        users = [self.users[u] for u in page]
        data = [{"id": u.id, "name": u.name, "username": u.username} for u in users]
        return json_response({"data": data, "meta": meta})
