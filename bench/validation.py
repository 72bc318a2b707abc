"""Benchmark of the "À valider" page (the validator's queue).

Seeds a network of 12 branches whose posts wait at the second level
(Direction) of a three-level chain, each with its trail (submitted, approved at
level 1), then measures the queue page for a director who may act on all of
them, with 20 and with 2,000 waiting posts:
  - SQL queries of one request (must be the same for both);
  - server time p50/p95 over 50 requests (target p95 < 150 ms at 2,000).

Runs in-process with Django's test client against its own throwaway database:
var/bench/ (SQLite) by default, or `<name>_bench_validation` on the server of
DATABASE_URL when it is PostgreSQL. Usage: .venv/bin/python bench/validation.py
"""

from __future__ import annotations

import sys

# This folder first on sys.path would let bench/calendar.py shadow the standard
# calendar module (PITFALLS.md): drop it, then import the project from its root.
_HERE = __file__.rsplit("/", 1)[0] or "."
sys.path[:] = [p for p in sys.path if p not in (_HERE, "") and not p.endswith("/bench")]

import datetime as dt  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUESTS = 50
BRANCHES = 12
SMALL, LARGE = 20, 2000
TARGET_P95_MS = 150
URL = "/validation/"
LEVELS = ("Responsable de secteur", "Direction", "Service communication")


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    var = ROOT / "var" / "bench-validation"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    os.environ["ANNEXE_VAR_DIR"] = str(var)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'annexe'}_bench_validation"
        _recreate_postgres(parts, name)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


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
    from validation.models import Chain, ChainLevel

    head = Library.objects.create(name="Réseau du banc d'essai", slug="banc")
    branches = [
        Library.objects.create(name=f"Médiathèque {i + 1}", slug=f"banc-{i + 1}", parent=head)
        for i in range(BRANCHES)
    ]
    director = User.objects.create_user("bench-direction", password="x", display_name="Direction")
    Membership.objects.create(
        user=director, library=head, role=Role.VALIDATOR, validation_level=LEVELS[1]
    )
    heads, authors = [], []
    for branch in branches:
        person = User.objects.create_user(f"resp-{branch.slug}", password="x")
        Membership.objects.create(
            user=person, library=branch, role=Role.VALIDATOR, validation_level=LEVELS[0]
        )
        heads.append(person)
        author = User.objects.create_user(f"agent-{branch.slug}", password="x")
        Membership.objects.create(user=author, library=branch, role=Role.CONTRIBUTOR)
        authors.append(author)
    chain = Chain.objects.create(library=head)
    for position, name in enumerate(LEVELS):
        ChainLevel.objects.create(chain=chain, position=position, name=name, validation_level=name)
    lines = [
        EditorialLine.objects.create(library=head, name=name, colour=colour, position=i)
        for i, (name, colour) in enumerate(
            [("Événements", "#b03a2e"), ("Coups de cœur", "#1d4e89"), ("Vie", "#2e7d32")]
        )
    ]
    return head, branches, director, heads, authors, chain, lines


