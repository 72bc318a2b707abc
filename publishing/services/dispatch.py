"""The dispatcher (Celery beat, every PUBLISHING_DISPATCH_INTERVAL seconds).

The database is the source of truth; the broker only carries "look at publication
N now". Each sweep:
1. expired leases (a worker died mid-publish) → unknown: reconciled, never resent blindly;
2. accounts reconnected → their waiting publications go back in line;
3. queued for too long (the broker lost the message) → sent to the broker again;
4. posts approved without publications, or whose date moved silently → repaired;
5. due publications (scheduled and due before the next sweep, retries whose
   next_attempt_at came, unknown ones to reconcile) → claimed with a compare-and-set
   under `select_for_update(skip_locked=True)` (PostgreSQL), and enqueued on commit
   with their exact due time as a near ETA (a few seconds at most; never far ahead).
Paused libraries are skipped. Running two sweeps at once is harmless.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from posts.models import Post
from publishing.models import AccountStatus, Publication, PublicationState
from publishing.services.lifecycle import posts_needing_sync, publications_sync
from publishing.services.pause import paused_library_ids
from publishing.services.transitions import publications_move

S = PublicationState


@dataclass
class Sweep:
    claimed: int = 0
    reconciling: int = 0
    expired: int = 0
    resumed: int = 0
    requeued: int = 0
    repaired: int = 0
    sent: list[tuple[int, dt.datetime | None]] = field(default_factory=list, repr=False)


def _enqueue(items: list[tuple[int, dt.datetime | None]]) -> None:
    from publishing.tasks import publish_publication

    for publication_id, eta in items:
        publish_publication.apply_async((publication_id,), eta=eta)


def expire_leases(now: dt.datetime) -> int:
    ids = list(
        Publication.objects.filter(state=S.PUBLISHING, lease_expires_at__lt=now).values_list(
            "pk", flat=True
        )[:1000]
    )
    return len(
        publications_move(
            ids=ids,
            from_state=S.PUBLISHING,
            to_state=S.UNKNOWN,
            lease_expires_at=None,
            next_attempt_at=now,
            # The message is the code's (publishing.models.ENGINE_ERRORS), translated
            # when shown: this runs in a worker, in no reader's language.
            error_kind="lease",
            error_message="",
        )
    )


def resume_reconnected(now: dt.datetime) -> int:
    ids = list(
        Publication.objects.filter(
            state=S.NEEDS_RECONNECT, account__status=AccountStatus.CONNECTED
        ).values_list("pk", flat=True)[:1000]
    )
    return len(
        publications_move(
            ids=ids, from_state=S.NEEDS_RECONNECT, to_state=S.SCHEDULED, next_attempt_at=None
        )
    )


def requeue_lost(now: dt.datetime) -> list[tuple[int, None]]:
    older = now - dt.timedelta(seconds=settings.PUBLISHING_REQUEUE_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Publication.objects.select_for_update(skip_locked=True)
            .filter(state=S.QUEUED, queued_at__lt=older)
            .values_list("pk", flat=True)[:1000]
        )
        Publication.objects.filter(pk__in=ids, state=S.QUEUED).update(queued_at=now)
    items = [(pk, None) for pk in ids]
    transaction.on_commit(lambda: _enqueue(items))
    return items


def repair(now: dt.datetime, horizon: dt.datetime) -> int:
    post_ids = posts_needing_sync(now=now, horizon=horizon)
    for post in Post.objects.filter(pk__in=post_ids):
        publications_sync(post=post, now=now)
    return len(post_ids)


def claim_due(
    now: dt.datetime, *, paused: set[int], batch: int
) -> list[tuple[int, dt.datetime | None]]:
    """Claim up to `batch` due publications (scheduled → queued, unknown → queued)."""
    horizon = now + dt.timedelta(seconds=settings.PUBLISHING_DISPATCH_INTERVAL)
    due = Q(state=S.SCHEDULED, scheduled_at__lte=horizon) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    reconcile = Q(state=S.UNKNOWN, next_attempt_at__lte=now)
    with transaction.atomic():
        query = Publication.objects.filter(due | reconcile)
        if paused:
            query = query.exclude(post__library_id__in=paused)
        rows = list(
            query.order_by("scheduled_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "state", "scheduled_at", "next_attempt_at")[:batch]
        )
        items: list[tuple[int, dt.datetime | None]] = []
        for from_state in (S.SCHEDULED, S.UNKNOWN):
            ids = [pk for pk, state, _at, _next in rows if state == from_state]
            moved = set(
                publications_move(ids=ids, from_state=from_state, to_state=S.QUEUED, queued_at=now)
            )
            for pk, _state, scheduled_at, next_attempt_at in rows:
                if pk in moved:
                    due_at = max(scheduled_at, next_attempt_at or scheduled_at)
                    items.append((pk, due_at if due_at > now else None))
        transaction.on_commit(lambda: _enqueue(items))
    return items


def dispatch_due(*, now: dt.datetime | None = None, budget_seconds: float | None = None) -> Sweep:
    """One sweep (see the module's docstring). Claims in batches until nothing is due
    or `budget_seconds` (default: the dispatch interval) is spent."""
    started = time.monotonic()
    now = now or timezone.now()
    budget = settings.PUBLISHING_DISPATCH_INTERVAL if budget_seconds is None else budget_seconds
    sweep = Sweep()
    sweep.expired = expire_leases(now)
    sweep.resumed = resume_reconnected(now)
    sweep.requeued = len(requeue_lost(now))
    horizon = now + dt.timedelta(seconds=settings.PUBLISHING_DISPATCH_INTERVAL)
    sweep.repaired = repair(now, horizon)
    paused = paused_library_ids()
    batch = settings.PUBLISHING_DISPATCH_BATCH
    while True:
        items = claim_due(now, paused=paused, batch=batch)
        sweep.claimed += len(items)
        sweep.sent += items
        if len(items) < batch or time.monotonic() - started > budget:
            break
        now = timezone.now()
    return sweep
