"""Benchmark of the editorial calendar: the events endpoint and the month page.

Seeds 5,000 posts in one month across 12 branches of a network (each to its branch's
Mastodon account and to Bluesky without an account; the approved and published ones
with their publication on Mastodon), then measures,
for a network administrator who sees all of them:
  - SQL queries of one request (must not depend on the number of posts);
  - server time p50/p95 over 50 requests (target p95 < 150 ms), and the process's CPU
    time per request (on SQLite the database works in this process too): on a machine
    shared with other work, wall time measures the neighbours as much as the code;
and the same with 50 posts, to print the ratio.

Runs in-process with Django's test client against its own throwaway database:
var/bench/ (SQLite) by default, or `<name>_bench_calendar` on the server of
DATABASE_URL when it is PostgreSQL. Usage: .venv/bin/python bench/calendar.py
"""

from __future__ import annotations

import sys

# Run as a script, this file's folder comes first on sys.path, and this file,
# named calendar.py, would shadow the standard calendar module (dateutil, hence
# Celery, imports it): the very trap of PITFALLS.md. Drop the folder first.
_HERE = __file__.rsplit("/", 1)[0] or "."
sys.path[:] = [p for p in sys.path if p not in (_HERE, "") and not p.endswith("/bench")]

import datetime as dt  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import zoneinfo  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUESTS = 50
BRANCHES = 12
SMALL, LARGE = 50, 5000
TARGET_P95_MS = 150
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONTH = dt.date(2026, 3, 1)
EVENTS_URL = (
    "/calendar/events/?start=2026-02-23T00:00:00&end=2026-04-06T00:00:00&timeZone=Europe/Paris"
)
MONTH_URL = "/calendar/?view=month&date=2026-03-01"


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    var = ROOT / "var" / "bench"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    os.environ["ANNEXE_VAR_DIR"] = str(var)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'annexe'}_bench_calendar"
        _recreate_postgres(parts, name)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from core.memory import freeze_loaded_objects

    freeze_loaded_objects()  # as config/wsgi.py does once the application is loaded


def _recreate_postgres(parts, name: str) -> None:
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed_network():
    from accounts.models import User
    from libraries.models import Library, Membership, Role
    from posts.models import EditorialLine

    head = Library.objects.create(name="Réseau du banc d'essai", slug="banc")
    branches = [
        Library.objects.create(name=f"Médiathèque {i + 1}", slug=f"banc-{i + 1}", parent=head)
        for i in range(BRANCHES)
    ]
    admin = User.objects.create_user("bench-admin", password="x")
    Membership.objects.create(user=admin, library=head, role=Role.ADMINISTRATOR)
    lines = [
        EditorialLine.objects.create(library=head, name=name, colour=colour, position=i)
        for i, (name, colour) in enumerate(
            [
                ("Événements", "#b03a2e"),
                ("Coups de cœur", "#1d4e89"),
                ("Vie", "#2e7d32"),
                ("Chatons", "#7b3fa0"),
            ]
        )
    ]
    return head, branches, admin, lines


def add_posts(branches, admin, lines, count: int, offset: int) -> None:
    from posts.models import Post, PostTarget
    from publishing.models import Publication

    states = ["draft", "pending", "approved", "published", "approved", "draft"]
    start = dt.datetime.combine(MONTH, dt.time(8), tzinfo=PARIS)
    posts = Post.objects.bulk_create(
        [
            Post(
                library=branches[i % len(branches)],
                author=admin,
                title=f"Publication {i}",
                editorial_line=lines[i % len(lines)],
                state=states[i % len(states)],
                scheduled_at=start + dt.timedelta(minutes=(i * 263) % (30 * 24 * 60)),
            )
            for i in range(offset, offset + count)
        ],
        batch_size=1000,
    )
    # Each post goes to its branch's Mastodon account and to Bluesky (no account yet);
    # approved and published posts have their publication on the Mastodon account.
    accounts = _accounts(branches)
    PostTarget.objects.bulk_create(
        [
            target
            for p in posts
            for target in (
                PostTarget(post=p, network="mastodon", account=accounts[p.library_id]),
                PostTarget(post=p, network="bluesky"),
            )
        ],
        batch_size=2000,
    )
    Publication.objects.bulk_create(
        [
            Publication(
                post=p,
                account=accounts[p.library_id],
                network="mastodon",
                state="published" if p.state == "published" else "scheduled",
                scheduled_at=p.scheduled_at,
            )
            for p in posts
            if p.state in ("approved", "published")
        ],
        batch_size=2000,
    )


