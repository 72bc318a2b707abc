"""The X client against the fake X: photos with alt text (simple upload), a GIF
(chunked, processed), find after an ambiguous failure, a duplicate never posted twice,
delete, metrics with a refused field skipped, rotating refresh tokens, and each X error
mapped to its kind."""

from datetime import UTC, datetime, timedelta

import pytest

from networks import http
from networks import x as xmodule
from networks.client import (
    Account,
    AmbiguousError,
    AuthError,
    Image,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from networks.x import XClient
from tests.factories import make_image

client = XClient()
TWEETS = "/2/tweets"
USER_ID = "1500000000000000001"


@pytest.fixture(autouse=True)
def _quick_processing(monkeypatch):
    monkeypatch.setattr(xmodule.posts, "PROCESSING_PACE", 0.01)


@pytest.fixture
def x_account(fake_x, settings):
    settings.X_CLIENT_ID = fake_x.config.client_id
    settings.X_CLIENT_SECRET = fake_x.config.client_secret
    settings.X_OAUTH_URL = fake_x.url
    token = fake_x.issue_token()
    return Account(
        "x",
        server_url=fake_x.url,
        handle="@mediatheque_lille",
        remote_id=USER_ID,
        credentials={**token, "expires_at": int(_now().timestamp()) + 7200},
    )


def _image(alt: str, fmt: str = "JPEG") -> Image:
    mime = "image/gif" if fmt == "GIF" else "image/jpeg"
    return Image(data=make_image(80, 60, fmt=fmt), mime_type=mime, alt_text=alt)


def _now() -> datetime:
    return datetime.now(UTC)


def test_photos_are_uploaded_with_their_alt_text_then_posted(fake_x, x_account):
    request = PublishRequest(
        key="k",
        text="Nuit de la lecture 📚 https://bib.example.fr/nuit",
        images=(_image("Affiche"), _image("La salle")),
    )

    post = client.publish(x_account, request)

    (published,) = fake_x.x_posts()
    assert published["id"] == post.remote_id
    assert published["text"] == request.text
    assert published["alt_texts"] == ["Affiche", "La salle"]
    assert post.url == f"https://x.com/mediatheque_lille/status/{post.remote_id}"
    assert len(fake_x.requests("/2/media/upload", method="POST")) == 2


def test_a_gif_goes_up_in_chunks_and_waits_for_processing(fake_x, x_account):
    client.publish(x_account, PublishRequest(key="k", text="Animé", images=(_image("Gif", "GIF"),)))

    assert fake_x.requests("/2/media/upload/initialize")
    assert fake_x.requests("/2/media/upload", method="GET")  # STATUS polled
    assert fake_x.x_posts()[0]["alt_texts"] == ["Gif"]


def test_a_refused_image_is_permanent_with_xs_words(fake_x, x_account):
    bad = Image(data=b"not an image", mime_type="image/jpeg", alt_text="Affiche")
    with pytest.raises(PermanentError) as caught:
        client.publish(x_account, PublishRequest(key="k", text="Expo", images=(bad,)))
    assert caught.value.message == "X : media type unrecognized."
    assert fake_x.x_posts() == []


def test_a_failed_processing_is_permanent(fake_x, x_account, monkeypatch):
    original = client._wait_processed

    def fail_then_wait(account, media_id, data):
        fake_x.fail_media(media_id, "Unsupported GIF")
        return original(account, media_id, data)

    monkeypatch.setattr(client, "_wait_processed", fail_then_wait)
    with pytest.raises(PermanentError) as caught:
        client.publish(x_account, PublishRequest(key="k", text="G", images=(_image("G", "GIF"),)))
    assert "Unsupported GIF" in caught.value.message


# --- exactly once ----------------------------------------------------------------------
def test_find_after_a_dropped_answer_returns_the_post_and_no_second_one(fake_x, x_account):
    since = _now()
    request = PublishRequest(
        key="k", text="Heure du conte https://bib.example.fr/c", images=(_image("Conte"),)
    )
    fake_x.inject(TWEETS, method="POST", mode="drop_after")

    with pytest.raises(AmbiguousError):
        client.publish(x_account, request)
    found = client.find(x_account, request, since=since)

    (published,) = fake_x.x_posts()
    assert found is not None and found.remote_id == published["id"]
    no_image = PublishRequest(key="k2", text=request.text)
    assert client.find(x_account, no_image, since=since) is None
    assert client.find(x_account, PublishRequest(key="k3", text="Autre"), since=since) is None


def test_find_sees_a_link_written_without_a_scheme(fake_x, x_account):
    since = _now()
    request = PublishRequest(key="k", text="Programme sur bib.example.fr/agenda !")
    client.publish(x_account, request)
    assert client.find(x_account, request, since=since) is not None


def test_a_retry_refused_as_duplicate_is_the_earlier_attempt(fake_x, x_account):
    request = PublishRequest(key="k", text="Atelier numérique", created_at=_now())
    fake_x.inject(TWEETS, method="POST", mode="drop_after")
    with pytest.raises(AmbiguousError):
        client.publish(x_account, request)

    post = client.publish(x_account, request)  # 403 duplicate content

    (published,) = fake_x.x_posts()
    assert post.remote_id == published["id"]


def test_repeating_an_old_post_is_refused(fake_x, x_account):
    client.publish(x_account, PublishRequest(key="old", text="Fermeture estivale"))
    later = PublishRequest(
        key="new", text="Fermeture estivale", created_at=_now() + timedelta(hours=1)
    )
    with pytest.raises(PermanentError) as caught:
        client.publish(x_account, later)
    assert "duplicate content" in caught.value.message
    assert len(fake_x.x_posts()) == 1


def test_delete_and_deleting_again_is_fine(fake_x, x_account):
    post = client.publish(x_account, PublishRequest(key="k", text="Bientôt supprimé"))
    client.delete(x_account, post)
    client.delete(x_account, post)
    assert fake_x.x_posts()[0]["deleted"] is True


def test_verify_names_the_account(fake_x, x_account):
    info = client.verify(x_account)
    assert (info.remote_id, info.handle) == (USER_ID, "@mediatheque_lille")


# --- errors ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "detail", "kind"),
    [
        (401, "Unauthorized", AuthError),
        (403, "Forbidden", AuthError),
        (403, "You are not permitted to perform this action.", PermanentError),
        (400, "Your Tweet text is too long.", PermanentError),
        (500, "Internal Server Error", TransientError),
        (503, "Service Unavailable", TransientError),
    ],
)
def test_x_errors_map_to_their_kind(fake_x, x_account, status, detail, kind):
    fake_x.inject_problem(TWEETS, status, detail, method="POST", times=None)
    with pytest.raises(kind) as caught:
        client.publish(x_account, PublishRequest(key="k", text="Bonjour"))
    assert caught.value.message == f"X : {detail}"


