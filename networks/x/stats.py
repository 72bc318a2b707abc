"""Metrics of X posts (public and non-public metrics, 100 posts a request) and who liked
or reposted them (liking_users, retweeted_by) within X's tiny rate-limit windows."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests

from networks.client import (
    Account,
    AuthError,
    EngagementKind,
    Engager,
    Metrics,
    PermanentError,
    RateLimited,
    RemotePost,
    utcnow,
)
from networks.http import EndpointBudgets
from networks.x.api import DEFAULT_THROTTLE_WAIT, XApi, api_base

# Who liked / reposted (x-api/posts/likes, x-api/posts/retweets): 75 requests per 15
# minutes per user each, up to 100 accounts a page; liking_users lists only the 100
# most recent likers of a post, ever.
ENGAGER_ENDPOINTS: dict[str, str] = {"like": "liking_users", "share": "retweeted_by"}

ENGAGERS_PAGE = 100

# A list refused for want of a scope (an account connected before like.read was
# asked): not asked again for this long, nor does it ask to reconnect.
REFUSED_LIST_WAIT = timedelta(days=1)

_list_budgets = EndpointBudgets()

logger = logging.getLogger(__name__)


class MetricsMixin(XApi):
    """Counts and who liked or reposted: the metrics part of `XClient`."""

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """Public metrics (likes, replies, reposts, quotes, impressions) and, for the
        account's posts of the last 30 days, link clicks from the non-public metrics,
        up to 100 posts per request. A field X refuses (`not-authorized-for-field`)
        is logged and skipped; a post X no longer has is left out."""
        found: dict[str, Metrics] = {}
        for start in range(0, len(posts), self.metrics_batch_size):
            batch = posts[start : start + self.metrics_batch_size]
            response = self._call(
                "GET",
                account,
                "/2/tweets",
                params={
                    "ids": ",".join(p.remote_id for p in batch),
                    "tweet.fields": "public_metrics,non_public_metrics",
                },
            )
            body = response.json()
            for error in body.get("errors") or []:
                if str(error.get("type", "")).endswith("resource-not-found"):
                    continue  # deleted on X: left out of the answer
                logger.info(
                    "X metric %s skipped for %s: %s",
                    error.get("field") or error.get("parameter"),
                    error.get("resource_id") or error.get("value"),
                    error.get("detail") or error.get("title"),
                )
            for data in body.get("data") or []:
                public = data.get("public_metrics") or {}
                private = data.get("non_public_metrics") or {}
                found[str(data["id"])] = Metrics(
                    likes=public.get("like_count"),
                    replies=public.get("reply_count"),
                    shares=public.get("retweet_count"),
                    quotes=public.get("quote_count"),
                    impressions=public.get("impression_count", private.get("impression_count")),
                    clicks=private.get("url_link_clicks"),
                )
        return found

    def fetch_engagers(
        self,
        account: Account,
        post: RemotePost,
        *,
        kind: EngagementKind,
        known=None,
        max_pages: int = 20,
        total: int | None = None,
    ) -> list[Engager]:
        """`GET /2/tweets/:id/liking_users` or `/retweeted_by`, 100 accounts a page,
        `meta.next_token` for the next. X's windows are tiny (75 requests per 15
        minutes each): the answer's `x-rate-limit-remaining` and `-reset` are kept, and
        once nothing is left, no request is made before the reset (RateLimited with
        scope "endpoint": the counts go on). Engagers are X user ids; no domain."""
        endpoint = ENGAGER_ENDPOINTS[kind]
        budget = (api_base(account), account.remote_id, endpoint)
        waiting = _list_budgets.blocked_until(budget)
        if waiting is not None:
            raise RateLimited(
                f"X: {endpoint} paused until its reset",
                reset_at=waiting,
                code="list_budget",
                scope="endpoint",
            )
        params: dict = {"max_results": ENGAGERS_PAGE}
        engagers: list[Engager] = []
        for _page in range(max_pages):
            if engagers and _list_budgets.blocked_until(budget) is not None:
                # Never a partial list (the caller would forget the rest): wait.
                raise RateLimited(
                    f"X: {endpoint} paused until its reset",
                    reset_at=_list_budgets.blocked_until(budget),
                    code="list_budget",
                    scope="endpoint",
                )
            response = self._list_page(account, post, endpoint, budget, params)
            body = response.json()
            page = [
                Engager(key=str(user["id"]), handle=f"@{user.get('username') or ''}", domain="")
                for user in body.get("data") or []
            ]
            engagers += page
            following = (body.get("meta") or {}).get("next_token")
            seen = known is not None and any(known(e.key) for e in page)
            seen = seen or (total is not None and len(engagers) >= total)
            if seen or not page or not following:
                break
            params = {"max_results": ENGAGERS_PAGE, "pagination_token": following}
        return engagers

    def _list_page(self, account, post, endpoint, budget, params) -> requests.Response:
        try:
            response = self._call(
                "GET", account, f"/2/tweets/{post.remote_id}/{endpoint}", params=params
            )
        except RateLimited as exc:
            reset = exc.reset_at or utcnow() + DEFAULT_THROTTLE_WAIT
            _list_budgets.block(budget, reset)
            raise RateLimited(
                exc.message, reset_at=reset, status=exc.status, code=exc.code, scope="endpoint"
            ) from exc
        except AuthError as exc:
            if exc.status != 403:
                raise
            # A missing scope (like.read): ask again tomorrow, never "reconnect".
            _list_budgets.block(budget, utcnow() + REFUSED_LIST_WAIT)
            raise PermanentError(exc.message, status=exc.status, code=exc.code) from exc
        _list_budgets.note(budget, response.headers)
        return response
