"""The LinkedIn Page client against the fake LinkedIn: images uploaded then attached
with their alt text, escaped commentary, find after an ambiguous failure, duplicates
never posted twice, delete, metrics with a missing statistic skipped, token refresh,
and each LinkedIn error mapped to its kind."""

from datetime import UTC, datetime, timedelta

import pytest

from networks import http, linkedin
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
from networks.linkedin import LinkedInClient
from tests.factories import make_image

client = LinkedInClient()
POSTS = "/rest/posts"


@pytest.fixture(autouse=True)
def _quick_polls(monkeypatch):
    monkeypatch.setattr(linkedin.posts, "POLL_DELAYS", (0.01, 0.01, 0.01))


@pytest.fixture
def page(fake_linkedin, settings):
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.config.client_id
    settings.LINKEDIN_CLIENT_SECRET = fake_linkedin.config.client_secret
    settings.LINKEDIN_OAUTH_URL = fake_linkedin.url
    token = fake_linkedin.issue_token()
    return Account(
        "linkedin", server_url=fake_linkedin.url, remote_id="10001", credentials=dict(token)
    )


def _image(alt: str) -> Image:
    return Image(data=make_image(80, 60), mime_type="image/jpeg", alt_text=alt)


def _now() -> datetime:
    return datetime.now(UTC)


def test_two_images_go_up_then_into_one_multi_image_post_with_their_alt_text(fake_linkedin, page):
    request = PublishRequest(
        key="k",
        text="Nuit de la lecture (samedi) 📚 #lecture https://bib.example.fr/a_b",
        images=(_image("Affiche de la nuit"), _image("La salle")),
    )

    post = client.publish(page, request)

    (published,) = fake_linkedin.li_posts()
    assert published["id"] == post.remote_id
    assert post.remote_id.startswith("urn:li:share:")
    assert post.url == f"https://www.linkedin.com/feed/update/{post.remote_id}/"
    assert published["author"] == "urn:li:organization:10001"
    images = published["content"]["multiImage"]["images"]
    assert [i["altText"] for i in images] == ["Affiche de la nuit", "La salle"]
    # Reserved characters escaped, the hashtag and the URL left as typed.
    assert published["commentary"] == (
        "Nuit de la lecture \\(samedi\\) 📚 #lecture https://bib.example.fr/a_b"
    )
    # Each image was polled until AVAILABLE before the post.
    assert len(fake_linkedin.requests(method="PUT", path_prefix="/dms-uploads/")) == 2


def test_one_image_is_a_single_media(fake_linkedin, page):
    client.publish(page, PublishRequest(key="k", text="Expo", images=(_image("Photo"),)))
    assert fake_linkedin.li_posts()[0]["content"]["media"]["altText"] == "Photo"


def test_a_link_alone_is_an_article(fake_linkedin, page):
    client.publish(page, PublishRequest(key="k", text="À lire", link="https://bib.example.fr/b"))
    article = fake_linkedin.li_posts()[0]["content"]["article"]
    assert article["source"] == "https://bib.example.fr/b"


def test_a_rejected_image_is_permanent_with_its_name(fake_linkedin, page):
    bad = Image(data=b"not an image", mime_type="image/jpeg", alt_text="Affiche")
    with pytest.raises(PermanentError) as caught:
        client.publish(page, PublishRequest(key="k", text="Expo", images=(bad,)))
    assert "Affiche" in caught.value.message
    assert fake_linkedin.li_posts() == []


# --- exactly once ----------------------------------------------------------------------
def test_find_after_a_dropped_answer_returns_the_post_and_no_second_one(fake_linkedin, page):
    since = _now()
    request = PublishRequest(key="k", text="Heure du conte [samedi]", images=(_image("Conte"),))
    fake_linkedin.inject(POSTS, method="POST", mode="drop_after")

    with pytest.raises(AmbiguousError):
        client.publish(page, request)
    found = client.find(page, request, since=since)

    (published,) = fake_linkedin.li_posts()
    assert found is not None and found.remote_id == published["id"]
    assert (
        client.find(page, PublishRequest(key="k2", text="Heure du conte [samedi]"), since=since)
        is None
    )
    assert client.find(page, PublishRequest(key="k3", text="Autre"), since=since) is None


