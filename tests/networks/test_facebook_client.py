"""The Facebook Page client against the fake Graph API: photos with alt text attached to
one feed post, links, find, delete, metrics, and each Graph error mapped to its kind."""

from datetime import UTC, datetime, timedelta

import pytest

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
from networks.facebook import FacebookClient
from tests.factories import make_image

client = FacebookClient()


@pytest.fixture
def page(fake_graph):
    page_id = fake_graph.ids()["pages"]["Médiathèque de Lille"]
    token = fake_graph.issue_page_token(page_id)
    return Account(
        "facebook",
        server_url=fake_graph.url,
        remote_id=page_id,
        credentials={"access_token": token},
    )


def _image(alt: str, width: int = 80, height: int = 60) -> Image:
    return Image(
        data=make_image(width, height),
        mime_type="image/jpeg",
        alt_text=alt,
        width=width,
        height=height,
    )


def test_photos_are_uploaded_unpublished_with_alt_text_then_attached_to_one_post(fake_graph, page):
    request = PublishRequest(
        key="k1", text="Nuit de la lecture 📚", images=(_image("Affiche"), _image("Salle"))
    )

    post = client.publish(page, request)

    (published,) = fake_graph.fb_posts()
    assert published["id"] == post.remote_id
    assert published["message"] == request.text
    assert [p["alt_text"] for p in published["photos"]] == ["Affiche", "Salle"]
    assert all(not p["published"] for p in published["photos"])
    assert post.url == published["permalink_url"]
    assert post.published_at is not None


def test_a_link_post_sends_the_link(fake_graph, page):
    client.publish(page, PublishRequest(key="k", text="À lire", link="https://bib.example.fr/a"))
    assert fake_graph.fb_posts()[0]["link"] == "https://bib.example.fr/a"


def test_find_returns_the_earlier_attempt_and_only_it(fake_graph, page):
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(key="k", text="Heure du conte samedi", images=(_image("Conte"),))
    post = client.publish(page, request)

    assert client.find(page, request, since=since).remote_id == post.remote_id
    other = PublishRequest(key="k2", text="Heure du conte samedi")  # no photo
    assert client.find(page, other, since=since) is None
    assert client.find(page, PublishRequest(key="k3", text="Autre"), since=since) is None


def test_delete_and_deleting_again_is_fine(fake_graph, page):
    post = client.publish(page, PublishRequest(key="k", text="Bientôt supprimé"))
    client.delete(page, post)
    client.delete(page, post)
    assert fake_graph.fb_posts()[0]["deleted"] is True


def test_verify_names_the_page(fake_graph, page):
    info = client.verify(page)
    assert info.remote_id == page.remote_id
    assert info.display_name == "Médiathèque de Lille"


def test_metrics_reactions_comments_shares_and_views(fake_graph, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo photo"))
    fake_graph.add_reaction(post.remote_id, "Léa", "LIKE")
    fake_graph.add_reaction(post.remote_id, "Paul", "LOVE")
    fake_graph.set_fb_counts(post.remote_id, comments=3, shares=2)
    fake_graph.set_fb_insights(post.remote_id, post_total_media_view_unique=40)

    metrics = client.fetch_metrics(page, [post])[post.remote_id]

    assert (metrics.likes, metrics.replies, metrics.shares, metrics.impressions) == (2, 3, 2, 40)


def test_a_retired_insight_is_skipped_not_fatal(fake_graph, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo"))
    fake_graph.configure(fb_post_metrics=["post_clicks"])
    metrics = client.fetch_metrics(page, [post])[post.remote_id]
    assert metrics.impressions is None
    assert metrics.likes == 0


def test_metrics_of_a_post_deleted_on_facebook_are_skipped(fake_graph, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo"))
    fake_graph.delete_remote(post.remote_id)
    assert client.fetch_metrics(page, [post]) == {}


# --- errors --------------------------------------------------------------------------------
FEED = r"/v\d+\.\d+/\d+/feed"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("token_expired", AuthError),
        ("token_password_changed", AuthError),
        ("token_app_deauthorized", AuthError),
        ("permission_manage_posts", AuthError),
        ("duplicate_post", PermanentError),
        ("photo_rejected", PermanentError),
        ("service_unavailable", TransientError),
        ("unknown_error", TransientError),
        ("throttle_app", RateLimited),
        ("throttle_user", RateLimited),
        ("throttle_page", RateLimited),
        ("throttle_api", RateLimited),
        ("throttle_pages_buc", RateLimited),
    ],
)
def test_graph_errors_map_to_their_kind(fake_graph, page, name, kind):
    fake_graph.inject_graph_error(FEED, name, method="POST", regex=True)
    with pytest.raises(kind) as caught:
        client.publish(page, PublishRequest(key="k", text="Bonjour"))
    assert caught.value.message.startswith("Facebook : ")


def test_the_reset_of_a_page_throttle_comes_from_the_usage_header(fake_graph, page):
    fake_graph.inject_graph_error(
        FEED, "throttle_pages_buc", method="POST", regex=True, regain_minutes=30
    )
    before = datetime.now(UTC)
    with pytest.raises(RateLimited) as caught:
        client.publish(page, PublishRequest(key="k", text="Bonjour"))
    wait = caught.value.reset_at - before
    assert timedelta(minutes=29) < wait < timedelta(minutes=31)


def test_a_duplicate_carries_metas_words_for_people(fake_graph, page):
    client.publish(page, PublishRequest(key="k", text="Même texte"))
    with pytest.raises(PermanentError) as caught:
        client.publish(page, PublishRequest(key="k2", text="Même texte"))
    assert "identical to the last one" in caught.value.message
    assert caught.value.code == "506/1455006"


def test_a_revoked_token_is_an_auth_error(fake_graph, page):
    fake_graph.break_token(page.credentials["access_token"], "token_app_deauthorized")
    with pytest.raises(AuthError):
        client.verify(page)


def test_a_read_timeout_on_the_feed_post_is_ambiguous(fake_graph, page, settings):
    from networks import http

    http.configure(read_timeout=0.3)
    try:
        fake_graph.inject(FEED, method="POST", mode="delay", seconds=1.0, regex=True)
        with pytest.raises(AmbiguousError):
            client.publish(page, PublishRequest(key="k", text="Lent"))
    finally:
        http.configure(read_timeout=settings.NETWORKS_READ_TIMEOUT)
