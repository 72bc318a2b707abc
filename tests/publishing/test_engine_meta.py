"""The engine against the fake Graph API (Facebook Page, Instagram, Threads), with
Annexe's public media URLs really downloaded by the fake from a live server: photos
with alt text, renditions within Instagram's ratios, and each fault mapped to its
publication state."""

import datetime as dt

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from networks import graph
from publishing.models import AccountStatus, Publication, PublicationState
from publishing.services import dispatch_due, publication_publish
from tests.factories import MediaFactory, make_image
from tests.publishing.conftest import (
    facebook_account_on,
    instagram_account_on,
    threads_account_on,
)

S = PublicationState
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _quick(monkeypatch, settings, live_server):
    monkeypatch.setattr(graph, "POLL_DELAYS", (0.01,) * 5)
    settings.PUBLIC_BASE_URL = live_server.url


def _run(now=None):
    sweep = dispatch_due(now=now)
    return {pk: publication_publish(publication_id=pk, now=now) for pk, _eta in sweep.sent}


def _photo(cast, width=1500, height=500, alt="La façade de la médiathèque"):
    return MediaFactory(
        library=cast.net.a,
        file__data=make_image(width, height),
        width=width,
        height=height,
        alt_text=alt,
    )


def test_a_post_with_a_photo_goes_to_the_page_instagram_and_threads(
    approve, cast, fake_graph, live_server
):
    accounts = [
        facebook_account_on(fake_graph, cast.net.a),
        instagram_account_on(fake_graph, cast.net.a),
        threads_account_on(fake_graph, cast.net.a),
    ]
    post = approve(accounts, media=[_photo(cast)])

    outcomes = _run(now=post.scheduled_at)

    assert set(outcomes.values()) == {S.PUBLISHED}, Publication.objects.values_list(
        "network", "error_message"
    )
    (page_post,) = fake_graph.fb_posts()
    (photo_id,) = page_post["photo_ids"]
    assert fake_graph.photos[photo_id].alt_text == "La façade de la médiathèque"
    (ig,) = fake_graph.ig_posts()
    (thread,) = fake_graph.threads_posts()
    containers = {c["id"]: c for c in fake_graph.state()["containers"]}
    ig_container = containers[ig["container_id"]]
    # The panorama (3:1) reached Instagram within 4:5–1.91:1, from Annexe's signed URL.
    assert ig_container["image_url"].startswith(f"{live_server.url}/publishing/public-media/")
    assert 0.8 <= ig_container["image"]["width"] / ig_container["image"]["height"] <= 1.91
    assert ig_container["alt_text"] == "La façade de la médiathèque"
    assert containers[thread["container_id"]]["alt_text"] == "La façade de la médiathèque"
    # Once published, the URL serves the photo for PUBLIC_MEDIA_MAX_AGE more, no longer.
    assert requests.get(ig_container["image_url"], timeout=5).status_code == 200
    Publication.objects.filter(post=post, network="instagram").update(
        published_at=timezone.now() - dt.timedelta(seconds=settings.PUBLIC_MEDIA_MAX_AGE + 1)
    )
    assert requests.get(ig_container["image_url"], timeout=5).status_code == 410


# --- exactly once ------------------------------------------------------------------------
def test_the_same_task_delivered_twice_publishes_once_on_instagram(approve, cast, fake_graph):
    account = instagram_account_on(fake_graph, cast.net.a)
    post = approve([account], media=[_photo(cast, 1080, 1080)])
    (pk, _eta) = dispatch_due(now=post.scheduled_at).sent[0]

    assert publication_publish(publication_id=pk) == S.PUBLISHED
    assert publication_publish(publication_id=pk) == "skipped"
    assert len(fake_graph.ig_posts()) == 1


@pytest.mark.parametrize(
    ("make_account", "path", "published"),
    [
        (instagram_account_on, r"/v\d+\.\d+/\d+/media_publish", "ig_posts"),
        (threads_account_on, r"/threads/v\d+\.\d+/\d+/threads_publish", "threads_posts"),
        (facebook_account_on, r"/v\d+\.\d+/\d+/feed", "fb_posts"),
    ],
)
def test_dropped_answer_is_reconciled_not_resent(
    approve, cast, fake_graph, make_account, path, published
):
    account = make_account(fake_graph, cast.net.a)
    post = approve([account], media=[_photo(cast, 1080, 1080)])
    fake_graph.inject(path, method="POST", mode="drop_after", regex=True)

    assert set(_run(now=post.scheduled_at).values()) == {S.UNKNOWN}
    publication = Publication.objects.get(post=post)
    assert set(_run(now=publication.next_attempt_at).values()) == {S.PUBLISHED}

    (remote,) = getattr(fake_graph, published)()
    assert Publication.objects.get(post=post).remote_id == remote["id"]


