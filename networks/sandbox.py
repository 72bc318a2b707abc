"""Sandbox: Annexe's own training network. Posts land on a sandbox timeline inside
Annexe, so new colleagues can practise and the demo works offline.

Rules chosen to feel like a typical network: 500 user-perceived characters (grapheme
clusters), four images, alt text expected.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from networks import text as textlib
from networks.base import ImageLimits, Network, TextLimits
from networks.client import (
    Account,
    AccountInfo,
    Engager,
    Metrics,
    NetworkClient,
    PublishRequest,
    RemotePost,
)


class Sandbox(Network):
    key = "sandbox"
    name = _("Bac à sable")
    text_limits = TextLimits(max_length=500)
    image_limits = ImageLimits(
        max_count=4,
        max_bytes=10_000_000,
        formats=("image/jpeg", "image/png", "image/webp", "image/gif"),
        alt_text_max=1500,
        animated_gif="always",
    )

    def measure(self, text: str) -> int:
        return textlib.grapheme_count(textlib.prepare_text(text))

    def client(self) -> SandboxClient:
        return SandboxClient()


# ======================================================================================
# Client: nothing leaves Annexe. A "published" sandbox post is the publication itself,
# shown on the sandbox timeline page (`account.server_url`); engagement is simulated,
# deterministically from the post's id, arriving over the hours after publication.
# ======================================================================================
@dataclass(frozen=True)
class Interaction:
    kind: str  # "like", "share" or "reply"
    actor: str  # "sandbox:public-12", "sandbox:colleague-3"
    at: datetime


# Totals a post reaches (drawn per post) and the mean delay of an interaction (hours).
MEAN_DELAY_HOURS = 4.0
COLLEAGUE_SHARE = 0.3


def simulated_interactions(remote_id: str, published_at: datetime) -> list[Interaction]:
    """Every interaction the post will ever get, with its time: a few dozen likes, some
    shares and replies, most in the first hours (exponential delays), about a third of
    them from colleagues (so the metrics can show the public apart)."""
    rng = random.Random(hashlib.sha256(remote_id.encode()).digest())  # noqa: S311 - a simulation
    totals = {"like": rng.randint(4, 60), "share": rng.randint(0, 15), "reply": rng.randint(0, 6)}
    interactions = []
    for kind, total in totals.items():
        for _index in range(total):
            delay = timedelta(hours=rng.expovariate(1 / MEAN_DELAY_HOURS))
            who = "colleague" if rng.random() < COLLEAGUE_SHARE else "public"
            actor = f"sandbox:{who}-{rng.randint(1, 40)}"
            interactions.append(Interaction(kind, actor, published_at + delay))
    interactions.sort(key=lambda i: i.at)
    return interactions


def simulated_metrics(remote_id: str, published_at: datetime, at: datetime) -> Metrics:
    """The counts at time `at`."""
    arrived = [i for i in simulated_interactions(remote_id, published_at) if i.at <= at]
    return Metrics(
        likes=sum(1 for i in arrived if i.kind == "like"),
        shares=sum(1 for i in arrived if i.kind == "share"),
        replies=sum(1 for i in arrived if i.kind == "reply"),
        quotes=0,
        impressions=None,
    )


# Simulated engagers live on two made-up domains, so that a colleague list holding
# the domain `collegues.bac-a-sable` shows the public apart in the demo.
COLLEAGUE_DOMAIN = "collegues.bac-a-sable"
PUBLIC_DOMAIN = "public.bac-a-sable"


def _sandbox_engager(actor: str) -> Engager:
    who, _, number = actor.removeprefix("sandbox:").partition("-")
    domain = COLLEAGUE_DOMAIN if who == "colleague" else PUBLIC_DOMAIN
    return Engager(key=f"{who}{number}@{domain}", handle=f"@{who}{number}@{domain}", domain=domain)


class SandboxClient(NetworkClient):
    key = "sandbox"
    connect_kind = "local"
    remote = False
    supports_repost = True
    metrics_batch_size = 100
    supports_engagers = True

    def publish(self, account: Account, request: PublishRequest) -> RemotePost:
        return RemotePost(
            remote_id=f"sandbox:{request.key}",
            url=f"{account.server_url}#post-{request.key}",
            published_at=datetime.now(UTC),
        )

    def find(self, account: Account, request: PublishRequest, *, since: datetime) -> None:
        # Publishing is a pure function of the key: sending again cannot duplicate.
        return None

    def delete(self, account: Account, post: RemotePost) -> None:
        return None

    def repost(self, account: Account, original: RemotePost, *, key: str) -> RemotePost:
        return RemotePost(
            remote_id=f"sandbox:repost:{key}", url=original.url, published_at=datetime.now(UTC)
        )

    def find_repost(self, account: Account, original: RemotePost, *, key: str) -> None:
        return None

    def verify(self, account: Account) -> AccountInfo:
        return AccountInfo(
            remote_id=account.remote_id,
            handle=account.handle,
            display_name=account.handle,
            server_url=account.server_url,
        )

    def fetch_metrics(
        self, account: Account, posts: list[RemotePost], *, now: datetime | None = None
    ) -> dict[str, Metrics]:
        now = now or datetime.now(UTC)
        return {
            post.remote_id: simulated_metrics(post.remote_id, post.published_at or now, now)
            for post in posts
        }

    def fetch_engagers(
        self,
        account: Account,
        post: RemotePost,
        *,
        kind,
        known=None,
        max_pages: int = 20,
        total: int | None = None,
    ) -> list[Engager]:
        now = datetime.now(UTC)
        wanted = "like" if kind == "like" else "share"
        arrived = [
            i
            for i in simulated_interactions(post.remote_id, post.published_at or now)
            if i.kind == wanted and i.at <= now
        ]
        return [_sandbox_engager(i.actor) for i in reversed(arrived)]
