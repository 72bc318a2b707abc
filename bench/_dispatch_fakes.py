"""Child process of bench/dispatch.py: the fake Mastodon, Bluesky, LinkedIn and X (50 ms
latency, limits raised for 10,000 posts), so they do not share the benchmark's GIL.
Prints one JSON line (URLs and credentials), then on "journal" prints what each
fake received, and exits on "stop"."""

import json
import sys
from pathlib import Path

# bench/calendar.py would shadow the standard calendar module (PITFALLS.md).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from networks.bluesky import BlueskyClient  # noqa: E402
from networks.client import Account  # noqa: E402
from networks.mastodon import SCOPES, MastodonClient  # noqa: E402
from tests.fakes.bluesky import FakeBluesky  # noqa: E402
from tests.fakes.linkedin import FakeLinkedIn  # noqa: E402
from tests.fakes.mastodon import FakeMastodon  # noqa: E402
from tests.fakes.x import RATE_LIMITS, FakeX  # noqa: E402


def main() -> None:
    from networks import http

    http.configure(allow_loopback=True)
    latency = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    mastodon = FakeMastodon(
        latency=latency, rate_limit=10**7, status_rate_limit=10**7, media_rate_limit=10**7
    ).start()
    bluesky = FakeBluesky(
        latency=latency,
        global_rate_limit=10**7,
        write_points_per_hour=10**8,
        write_points_per_day=10**8,
    ).start()
    linkedin = FakeLinkedIn(
        latency=latency, app_daily_limit=10**8, member_daily_limit=10**8
    ).start()
    x = FakeX(
        latency=latency,
        rate_limits={name: (10**8, window) for name, (_, window) in RATE_LIMITS.items()},
    ).start()
    token = mastodon.issue_token(scopes=" ".join(SCOPES))
    mastodon_id = (
        MastodonClient()
        .verify(Account("mastodon", server_url=mastodon.url, credentials={"access_token": token}))
        .remote_id
    )
    credentials = BlueskyClient().login(
        bluesky.url, identifier="mediatheque.bsky.social", app_password="abcd-efgh-ijkl-mnop"
    )
    print(
        json.dumps(
            {
                "mastodon": {"url": mastodon.url, "token": token, "id": mastodon_id},
                "bluesky": {"url": bluesky.url, "credentials": credentials},
                "linkedin": {"url": linkedin.url, "credentials": linkedin.issue_token()},
                "x": {"url": x.url, "credentials": x.issue_token(), "id": x.current_user_id},
            }
        ),
        flush=True,
    )
    for line in sys.stdin:
        if line.strip() == "journal":
            statuses = [s["idempotency_key"] for s in mastodon.posts()]
            records = [r.get("uri", "") for r in bluesky.posts()]
            # LinkedIn and X have no idempotency key: a duplicate is the same text twice.
            commentaries = [p["commentary"] for p in linkedin.li_posts(include_deleted=False)]
            texts = [t["text"] for t in x.x_posts(include_deleted=False)]
            print(
                json.dumps(
                    {"mastodon": statuses, "bluesky": records, "linkedin": commentaries, "x": texts}
                ),
                flush=True,
            )
        elif line.strip() == "stop":
            break
    for fake in (mastodon, bluesky, linkedin, x):
        fake.stop()


if __name__ == "__main__":
    main()
