"""The dispatcher and the publish workers under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annexe_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/dispatch.py [posts]

(BENCH_WORKERS, default 2, and BENCH_THREADS, default 8, set the worker processes and
the threads of each.)

Posts × 2 accounts each, the pairs rotating over fake Mastodon, Bluesky, LinkedIn, X,
Facebook Page, Instagram and Google Business Profile (50 ms per request, in a child
process; every network in 4 of the 14 pairs; posts whose pair includes Instagram carry
one photo, which Instagram, and Google when paired with it, download from a stand-in of
Annexe's public media URLs), all due within one minute; the dispatcher
sweeps every second in this process (what beat does); WORKERS worker processes with
the thread pool run publish_publication (the README's recommended configuration).
Prints lateness
(published_at − scheduled_at) p50/p99/max, throughput, duplicates and lost (both
must be 0) and the ratio of throughput to the ideal bound (concurrent requests ÷
latency), then a SUMMARY line. Default 5,000 posts (10,000 publications), after a
warm-up round of 100 posts due in one minute (the p99 < 2 s target).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/calendar.py would shadow the standard calendar module (PITFALLS.md).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PUBLISHING_DISPATCH_INTERVAL", "1")
os.environ.setdefault("NETWORKS_ALLOW_LOOPBACK", "true")
os.environ.setdefault("NETWORKS_LINK_PREVIEWS", "off")

from bench._common import django_setup  # noqa: E402

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
LATENCY = 0.05


def _fakes():
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "_dispatch_fakes.py"), str(LATENCY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, json.loads(process.stdout.readline())


def _workers(env):
    procs = []
    for index in range(WORKERS):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
                 "--pool=threads", f"--concurrency={THREADS}", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-n", f"bench{index}@%h"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
    return procs


def _wait_for_workers(timeout: float = 180) -> None:
    """Until every worker answers a ping (a loaded machine may take half a minute to
    start them; a fixed sleep let the first messages go out before anyone listened)."""
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0)) >= WORKERS:
            return
    raise RuntimeError("the workers did not start")


def _setup(fakes, posts: int, spread: float, lead: float):
    from django.utils import timezone

    from accounts.models import User
    from libraries.models import Library
    from posts.content import fingerprint_of, post_snapshot
    from posts.models import Post, PostMedia, PostState, PostTarget
    from publishing.models import Publication, SocialAccount
    from validation.models import Review

    library, _ = Library.objects.get_or_create(slug="bench-dispatch", defaults={"name": "Bench"})
    author, _ = User.objects.get_or_create(username="bench-dispatch")
    mastodon, _ = SocialAccount.objects.update_or_create(
        library=library, network="mastodon",
        defaults={"display_name": "M", "server_url": fakes["mastodon"]["url"],
                  "remote_id": fakes["mastodon"]["id"], "status": "connected",
                  "credentials": {"access_token": fakes["mastodon"]["token"]}},
    )  # fmt: skip
    creds = fakes["bluesky"]["credentials"]
    bluesky, _ = SocialAccount.objects.update_or_create(
        library=library, network="bluesky",
        defaults={"display_name": "B", "server_url": fakes["bluesky"]["url"],
                  "handle": "@mediatheque.bsky.social", "remote_id": creds["did"],
                  "status": "connected", "credentials": creds},
    )  # fmt: skip
    li, _ = SocialAccount.objects.update_or_create(
        library=library, network="linkedin",
        defaults={"display_name": "L", "server_url": fakes["linkedin"]["url"],
                  "remote_id": "10001", "status": "connected",
                  "credentials": fakes["linkedin"]["credentials"]},
    )  # fmt: skip
    x, _ = SocialAccount.objects.update_or_create(
        library=library, network="x",
        defaults={"display_name": "X", "server_url": fakes["x"]["url"],
                  "handle": "@mediatheque_lille", "remote_id": fakes["x"]["id"],
                  "status": "connected", "credentials": fakes["x"]["credentials"]},
    )  # fmt: skip
    graph = fakes["graph"]
    facebook, _ = SocialAccount.objects.update_or_create(
        library=library, network="facebook",
        defaults={"display_name": "F", "server_url": graph["url"], "remote_id": graph["page_id"],
                  "status": "connected", "credentials": {"access_token": graph["token"]}},
    )  # fmt: skip
    instagram, _ = SocialAccount.objects.update_or_create(
        library=library, network="instagram",
        defaults={"display_name": "I", "server_url": graph["url"], "remote_id": graph["ig_id"],
                  "status": "connected", "credentials": {"access_token": graph["token"]},
                  "settings": {"page_id": graph["page_id"]}},
    )  # fmt: skip
    gbp = fakes["google_business"]
    google, _ = SocialAccount.objects.update_or_create(
        library=library, network="google_business",
        defaults={"display_name": "G", "server_url": gbp["url"], "remote_id": gbp["remote_id"],
                  "status": "connected", "credentials": gbp["credentials"]},
    )  # fmt: skip
    # Every network paired with two others in turn (14 pairs, each network in 4): as
    # many publications as posts × 2, all mixed.
    ring = [mastodon, facebook, bluesky, instagram, li, google, x]
    pairs = [(ring[i], ring[(i + k) % 7]) for k in (1, 3) for i in range(7)]
    start = timezone.now() + dt.timedelta(seconds=lead)
    # A run label in the text: LinkedIn and X refuse a text they already have.
    run = start.strftime("%H:%M:%S")
    created = Post.objects.bulk_create(
        Post(
            library=library, author=author, title=f"Bench {i}", state=PostState.APPROVED,
            body=f"Annonce numéro {i} ({run}) de la médiathèque : venez nombreux !",
            scheduled_at=start + dt.timedelta(seconds=spread * i / posts),
        )
        for i in range(posts)
    )  # fmt: skip
    PostTarget.objects.bulk_create(
        PostTarget(post=p, network=a.network, account=a)
        for i, p in enumerate(created)
        for a in pairs[i % len(pairs)]
    )
    # Instagram takes no post without a photo: one, shared by those posts.
    photo = _photo(library, author)
    PostMedia.objects.bulk_create(
        PostMedia(post=p, media=photo)
        for i, p in enumerate(created)
        if instagram in pairs[i % len(pairs)]
    )
    # The snapshot holds the targets: one template per pair of networks.
    templates = [post_snapshot(p) for p in created[: len(pairs)]]
    Review.objects.bulk_create(
        Review(post=p, round=1,
               fingerprint=(f := fingerprint_of({**templates[i % len(pairs)], "body": p.body})),
               approved_fingerprint=f)
        for i, p in enumerate(created)
    )  # fmt: skip
    assert (
        fingerprint_of(post_snapshot(created[-1]))
        == Review.objects.get(post=created[-1]).approved_fingerprint
    )
    Publication.objects.bulk_create(
        Publication(post=p, account=a, network=a.network, scheduled_at=p.scheduled_at)
        for i, p in enumerate(created)
        for a in pairs[i % len(pairs)]
    )
    return [p.pk for p in created]


def _photo(library, author):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from libraries.models import Membership
    from posts.models import Media
    from posts.services.media import media_upload

    Membership.objects.get_or_create(user=author, library=library)
    found = Media.objects.filter(library=library, alt_text="Bench").first()
    if found is not None:
        return found
    buffer = io.BytesIO()
    Image.effect_noise((1200, 1200), 80).convert("RGB").save(buffer, "JPEG")
    upload = SimpleUploadedFile("bench.jpg", buffer.getvalue(), content_type="image/jpeg")
    return media_upload(library=library, by=author, file=upload, alt_text="Bench")


def _run(fakes_proc, post_ids, timeout: float) -> dict:
    from publishing.models import Publication
    from publishing.services import dispatch_due

    publications = Publication.objects.filter(post_id__in=post_ids)
    total = publications.count()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        dispatch_due()
        if publications.filter(state="published").count() == total:
            break
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started) % 1.0))
    rows = list(publications.values_list("state", "scheduled_at", "published_at", "key"))
    done = [r for r in rows if r[0] == "published"]
    lateness = sorted(max((p - s).total_seconds(), 0.0) for _st, s, p, _k in done)
    first = min(s for _st, s, _p, _k in rows)
    last = max(p for _st, _s, p, _k in done) if done else first
    fakes_proc.stdin.write("journal\n")
    fakes_proc.stdin.flush()
    journal = json.loads(fakes_proc.stdout.readline())
    duplicates = sum(len(keys) - len(set(keys)) for keys in journal.values())
    span = max((last - first).total_seconds(), 1e-9)
    return {
        "total": total,
        "published": len(done),
        "lost": total - len(done),
        "duplicates": duplicates,
        "p50": statistics.median(lateness) if lateness else float("nan"),
        "p99": lateness[int(len(lateness) * 0.99) - 1] if lateness else float("nan"),
        "max": lateness[-1] if lateness else float("nan"),
        "throughput": len(done) / span,
        "drain_s": span,
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "posts", nargs="?", type=int, default=5000, help="posts of the big round (default 5000)"
    )
    posts = parser.parse_args().posts
    django_setup()
    from django.db import connection

    from bench._common import machine
    from config.celery import app

    fakes_proc, fakes = _fakes()
    # Where Instagram and Google download photos (no web process in the bench).
    os.environ["PUBLIC_BASE_URL"] = fakes["public_media"]["url"]
    env = dict(os.environ)
    app.control.purge()  # messages of an earlier, interrupted run
    workers = _workers(env)
    try:
        _wait_for_workers()
        ideal = WORKERS * THREADS / LATENCY
        print(f"machine: {machine()}; database: {connection.vendor}; workers: {WORKERS} × "
              f"{THREADS} threads; fake latency {LATENCY * 1000:.0f} ms")  # fmt: skip
        results = {}
        for label, count in (("100 posts in a minute", 100), (f"{posts} posts in a minute", posts)):
            ids = _setup(fakes, count, spread=60, lead=10 + count / 500)
            r = _run(fakes_proc, ids, timeout=600)
            results[label] = r
            print(
                f"{label}: {r['published']}/{r['total']} published, lateness p50 {r['p50']:.2f} s, "
                f"p99 {r['p99']:.2f} s, max {r['max']:.2f} s; throughput {r['throughput']:.0f}/s "
                f"over {r['drain_s']:.0f} s; duplicates {r['duplicates']}, lost {r['lost']}; "
                f"ratio to ideal bound ({ideal:.0f}/s) {r['throughput'] / ideal:.2f}"
            )
    finally:
        for process in workers:
            process.terminate()
        fakes_proc.stdin.write("stop\n")
        fakes_proc.stdin.flush()
        for process in [*workers, fakes_proc]:
            process.wait(30)
    small, big = results["100 posts in a minute"], results[f"{posts} posts in a minute"]
    print(
        f"SUMMARY dispatch: 100/min p99 lateness {small['p99']:.2f} s; {big['total']} due in a "
        f"minute drained in {big['drain_s']:.0f} s ({big['throughput']:.0f}/s, "
        f"{big['throughput'] / ideal:.2f} of ideal), p99 {big['p99']:.1f} s, "
        f"duplicates {small['duplicates'] + big['duplicates']}, lost {small['lost'] + big['lost']}"
    )


if __name__ == "__main__":
    main()
