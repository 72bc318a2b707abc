"""The engine against the fake Graph API (Facebook Page, Instagram, Threads), with
Annexe's public media URLs really downloaded by the fake from a live server: photos
with alt text, renditions within Instagram's ratios, and each fault mapped to its
publication state."""

import pytest
import requests

from networks import graph
from publishing.models import Publication, PublicationState
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
    # Once published, the URL no longer serves the photo.
    assert requests.get(ig_container["image_url"], timeout=5).status_code == 410
