"""The Threads client against the fake Graph API (Threads host): text, image and carousel
containers with alt text, quota, find, delete, metrics, errors, token exchange and
refresh."""

from datetime import UTC, datetime, timedelta

import pytest

from networks.client import (
    Account,
    AuthError,
    Image,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from networks.threads import ThreadsClient


@pytest.fixture
def client():
    threads = ThreadsClient()
    threads.poll_delays = (0.01,) * 10
    return threads


@pytest.fixture
def account(fake_graph):
    user_id = fake_graph.ids()["threads"]["mediatheque_lille"]
    return Account(
        "threads",
        server_url=fake_graph.threads_url,
        remote_id=user_id,
        credentials={"access_token": fake_graph.issue_threads(user_id)},
    )


def _image(host, name: str, alt: str = "") -> Image:
    url = host.add_image(f"/t/{name}.jpg", 800, 600)
    return Image(data=b"", mime_type="image/jpeg", alt_text=alt, url=url)


def test_a_text_post_with_a_link_attachment(fake_graph, account, client):
    post = client.publish(
        account, PublishRequest(key="k", text="Nouveautés ✨", link="https://bib.example.fr/n")
    )
    (published,) = fake_graph.threads_posts()
    assert published["id"] == post.remote_id
    assert published["text"] == "Nouveautés ✨"
    assert fake_graph.state()["containers"][0]["link_attachment"] == "https://bib.example.fr/n"
    assert "threads.com/@mediatheque_lille/post/" in post.url


def test_one_image_and_a_carousel_with_alt_texts(fake_graph, fake_media_host, account, client):
    client.publish(
        account, PublishRequest(key="1", text="Une", images=(_image(fake_media_host, "a", "A"),))
    )
    images = (_image(fake_media_host, "b", "B"), _image(fake_media_host, "c", "C"))
    client.publish(account, PublishRequest(key="2", text="Deux", images=images))

    single, carousel = fake_graph.threads_posts()
    assert single["media_type"] == "IMAGE" and single["alt_texts"] == ["A"]
    assert carousel["media_type"] == "CAROUSEL_ALBUM" and carousel["alt_texts"] == ["B", "C"]


def test_an_image_meta_cannot_read_fails_with_its_reason(fake_graph, account, client):
    broken = Image(data=b"", mime_type="image/jpeg", url=f"{fake_graph.url}/nothing-here.jpg")
    with pytest.raises(PermanentError) as caught:
        client.publish(account, PublishRequest(key="k", text="Cassé", images=(broken,)))
    assert "FAILED_DOWNLOADING_IMAGE" in caught.value.message
    assert not fake_graph.threads_posts()


def test_a_full_quota_waits(fake_graph, account, client):
    fake_graph.configure(threads_quota_total=1)
    first = client.publish(account, PublishRequest(key="1", text="Un"))
    with pytest.raises(RateLimited) as caught:
        client.publish(account, PublishRequest(key="2", text="Deux"))
    expected = first.published_at + timedelta(days=1)
    assert abs(caught.value.reset_at - expected) < timedelta(minutes=2)


def test_find_and_delete(fake_graph, account, client):
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(key="k", text="Atelier numérique")
    post = client.publish(account, request)
    assert client.find(account, request, since=since).remote_id == post.remote_id
    assert client.find(account, PublishRequest(key="x", text="Autre"), since=since) is None

    client.delete(account, post)
    client.delete(account, post)  # already gone: fine
    assert client.find(account, request, since=since) is None


def test_metrics_and_a_refused_metric_skipped(fake_graph, account, client):
    post = client.publish(account, PublishRequest(key="k", text="Expo"))
    fake_graph.set_threads_insights(post.remote_id, views=90, likes=7, replies=2, reposts=1)
    fake_graph.configure(threads_metrics=["views", "likes", "replies", "reposts"])  # no quotes

    metrics = client.fetch_metrics(account, [post])[post.remote_id]

    assert (metrics.impressions, metrics.likes, metrics.replies, metrics.shares) == (90, 7, 2, 1)
    assert metrics.quotes is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("token_expired", AuthError),
        ("permission_instagram", AuthError),
        ("threads_link_limit", PermanentError),
        ("threads_text_too_long", PermanentError),
        ("service_unavailable", TransientError),
        ("throttle_user", RateLimited),
    ],
)
def test_errors_map_to_their_kind(fake_graph, account, client, name, kind):
    fake_graph.inject_graph_error(r"/threads/v1\.0/\d+/threads", name, method="POST", regex=True)
    with pytest.raises(kind):
        client.publish(account, PublishRequest(key="k", text="Bonjour"))


def test_verify(account, client):
    assert client.verify(account).handle == "@mediatheque_lille"


def test_code_exchange_gives_a_long_lived_token(fake_graph, client):
    code = _authorize(fake_graph)
    answer = client.exchange_code(
        server_url=fake_graph.threads_url,
        client_id=fake_graph.config.threads_app_id,
        client_secret=fake_graph.config.threads_app_secret,
        redirect_uri="http://127.0.0.1:9/cb",
        code=code,
    )
    assert answer["user_id"] == fake_graph.ids()["threads"]["mediatheque_lille"]
    assert answer["expires_in"] > 50 * 86400
    account = Account(
        "threads",
        server_url=fake_graph.threads_url,
        remote_id=answer["user_id"],
        credentials={"access_token": answer["access_token"]},
    )
    assert client.verify(account).remote_id == answer["user_id"]


def test_refresh_renews_a_token_a_day_old(fake_graph, account, client):
    saved = []
    account.on_credentials_changed = saved.append
    old = account.credentials["access_token"]
    fake_graph.advance_clock(2 * 86400)

    answer = client.refresh_token(account)

    assert answer["expires_in"] > 50 * 86400
    assert saved and saved[0]["access_token"] != old
    assert client.verify(account).remote_id == account.remote_id


def test_refreshing_too_early_is_refused(fake_graph, account, client):
    with pytest.raises(PermanentError):
        client.refresh_token(account)


def _authorize(fake_graph) -> str:
    import requests

    answer = requests.post(
        f"{fake_graph.threads_url}/oauth/authorize",
        data={
            "client_id": fake_graph.config.threads_app_id,
            "redirect_uri": "http://127.0.0.1:9/cb",
            "scope": "threads_basic,threads_content_publish",
            "decision": "approve",
        },
        allow_redirects=False,
        timeout=5,
    )
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
