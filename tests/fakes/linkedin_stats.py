"""Statistics, social actions and reactions on the fake LinkedIn.

Sources (learn.microsoft.com/linkedin/marketing/community-management):
- ``organizations/share-statistics``: ``GET /rest/organizationalEntityShareStatistics
  ?q=organizationalEntity&organizationalEntity={org urn}&shares=List({share
  urn},…)`` (``ugcPosts=List(…)`` for ugcPost URNs) → ``{"elements":
  [{"organizationalEntity", "share"|"ugcPost", "totalShareStatistics":
  {"uniqueImpressionsCount", "shareCount", "engagement", "clickCount",
  "likeCount", "impressionCount", "commentCount"}}], "paging"}``; without
  shares, one element for the whole organization; organic only; needs
  ``rw_organization_admin`` and an ADMINISTRATOR/ANALYST role.
- ``shares/network-update-social-actions``: ``GET /rest/socialActions/{urn}``
  → ``{"likesSummary": {"totalLikes", "likedByCurrentUser",
  "selectedLikes"}, "commentsSummary": {"totalFirstLevelComments",
  "aggregatedTotalComments", "selectedComments"}, "target"}``.
- Reactions of every type count as likes in both (``likeCount``, ``totalLikes``:
  unconfirmed; LinkedIn's pages show one reactions total): ``LiPost.likes`` are
  reactions nobody listed, plus one per listed reaction.
- ``shares/reactions-api``: ``GET /rest/reactions/(entity:{encoded urn})?q=
  entity&sort=(value:REVERSE_CHRONOLOGICAL)`` → elements with ``id``,
  ``reactionType``, ``root``, ``created {actor, time}``; ``start``/``count``
  paging.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tests.fakes.linkedin_content import decoded, ms
from tests.fakes.linkedin_models import LiPost, LiToken, li_error
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.linkedin import FakeLinkedIn

STATS_ROLES = ("ADMINISTRATOR", "ANALYST")
LIST_RE = re.compile(r"^List\((.*)\)$")


def list_param(value: str | None) -> list[str]:
    text = decoded(value or "")
    found = LIST_RE.match(text)
    if not found:
        return [text] if text else []
    return [decoded(item) for item in found.group(1).split(",") if item]


class LinkedInStatsMixin:
    """Share statistics, social actions, reactions; mixed into FakeLinkedIn."""

    def _totals(self: FakeLinkedIn, posts: list[LiPost]) -> dict[str, Any]:
        totals = {
            "uniqueImpressionsCount": 0,
            "shareCount": 0,
            "clickCount": 0,
            "likeCount": 0,
            "impressionCount": 0,
            "commentCount": 0,
        }
        for post in posts:
            for key in totals:
                totals[key] += post.stats.get(key, 0)
            totals["likeCount"] += post.reaction_count
            totals["commentCount"] += post.comments
        interactions = (
            totals["clickCount"]
            + totals["likeCount"]
            + totals["commentCount"]
            + totals["shareCount"]
        )
        impressions = totals["impressionCount"]
        totals["engagement"] = interactions / impressions if impressions else 0.0
        return totals

    def share_statistics(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        if request.arg("q") != "organizationalEntity":
            return li_error("bad_request", detail="Invalid finder: q must be organizationalEntity")
        org_urn = decoded(request.arg("organizationalEntity") or "")
        org = self.organizations.get(org_urn.rsplit(":", 1)[-1])
        if org is None or org.roles.get(token.member_id) not in STATS_ROLES:
            return li_error(
                "access_denied",
                resource="organizationalEntityShareStatistics.FINDER-organizationalEntity",
            )
        wanted = [("share", u) for u in list_param(request.arg("shares"))]
        wanted += [("ugcPost", u) for u in list_param(request.arg("ugcPosts"))]
        elements = []
        if not wanted:
            posts = [p for p in self.posts.values() if p.author == org_urn and not p.deleted]
            elements.append(
                {"organizationalEntity": org_urn, "totalShareStatistics": self._totals(posts)}
            )
        for key, urn in wanted:
            post = self.posts.get(urn)
            if post is None or post.author != org_urn or post.deleted:
                continue  # unknown or foreign posts are left out of the answer
            elements.append(
                {
                    "organizationalEntity": org_urn,
                    key: urn,
                    "totalShareStatistics": self._totals([post]),
                }
            )
        return json_response(
            {"paging": {"count": 10, "start": 0, "links": []}, "elements": elements}
        )

    def social_actions(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        urn = decoded(request.params["urn"])
        post = self.posts.get(urn)
        if post is None or post.deleted:
            return li_error("not_found", detail="socialActions")
        likes = post.reaction_count
        return json_response(
            {
                "commentsSummary": {
                    "selectedComments": [],
                    "totalFirstLevelComments": post.comments,
                    "aggregatedTotalComments": post.comments,
                },
                "target": urn,
                "likesSummary": {
                    "selectedLikes": [],
                    "likedByCurrentUser": False,
                    "totalLikes": likes,
                },
            }
        )

    def list_reactions(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        key = decoded(request.params["key"])
        found = re.fullmatch(r"\(entity:(.+)\)", key)
        if not found or request.arg("q") != "entity":
            return li_error("bad_request", detail="Invalid key or finder")
        post = self.posts.get(found.group(1))
        if post is None or post.deleted:
            return li_error("not_found", detail="reactions")
        rows = sorted(post.reactions, key=lambda r: r[2], reverse=True)
        start = int(request.arg("start", 0))
        count = min(int(request.arg("count", 10)), 100)
        elements = [
            {
                "id": f"urn:li:reaction:({actor},{post.urn})",
                "reactionType": kind,
                "root": post.urn,
                "created": {"actor": actor, "impersonator": actor, "time": ms(when)},
                "lastModified": {"actor": actor, "impersonator": actor, "time": ms(when)},
            }
            for actor, kind, when in rows[start : start + count]
        ]
        return json_response(
            {
                "paging": {"start": start, "count": count, "total": len(rows), "links": []},
                "elements": elements,
            }
        )
