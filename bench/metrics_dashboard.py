"""The metrics dashboard over 12 months of data: SQL queries and server time.

    .venv/bin/python bench/metrics_dashboard.py [posts_per_day]

A network of 10 branches with 3 accounts each (Mastodon, Bluesky, Sandbox) publishes
`posts_per_day` posts a day (default 10) for a year, each on 1 to 3 accounts, with a
latest snapshot per publication (plus four older ones), clicks and monthly events with
survey answers. The network's administrator opens /metrics/ for 12 months and for 30
days (and 12 months narrowed to one branch and Bluesky), and downloads the CSV: prints
queries and p50/p95 server time (target p95 under 300 ms), then a SUMMARY line.
bench/metrics.py measures the same on its own data through `measure()`. Its own
database under var/bench-metrics-dashboard/ (or DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/calendar.py would shadow the standard calendar module (PITFALLS.md).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANNEXE_VAR_DIR", str(ROOT / "var" / "bench-metrics-dashboard"))

from bench._common import client_for, django_setup, machine, measure_page  # noqa: E402

RUNS = 30


def seed_year(*, library, posts_per_day: int, rng: random.Random) -> int:
    """A year of published history under `library` (10 branches, 3 accounts each).
    Returns the number of publications."""
    from accounts.models import User
    from libraries.models import Library
    from metrics.models import (
        Click,
        Event,
        MetricRefresh,
        MetricSnapshot,
        ShortLink,
        SurveyAnswer,
    )
    from posts.models import EditorialLine, Post
    from publishing.models import Publication, SocialAccount

    author, _ = User.objects.get_or_create(username="bench-dashboard-author")
    lines = [
        EditorialLine.objects.get_or_create(library=library, name=name)[0]
        for name in ("Coups de cœur", "Vie de la bibliothèque", "Événements", "Chatons")
    ]
    branches = [
        Library.objects.get_or_create(
            slug=f"{library.slug}-b{i}", defaults={"name": f"Annexe {i}", "parent": library}
        )[0]
        for i in range(10)
    ]
    accounts = [
        SocialAccount.objects.get_or_create(
            library=branch,
            network=network,
            defaults={"display_name": f"{branch.name} {network}", "handle": f"@{branch.slug}"},
        )[0]
        for branch in branches
        for network in ("mastodon", "bluesky", "sandbox")
    ]
    by_branch = {b.pk: [a for a in accounts if a.library_id == b.pk] for b in branches}
    now = dt.datetime.now(dt.UTC)
    posts = []
    for day in range(365):
        for _ in range(posts_per_day):
            when = now - dt.timedelta(
                days=day, hours=rng.randint(0, 12), minutes=rng.randint(0, 59)
            )
            posts.append(
                Post(
                    library=rng.choice(branches),
                    author=author,
                    title=f"Billet {day}-{len(posts)}",
                    editorial_line=rng.choice(lines),
                    link=f"https://bib.example/{len(posts)}",
                    scheduled_at=when,
                    state="published",
                )
            )
    Post.objects.bulk_create(posts, batch_size=2000)
    publications = []
    for post in posts:
        for account in rng.sample(by_branch[post.library_id], rng.randint(1, 3)):
            publications.append(
                Publication(
                    post=post,
                    account=account,
                    network=account.network,
                    state="published",
                    scheduled_at=post.scheduled_at,
                    published_at=post.scheduled_at,
                    remote_id=f"bench-{post.pk}-{account.pk}",
                )
            )
    Publication.objects.bulk_create(publications, batch_size=2000)
    snapshots = []
    for publication in publications:
        likes, shares = rng.randint(0, 80), rng.randint(0, 20)
        for step, age in enumerate((1, 6, 48, 168, 720)):
            ratio = (step + 1) / 5
            snapshots.append(
                MetricSnapshot(
                    publication=publication,
                    taken_at=publication.published_at + dt.timedelta(hours=age),
                    likes=int(likes * ratio),
                    shares=int(shares * ratio),
                    replies=int(rng.randint(0, 5) * ratio),
                    public_likes=int(likes * ratio * 0.7),
                    public_shares=int(shares * ratio * 0.7),
                    colleague_likes=int(likes * ratio) - int(likes * ratio * 0.7),
                    colleague_shares=int(shares * ratio) - int(shares * ratio * 0.7),
                    audience_known=True,
                )
            )
    MetricSnapshot.objects.bulk_create(snapshots, batch_size=5000)
    latest = {s.publication_id: s for s in snapshots}  # the last of each publication
    MetricRefresh.objects.bulk_create(
        [
            MetricRefresh(
                publication=p,
                account=p.account,
                published_at=p.published_at,
                next_refresh_at=None,
                latest=latest[p.pk],
            )
            for p in publications
        ],
        batch_size=5000,
    )
    links = ShortLink.objects.bulk_create(
        [
            ShortLink(code=f"b{p.pk:09d}", publication=p, url=p.post.link, target_url=p.post.link)
            for p in publications
        ],
        batch_size=5000,
    )
    clicks = []
    for link, publication in zip(links, publications, strict=True):
        for _ in range(rng.randint(0, 10)):
            at = publication.published_at + dt.timedelta(minutes=rng.randint(1, 4000))
            clicks.append(
                Click(
                    link=link,
                    publication=publication,
                    hour=at.replace(minute=0, second=0, microsecond=0),
                    clicked_at=at,
                    visitor=None,
                )
            )
    Click.objects.bulk_create(clicks, batch_size=5000)
    for month in range(12):
        event = Event.objects.create(
            library=rng.choice(branches),
            title=f"Rencontre {month}",
            starts_at=now - dt.timedelta(days=30 * month + 3),
            capacity=50,
            attendance=rng.randint(10, 50),
            survey_token=f"bench-{library.pk}-{month}",
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(event=event, channel=rng.choice(["posters", "portal", "other"]),
                         answered_at=event.starts_at)
            for _ in range(rng.randint(5, 40))
        )  # fmt: skip
    return len(publications)


def _cpu(client, url: str, runs: int) -> dict:
    """CPU time of this process per request (Python and SQLite, not PostgreSQL's own):
    less sensitive than wall time to the other jobs of a shared machine."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        client.get(url)
        times.append((time.process_time() - start) * 1000)
    times.sort()
    return {"cpu_p50": times[len(times) // 2], "cpu_p95": times[int(len(times) * 0.95) - 1]}


def measure(*, library, user) -> dict:
    client = client_for(user, library)
    figures = {}
    pages = [
        ("year", "/metrics/?days=365", RUNS),
        ("month", "/metrics/?days=30", RUNS),
        ("csv", "/metrics/export.csv?days=365", RUNS // 3),
    ]
    branch = library.branches.order_by("pk").first()
    if branch is not None:  # the filters: one branch, one network
        pages.append(("filtered", f"/metrics/?days=365&library={branch.pk}&network=bluesky", RUNS))
    for name, url, runs in pages:
        figures[name] = {**measure_page(client, url, runs=runs), **_cpu(client, url, runs)}
    return figures


def describe(figures: dict, publications: int) -> str:
    year, month, csv = figures["year"], figures["month"], figures["csv"]
    return (
        f"dashboard over 12 months ({publications:,} publications): {year['queries']} queries, "
        f"p50 {year['p50']:.0f} ms, p95 {year['p95']:.0f} ms (target p95 < 300 ms; CPU p50 "
        f"{year['cpu_p50']:.0f} ms, p95 {year['cpu_p95']:.0f} ms); "
        f"30 days: {month['queries']} queries, p95 {month['p95']:.0f} ms; "
        f"CSV of 12 months: p95 {csv['p95']:.0f} ms"
        + (
            f"; one branch and Bluesky over 12 months: {figures['filtered']['queries']} queries, "
            f"p95 {figures['filtered']['p95']:.0f} ms"
            if "filtered" in figures
            else ""
        )
    )


def main() -> None:
    django_setup()
    from django.db import connection

    from accounts.models import User
    from libraries.models import Library, Membership, Role

    posts_per_day = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    slug = f"bench-dashboard-{int(time.time())}"
    library = Library.objects.create(name="Réseau du banc d'essai", slug=slug)
    admin = User.objects.create(username=f"admin-{slug}")
    Membership.objects.create(user=admin, library=library, role=Role.ADMINISTRATOR)
    started = time.perf_counter()
    publications = seed_year(library=library, posts_per_day=posts_per_day, rng=random.Random(5))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"machine: {machine()}")
    seconds = time.perf_counter() - started
    print(f"setup: {publications:,} publications over 12 months in {seconds:.0f} s")
    figures = measure(library=library, user=admin)
    for name, row in figures.items():
        print(
            f"{name}: {row['queries']} queries, p50 {row['p50']:.0f} ms, "
            f"p95 {row['p95']:.0f} ms, max {row['max']:.0f} ms; CPU p50 {row['cpu_p50']:.0f} ms, "
            f"p95 {row['cpu_p95']:.0f} ms"
        )
    print(f"SUMMARY metrics dashboard: {describe(figures, publications)}")


if __name__ == "__main__":
    main()