def test_a_retry_answered_duplicate_is_the_earlier_attempt(fake_linkedin, page):
    request = PublishRequest(key="k", text="Atelier numérique", created_at=_now())
    fake_linkedin.inject(POSTS, method="POST", mode="drop_after")
    with pytest.raises(AmbiguousError):
        client.publish(page, request)

    post = client.publish(page, request)  # 422 DUPLICATE_POST naming the first one

    (published,) = fake_linkedin.li_posts()
    assert post.remote_id == published["id"]


def test_repeating_an_old_post_is_refused_not_adopted(fake_linkedin, page):
    client.publish(page, PublishRequest(key="old", text="Fermeture estivale"))
    later = PublishRequest(
        key="new", text="Fermeture estivale", created_at=_now() + timedelta(hours=1)
    )

    with pytest.raises(PermanentError) as caught:
        client.publish(page, later)

    assert caught.value.code == "DUPLICATE_POST"
    assert len(fake_linkedin.li_posts()) == 1


def test_delete_and_deleting_again_is_fine(fake_linkedin, page):
    post = client.publish(page, PublishRequest(key="k", text="Bientôt supprimé"))
    client.delete(page, post)
    client.delete(page, post)
    assert fake_linkedin.li_posts()[0]["deleted"] is True


def test_verify_names_the_page(fake_linkedin, page):
    info = client.verify(page)
    assert (info.remote_id, info.display_name) == ("10001", "Médiathèque de Lille")
    assert info.handle == "médiathèque-de-lille"


# --- errors ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("expired_token", AuthError),
        ("revoked_token", AuthError),
        ("invalid_token", AuthError),
        ("access_denied", AuthError),
        ("throttled", RateLimited),
        ("unprocessable", PermanentError),
        ("version_inactive", PermanentError),
        ("server_error", TransientError),
    ],
)
def test_linkedin_errors_map_to_their_kind(fake_linkedin, page, name, kind):
    fake_linkedin.inject_li_error(POSTS, name, method="POST")
    with pytest.raises(kind) as caught:
        client.publish(page, PublishRequest(key="k", text="Bonjour"))
    assert caught.value.message.startswith("LinkedIn : ")


def test_a_revoked_token_is_an_auth_error(fake_linkedin, page):
    fake_linkedin.revoke_token(page.credentials["access_token"])
    with pytest.raises(AuthError) as caught:
        client.verify(page)
    assert "revoked" in caught.value.message


def test_a_missing_posting_permission_is_an_auth_error(fake_linkedin, page):
    page.credentials = fake_linkedin.issue_token(scopes=["openid", "r_organization_social"])
    with pytest.raises(AuthError) as caught:
        client.publish(page, PublishRequest(key="k", text="Bonjour"))
    assert "Not enough permissions" in caught.value.message


def test_the_daily_quota_waits_for_midnight_utc(fake_linkedin, page):
    fake_linkedin.exhaust_rate_limit("member")
    with pytest.raises(RateLimited) as caught:
        client.publish(page, PublishRequest(key="k", text="Bonjour"))
    reset = caught.value.reset_at
    assert (reset.hour, reset.minute) == (0, 0)
    assert timedelta(0) < reset - _now() <= timedelta(days=1)


def test_a_read_timeout_on_the_post_is_ambiguous(fake_linkedin, page, settings):
    http.configure(read_timeout=0.3)
    try:
        fake_linkedin.inject(POSTS, method="POST", mode="delay", seconds=1.0)
        with pytest.raises(AmbiguousError):
            client.publish(page, PublishRequest(key="k", text="Lent"))
    finally:
        http.configure(read_timeout=settings.NETWORKS_READ_TIMEOUT)


