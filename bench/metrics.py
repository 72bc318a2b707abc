"""One day of metrics refreshes for 50,000 publications across 200 accounts.

    .venv/bin/python bench/metrics.py [publications] [accounts]

100 Mastodon accounts on one fake Mastodon and 100 Bluesky accounts on one fake
Bluesky (in threads of this process, their clocks following the simulated time so
that their rate-limit windows and tokens behave as over a real day). Publications
were published uniformly over the 90 days before the day and during it, half on
each network; they already had a few likes. During the day, posts younger than
48 hours get new likes (a third from colleagues) every simulated hour.

The refresh sweep runs every simulated minute (what beat does) and each batch is
refreshed at once (what the workers do). Prints refreshes, requests per refreshed
publication (counts only, and with engager lists and sessions), the peak request
rate per minute and per 5 minutes against each network's budget, 429s, CPU and wall
time, then a SUMMARY line.

The dashboard figures of the same issue (query count, p95 over 12 months of data)
are measured by `dashboard_figures` below (the dashboard's own part of the bench).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/calendar.py would shadow the standard calendar module (PITFALLS.md).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NETWORKS_ALLOW_LOOPBACK", "true")
os.environ.setdefault("NETWORKS_LINK_PREVIEWS", "off")
os.environ.setdefault("ANNEXE_VAR_DIR", str(ROOT / "var" / "bench-metrics"))

from bench._common import django_setup, machine  # noqa: E402

PUBLICATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
ACCOUNTS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
BATCHABLE = ("/api/v1/statuses", "/xrpc/app.bsky.feed.getPosts")
rng = random.Random(7)


def _follow_clock(fakes, moment: dt.datetime) -> None:
    for fake in fakes:
        with fake.lock:
            fake.clock_offset = moment.timestamp() - time.time()


def _setup(mastodon, bluesky, day0: dt.datetime):
    from accounts.models import User
    from libraries.models import Library
    from metrics.models import Colleague, MetricRefresh
    from networks.bluesky import BlueskyClient
    from networks.mastodon import SCOPES
    from posts.models import Post
    from publishing.models import Publication, SocialAccount
    from tests.fakes.atproto_ids import record_cid
    from tests.fakes.bluesky_models import StoredRecord, iso
    from tests.fakes.mastodon_entities import Status

    library = Library.objects.create(slug=f"bench-metrics-{day0:%H%M%S}", name="Bench metrics")
    author = User.objects.create(username=f"bench-metrics-{day0:%H%M%S}")
    Colleague.objects.create(library=library, match="domain", identifier="bibliotheques.social")
    Colleague.objects.create(library=library, match="domain", identifier="bibliotheques.fr")
    accounts = []
    for n in range(ACCOUNTS // 2):
        user = mastodon.add_user(f"bib{n}")
        token = mastodon.issue_token(f"bib{n}", scopes=" ".join(SCOPES))
        accounts.append(
            SocialAccount(library=library, network="mastodon", display_name=f"M{n}",
                          handle=f"@bib{n}@{mastodon.domain}", server_url=mastodon.url,
                          remote_id=user["id"], credentials={"access_token": token})
        )  # fmt: skip
    for n in range(ACCOUNTS - ACCOUNTS // 2):
        handle = f"bib{n}.bsky.social"
        bluesky.add_account(handle, "abcd-efgh-ijkl-mnop")
        credentials = BlueskyClient().login(
            bluesky.url, identifier=handle, app_password="abcd-efgh-ijkl-mnop"
        )
        credentials |= {"identifier": handle, "app_password": "abcd-efgh-ijkl-mnop"}
        accounts.append(
            SocialAccount(library=library, network="bluesky", display_name=f"B{n}",
                          handle=f"@{handle}", server_url=bluesky.url,
                          remote_id=credentials["did"], credentials=credentials)
        )  # fmt: skip
    accounts = SocialAccount.objects.bulk_create(accounts)
    mastodon_fans = [
        mastodon.add_account(f"fan{n}", domain="bibliotheques.social" if n % 3 == 0 else "m.s")[
            "id"
        ]
        for n in range(600)
    ]
    bluesky_fans = [
        bluesky.add_actor(f"fan{n}.bibliotheques.fr" if n % 3 == 0 else f"fan{n}.bsky.social")
        for n in range(600)
    ]

    posts = Post.objects.bulk_create(
        Post(library=library, author=author, title=f"Billet {n}", body="Bench")
        for n in range(PUBLICATIONS // 2)
    )
    publications, refreshes = [], []
    for index in range(PUBLICATIONS):
        account = accounts[index % len(accounts)]
        post = posts[index // 2 % len(posts)]
        published_at = day0 - dt.timedelta(seconds=rng.uniform(-86400, 90 * 86400))
        likes = rng.randint(0, 12)
        if account.network == "mastodon":
            status = Status(id=mastodon.next_id(), account_id=account.remote_id, text="B",
                            created_at=published_at.timestamp())  # fmt: skip
            mastodon._store(status)
            for _ in range(likes):
                mastodon.favourite(status.id, rng.choice(mastodon_fans))
            remote_id, data = status.id, {}
        else:
            rkey = f"3bench{index:07d}"
            value = {"$type": "app.bsky.feed.post", "text": "Bench", "createdAt": iso(0)}
            record = StoredRecord(did=account.remote_id, collection="app.bsky.feed.post",
                                  rkey=rkey, value=value, cid=record_cid(value),
                                  indexed_at=iso(published_at.timestamp()))  # fmt: skip
            bluesky.records[(record.did, record.collection, rkey)] = record
            for _ in range(likes):
                bluesky.add_like(record.uri, did=rng.choice(bluesky_fans))
            remote_id, data = record.uri, {"uri": record.uri, "cid": record.cid}
        publications.append(
            Publication(post=post, account=account, network=account.network, state="published",
                        scheduled_at=published_at, published_at=published_at, key=str(index),
                        remote_id=remote_id, remote_data=data)
        )  # fmt: skip
        # Already measured before the day (their engager lists walked then).
        refreshes.append(likes)
    publications = Publication.objects.bulk_create(publications, batch_size=2000)
    from metrics.refresh import next_refresh_at

    MetricRefresh.objects.bulk_create(
        (
            MetricRefresh(publication=p, account_id=p.account_id, published_at=p.published_at,
                          audience_likes=likes,
                          next_refresh_at=next_refresh_at(published_at=p.published_at,
                                                          now=day0, account_id=p.account_id,
                                                          first=True))
            for p, likes in zip(publications, refreshes, strict=True)
            if p.published_at <= day0
        ),
        batch_size=2000,
    )  # fmt: skip
    return library, publications, mastodon_fans, bluesky_fans


def _engage(mastodon, bluesky, publications, moment, mastodon_fans, bluesky_fans) -> None:
    """New likes on the posts younger than 48 hours (an hour's worth)."""
    for publication in publications:
        age = (moment - publication.published_at).total_seconds()
        if not 0 <= age < 48 * 3600 or rng.random() > 0.5:
            continue
        for _ in range(rng.randint(1, 3)):
            if publication.network == "mastodon":
                mastodon.favourite(publication.remote_id, rng.choice(mastodon_fans))
            else:
                bluesky.add_like(publication.remote_id, did=rng.choice(bluesky_fans))


def dashboard_figures(library) -> str | None:
    """The dashboard's query count and server time for 12 months of data: the day's
    library (its publications of the last 90 days, refreshed) plus a year of history in
    10 branches (bench/metrics_dashboard.py), opened by the network's administrator."""
    from accounts.models import User
    from bench.metrics_dashboard import describe, measure, seed_year
    from libraries.models import Membership, Role
    from publishing.models import Publication

    admin = User.objects.create(username=f"admin-{library.slug}")
    Membership.objects.create(user=admin, library=library, role=Role.ADMINISTRATOR)
    seed_year(library=library, posts_per_day=10, rng=random.Random(5))
    total = Publication.objects.filter(post__library__in=[library, *library.branches.all()])
    return describe(measure(library=library, user=admin), total.count())


def main() -> None:
    django_setup()
    from networks import http

    http.configure(allow_loopback=True, link_previews="off")
    from django.conf import settings

    from metrics.models import MetricSnapshot
    from metrics.refresh import refresh_batch, refresh_sweep
    from tests.fakes.bluesky import FakeBluesky
    from tests.fakes.mastodon import FakeMastodon

    mastodon = FakeMastodon().start()
    bluesky = FakeBluesky(session_rate_limit=10**6, session_daily_limit=10**6).start()
    fakes = (mastodon, bluesky)
    day0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    library, publications, mastodon_fans, bluesky_fans = _setup(mastodon, bluesky, day0)
    setup_seconds = time.perf_counter() - started
    for fake in fakes:
        fake.journal.clear()

    per_minute: list[Counter] = []
    outcomes: Counter = Counter()
    refreshed = 0
    cpu, wall = time.process_time(), time.perf_counter()
    snapshots_before = MetricSnapshot.objects.count()
    for minute in range(24 * 60):
        moment = day0 + dt.timedelta(minutes=minute)
        _follow_clock(fakes, moment)
        if minute % 60 == 0:
            _engage(mastodon, bluesky, publications, moment, mastodon_fans, bluesky_fans)
        before = {fake.name: len(fake.journal.entries()) for fake in fakes}
        sweep = refresh_sweep(now=moment, send=lambda batches: None)
        for ids in sweep.batches:
            outcomes[refresh_batch(refresh_ids=ids, now=moment)] += 1
        per_minute.append(
            Counter({f.name: len(f.journal.entries()) - before[f.name] for f in fakes})
        )
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    refreshed = MetricSnapshot.objects.count() - snapshots_before

    entries = [e for fake in fakes for e in fake.journal.entries()]
    total = len(entries)
    batch_requests = sum(1 for e in entries if e.path in BATCHABLE)
    lists = sum(1 for e in entries if "favourited_by" in e.path or "getLikes" in e.path
                or "reblogged_by" in e.path or "getRepostedBy" in e.path)  # fmt: skip
    sessions = sum(1 for e in entries if "Session" in e.path)
    limited = sum(1 for e in entries if e.status == 429)
    peak_minute = max(sum(c.values()) for c in per_minute)
    peak_5 = {
        name: max(sum(c[name] for c in per_minute[i : i + 5]) for i in range(len(per_minute)))
        for name in ("mastodon", "bluesky")
    }
    counts_ratio = batch_requests / max(refreshed, 1)
    all_ratio = total / max(refreshed, 1)
    print(f"machine: {machine()}")
    print(f"setup: {PUBLICATIONS:,} publications, {ACCOUNTS} accounts in {setup_seconds:.0f} s")
    print(
        f"refresh caps: {settings.METRICS_REFRESH_PER_MINUTE}/min overall, "
        f"{settings.METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE}/min per account; "
        f"tiers {settings.METRICS_REFRESH_TIERS}"
    )
    print(f"refreshed publications in the day: {refreshed:,} (batches: {dict(outcomes)})")
    other = total - batch_requests - lists - sessions
    print(
        f"requests: {total:,} = {batch_requests:,} batched counts + {lists:,} engager-list "
        f"pages + {sessions:,} session refreshes + {other} other"
    )
    print(f"requests per refreshed publication: counts {counts_ratio:.3f}, all {all_ratio:.3f}")
    print(
        f"peak request rate: {peak_minute} / minute (both networks); per 5 minutes: Mastodon "
        f"{peak_5['mastodon']} (per-account budget 300, all accounts together), Bluesky "
        f"{peak_5['bluesky']} (3,000 per IP); 429 answers: {limited}"
    )
    print(f"CPU {cpu:.0f} s, wall {wall:.0f} s for the simulated day")
    extra = dashboard_figures(library)
    if extra:
        print(extra)
    mastodon.stop()
    bluesky.stop()
    print(
        f"SUMMARY metrics: {refreshed:,} refreshes of {PUBLICATIONS:,} publications / "
        f"{ACCOUNTS} accounts in one day, {counts_ratio:.3f} count requests per refreshed "
        f"publication ({all_ratio:.3f} with engager lists and sessions), peak {peak_minute} "
        f"requests/min, {limited} x 429" + (f"; {extra}" if extra else "")
    )


if __name__ == "__main__":
    main()
