"""Engagement already seen follows the colleague list (issue 7 § 2).

When administrators add or remove a colleague entry (an account or a domain) on a
library, the engagement already stored for the publications of that library and its
branches (who inherit the list) is classified again under the new list: rows move
from the public to the colleagues or back, and the counts the dashboard and the post
page read move with them: each publication's `MetricRefresh.colleague_*` and every
snapshot's `colleague_*` / `public_*` (a snapshot changes by the engagers first seen
up to its time, so a post's curve stays consistent).

Everything is done in bulk: a few UPDATE statements per set of libraries that share
the same rules (a branch with its own entries has its own set), whatever the number
of engagements; no row is read into Python. It runs in the Celery task
`metrics.reclassify_engagements`, enqueued when the list changes (a big network's
engagement of the last METRICS_ENGAGER_RETENTION_DAYS may be a million rows: not
something to do inside the administrator's request).

Matching uses the keyed hashes kept on each row (metrics.audience.engager_match_keys):
the stable identifier, the handle, the domain and its parents. Engagement whose
identifiers were purged after the retention period keeps the counts it had. Rows
stored before the handle and domain hashes were kept (empty `domain_keys`) can only
become colleagues, by their stable identifier; they never move back to the public
(what made them colleagues then cannot be known).
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least

from libraries.selectors import access_tree
from metrics.audience import ColleagueRules, colleague_rules_of, domain_hash, engager_hash
from metrics.models import Engagement, MetricRefresh, MetricSnapshot


@dataclass
class Reclassified:
    libraries: int = 0
    to_colleagues: int = 0
    to_public: int = 0


def _match(rules: ColleagueRules) -> Q:
    """The rows the rules call colleagues."""
    accounts = sorted(engager_hash(identifier) for identifier in rules.accounts)
    parts = [Q(actor__in=accounts), Q(handle_key__in=accounts)]
    parts += [Q(domain_keys__contains=f" {domain_hash(d)} ") for d in sorted(rules.domains)]
    return functools.reduce(operator.or_, parts)


def _count(rows: QuerySet, kind: str, *, until_snapshot: bool) -> Coalesce:
    """How many of `rows` belong to the outer row's publication (and were seen by the
    outer snapshot's time)."""
    rows = rows.filter(publication_id=OuterRef("publication_id"), kind=kind)
    if until_snapshot:
        rows = rows.filter(seen_at__lte=OuterRef("taken_at"))
    counted = rows.order_by().values("publication_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _moved(field: str, kind: str, gained: QuerySet, lost: QuerySet, *, until: bool):
    delta = F(field) + _count(gained, kind, until_snapshot=until)
    return Greatest(Value(0), delta - _count(lost, kind, until_snapshot=until))


def _reclassify(library_ids: list[int], rules: ColleagueRules) -> tuple[int, int]:
    match = _match(rules)
    # Rows without domain hashes cannot be proven public (module docstring).
    gains = Engagement.objects.filter(match, is_colleague=False)
    losses = Engagement.objects.filter(is_colleague=True).exclude(match).exclude(domain_keys="")
    # The group's rows; the per-publication counts need no library join (their outer
    # rows are the group's publications already).
    mine = Q(publication__account__library_id__in=library_ids)
    gained, lost = gains.filter(mine), losses.filter(mine)
    changed = gained.values("publication_id").union(lost.values("publication_id"))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The correlated counts make the planner's cost estimate huge, and
            # PostgreSQL then JIT-compiles each statement: about a second of
            # compiling for statements that run in milliseconds (bench/metrics_reclassify.py).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        # Counts first, from the rows as they still are; then the rows.
        MetricRefresh.objects.filter(publication_id__in=changed).update(
            colleague_likes=_moved("colleague_likes", "like", gains, losses, until=False),
            colleague_shares=_moved("colleague_shares", "share", gains, losses, until=False),
        )
        snapshots = MetricSnapshot.objects.filter(publication_id__in=changed, audience_known=True)
        snapshots.update(
            colleague_likes=Least(
                F("likes"), _moved("colleague_likes", "like", gains, losses, until=True)
            ),
            colleague_shares=Least(
                F("shares"), _moved("colleague_shares", "share", gains, losses, until=True)
            ),
        )
        snapshots.update(
            public_likes=F("likes") - F("colleague_likes"),
            public_shares=F("shares") - F("colleague_shares"),
        )
        to_colleagues = gained.update(is_colleague=True)
        to_public = lost.update(is_colleague=False)
    return to_colleagues, to_public


def engagements_reclassify(*, library_id: int) -> Reclassified:
    """Classify the stored engagement of `library_id` and its branches again under the
    current colleague list (module docstring). Idempotent: a second run moves
    nothing."""
    libraries = access_tree().descendants(library_id)
    groups: dict[ColleagueRules, list[int]] = {}
    for member, rules in colleague_rules_of(libraries).items():
        groups.setdefault(rules, []).append(member)
    result = Reclassified(libraries=len(libraries))
    for rules, members in groups.items():
        to_colleagues, to_public = _reclassify(members, rules)
        result.to_colleagues += to_colleagues
        result.to_public += to_public
    return result