def test_an_app_outside_a_project_is_permanent_not_a_reconnection(fake_x, x_account):
    fake_x.inject_problem(
        TWEETS, 403, "When authenticating requests…", kind="client-forbidden", method="POST"
    )
    with pytest.raises(PermanentError):
        client.publish(x_account, PublishRequest(key="k", text="Bonjour"))


def test_a_revoked_token_without_refresh_is_an_auth_error(fake_x, x_account):
    fake_x.revoke_token(x_account.credentials["access_token"])
    x_account.credentials.pop("refresh_token")
    with pytest.raises(AuthError):
        client.verify(x_account)


@pytest.mark.parametrize("body", ["problem", "v1"])
def test_a_rate_limit_waits_for_the_reset_header(fake_x, x_account, body):
    fake_x.configure(rate_limit_body=body)
    fake_x.exhaust_rate_limit("tweets_create")
    with pytest.raises(RateLimited) as caught:
        client.publish(x_account, PublishRequest(key="k", text="Bonjour"))
    reset = caught.value.reset_at
    assert timedelta(minutes=1) < reset - _now() <= timedelta(minutes=16)


def test_a_spent_usage_budget_fails_rather_than_posting_weeks_late(fake_x, x_account):
    fake_x.cap_usage()
    with pytest.raises(PermanentError) as caught:
        client.publish(x_account, PublishRequest(key="k", text="Bonjour"))
    assert caught.value.code == "usage-capped"
    assert "Usage cap exceeded" in caught.value.message


