"""Collecting counts: age tiers, the refresh sweep (Celery beat) and one batch.

Tiers (METRICS_REFRESH_TIERS, default "6h:15m,48h:1h,30d:1d,90d:7d"): a publication
is refreshed every 15 minutes for its first 6 hours, hourly until 48 hours, daily
until 30 days, weekly until 90 days, then never again.

Spread and batching. Each account has a stable offset (a hash of its id): its
refreshes fall on the instants `offset + k × interval`. Offsets spread the accounts
over time, so a tier boundary or a busy morning never sends a burst; and since the
default intervals divide each other (15 min | 1 h | 1 d | 7 d), an account's slots of
every tier coincide, so all its due publications come due together and go out in
one batch request (20 Mastodon statuses, 25 Bluesky posts). After a refresh the next
one is the account's first slot at least half an interval away.

The sweep (every METRICS_SWEEP_INTERVAL seconds):
1. adopts published publications that have no `MetricRefresh` yet;
2. claims due rows of connected accounts, oldest first, at most
   METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE per account and METRICS_REFRESH_PER_MINUTE
   in all (scaled to the interval); the rest stays due for the next sweeps. A claim
   is a compare-and-set of `claimed_until` to a value unique to the sweep;
3. enqueues one `metrics.refresh_batch` task per account and batch, on commit.
Accounts that need reconnecting are skipped (their rows wait, then go out at the
capped rate once reconnected). A 429 moves the account's due rows to the reset; an
auth error flags the account; a post the network no longer returns is marked
deleted and not refreshed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import random
import re
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from metrics.audience import audience_update, colleague_rules
from metrics.models import MetricRefresh, MetricSnapshot
from networks import all_networks, get_network
from networks.client import (
    AuthError,
    Metrics,
    NetworkClient,
    NetworkError,
    RateLimited,
    RemotePost,
)
from publishing.models import (
    AccountStatus,
    Publication,
    PublicationKind,
    PublicationState,
    SocialAccount,
)

logger = logging.getLogger("metrics.refresh")

UTC = dt.UTC
RETRY_AFTER = dt.timedelta(minutes=15)
ADOPT_BATCH = 2000


# --- Tiers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tier:
    until: dt.timedelta  # publications younger than this…
    every: dt.timedelta  # …are refreshed this often


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _duration(text: str) -> dt.timedelta:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text)
    if not match:
        raise ValueError(f"METRICS_REFRESH_TIERS: « {text} » is not a duration like 15m, 6h, 30d")
    return dt.timedelta(seconds=float(match[1]) * _UNITS[match[2]])


@lru_cache
def parse_tiers(value: str) -> tuple[Tier, ...]:
    """ "6h:15m,48h:1h" → (Tier(6 h, 15 min), Tier(48 h, 1 h)), checked increasing."""
    tiers = []
    for part in value.split(","):
        until, _, every = part.partition(":")
        tiers.append(Tier(until=_duration(until), every=_duration(every)))
    if not tiers or any(a.until >= b.until for a, b in itertools.pairwise(tiers)):
        raise ValueError("METRICS_REFRESH_TIERS: ages must increase")
    return tuple(tiers)


def tiers() -> tuple[Tier, ...]:
    return parse_tiers(settings.METRICS_REFRESH_TIERS)


def account_offset(account_id: int) -> float:
    """Seconds into any interval at which the account's refreshes fall (stable)."""
    digest = hashlib.sha256(f"metrics-slot:{account_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (366 * 86400)


def next_refresh_at(
    *, published_at: dt.datetime, now: dt.datetime, account_id: int, first: bool = False
) -> dt.datetime | None:
    """When to refresh next: the account's first slot of the current tier at least half
    an interval after `now` (any slot after `now` for the `first` refresh); None once
    past the last tier."""
    age = now - published_at
    tier = next((t for t in tiers() if age < t.until), None)
    if tier is None:
        return None
    every = tier.every.total_seconds()
    offset = account_offset(account_id) % every
    earliest = now.timestamp() + (0 if first else every / 2)
    slots = -(-(earliest - offset) // every)  # ceil
    moment = dt.datetime.fromtimestamp(offset + slots * every, UTC)
    if moment - published_at > tiers()[-1].until:
        return None
    return moment


# --- Which networks have metrics ---------------------------------------------------------
def _client(network: str) -> NetworkClient:
    return get_network(network).client()


@lru_cache
def measured_networks() -> tuple[str, ...]:
    """Networks whose client implements fetch_metrics."""
    return tuple(
        n.key
        for n in all_networks()
        if type(n.client()).fetch_metrics is not NetworkClient.fetch_metrics
    )


# --- The sweep ---------------------------------------------------------------------------
@dataclass
class RefreshSweep:
    adopted: int = 0
    claimed: int = 0
    batches: list[list[int]] = field(default_factory=list, repr=False)


def refreshes_adopt(*, now: dt.datetime) -> int:
    """Create the bookkeeping of publications published since the last tier began."""
    horizon = now - tiers()[-1].until
    rows = list(
        Publication.objects.filter(
            state=PublicationState.PUBLISHED,
            kind=PublicationKind.POST,
            network__in=measured_networks(),
            account__isnull=False,
            published_at__gte=horizon,
            published_at__lte=now,
            remote_deleted_at__isnull=True,
            metric_refresh__isnull=True,
        )
        .exclude(remote_id="")
        .values_list("pk", "account_id", "published_at")[:ADOPT_BATCH]
    )
    MetricRefresh.objects.bulk_create(
        [
            MetricRefresh(
                publication_id=pk,
                account_id=account_id,
                published_at=published_at,
                next_refresh_at=next_refresh_at(
                    published_at=published_at, now=now, account_id=account_id, first=True
                ),
            )
            for pk, account_id, published_at in rows
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def _caps() -> tuple[int, int]:
    scale = settings.METRICS_SWEEP_INTERVAL / 60
    return (
        max(1, int(settings.METRICS_REFRESH_PER_MINUTE * scale)),
        max(1, int(settings.METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE * scale)),
    )


def refreshes_claim(*, now: dt.datetime) -> list[tuple[int, int, str, str]]:
    """Claim due rows within the caps: [(refresh id, account id, network, server)]."""
    total_cap, account_cap = _caps()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = (
        MetricRefresh.objects.filter(free, next_refresh_at__lte=now)
        .filter(account__status=AccountStatus.CONNECTED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("account_id")],
                order_by=[F("next_refresh_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=account_cap)
        .order_by("next_refresh_at", "pk")
        .values_list("pk", "account_id", "account__network", "account__server_url")[:total_cap]
    )
    rows = list(due)
    if not rows:
        return []
    # A value no other sweep uses: the rows that carry it afterwards are ours.
    token = now + dt.timedelta(
        seconds=settings.METRICS_REFRESH_LEASE_SECONDS, microseconds=secrets.randbelow(1_000_000)
    )
    ids = [row[0] for row in rows]
    MetricRefresh.objects.filter(free, pk__in=ids).update(claimed_until=token)
    mine = set(
        MetricRefresh.objects.filter(pk__in=ids, claimed_until=token).values_list("pk", flat=True)
    )
    return [row for row in rows if row[0] in mine]


def _batches(claimed: list[tuple[int, int, str, str]]) -> list[list[int]]:
    """One group per account, or per server where any account may read the counts
    (then the accounts of one Mastodon instance or one PDS share batch requests)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    sizes: dict[tuple, int] = {}
    for pk, account_id, network, server_url in claimed:
        client = _client(network)
        key = (network, server_url) if client.metrics_shared_reads else (network, account_id)
        groups[key].append(pk)
        sizes[key] = max(1, client.metrics_batch_size)
    batches = []
    for key, ids in groups.items():
        size = sizes[key]
        batches += [ids[start : start + size] for start in range(0, len(ids), size)]
    return batches


def _enqueue(batches: list[list[int]]) -> None:
    from metrics.tasks import refresh_batch

    for ids in batches:
        refresh_batch.delay(ids)


def refresh_sweep(
    *, now: dt.datetime | None = None, send: Callable[[list[list[int]]], None] | None = None
) -> RefreshSweep:
    """One sweep (see the module docstring). `send` receives the batches on commit
    (default: enqueue the Celery tasks)."""
    now = now or timezone.now()
    sweep = RefreshSweep(adopted=refreshes_adopt(now=now))
    with transaction.atomic():
        claimed = refreshes_claim(now=now)
        sweep.claimed = len(claimed)
        sweep.batches = _batches(claimed)
        batches = sweep.batches
        transaction.on_commit(lambda: (send or _enqueue)(batches))
    return sweep


# --- One batch ---------------------------------------------------------------------------
# Clicks counted by Annexe's own redirects, per publication id: set by the links part
# of the metrics app (metrics.links) with `register_click_counter`.
_click_counter: Callable[[list[int]], dict[int, int]] | None = None


def register_click_counter(counter: Callable[[list[int]], dict[int, int]]) -> None:
    global _click_counter
    _click_counter = counter


def _clicks(publication_ids: list[int]) -> dict[int, int]:
    return _click_counter(publication_ids) if _click_counter else {}


def _release(refreshes: list[MetricRefresh], **fields) -> None:
    MetricRefresh.objects.filter(pk__in=[r.pk for r in refreshes]).update(
        claimed_until=None, **fields
    )


def account_rate_limited(*, account_id: int, reset_at: dt.datetime) -> int:
    """Nothing of the account is refreshed before the network's reset (a little after,
    spread over a minute so the account does not burst either)."""
    resume = reset_at + dt.timedelta(seconds=random.uniform(1, 60))  # noqa: S311 - jitter
    return MetricRefresh.objects.filter(account_id=account_id, next_refresh_at__lt=resume).update(
        next_refresh_at=resume, claimed_until=None
    )


def _flag_reconnect(account: SocialAccount, exc: AuthError, now: dt.datetime) -> None:
    from publishing.services import notices

    flagged = SocialAccount.objects.filter(pk=account.pk, status=AccountStatus.CONNECTED).update(
        status=AccountStatus.NEEDS_RECONNECT, updated_at=now
    )
    if flagged:
        notices.account_needs_reconnect(account_id=account.pk, message=exc.message)


def _remote_post(publication: Publication) -> RemotePost:
    return RemotePost(
        remote_id=publication.remote_id,
        url=publication.remote_url,
        published_at=publication.published_at,
        data=dict(publication.remote_data or {}),
    )


def refresh_batch(*, refresh_ids: list[int], now: dt.datetime | None = None) -> str:
    """Refresh claimed publications with one `fetch_metrics` call, store a snapshot
    each and schedule the next refresh. Returns the outcome.

    The rows are of one account, or of one server for networks whose public counts
    any account may read (`metrics_shared_reads`): the request is then made with one
    of the batch's connected accounts, rotating, and a post missing from that answer
    is asked again with its own account before it is called deleted (a followers-only
    Mastodon post is invisible to other accounts)."""
    now = now or timezone.now()
    refreshes = list(
        MetricRefresh.objects.filter(pk__in=refresh_ids, next_refresh_at__isnull=False)
        .select_related("publication", "account")
        .order_by("pk")
    )
    if not refreshes:
        return "nothing"
    waiting = [r for r in refreshes if r.account.status != AccountStatus.CONNECTED]
    if waiting:
        _release(waiting)
    refreshes = [r for r in refreshes if r.account.status == AccountStatus.CONNECTED]
    if not refreshes:
        return "paused"
    accounts = {r.account_id: r.account for r in refreshes}
    reader = list(accounts.values())[sum(refresh_ids) % len(accounts)]
    client = _client(reader.network)
    remotes = _Remotes()
    posts = {r.pk: _remote_post(r.publication) for r in refreshes}
    try:
        found = client.fetch_metrics(remotes.get(reader), list(posts.values()), now=now)
    except RateLimited as exc:
        account_rate_limited(account_id=reader.pk, reset_at=exc.reset_at or now + RETRY_AFTER)
        _release([r for r in refreshes if r.account_id != reader.pk])
        return "rate_limited"
    except AuthError as exc:
        _release(refreshes)
        _flag_reconnect(reader, exc, now)
        return "needs_reconnect"
    except NetworkError as exc:
        _release(
            refreshes,
            next_refresh_at=now + RETRY_AFTER,
            failures=F("failures") + 1,
            last_error=exc.message[:500],
        )
        logger.info("metrics refresh with account %s failed: %s", reader.pk, exc)
        return exc.kind
    unsure = _ask_owners(client, remotes, reader, refreshes, posts, found, now)
    _store(client, remotes, [r for r in refreshes if r.pk not in unsure], posts, found, now)
    return "refreshed"


class _Remotes(dict):
    """The client's Account of each SocialAccount, built once per batch."""

    def get(self, account: SocialAccount):  # type: ignore[override]
        from publishing.services.render import client_account

        if account.pk not in self:
            self[account.pk] = client_account(account)
        return self[account.pk]


def _ask_owners(client, remotes, reader, refreshes, posts, found, now) -> set[int]:
    """Posts of other accounts missing from the reader's answer, asked again with their
    own account; returns the refresh ids still unknown (released, retried later)."""
    missing: dict[int, list[MetricRefresh]] = defaultdict(list)
    for refresh in refreshes:
        if refresh.account_id != reader.pk and refresh.publication.remote_id not in found:
            missing[refresh.account_id].append(refresh)
    unsure: set[int] = set()
    for rows in missing.values():
        owner = rows[0].account
        try:
            found.update(client.fetch_metrics(remotes.get(owner), [posts[r.pk] for r in rows]))
        except NetworkError as exc:
            logger.info("metrics of account %s not confirmed: %s", owner.pk, exc)
            unsure |= {r.pk for r in rows}
    if unsure:
        _release([r for r in refreshes if r.pk in unsure])
    return unsure


def _store(client, remotes, refreshes, posts, found: dict[str, Metrics], now) -> None:
    rules_by_library: dict[int, object] = {}
    clicks = _clicks([r.publication_id for r in refreshes])
    walking: set[int] = set()  # accounts whose lists stopped (429) for this batch
    snapshots: list[tuple[MetricRefresh, MetricSnapshot]] = []
    for refresh in refreshes:
        publication = refresh.publication
        metrics = found.get(publication.remote_id)
        refresh.claimed_until = None
        if metrics is None:
            refresh.remote_deleted_at = now
            refresh.next_refresh_at = None
            continue
        library_id = refresh.account.library_id
        if library_id not in rules_by_library:
            rules_by_library[library_id] = colleague_rules(library_id)
        if refresh.account_id not in walking:
            try:
                audience_update(
                    client=client,
                    account=remotes.get(refresh.account),
                    post=posts[refresh.pk],
                    refresh=refresh,
                    metrics=metrics,
                    rules=rules_by_library[library_id],
                    now=now,
                )
            except RateLimited as exc:
                walking.add(refresh.account_id)  # keep the counts; lists wait
                if exc.scope != "endpoint":
                    # The whole account's budget is spent: counts wait too. (Only the
                    # list's endpoint: its totals stay unwalked, so the next refresh
                    # walks them, after the reset.)
                    account_rate_limited(
                        account_id=refresh.account_id, reset_at=exc.reset_at or now + RETRY_AFTER
                    )
            except NetworkError as exc:
                logger.info("engagers of publication %s: %s", publication.pk, exc)
        snapshots.append((refresh, _snapshot(client, refresh, metrics, clicks, now)))
        refresh.refreshes += 1
        refresh.failures = 0
        refresh.last_error = ""
        refresh.last_refreshed_at = now
        refresh.next_refresh_at = next_refresh_at(
            published_at=refresh.published_at, now=now, account_id=refresh.account_id
        )
    with transaction.atomic():
        created = MetricSnapshot.objects.bulk_create([s for _r, s in snapshots])
        for (refresh, _s), snapshot in zip(snapshots, created, strict=True):
            refresh.latest = snapshot
        MetricRefresh.objects.bulk_update(
            refreshes,
            [
                "claimed_until",
                "next_refresh_at",
                "last_refreshed_at",
                "remote_deleted_at",
                "refreshes",
                "failures",
                "last_error",
                "latest",
                "audience_likes",
                "audience_shares",
                "colleague_likes",
                "colleague_shares",
            ],
        )
        gone = [r.publication_id for r in refreshes if r.remote_deleted_at == now]
        if gone:
            # Publication.remote_deleted_at means "no longer on the network", whoever
            # deleted it (publishing sets it when Annexe deletes the post).
            Publication.objects.filter(pk__in=gone, remote_deleted_at__isnull=True).update(
                remote_deleted_at=now, updated_at=now
            )


def _snapshot(
    client: NetworkClient,
    refresh: MetricRefresh,
    metrics: Metrics,
    clicks: dict[int, int],
    now: dt.datetime,
) -> MetricSnapshot:
    likes, shares = metrics.likes or 0, metrics.shares or 0
    known = client.supports_engagers
    colleague_likes = min(refresh.colleague_likes, likes) if known else 0
    # (LinkedIn lists no resharers: its shares all count as public.)
    shares_listed = known and "share" in client.engager_kinds
    colleague_shares = min(refresh.colleague_shares, shares) if shares_listed else 0
    return MetricSnapshot(
        publication_id=refresh.publication_id,
        taken_at=now,
        likes=likes,
        shares=shares,
        replies=metrics.replies or 0,
        quotes=metrics.quotes or 0,
        impressions=metrics.impressions,
        reach=metrics.reach,
        # Our redirects' count, or the network's where it counts clicks and we do not.
        clicks=max(clicks.get(refresh.publication_id, 0), metrics.clicks or 0),
        public_likes=likes - colleague_likes,
        public_shares=shares - colleague_shares,
        colleague_likes=colleague_likes,
        colleague_shares=colleague_shares,
        audience_known=known,
    )