def _accounts(branches) -> dict:
    from publishing.models import SocialAccount

    return {
        branch.pk: SocialAccount.objects.get_or_create(
            library=branch,
            network="mastodon",
            remote_id=f"bench-{branch.pk}",
            defaults={
                "display_name": f"{branch.name} (Mastodon)",
                "handle": f"@bench{branch.pk}@mastodon.example",
                "server_url": "https://mastodon.example",
                "credentials": {"access_token": "bench"},
            },
        )[0]
        for branch in branches
    }


def seed_calendar(head, branches) -> None:
    from editorial_calendar.models import NotableDate, PostingSlot

    for branch in branches:
        for weekday, hour in ((1, 10), (3, 10), (5, 11)):
            PostingSlot.objects.create(
                library=branch, network="mastodon", weekday=weekday, time=dt.time(hour)
            )
    NotableDate.objects.create(
        library=head,
        title="Printemps des poètes",
        start_date=dt.date(2026, 3, 13),
        end_date=dt.date(2026, 3, 29),
        yearly=True,
    )


def measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: templates, caches, connection
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    # Read now: the next request's request_started signal empties the query log.
    query_count = len(queries)
    timings, cpu = [], []
    for _ in range(REQUESTS):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    timings.sort()
    cpu.sort()
    return {
        "queries": query_count,
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": cpu[int(len(cpu) * 0.95) - 1],
        "bytes": len(response.content),
    }


def client_for(admin, head):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    session = client.session
    session["annexe_library_id"] = head.pk
    session.save()
    return client


def report(label: str, small: dict, large: dict) -> None:
    print(f"{label}:")
    for posts, figures in ((SMALL, small), (LARGE, large)):
        print(
            f"  {posts:>5} posts: {figures['queries']:>3} queries, p50 {figures['p50']:7.1f} ms, "
            f"p95 {figures['p95']:7.1f} ms (CPU p50 {figures['cpu_p50']:6.1f} ms, "
            f"p95 {figures['cpu_p95']:6.1f} ms), {figures['bytes'] / 1024:8.1f} KiB"
        )
    print(
        f"  ratio {LARGE}/{SMALL}: queries ×{large['queries'] / small['queries']:.2f}, "
        f"p50 ×{large['p50'] / small['p50']:.1f}, p95 ×{large['p95'] / small['p95']:.1f}"
    )


def main() -> int:
    configure()
    from django.db import connection

    head, branches, admin, lines = seed_network()
    seed_calendar(head, branches)
    client = client_for(admin, head)
    print(
        f"database: {connection.vendor}; {BRANCHES} branches; {REQUESTS} requests per figure; "
        f"as a network administrator who sees every branch"
    )

    add_posts(branches, admin, lines, SMALL, 0)
    small = {"events": measure(client, EVENTS_URL), "month": measure(client, MONTH_URL)}
    add_posts(branches, admin, lines, LARGE - SMALL, SMALL)
    large = {"events": measure(client, EVENTS_URL), "month": measure(client, MONTH_URL)}

    report("events endpoint (month view range, 6 weeks)", small["events"], large["events"])
    report("month page", small["month"], large["month"])

    constant = all(small[k]["queries"] == large[k]["queries"] for k in small)
    worst = max(large[k]["p95"] for k in large)
    verdict = "OK" if constant and worst < TARGET_P95_MS else "MISSED"
    print(
        f"SUMMARY calendar: {verdict} — queries constant: {'yes' if constant else 'NO'} "
        f"(events {small['events']['queries']}→{large['events']['queries']}, "
        f"month {small['month']['queries']}→{large['month']['queries']}); "
        f"p95 with {LARGE} posts: events {large['events']['p95']:.0f} ms, "
        f"month page {large['month']['p95']:.0f} ms (target < {TARGET_P95_MS} ms); "
        f"CPU p95: events {large['events']['cpu_p95']:.0f} ms, "
        f"month page {large['month']['cpu_p95']:.0f} ms"
    )
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