def test_a_read_timeout_on_the_post_is_ambiguous(fake_x, x_account, settings):
    http.configure(read_timeout=0.3)
    try:
        fake_x.inject(TWEETS, method="POST", mode="delay", seconds=1.0)
        with pytest.raises(AmbiguousError):
            client.publish(x_account, PublishRequest(key="k", text="Lent"))
    finally:
        http.configure(read_timeout=settings.NETWORKS_READ_TIMEOUT)


# --- tokens ------------------------------------------------------------------------------
def test_an_expiring_token_is_refreshed_and_the_new_refresh_token_saved(fake_x, x_account):
    saved = []
    x_account.on_credentials_changed = saved.append
    old = dict(x_account.credentials)
    x_account.credentials["expires_at"] = int(_now().timestamp()) + 30

    client.publish(x_account, PublishRequest(key="k", text="Après renouvellement"))

    assert saved[-1]["access_token"] != old["access_token"]
    assert saved[-1]["refresh_token"] != old["refresh_token"]
    assert saved[-1]["expires_at"] > _now().timestamp() + 7000
    # The old refresh token no longer works (rotation).
    x_account.credentials = {**old, "expires_at": 1}
    x_account.on_credentials_changed = None
    with pytest.raises(AuthError):
        client.verify(x_account)


def test_a_401_refreshes_once_then_retries(fake_x, x_account):
    fake_x.revoke_token(x_account.credentials["access_token"])
    client.publish(x_account, PublishRequest(key="k", text="Bonjour"))
    assert len(fake_x.x_posts()) == 1
    assert len(fake_x.requests("/2/oauth2/token")) == 1


def test_a_refresh_token_used_by_another_worker_takes_its_saved_credentials(fake_x, x_account):
    stale = dict(x_account.credentials)
    other = Account("x", server_url=fake_x.url, credentials=dict(stale))
    client.refresh(other)  # another worker refreshed first and saved its pair
    x_account.credentials = {**stale, "expires_at": 1}
    x_account.reload_credentials = lambda: dict(other.credentials)

    client.verify(x_account)

    assert x_account.credentials["access_token"] == other.credentials["access_token"]


# --- metrics -----------------------------------------------------------------------------
def test_metrics_public_and_link_clicks(fake_x, x_account):
    post = client.publish(x_account, PublishRequest(key="k", text="Expo photo"))
    fake_x.set_metrics(
        post.remote_id,
        like_count=5,
        reply_count=2,
        retweet_count=1,
        quote_count=1,
        impression_count=300,
        url_link_clicks=7,
    )

    metrics = client.fetch_metrics(x_account, [post])[post.remote_id]

    assert (metrics.likes, metrics.replies, metrics.shares, metrics.quotes) == (5, 2, 1, 1)
    assert (metrics.impressions, metrics.clicks) == (300, 7)


def test_a_refused_metric_field_is_skipped_not_fatal(fake_x, x_account):
    post = client.publish(x_account, PublishRequest(key="k", text="Expo photo"))
    fake_x.set_metrics(post.remote_id, like_count=4)
    fake_x.configure(non_public_days=0)  # non-public metrics refused for older posts

    metrics = client.fetch_metrics(x_account, [post])[post.remote_id]

    assert (metrics.likes, metrics.clicks) == (4, None)


def test_metrics_of_a_post_deleted_on_x_are_skipped(fake_x, x_account):
    post = client.publish(x_account, PublishRequest(key="k", text="Expo"))
    fake_x.delete_remote(post.remote_id)
    assert client.fetch_metrics(x_account, [post]) == {}


def test_metrics_of_many_posts_in_one_request(fake_x, x_account):
    posts = [
        client.publish(x_account, PublishRequest(key=f"k{i}", text=f"Post {i}")) for i in range(3)
    ]
    fake_x.set_metrics(posts[1].remote_id, like_count=9)
    fake_x.delete_remote(posts[2].remote_id)

    metrics = client.fetch_metrics(x_account, posts)

    assert set(metrics) == {posts[0].remote_id, posts[1].remote_id}
    assert metrics[posts[1].remote_id].likes == 9
    assert len(fake_x.requests("/2/tweets", "GET")) == 1