# --- faults mapped to states ---------------------------------------------------------------
def test_an_expired_page_token_waits_for_reconnection(approve, cast, fake_graph):
    account = facebook_account_on(fake_graph, cast.net.a)
    post = approve([account])
    fake_graph.expire_token(account.credentials["access_token"])

    assert set(_run(now=post.scheduled_at).values()) == {S.NEEDS_RECONNECT}

    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT
    publication = Publication.objects.get(post=post)
    assert "expired" in publication.error_message.lower()
    assert not fake_graph.fb_posts()
    assert _run(now=post.scheduled_at + dt.timedelta(hours=1)) == {}


def test_a_revoked_threads_token_waits_for_reconnection(approve, cast, fake_graph):
    account = threads_account_on(fake_graph, cast.net.a)
    post = approve([account])
    fake_graph.break_token(account.credentials["access_token"])

    assert set(_run(now=post.scheduled_at).values()) == {S.NEEDS_RECONNECT}
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT


def test_a_full_instagram_quota_waits_for_the_window(approve, cast, fake_graph):
    fake_graph.configure(ig_quota_total=1)
    account = instagram_account_on(fake_graph, cast.net.a)
    first = approve([account], media=[_photo(cast, 1080, 1080)])
    assert set(_run(now=first.scheduled_at).values()) == {S.PUBLISHED}
    second = approve(
        [account], body="Dimanche : atelier d'écriture.", media=[_photo(cast, 1080, 1080)]
    )

    assert set(_run(now=second.scheduled_at).values()) == {S.SCHEDULED}

    publication = Publication.objects.get(post=second)
    assert publication.state == S.SCHEDULED and publication.attempts == 0
    wait = publication.next_attempt_at - timezone.now()
    assert dt.timedelta(hours=23) < wait < dt.timedelta(hours=25)
    assert "quota" in publication.error_message
    assert len(fake_graph.ig_posts()) == 1
    from django.utils import translation

    with translation.override("en"):
        assert publication.error_text.startswith(
            "Instagram: publishing quota reached (1/1 in 24 h)"
        )


def test_a_container_meta_refuses_fails_with_metas_words(approve, cast, fake_graph):
    account = instagram_account_on(fake_graph, cast.net.a)
    post = approve([account], media=[_photo(cast, 1080, 1080)])
    fake_graph.inject(
        r"/v\d+\.\d+/17890\d+",
        method="GET",
        status=200,
        body={"status_code": "ERROR", "status": "Error: Media upload has failed (2207052)"},
        regex=True,
        times=None,
    )

    assert set(_run(now=post.scheduled_at).values()) == {S.FAILED}

    publication = Publication.objects.get(post=post)
    assert "2207052" in publication.error_message
    assert not fake_graph.ig_posts()
    # Meta's words stay as Meta wrote them, inside a sentence in the reader's language.
    from django.utils import translation

    words = publication.error_data["params"]["words"]
    assert publication.error_message == f"Instagram : média refusé ({words})."
    with translation.override("en"):
        assert publication.error_text == f"Instagram: media refused ({words})."


def test_two_photos_make_an_instagram_carousel_each_within_the_ratios(approve, cast, fake_graph):
    account = instagram_account_on(fake_graph, cast.net.a)
    photos = [_photo(cast, 800, 1600, alt="Un escalier"), _photo(cast, 2000, 500, alt="Une frise")]
    post = approve([account], media=photos)

    assert set(_run(now=post.scheduled_at).values()) == {S.PUBLISHED}

    (album,) = fake_graph.ig_posts()
    assert album["media_type"] == "CAROUSEL_ALBUM"
    assert album["alt_texts"] == ["Un escalier", "Une frise"]
    containers = {c["id"]: c for c in fake_graph.state()["containers"]}
    for child in containers[album["container_id"]]["children"]:
        image = containers[child]["image"]
        assert 0.8 <= image["width"] / image["height"] <= 1.91
