"""The media library's services and pages: uploads through the storage API, messages for
bad files, alt text in place, renditions made once per network and kept."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from networks import get_network
from posts import services
from posts.images import ImageRejected, RenditionImpossible
from posts.models import Media, MediaRendition
from tests.factories import PostFactory, SocialAccountFactory, make_image, member
from tests.posts.test_images import animated_gif, big_photo_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_upload_stores_a_clean_copy_and_a_thumbnail(network):
    agent = member(network.a)

    media = services.media_upload(
        library=network.a, by=agent, file=_upload("IMG_2041 Jeanne.jpg", big_photo_with_gps())
    )

    # 6000 × 4000 decoded at half scale (3000 px still ≥ MEDIA_MIN_SIDE), held upright.
    assert (media.width, media.height, media.mime_type) == (2000, 3000, "image/jpeg")
    assert media.original_name == "IMG_2041 Jeanne.jpg"
    assert "Jeanne" not in media.file.name and media.file.name.endswith(".jpg")
    assert default_storage.exists(media.file.name) and default_storage.exists(media.thumbnail.name)
    with default_storage.open(media.file.name) as stored:
        data = stored.read()
    assert b"GPS" not in data and not Image.open(io.BytesIO(data)).getexif()
    assert media.bytes == len(data) and media.uploaded_by == agent


def test_oversized_upload_is_refused_with_the_limit(network, settings):
    settings.MAX_UPLOAD_MB = 1

    with pytest.raises(ImageRejected) as caught:
        services.media_upload(
            library=network.a, by=member(network.a), file=_upload("x.jpg", b"0" * 1_200_000)
        )

    assert "le maximum est de 1 Mo" in caught.value.message
    assert not Media.objects.exists()


def test_library_page_uploads_several_files_and_reports_each(client, network):
    client.force_login(member(network.a))

    response = client.post(
        reverse("posts:media_upload"),
        {
            "files": [
                _upload("un.jpg", make_image(400, 300)),
                _upload("deux.png", make_image(300, 300, "PNG")),
                _upload("notes.jpg", b"liste de courses"),
            ]
        },
        follow=True,
    )

    html = response.content.decode()
    assert Media.objects.count() == 2
    assert "un.jpg est dans la médiathèque" in html
    assert "notes.jpg refusé" in html and "pas une image reconnue" in html


def test_one_file_upload_answers_with_the_card_or_the_reason(client, network):
    client.force_login(member(network.a))
    url = reverse("posts:media_upload")

    ok = client.post(url, {"files": _upload("un.jpg", make_image()), "fragment": "card"})
    refused = client.post(url, {"files": _upload("zero.jpg", b""), "fragment": "composer"})

    assert ok.status_code == 200 and 'class="media-card"' in ok.content.decode()
    assert refused.status_code == 422 and "zero.jpg" in refused.content.decode()


def test_alt_text_edited_in_place(client, network):
    media = services.media_upload(
        library=network.a, by=member(network.a), file=_upload("a.jpg", make_image())
    )
    client.force_login(member(network.a))

    response = client.post(
        reverse("posts:media_alt", args=[media.pk]),
        {"alt_text": "Deux enfants lisent une BD"},
        HTTP_HX_REQUEST="true",
    )

    media.refresh_from_db()
    assert media.alt_text == "Deux enfants lisent une BD"
    assert 'id="media-' in response.content.decode() and "Enregistré." in response.content.decode()


def test_search_finds_photos_by_description_and_branches_share_the_network_s(client, network):
    head_admin = member(network.head)
    services.media_upload(
        library=network.head,
        by=head_admin,
        file=_upload("affiche.jpg", make_image()),
        alt_text="Affiche de la Nuit de la lecture",
    )
    services.media_upload(
        library=network.b,
        by=member(network.b),
        file=_upload("autre.jpg", make_image()),
        alt_text="Affiche d'une autre branche",
    )
    client.force_login(member(network.a))

    page = client.get(reverse("posts:media_library"), {"q": "affiche"}).context["page"]

    assert [m.original_name for m in page] == ["affiche.jpg"]


def test_rendition_is_made_once_and_meets_the_network_limits(network):
    media = services.media_upload(
        library=network.a, by=member(network.a), file=_upload("p.jpg", big_photo_with_gps())
    )

    first = services.media_rendition_for(media=media, network_key="instagram")
    again = services.media_rendition_for(media=media, network_key="instagram")
    cropped = services.media_rendition_for(media=media, network_key="instagram", fit="crop")

    content, mime, width, height = first
    assert (mime, width) == ("image/jpeg", 1440)
    assert width / height == pytest.approx(0.8, abs=0.01)  # portrait 2:3 brought to 4:5
    assert len(content) <= get_network("instagram").image_limits.max_bytes
    assert again == first
    assert cropped.height == first.height and cropped.content != first.content
    assert MediaRendition.objects.filter(media=media).count() == 2


def test_an_accounts_own_limits_make_their_own_rendition(network):
    media = services.media_upload(
        library=network.a, by=member(network.a), file=_upload("p.jpg", big_photo_with_gps())
    )
    strict = SocialAccountFactory(
        library=network.a,
        network="mastodon",
        settings={"network_config": {"image_max_bytes": 150_000}},
    )

    default = services.media_rendition_for(media=media, network_key="mastodon")
    limited = services.media_rendition_for(media=media, network_key="mastodon", account=strict)

    assert len(limited.content) <= 150_000 < len(default.content)


def test_animated_gif_for_a_network_that_refuses_it(network):
    media = services.media_upload(
        library=network.a, by=member(network.a), file=_upload("a.gif", animated_gif())
    )

    with pytest.raises(RenditionImpossible) as caught:
        services.media_rendition_for(media=media, network_key="instagram")

    assert "GIF animés" in caught.value.message
    assert services.media_rendition_for(media=media, network_key="mastodon").mime_type == (
        "image/gif"
    )


def test_a_used_photo_cannot_be_deleted(client, network):
    agent = member(network.a)
    media = services.media_upload(library=network.a, by=agent, file=_upload("a.jpg", make_image()))
    PostFactory(library=network.a, author=agent).post_media.create(media=media, position=0)
    client.force_login(agent)

    response = client.post(reverse("posts:media_delete", args=[media.pk]), follow=True)

    assert Media.objects.filter(pk=media.pk).exists()
    assert "sert dans des publications" in response.content.decode()


def test_renditions_for_several_networks_are_made_in_one_pass_and_kept(network):
    media = services.media_upload(
        library=network.a, by=member(network.a), file=_upload("a.gif", animated_gif())
    )

    first = services.media_renditions_prepare(
        media=media, targets=[("mastodon", None), ("instagram", "crop"), ("bluesky", None)]
    )
    again = services.media_renditions_prepare(media=media, targets=[("mastodon", None)])

    assert isinstance(first["instagram"], RenditionImpossible)  # no animated GIFs there
    assert "GIF animés" in first["instagram"].message
    assert first["mastodon"].mime_type == "image/gif"
    assert isinstance(first["bluesky"], RenditionImpossible)
    assert again["mastodon"].pk == first["mastodon"].pk
    assert sorted(media.renditions.values_list("network", flat=True)) == ["mastodon"]
