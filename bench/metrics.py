"""One day of metrics refreshes for 50,000 publications across 200 accounts.

    .venv/bin/python bench/metrics.py [publications] [accounts] [mix]

`mix` (default "mastodon:4,bluesky:4,x:1,linkedin:1") shares the accounts between
networks: 80 Mastodon accounts on one fake Mastodon, 80 Bluesky accounts on one fake
Bluesky, 20 X accounts on one fake X and 20 LinkedIn pages (one member each) on one
fake LinkedIn (in threads of this process, their clocks following the simulated time
so that their rate-limit windows and tokens behave as over a real day); "mastodon:1,
bluesky:1" is the mix the README's earlier figures were measured with. Publications
were published uniformly over the 90 days before the day and during it, spread over
the accounts; they already had a few likes. During the day, posts younger than 48
hours get new likes (a third from colleagues) every simulated hour.

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
MIX = dict(
    (name, int(weight))
    for name, _, weight in (
        part.partition(":")
        for part in (
            sys.argv[3] if len(sys.argv) > 3 else "mastodon:4,bluesky:4,x:1,linkedin:1"
        ).split(",")
    )
)
# Count requests (one per batch); LinkedIn's socialActions is its per-post fallback.
BATCHABLE = (
    "/api/v1/statuses",
    "/xrpc/app.bsky.feed.getPosts",
    "/2/tweets",
    "/rest/organizationalEntityShareStatistics",
)
LISTS = ("favourited_by", "reblogged_by", "getLikes", "getRepostedBy", "liking_users",
         "retweeted_by", "/rest/reactions/")  # fmt: skip
rng = random.Random(7)


def _shares(total: int) -> dict[str, int]:
    """`total` accounts shared by the MIX weights (the first network takes the rest)."""
    weight = sum(MIX.values())
    counts = {name: total * w // weight for name, w in MIX.items()}
    first = next(iter(counts))
    counts[first] += total - sum(counts.values())
    return counts


def _follow_clock(fakes, moment: dt.datetime) -> None:
    for fake in fakes:
        with fake.lock:
            fake.clock_offset = moment.timestamp() - time.time()


def _setup(fakes: dict, day0: dt.datetime):
    from accounts.models import User
    from libraries.models import Library
    from metrics.models import Colleague, MetricRefresh
    from networks.bluesky import BlueskyClient
    from networks.mastodon import SCOPES
    from posts.models import Post
    from publishing.models import Publication, SocialAccount
    from tests.fakes.atproto_ids import record_cid
    from tests.fakes.bluesky_models import StoredRecord, iso
    from tests.fakes.linkedin_models import LiPost
    from tests.fakes.mastodon_entities import Status
    from tests.fakes.x_models import Tweet

    mastodon, bluesky = fakes.get("mastodon"), fakes.get("bluesky")
    x, linkedin = fakes.get("x"), fakes.get("linkedin")
    shares = _shares(ACCOUNTS)
    library = Library.objects.create(slug=f"bench-metrics-{day0:%H%M%S}", name="Bench metrics")
    author = User.objects.create(username=f"bench-metrics-{day0:%H%M%S}")
    Colleague.objects.create(library=library, match="domain", identifier="bibliotheques.social")
    Colleague.objects.create(library=library, match="domain", identifier="bibliotheques.fr")
    accounts = []
    for n in range(shares.get("mastodon", 0)):
        user = mastodon.add_user(f"bib{n}")
        token = mastodon.issue_token(f"bib{n}", scopes=" ".join(SCOPES))
        accounts.append(
            SocialAccount(library=library, network="mastodon", display_name=f"M{n}",
                          handle=f"@bib{n}@{mastodon.domain}", server_url=mastodon.url,
                          remote_id=user["id"], credentials={"access_token": token})
        )  # fmt: skip
    for n in range(shares.get("bluesky", 0)):
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
    for n in range(shares.get("x", 0)):
        user_id = str(1_600_000_000_000_000_000 + n)
        x.add_user(user_id, f"Bib {n}", f"bib_x{n}")
        accounts.append(
            SocialAccount(library=library, network="x", display_name=f"X{n}",
                          handle=f"@bib_x{n}", server_url=x.url, remote_id=user_id,
                          credentials=x.issue_token(user_id))
        )  # fmt: skip
    for n in range(shares.get("linkedin", 0)):
        member = linkedin.add_member(f"m{n:06d}", "Admin", f"Bib{n}")
        linkedin.add_organization(str(20_000 + n), f"Bib {n}", {member: "ADMINISTRATOR"})
        accounts.append(
            SocialAccount(library=library, network="linkedin", display_name=f"L{n}",
                          handle=f"bib-{n}", server_url=linkedin.url, remote_id=str(20_000 + n),
                          credentials=linkedin.issue_token(member))
        )  # fmt: skip
    accounts = SocialAccount.objects.bulk_create(accounts)
    fans = {"mastodon": [], "bluesky": [], "x": [], "linkedin": []}
    for n in range(600):
        colleague = n % 3 == 0
        if mastodon:
            domain = "bibliotheques.social" if colleague else "m.s"
            fans["mastodon"].append(mastodon.add_account(f"fan{n}", domain=domain)["id"])
        if bluesky:
            handle = f"fan{n}.bibliotheques.fr" if colleague else f"fan{n}.bsky.social"
            fans["bluesky"].append(bluesky.add_actor(handle))
        if x:
            fans["x"].append(x._reader(f"fan{n}").id)
            if colleague:
                Colleague.objects.create(library=library, identifier=f"@fan{n}")
        if linkedin:
            fans["linkedin"].append(f"urn:li:person:fan{n}")
            if colleague:
                Colleague.objects.create(library=library, identifier=f"urn:li:person:fan{n}")

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
                mastodon.favourite(status.id, rng.choice(fans["mastodon"]))
            remote_id, data = status.id, {}
        elif account.network == "x":
            tweet = Tweet(id=x.snowflake(), author_id=account.remote_id, text=f"B{index}",
                          created=published_at.timestamp(), display=f"B{index}")  # fmt: skip
            tweet.likers = [rng.choice(fans["x"]) for _ in range(likes)]
            tweet.public = {"like_count": likes, "retweet_count": 0, "reply_count": 0,
                            "quote_count": 0, "impression_count": 10 * likes}  # fmt: skip
            x.tweets[tweet.id] = tweet
            remote_id, data = tweet.id, {}
        elif account.network == "linkedin":
            urn = f"urn:li:share:{7_000_000_000_000_000_000 + index}"
            li_post = LiPost(urn=urn, author=f"urn:li:organization:{account.remote_id}",
                             commentary="B", created=published_at.timestamp(), body={})  # fmt: skip
            li_post.reactions = [
                (rng.choice(fans["linkedin"]), "LIKE", published_at.timestamp())
                for _ in range(likes)
            ]
            linkedin.posts[urn] = li_post
            remote_id, data = urn, {}
        else:
            rkey = f"3bench{index:07d}"
            value = {"$type": "app.bsky.feed.post", "text": "Bench", "createdAt": iso(0)}
            record = StoredRecord(did=account.remote_id, collection="app.bsky.feed.post",
                                  rkey=rkey, value=value, cid=record_cid(value),
                                  indexed_at=iso(published_at.timestamp()))  # fmt: skip
            bluesky.records[(record.did, record.collection, rkey)] = record
            for _ in range(likes):
                bluesky.add_like(record.uri, did=rng.choice(fans["bluesky"]))
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
    return library, publications, fans


def _engage(fakes, publications, moment, fans) -> None:
    """New likes on the posts younger than 48 hours (an hour's worth)."""
    for publication in publications:
        age = (moment - publication.published_at).total_seconds()
        if not 0 <= age < 48 * 3600 or rng.random() > 0.5:
            continue
        for _ in range(rng.randint(1, 3)):
            fan = rng.choice(fans[publication.network])
            fake = fakes[publication.network]
            if publication.network == "mastodon":
                fake.favourite(publication.remote_id, fan)
            elif publication.network == "x":
                with fake.lock:
                    tweet = fake.tweets[publication.remote_id]
                    tweet.likers.append(fan)
                    tweet.public["like_count"] += 1
            elif publication.network == "linkedin":
                fake.add_reaction(publication.remote_id, fan)
            else:
                fake.add_like(publication.remote_id, did=fan)


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


def _is_count(entry) -> bool:
    return entry.path in BATCHABLE or entry.path.startswith("/rest/socialActions/")


def _is_list(entry) -> bool:
    return any(part in entry.path for part in LISTS)


def main() -> None:
    django_setup()
    from networks import http

    http.configure(allow_loopback=True, link_previews="off")
    from django.conf import settings
    from django.db.models import Count

    from metrics.models import MetricSnapshot
    from metrics.refresh import refresh_batch, refresh_sweep
    from tests.fakes.bluesky import FakeBluesky
    from tests.fakes.linkedin import FakeLinkedIn
    from tests.fakes.mastodon import FakeMastodon
    from tests.fakes.x import FakeX

    settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = "fake-x-client-id", "fake-x-client-secret"
    settings.LINKEDIN_CLIENT_ID = "fake-linkedin-client-id"
    settings.LINKEDIN_CLIENT_SECRET = "fake-linkedin-client-secret"
    makers = {
        "mastodon": lambda: FakeMastodon(),
        "bluesky": lambda: FakeBluesky(session_rate_limit=10**6, session_daily_limit=10**6),
        # Tokens that outlive the simulated day (the client would refresh them: noise).
        "x": lambda: FakeX(access_ttl=10 * 86400),
        "linkedin": lambda: FakeLinkedIn(),
    }
    fakes = {name: makers[name]().start() for name in MIX}
    day0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    library, publications, fans = _setup(fakes, day0)
    setup_seconds = time.perf_counter() - started
    for fake in fakes.values():
        fake.journal.clear()

    per_minute: list[Counter] = []
    outcomes: Counter = Counter()
    refreshed = 0
    cpu, wall = time.process_time(), time.perf_counter()
    snapshots_before = MetricSnapshot.objects.count()
    for minute in range(24 * 60):
        moment = day0 + dt.timedelta(minutes=minute)
        _follow_clock(fakes.values(), moment)
        if minute % 60 == 0:
            _engage(fakes, publications, moment, fans)
        before = {name: len(fake.journal.entries()) for name, fake in fakes.items()}
        sweep = refresh_sweep(now=moment, send=lambda batches: None)
        for ids in sweep.batches:
            outcomes[refresh_batch(refresh_ids=ids, now=moment)] += 1
        per_minute.append(
            Counter({n: len(f.journal.entries()) - before[n] for n, f in fakes.items()})
        )
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    refreshed = MetricSnapshot.objects.count() - snapshots_before
    by_network = dict(
        MetricSnapshot.objects.filter(publication__post__library=library)
        .values_list("publication__network")
        .annotate(n=Count("pk"))
        .values_list("publication__network", "n")
    )

    entries = {name: fake.journal.entries() for name, fake in fakes.items()}
    flat = [e for found in entries.values() for e in found]
    total = len(flat)
    batch_requests = sum(1 for e in flat if _is_count(e))
    lists = sum(1 for e in flat if _is_list(e))
    sessions = sum(1 for e in flat if "Session" in e.path)
    limited = sum(1 for e in flat if e.status == 429)
    peak_minute = max(sum(c.values()) for c in per_minute)
    peak_5 = {
        name: max(sum(c[name] for c in per_minute[i : i + 5]) for i in range(len(per_minute)))
        for name in fakes
    }
    counts_ratio = batch_requests / max(refreshed, 1)
    all_ratio = total / max(refreshed, 1)
    print(f"machine: {machine()}")
    print(
        f"setup: {PUBLICATIONS:,} publications, {ACCOUNTS} accounts "
        f"({', '.join(f'{n} {c}' for n, c in _shares(ACCOUNTS).items())}) "
        f"in {setup_seconds:.0f} s"
    )
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
    for name, found in entries.items():
        done = max(by_network.get(name, 0), 1)
        counts = sum(1 for e in found if _is_count(e))
        listed = sum(1 for e in found if _is_list(e))
        print(
            f"  {name}: {by_network.get(name, 0):,} refreshed, counts {counts / done:.3f}, "
            f"lists {listed / done:.3f}, all {len(found) / done:.3f} per refreshed publication; "
            f"peak {peak_5[name]} / 5 min; "
            f"429: {sum(1 for e in found if e.status == 429)}"
        )
    print(
        f"peak request rate: {peak_minute} / minute (all networks); budgets: Mastodon 300 / "
        f"5 min per account, Bluesky 3,000 / 5 min per IP, X liking_users and retweeted_by "
        f"75 / 15 min per account, LinkedIn daily quotas; 429 answers: {limited}"
    )
    print(f"CPU {cpu:.0f} s, wall {wall:.0f} s for the simulated day")
    extra = dashboard_figures(library)
    if extra:
        print(extra)
    for fake in fakes.values():
        fake.stop()
    print(
        f"SUMMARY metrics: {refreshed:,} refreshes of {PUBLICATIONS:,} publications / "
        f"{ACCOUNTS} accounts ({','.join(MIX)}) in one day, {counts_ratio:.3f} count requests "
        f"per refreshed publication ({all_ratio:.3f} with engager lists and sessions), "
        f"peak {peak_minute} requests/min, {limited} x 429" + (f"; {extra}" if extra else "")
    )


if __name__ == "__main__":
    main()
