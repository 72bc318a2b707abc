"""Metrics of LinkedIn posts: share statistics (or social actions), and who reacted
(the Reactions API) for the public vs colleagues split."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import quote

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
from networks.linkedin.api import LinkedInApi, api_base, next_midnight, org_urn

# Who reacted (shares/reactions-api): `start`/`count` pages, newest first with
# sort=(value:REVERSE_CHRONOLOGICAL); the largest page LinkedIn accepts is
# unconfirmed. No API lists who reshared an organization's post.
REACTIONS_PAGE = 100

# Reactions refused (403: the app lacks the Community Management permission, or the
# member's page role) are not asked again for this long.
REFUSED_LIST_WAIT = timedelta(days=1)

_list_budgets = EndpointBudgets()

logger = logging.getLogger(__name__)


class MetricsMixin(LinkedInApi):
    """Counts and who reacted: the metrics part of `LinkedInClient`."""

    # --- metrics -------------------------------------------------------------------------
    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        """One statistics call for every post (organic impressions, clicks, likes,
        comments, shares); a post the statistics leave out, or every post when they are
        refused (a CONTENT_ADMINISTRATOR may not read them), gets its likes and
        comments from socialActions. A missing or refused figure is logged and skipped."""
        found: dict[str, Metrics] = {}
        stats = self._statistics(account, posts)
        for post in posts:
            totals = stats.get(post.remote_id)
            if totals is not None:
                found[post.remote_id] = Metrics(
                    likes=_count(totals, "likeCount", post),
                    replies=_count(totals, "commentCount", post),
                    shares=_count(totals, "shareCount", post),
                    impressions=_count(totals, "impressionCount", post),
                    clicks=_count(totals, "clickCount", post),
                )
                continue
            try:
                response = self._request(
                    "GET", account, f"/rest/socialActions/{quote(post.remote_id, '')}"
                )
            except (AuthError, PermanentError) as exc:
                if exc.status == 404:
                    continue  # deleted on LinkedIn: left out of the answer
                logger.info("LinkedIn social actions skipped for %s: %s", post.remote_id, exc)
                found[post.remote_id] = Metrics()
                continue
            data = response.json()
            found[post.remote_id] = Metrics(
                likes=(data.get("likesSummary") or {}).get("totalLikes"),
                replies=(data.get("commentsSummary") or {}).get("aggregatedTotalComments"),
            )
        return found

    def _statistics(self, account: Account, posts: list[RemotePost]) -> dict[str, dict]:
        shares = [p.remote_id for p in posts if ":share:" in p.remote_id]
        ugc = [p.remote_id for p in posts if ":ugcPost:" in p.remote_id]
        if not shares and not ugc:
            return {}
        # Rest.li 2.0 lists: List(...) literal, each URN percent-encoded.
        query = f"q=organizationalEntity&organizationalEntity={quote(org_urn(account), '')}"
        for name, urns in (("shares", shares), ("ugcPosts", ugc)):
            if urns:
                query += f"&{name}=List({','.join(quote(u, '') for u in urns)})"
        try:
            response = self._request(
                "GET", account, f"/rest/organizationalEntityShareStatistics?{query}"
            )
        except (AuthError, PermanentError) as exc:
            logger.info("LinkedIn share statistics skipped for %s: %s", account.remote_id, exc)
            return {}
        found = {}
        for element in response.json().get("elements") or []:
            urn = element.get("share") or element.get("ugcPost")
            if urn:
                found[str(urn)] = element.get("totalShareStatistics") or {}
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
        """Who reacted (any reaction: like, celebrate, support…; LinkedIn counts them
        all as likes), newest first, from the Reactions API: `GET /rest/reactions/
        (entity:{urn})?q=entity`, `created.actor` a member or organization URN. Only
        URNs: no name is asked for. A 429 (daily quota) or a refusal waits for the
        next day without holding the counts back (RateLimited, scope "endpoint")."""
        if kind not in self.engager_kinds:
            raise NotImplementedError("LinkedIn lists reactions, not reshares")
        budget = (api_base(account), account.remote_id, "reactions")
        waiting = _list_budgets.blocked_until(budget)
        if waiting is not None:
            raise RateLimited(
                "LinkedIn: reactions paused", reset_at=waiting, code="list_budget",
                scope="endpoint",
            )  # fmt: skip
        entity = quote(post.remote_id, "")
        engagers: list[Engager] = []
        start = 0
        for _page in range(max_pages):
            path = (
                f"/rest/reactions/(entity:{entity})?q=entity"
                f"&sort=(value:REVERSE_CHRONOLOGICAL)&start={start}&count={REACTIONS_PAGE}"
            )
            try:
                response = self._request("GET", account, path)
            except RateLimited as exc:
                _list_budgets.block(budget, exc.reset_at or next_midnight())
                raise RateLimited(
                    exc.message, reset_at=exc.reset_at, status=exc.status, code=exc.code,
                    scope="endpoint",
                ) from exc  # fmt: skip
            except AuthError as exc:
                if exc.status != 403:
                    raise
                _list_budgets.block(budget, utcnow() + REFUSED_LIST_WAIT)
                raise PermanentError(exc.message, status=exc.status, code=exc.code) from exc
            body = response.json()
            page = []
            for element in body.get("elements") or []:
                actor = str((element.get("created") or {}).get("actor") or "")
                if actor:
                    page.append(Engager(key=actor, handle=actor, domain=""))
            engagers += page
            start += len(body.get("elements") or [])
            listed = (body.get("paging") or {}).get("total")
            seen = known is not None and any(known(e.key) for e in page)
            seen = seen or (total is not None and len(engagers) >= total)
            if seen or not page or (isinstance(listed, int) and start >= listed):
                break
        return engagers


def _count(totals: dict, name: str, post: RemotePost) -> int | None:
    value = totals.get(name)
    if isinstance(value, int):
        return value
    logger.info("LinkedIn statistic %s missing for %s: skipped", name, post.remote_id)
    return None
