"""The Instagram client against the fake Graph API: containers still processing then
finished, carousels with alt text, the daily quota (waits, never fails), find, metrics,
and each error mapped to its kind."""

from datetime import UTC, datetime, timedelta

import pytest

from networks import graph
from networks.client import (
    Account,
    AuthError,
    Image,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from networks.instagram import InstagramClient


@pytest.fixture
def client():
    instagram = InstagramClient()
    instagram.poll_delays = (0.01,) * 10
    return instagram


@pytest.fixture
def account(fake_graph):
    ids = fake_graph.ids()
    page_id = ids["pages"]["Médiathèque de Lille"]
    return Account(
        "instagram",
        server_url=fake_graph.url,
        remote_id=ids["instagram"]["mediatheque_lille"],
        credentials={"access_token": fake_graph.issue_page_token(page_id)},
    )


def _image(host, name: str, alt: str = "", width: int = 1080, height: int = 1080) -> Image:
    url = host.add_image(f"/m/{name}.jpg", width, height)
    return Image(
        data=b"", mime_type="image/jpeg", alt_text=alt, url=url, width=width, height=height
    )


def test_a_container_still_processing_is_polled_until_finished(
    fake_graph_factory, fake_media_host, client
):
    fake = fake_graph_factory(ig_processing_polls=3)
    ids = fake.ids()
    account = Account(
        "instagram",
        server_url=fake.url,
        remote_id=ids["instagram"]["mediatheque_lille"],
        credentials={"access_token": fake.issue_page_token(ids["pages"]["Médiathèque de Lille"])},
    )
    request = PublishRequest(
        key="k", text="Rentrée littéraire", images=(_image(fake_media_host, "a", "Livres"),)
    )

    post = client.publish(account, request)

    polls = [
        r for r in fake.requests(method="GET") if "status_code" in r.query.get("fields", [""])[0]
    ]
    assert len(polls) == 4  # IN_PROGRESS three times, then FINISHED
    (media,) = fake.ig_posts()
    assert media["id"] == post.remote_id
    assert media["text"] == "Rentrée littéraire"
    assert media["alt_texts"] == ["Livres"]
    assert post.url.startswith("https://www.instagram.com/p/")


def test_several_images_make_a_carousel_with_each_alt_text(
    fake_graph, fake_media_host, account, client
):
    images = tuple(_image(fake_media_host, f"i{n}", f"Photo {n}") for n in range(3))
    post = client.publish(account, PublishRequest(key="k", text="Trois photos", images=images))

    (media,) = fake_graph.ig_posts()
    assert media["media_type"] == "CAROUSEL_ALBUM"
    assert media["alt_texts"] == ["Photo 0", "Photo 1", "Photo 2"]
    assert media["id"] == post.remote_id


def test_a_carousels_containers_are_all_made_before_waiting_for_them(
    fake_graph, fake_media_host, account, client
):
    fake_graph.configure(ig_processing_polls=2)
    images = tuple(_image(fake_media_host, f"w{n}") for n in range(3))

    client.publish(account, PublishRequest(key="k", text="Trois photos", images=images))

    calls = [
        (entry.method, entry.path.rsplit("/", 1)[-1])
        for entry in fake_graph.requests()
        if entry.path.endswith("/media") or "/17890" in entry.path
    ]
    first_poll = next(i for i, (method, _) in enumerate(calls) if method == "GET")
    assert [method for method, _ in calls[:first_poll]] == ["POST"] * 3


def test_a_post_without_photo_is_refused_before_any_call(fake_graph, account, client):
    with pytest.raises(PermanentError):
        client.publish(account, PublishRequest(key="k", text="Texte seul"))
    assert not fake_graph.requests(method="POST")


def test_an_image_outside_the_ratios_is_refused_by_instagram(
    fake_graph, fake_media_host, account, client
):
    # What the rendition prevents (see tests/publishing/test_public_media.py): Meta's answer.
    wide = _image(fake_media_host, "wide", width=1000, height=300)
    with pytest.raises(PermanentError) as caught:
        client.publish(account, PublishRequest(key="k", text="Panorama", images=(wide,)))
    assert "aspect ratio" in caught.value.message


def test_a_full_quota_waits_for_the_oldest_post_to_leave_the_window(
    fake_graph_factory, fake_media_host, client
):
    fake = fake_graph_factory(ig_quota_total=2, ig_processing_polls=0)
    ids = fake.ids()
    account = Account(
        "instagram",
        server_url=fake.url,
        remote_id=ids["instagram"]["mediatheque_lille"],
        credentials={"access_token": fake.issue_page_token(ids["pages"]["Médiathèque de Lille"])},
    )
    first = client.publish(
        account, PublishRequest(key="1", text="Un", images=(_image(fake_media_host, "1"),))
    )
    client.publish(
        account, PublishRequest(key="2", text="Deux", images=(_image(fake_media_host, "2"),))
    )
    containers_before = len(fake.state()["containers"])

    with pytest.raises(RateLimited) as caught:
        client.publish(
            account, PublishRequest(key="3", text="Trois", images=(_image(fake_media_host, "3"),))
        )

    assert caught.value.reset_at is not None
    expected = first.published_at + timedelta(days=1)
    assert abs(caught.value.reset_at - expected) < timedelta(minutes=2)
    assert len(fake.state()["containers"]) == containers_before  # nothing created


def test_the_quota_error_at_publish_time_also_waits(fake_graph, fake_media_host, account, client):
    fake_graph.inject_graph_error(
        r"/v\d+\.\d+/\d+/media_publish", "ig_quota_reached", method="POST", regex=True
    )
    with pytest.raises(RateLimited) as caught:
        client.publish(
            account, PublishRequest(key="k", text="Quota", images=(_image(fake_media_host, "q"),))
        )
    assert caught.value.reset_at > datetime.now(UTC)


def test_find_returns_the_published_media_and_only_it(fake_graph, fake_media_host, account, client):
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(key="k", text="Club lecture", images=(_image(fake_media_host, "c"),))
    post = client.publish(account, request)

    assert client.find(account, request, since=since).remote_id == post.remote_id
    other = PublishRequest(key="k2", text="Club lecture ado", images=request.images)
    assert client.find(account, other, since=since) is None


def test_metrics_likes_comments_views_and_a_retired_metric_skipped(
    fake_graph, fake_media_host, account, client
):
    post = client.publish(
        account, PublishRequest(key="k", text="Expo", images=(_image(fake_media_host, "e"),))
    )
    fake_graph.set_ig_counts(post.remote_id, likes=12, comments=4)
    fake_graph.set_ig_insights(post.remote_id, views=300, shares=5)
    fake_graph.configure(
        ig_metrics=["views", "reach", "saved", "likes", "comments"]
    )  # shares refused

    metrics = client.fetch_metrics(account, [post])[post.remote_id]

    assert (metrics.likes, metrics.replies, metrics.impressions, metrics.shares) == (
        12,
        4,
        300,
        None,
    )


def test_not_enough_viewers_keeps_the_counts(fake_graph, fake_media_host, account, client):
    post = client.publish(
        account, PublishRequest(key="k", text="Expo", images=(_image(fake_media_host, "v"),))
    )
    fake_graph.set_ig_counts(post.remote_id, likes=2)
    fake_graph.set_insights_unavailable(post.remote_id)
    metrics = client.fetch_metrics(account, [post])[post.remote_id]
    assert metrics.likes == 2 and metrics.impressions is None


def test_verify(fake_graph, account, client):
    info = client.verify(account)
    assert info.handle == "@mediatheque_lille"


@pytest.mark.parametrize(
    ("path", "name", "kind"),
    [
        (r"/v\d+\.\d+/\d+/media", "token_expired", AuthError),
        (r"/v\d+\.\d+/\d+/media", "permission_instagram", AuthError),
        (r"/v\d+\.\d+/\d+/media", "ig_image_too_large", PermanentError),
        (r"/v\d+\.\d+/\d+/media", "ig_fetch_failed", PermanentError),
        (r"/v\d+\.\d+/\d+/media", "ig_caption_too_long", PermanentError),
        (r"/v\d+\.\d+/\d+/media", "throttle_instagram_buc", RateLimited),
        (r"/v\d+\.\d+/\d+/media", "service_unavailable", TransientError),
        (r"/v\d+\.\d+/\d+/media_publish", "ig_not_ready", TransientError),
        (r"/v\d+\.\d+/\d+/media_publish", "ig_server_error", TransientError),
        (r"/v\d+\.\d+/\d+/media_publish", "ig_expired", TransientError),
    ],
)
def test_errors_map_to_their_kind(fake_graph, fake_media_host, account, client, path, name, kind):
    fake_graph.inject_graph_error(path, name, method="POST", regex=True)
    with pytest.raises(kind):
        client.publish(
            account, PublishRequest(key="k", text="Bonjour", images=(_image(fake_media_host, "x"),))
        )


def test_a_container_still_processing_after_the_last_poll_is_transient(
    fake_graph_factory, fake_media_host, client
):
    fake = fake_graph_factory(ig_processing_polls=50)
    ids = fake.ids()
    account = Account(
        "instagram",
        server_url=fake.url,
        remote_id=ids["instagram"]["mediatheque_lille"],
        credentials={"access_token": fake.issue_page_token(ids["pages"]["Médiathèque de Lille"])},
    )
    client.poll_delays = (0.01, 0.01)
    with pytest.raises(TransientError):
        client.publish(
            account, PublishRequest(key="k", text="Lent", images=(_image(fake_media_host, "s"),))
        )
    assert not fake.ig_posts()


@pytest.mark.parametrize(
    ("status", "kind"), [("ERROR", PermanentError), ("EXPIRED", TransientError)]
)
def test_a_container_in_error_or_expired(status, kind):
    with pytest.raises(kind):
        graph.wait_until_finished(lambda: (status, "2207001"), network="Instagram", delays=(0,))
