"""Public media URLs: what Meta downloads while a publication is sent. Signed,
expiring, only the publication's own renditions, with their content type."""

import datetime as dt
import io
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from posts.models import MediaRendition
from publishing.models import Publication, PublicationState
from publishing.public_media import public_media_url
from publishing.services.render import publish_request_for
from tests.factories import MediaFactory, SocialAccountFactory, make_image

pytestmark = pytest.mark.django_db
S = PublicationState


@pytest.fixture
def publishing(approve, cast, settings):
    """A publication of a post with a panoramic photo to Instagram, being sent."""
    settings.PUBLIC_BASE_URL = "https://annexe.example.fr"
    account = SocialAccountFactory(library=cast.net.a, network="instagram", remote_id="1784")
    media = MediaFactory(
        library=cast.net.a,
        file__data=make_image(1500, 500),
        width=1500,
        height=500,
        alt_text="La façade de la médiathèque",
    )
    post = approve([account], media=[media])
    publication = Publication.objects.get(post=post)
    Publication.objects.filter(pk=publication.pk).update(state=S.PUBLISHING)
    publication.refresh_from_db()
    return publication


def _path(url: str) -> str:
    assert url.startswith("https://annexe.example.fr/publishing/public-media/")
    return url.removeprefix("https://annexe.example.fr")


def test_instagram_images_get_a_public_url_of_a_rendition_within_the_aspect_ratios(
    publishing, client
):
    (image,) = publish_request_for(publishing).images

    response = client.get(_path(image.url))  # nobody logged in

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == image.data
    picture = Image.open(io.BytesIO(body))
    assert 0.8 <= picture.width / picture.height <= 1.91
    assert image.alt_text == "La façade de la médiathèque"


def test_networks_that_take_bytes_get_no_signed_url(approve, cast):
    account = SocialAccountFactory(library=cast.net.a, network="mastodon")
    post = approve([account], media=[MediaFactory(library=cast.net.a)])
    (image,) = publish_request_for(Publication.objects.get(post=post)).images
    assert "/public-media/" not in image.url


def test_a_tampered_or_unknown_token_is_not_found(publishing, client):
    (image,) = publish_request_for(publishing).images
    path = _path(image.url)
    token, filename = path.split("/")[-2:]

    tampered = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert client.get(tampered).status_code == 404
    assert client.get(path.replace(filename, "image-1.png")).status_code == 404
    unsigned = reverse(
        "publishing:public_media", kwargs={"token": "1.1", "filename": "image-1.jpg"}
    )
    assert client.get(unsigned).status_code == 404


def test_no_directory_traversal(publishing, client):
    (image,) = publish_request_for(publishing).images
    token = _path(image.url).split("/")[-2]
    base = f"/publishing/public-media/{token}/"
    for attempt in ("..%2F..%2Fconfig%2Fsettings.py", "%2E%2E%2Fmanage.py", "../../manage.py"):
        assert client.get(base + attempt).status_code == 404


def test_an_expired_url_is_gone(publishing, client, monkeypatch, settings):
    settings.PUBLIC_MEDIA_MAX_AGE = 600
    (image,) = publish_request_for(publishing).images
    later = time.time() + 601
    monkeypatch.setattr(signing.time, "time", lambda: later)

    assert client.get(_path(image.url)).status_code == 410


def test_after_publication_the_url_stays_valid_for_max_age_then_is_gone(
    publishing, client, settings
):
    # Google fetches a local post's photo when it likes (the post is PROCESSING
    # first): the URL outlives the state change, not the max age.
    settings.PUBLIC_MEDIA_MAX_AGE = 600
    (image,) = publish_request_for(publishing).images
    now = timezone.now()
    Publication.objects.filter(pk=publishing.pk).update(
        state=S.PUBLISHED, published_at=now - dt.timedelta(seconds=590)
    )
    assert client.get(_path(image.url)).status_code == 200

    Publication.objects.filter(pk=publishing.pk).update(
        published_at=now - dt.timedelta(seconds=601)
    )
    assert client.get(_path(image.url)).status_code == 410


@pytest.mark.parametrize(
    ("state", "status"),
    [(S.UNKNOWN, 200), (S.FAILED, 410), (S.CANCELLED, 410), (S.SCHEDULED, 410)],
)
def test_while_reconciled_the_url_stays_valid_otherwise_gone(publishing, client, state, status):
    (image,) = publish_request_for(publishing).images
    Publication.objects.filter(pk=publishing.pk).update(state=state)

    assert client.get(_path(image.url)).status_code == status


def test_google_business_photos_get_a_signed_url_too(approve, cast, settings):
    settings.PUBLIC_BASE_URL = "https://annexe.example.fr"
    account = SocialAccountFactory(
        library=cast.net.a, network="google_business", remote_id="accounts/1/locations/2"
    )
    post = approve([account], media=[MediaFactory(library=cast.net.a)])
    (image,) = publish_request_for(Publication.objects.get(post=post)).images
    assert image.url.startswith("https://annexe.example.fr/publishing/public-media/")


def test_only_the_publications_own_renditions(publishing, client, cast):
    publish_request_for(publishing)
    other = MediaFactory(library=cast.net.a)
    from posts.services.media import media_rendition_get

    foreign = media_rendition_get(media=other, network_key="instagram")
    url = public_media_url(publication=publishing, rendition=foreign)

    assert client.get(_path(url)).status_code == 404
    assert MediaRendition.objects.filter(media=other).exists()


def test_head_is_allowed_and_post_is_not(publishing, client):
    (image,) = publish_request_for(publishing).images
    assert client.head(_path(image.url)).status_code == 200
    assert client.post(_path(image.url)).status_code == 405


def test_the_instagram_variants_crop_choice_is_what_meta_downloads(publishing, client):
    from posts.models import PostVariant

    padded = publish_request_for(publishing).images[0]
    PostVariant.objects.create(post=publishing.post, network="instagram", image_fit="crop")

    cropped = publish_request_for(publishing).images[0]

    assert cropped.url != padded.url
    body = b"".join(client.get(_path(cropped.url)).streaming_content)
    picture = Image.open(io.BytesIO(body))
    assert picture.width / picture.height == pytest.approx(1.91, abs=0.01)
    assert body != b"".join(client.get(_path(padded.url)).streaming_content)