def add_pending(branches, heads, authors, chain, lines, count: int, offset: int) -> None:
    """`count` posts waiting at level 2, as post_submit and post_approve leave them
    (written in bulk: the services would take minutes for 2,000 posts)."""
    from django.utils import timezone

    from posts.models import Post, PostState, PostTarget
    from validation.models import Action, Review, ReviewEvent, ReviewLevel

    now = timezone.now()
    posts = Post.objects.bulk_create(
        [
            Post(
                library=branches[i % len(branches)],
                author=authors[i % len(authors)],
                title=f"Publication en attente {i}",
                body=f"Texte de la publication {i}, avec un lien et des hashtags. #Bench",
                editorial_line=lines[i % len(lines)],
                state=PostState.PENDING,
                scheduled_at=now + dt.timedelta(days=2, minutes=(i * 263) % (20 * 24 * 60)),
            )
            for i in range(offset, offset + count)
        ],
        batch_size=1000,
    )
    PostTarget.objects.bulk_create(
        [PostTarget(post=p, network=n) for p in posts for n in ("mastodon", "bluesky")],
        batch_size=2000,
    )
    reviews = Review.objects.bulk_create(
        [Review(post=p, chain=chain, round=1, submitted_at=now, level_since=now) for p in posts],
        batch_size=1000,
    )
    levels = ReviewLevel.objects.bulk_create(
        [
            ReviewLevel(review=r, position=k, name=name, validation_level=name)
            for r in reviews
            for k, name in enumerate(LEVELS)
        ],
        batch_size=2000,
    )
    second = {lvl.review_id: lvl for lvl in levels if lvl.position == 1}
    for review in reviews:
        review.current_level = second[review.pk]
    Review.objects.bulk_update(reviews, ["current_level"], batch_size=1000)
    events = []
    for index, post in enumerate(posts):
        common = {"post": post, "library_id": post.library_id, "round": 1}
        events.append(
            ReviewEvent(
                **common,
                action=Action.SUBMIT,
                actor=post.author,
                from_state=PostState.DRAFT,
                to_state=PostState.PENDING,
                level_position=0,
                level_name=LEVELS[0],
            )
        )
        events.append(
            ReviewEvent(
                **common,
                action=Action.APPROVE,
                actor=heads[(offset + index) % len(heads)],
                from_state=PostState.PENDING,
                to_state=PostState.PENDING,
                level_position=0,
                level_name=LEVELS[0],
            )
        )
    ReviewEvent.objects.bulk_create(events, batch_size=2000)


def client_for(user, library):
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    session["annexe_library_id"] = library.pk
    session.save()
    return client


def measure(client, url: str, expected_rows: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: templates, caches, connection
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    query_count = len(queries)  # read now: the next request empties the log
    rows = response.content.decode().count('name="post" value=')
    assert rows == expected_rows, f"{rows} rows on the page, expected {expected_rows}"
    timings = []
    for _ in range(REQUESTS):
        begin = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - begin) * 1000)
    timings.sort()
    return {
        "queries": query_count,
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "bytes": len(response.content),
        "rows": rows,
    }


def main() -> int:
    configure()
    from django.db import connection

    from validation.views.queue import PAGE_SIZE

    head, branches, director, heads, authors, chain, lines = seed_network()
    client = client_for(director, head)
    print(
        f"database: {connection.vendor}; {BRANCHES} branches; {REQUESTS} requests per figure; "
        f"as the network's director, posts waiting at level 2 of 3; {PAGE_SIZE} rows per page"
    )
    add_pending(branches, heads, authors, chain, lines, SMALL, 0)
    small = measure(client, URL, min(SMALL, PAGE_SIZE))
    add_pending(branches, heads, authors, chain, lines, LARGE - SMALL, SMALL)
    large = measure(client, URL, min(LARGE, PAGE_SIZE))
    print('"À valider" page:')
    for posts, figures in ((SMALL, small), (LARGE, large)):
        print(
            f"  {posts:>5} pending: {figures['queries']:>3} queries, "
            f"p50 {figures['p50']:7.1f} ms, p95 {figures['p95']:7.1f} ms, "
            f"{figures['rows']} rows, {figures['bytes'] / 1024:6.1f} KiB"
        )
    equal = small["queries"] == large["queries"]
    fast = large["p95"] < TARGET_P95_MS
    verdict = "OK" if equal and fast else "MISSED"
    print(
        f"SUMMARY validation queue: {verdict} — queries {small['queries']} with {SMALL} "
        f"and {large['queries']} with {LARGE} pending ({'equal' if equal else 'NOT equal'}); "
        f"p95 at {LARGE}: {large['p95']:.0f} ms, p50 {large['p50']:.0f} ms "
        f"(target < {TARGET_P95_MS} ms); {connection.vendor}"
    )
    return 0 if equal and fast else 1


if __name__ == "__main__":
    sys.exit(main())
