"""Child process of bench/dispatch.py: the fake Mastodon, Bluesky, LinkedIn, X, Graph API
(Facebook Page, Instagram) and Google Business Profile (50 ms latency, limits raised for
10,000 posts), so they do not share the benchmark's GIL, and a stand-in for Annexe's
public media URLs (Instagram and Google download the photo: the bench runs no web
process, so this host answers every `/publishing/public-media/…` path with one JPEG).
Prints one JSON line (URLs and credentials), then on "journal" prints what each
fake received, and exits on "stop"."""

import json
import sys
import time
from pathlib import Path

# bench/calendar.py would shadow the standard calendar module (PITFALLS.md).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from networks.bluesky import BlueskyClient  # noqa: E402
from networks.client import Account  # noqa: E402
from networks.mastodon import SCOPES, MastodonClient  # noqa: E402
from tests.fakes.bluesky import FakeBluesky  # noqa: E402
from tests.fakes.google_business import FakeGoogleBusiness  # noqa: E402
from tests.fakes.graph import FakeGraph  # noqa: E402
from tests.fakes.linkedin import FakeLinkedIn  # noqa: E402
from tests.fakes.mastodon import FakeMastodon  # noqa: E402
from tests.fakes.remote_media import FakeMediaHost, make_image  # noqa: E402
from tests.fakes.web import FakeRequest, FakeResponse  # noqa: E402
from tests.fakes.x import RATE_LIMITS, FakeX  # noqa: E402


class PublicMediaStandIn(FakeMediaHost):
    """Annexe's signed public media URLs, as the web process would serve them: one
    noisy 1080 × 1080 JPEG (over Google's 10 KB minimum) for any path."""

    photo = make_image(1080, 1080, "JPEG", padding=30_000)

    def _serve(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, self.photo, content_type="image/jpeg")


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
    graph = FakeGraph(
        latency=latency,
        app_call_limit=10**8,
        page_call_limit=10**8,
        ig_call_limit=10**8,
        ig_quota_total=10**8,
        # Meta usually needs a few seconds per container; the bench measures Annexe,
        # so containers are FINISHED at once (the client polls once, no sleep).
        ig_processing_polls=0,
    ).start()
    google = FakeGoogleBusiness(latency=latency, qpm=10**8).start()
    media = PublicMediaStandIn(latency=latency).start()
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
                "graph": {"url": graph.url, **_meta_accounts(graph)},
                "google_business": {"url": google.url, **_google_location(google)},
                "public_media": {"url": media.url},
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
            pages = [p["message"] for p in graph.fb_posts(include_deleted=False)]
            captions = [m["text"] for m in graph.ig_posts()]
            summaries = [p["summary"] for p in google.gbp_posts(include_deleted=False)]
            print(
                json.dumps(
                    {
                        "mastodon": statuses,
                        "bluesky": records,
                        "linkedin": commentaries,
                        "x": texts,
                        "facebook": pages,
                        "instagram": captions,
                        "google_business": summaries,
                    }
                ),
                flush=True,
            )
        elif line.strip() == "stop":
            break
    for fake in (mastodon, bluesky, linkedin, x, graph, google, media):
        fake.stop()


def _meta_accounts(graph: FakeGraph) -> dict:
    """A Page and its Instagram account, with the Page token both publish with."""
    ids = graph.ids()
    ig_id = next(iter(ids["instagram"].values()))
    page_id = graph.ig_users[ig_id].page_id
    return {"page_id": page_id, "ig_id": ig_id, "token": graph.issue_page_token(page_id)}


def _google_location(google: FakeGoogleBusiness) -> dict:
    ids = google.ids()
    group = ids["accounts"]["Réseau des médiathèques"]
    location = ids["locations"]["Médiathèque de Lille"]
    return {
        "remote_id": f"accounts/{group}/locations/{location}",
        "credentials": {**google.issue_token(), "expires_at": time.time() + 3500},
    }


if __name__ == "__main__":
    main()