# --- tokens ------------------------------------------------------------------------------
def test_an_expired_token_is_refreshed_first_when_a_refresh_token_was_granted(fake_linkedin, page):
    fake_linkedin.configure(partner_refresh_tokens=True)
    token = fake_linkedin.issue_token()
    fake_linkedin.expire_token(token["access_token"])
    saved = []
    page.credentials = {**token, "expires_at": int(_now().timestamp()) - 10}
    page.on_credentials_changed = saved.append

    client.publish(page, PublishRequest(key="k", text="Après renouvellement"))

    assert saved and saved[-1]["access_token"] != token["access_token"]
    assert saved[-1]["refresh_token"] == token["refresh_token"]  # not rotated on LinkedIn
    assert saved[-1]["expires_at"] > _now().timestamp() + 59 * 86400
    assert len(fake_linkedin.li_posts()) == 1


def test_a_token_expired_earlier_than_known_is_refreshed_once(fake_linkedin, page):
    fake_linkedin.configure(partner_refresh_tokens=True)
    token = fake_linkedin.issue_token()
    fake_linkedin.expire_token(token["access_token"])
    page.credentials = dict(token)  # no expires_at: we did not know

    client.publish(page, PublishRequest(key="k", text="Après renouvellement"))

    assert page.credentials["access_token"] != token["access_token"]
    assert len(fake_linkedin.li_posts()) == 1


def test_without_a_refresh_token_refresh_is_an_auth_error(fake_linkedin, page):
    with pytest.raises(AuthError):
        client.refresh(page)


# --- metrics -----------------------------------------------------------------------------
def test_metrics_from_the_share_statistics(fake_linkedin, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo photo"))
    fake_linkedin.set_post_stats(
        post.remote_id, likes=5, comments=2, impressionCount=300, clickCount=12, shareCount=1
    )

    metrics = client.fetch_metrics(page, [post])[post.remote_id]

    assert (metrics.likes, metrics.replies, metrics.shares) == (5, 2, 1)
    assert (metrics.impressions, metrics.clicks) == (300, 12)


def test_a_missing_statistic_is_skipped_not_fatal(fake_linkedin, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo photo"))
    fake_linkedin.inject(
        "/rest/organizationalEntityShareStatistics",
        status=200,
        body={
            "paging": {"count": 10, "start": 0, "links": []},
            "elements": [
                {
                    "organizationalEntity": "urn:li:organization:10001",
                    "share": post.remote_id,
                    "totalShareStatistics": {"likeCount": 4, "commentCount": 1, "shareCount": 0},
                }
            ],
        },
    )

    metrics = client.fetch_metrics(page, [post])[post.remote_id]

    assert (metrics.likes, metrics.replies, metrics.impressions, metrics.clicks) == (
        4,
        1,
        None,
        None,
    )


def test_refused_statistics_fall_back_to_social_actions(fake_linkedin, page):
    # Marie is only CONTENT_ADMINISTRATOR of page 10002: she may post, not read statistics.
    page.remote_id = "10002"
    post = client.publish(page, PublishRequest(key="k", text="Réseau"))
    fake_linkedin.set_post_stats(post.remote_id, likes=3, comments=1, impressionCount=50)

    metrics = client.fetch_metrics(page, [post])[post.remote_id]

    assert (metrics.likes, metrics.replies, metrics.impressions) == (3, 1, None)


def test_metrics_of_a_post_deleted_on_linkedin_are_skipped(fake_linkedin, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo"))
    fake_linkedin.delete_remote(post.remote_id)
    assert client.fetch_metrics(page, [post]) == {}


def test_refused_statistics_and_social_actions_keep_the_post(fake_linkedin, page):
    post = client.publish(page, PublishRequest(key="k", text="Expo"))
    fake_linkedin.inject_li_error("/rest/organizationalEntityShareStatistics", "access_denied")
    fake_linkedin.inject_li_error(r"/rest/socialActions/.+", "access_denied", regex=True)

    metrics = client.fetch_metrics(page, [post])

    # Refused figures are unknown (None), not a post deleted on LinkedIn.
    assert metrics[post.remote_id].likes is None
    # A Rest.li list of the URNs.
    (stats,) = fake_linkedin.requests("/rest/organizationalEntityShareStatistics")
    assert stats.query["shares"] == [f"List({post.remote_id})"]
