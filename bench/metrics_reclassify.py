"""Reclassifying stored engagement when a colleague is added (metrics/reclassify.py).

    .venv/bin/python bench/metrics_reclassify.py [publications] [engagers_per_publication]

A network of 5 branches, one Mastodon account each, `publications` publications
(default 5,000) with `engagers_per_publication` likes each (default 40: 200,000
engagement rows), spread over 20 instances, each publication with three snapshots.
Then a domain is listed as colleagues on the head library (1 instance in 20 moves),
and removed again: prints the SQL statements and the time of each reclassification
(what the Celery task does), then a SUMMARY line. Its own database under
var/bench-metrics-reclassify/ (or DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANNEXE_VAR_DIR", str(ROOT / "var" / "bench-metrics-reclassify"))

from bench._common import django_setup, machine  # noqa: E402


def seed(*, publications: int, per_publication: int) -> tuple:
    from django.utils import timezone

    from accounts.models import User
    from libraries.models import Library
    from metrics.audience import engager_hash, engager_match_keys
    from metrics.models import Engagement, MetricRefresh, MetricSnapshot
    from networks.client import Engager
    from posts.models import Post
    from publishing.models import Publication, SocialAccount

    slug = f"bench-reclassify-{int(time.time())}"
    head = Library.objects.create(name="Réseau", slug=slug)
    author = User.objects.create(username=f"author-{slug}")
    branches = [
        Library.objects.create(name=f"Branche {n}", slug=f"{slug}-{n}", parent=head)
        for n in range(5)
    ]
    accounts = [
        SocialAccount.objects.create(
            library=b, network="mastodon", display_name=b.name, handle=f"@bib{b.pk}@m.example"
        )
        for b in branches
    ]
    now = timezone.now()
    keys = []
    for n in range(per_publication * 4):
        engager = Engager(
            key=f"fan{n}@instance{n % 20}.example",
            handle=f"@fan{n}@instance{n % 20}.example",
            domain=f"instance{n % 20}.example",
        )
        keys.append((engager_hash(engager.key), *engager_match_keys(engager)))
    for start in range(0, publications, 1000):
        count = min(1000, publications - start)
        posts = Post.objects.bulk_create(
            [
                Post(
                    library=accounts[(start + i) % 5].library,
                    author=author,
                    title=f"Billet {start + i}",
                )
                for i in range(count)
            ]
        )
        pubs = Publication.objects.bulk_create(
            [
                Publication(
                    post=post,
                    account=accounts[(start + i) % 5],
                    network="mastodon",
                    state="published",
                    scheduled_at=now - dt.timedelta(days=1),
                    published_at=now - dt.timedelta(days=1),
                    remote_id=f"r{start + i}",
                )
                for i, post in enumerate(posts)
            ]
        )
        snapshots = MetricSnapshot.objects.bulk_create(
            [
                MetricSnapshot(
                    publication=pub,
                    taken_at=now - dt.timedelta(hours=h),
                    likes=per_publication,
                    public_likes=per_publication,
                    audience_known=True,
                )
                for pub in pubs
                for h in (20, 10, 1)
            ]
        )
        MetricRefresh.objects.bulk_create(
            [
                MetricRefresh(
                    publication=pub,
                    account=pub.account,
                    published_at=pub.published_at,
                    latest=snapshots[3 * i + 2],
                    audience_likes=per_publication,
                )
                for i, pub in enumerate(pubs)
            ]
        )
        Engagement.objects.bulk_create(
            [
                Engagement(
                    publication=pub,
                    kind="like",
                    actor=actor,
                    handle_key=handle_key,
                    domain_keys=domain_keys,
                    seen_at=now - dt.timedelta(hours=12),
                )
                for i, pub in enumerate(pubs)
                for actor, handle_key, domain_keys in keys[
                    (i % 4) * per_publication : (i % 4 + 1) * per_publication
                ]
            ],
            batch_size=5000,
        )
    return head, Engagement.objects.filter(publication__account__library__parent=head).count()


def run(head) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from metrics.reclassify import engagements_reclassify

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        moved = engagements_reclassify(library_id=head.pk)
        seconds = time.perf_counter() - start
    return {"moved": moved, "queries": len(captured), "seconds": seconds}


def main() -> None:
    django_setup()
    from django.db import connection

    from metrics.models import Colleague, ColleagueMatch

    publications = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    per_publication = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    started = time.perf_counter()
    head, rows = seed(publications=publications, per_publication=per_publication)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"machine: {machine()}")
    print(
        f"setup: {rows:,} engagement rows on {publications:,} publications "
        f"in {time.perf_counter() - started:.0f} s"
    )
    colleague = Colleague.objects.create(
        library=head, match=ColleagueMatch.DOMAIN, identifier="instance7.example"
    )
    added = run(head)
    colleague.delete()
    removed = run(head)
    again = run(head)
    for name, row in (("added", added), ("removed", removed), ("nothing to move", again)):
        moved = row["moved"]
        print(
            f"{name}: {moved.to_colleagues:,} to colleagues, {moved.to_public:,} to the public, "
            f"{row['queries']} SQL statements, {row['seconds']:.2f} s"
        )
    print(
        f"SUMMARY metrics reclassify: {rows:,} engagement rows, a domain listed moves "
        f"{added['moved'].to_colleagues:,} in {added['seconds']:.2f} s "
        f"({added['queries']} statements), removed {removed['seconds']:.2f} s"
    )


if __name__ == "__main__":
    main()
