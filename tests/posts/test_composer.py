"""The composer: targets, variants, photos and alt text saved together; live counters and
checks computed by the server from networks/ (nothing counted in the browser)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from posts.models import Post, PostVariant
from posts.signals import post_content_changed
from tests.factories import (
    CharterVersionFactory,
    MediaFactory,
    PostFactory,
    SocialAccountFactory,
    make_image,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def agent(network):
    return member(network.a)


def _post_data(**extra):
    data = {"title": "Nuit de la lecture", "body": "Venez lire avec nous samedi soir."}
    data.update(extra)
    return data


def test_composer_offers_accounts_grouped_by_network_and_networks_without_account(
    client, network, agent
):
    SocialAccountFactory(library=network.head, network="mastodon", display_name="Réseau Masto")
    SocialAccountFactory(library=network.b, network="bluesky", display_name="Pas à nous")
    client.force_login(agent)

    html = client.get(reverse("posts:new")).content.decode()

    assert "Réseau Masto" in html  # the network head's account, inherited
    assert "Pas à nous" not in html  # another branch's account
    assert 'value="network:bluesky"' in html  # no account yet: the network itself
    assert 'value="network:mastodon"' not in html  # an account exists


def test_everything_typed_is_saved_and_shown_again(client, network, agent):
    account = SocialAccountFactory(library=network.a, network="mastodon")
    photo = MediaFactory(library=network.a, alt_text="")
    client.force_login(agent)

    response = client.post(
        reverse("posts:new"),
        _post_data(
            targets=[f"account:{account.pk}", "network:x", "network:instagram"],
            media=[photo.pk],
            **{
                f"alt_text-{photo.pk}": "Une lectrice dans un fauteuil rouge",
                "variant-x-present": "1",
                "variant-x-text": "Samedi, on lit ! #NuitDeLaLecture",
                "variant-instagram-present": "1",
                "variant-instagram-text": "",
                "variant-instagram-fit": "crop",
                "variant-mastodon-present": "1",
            },
        ),
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert {(t.network, t.account_id) for t in post.targets.all()} == {
        ("mastodon", account.pk),
        ("x", None),
        ("instagram", None),
    }
    assert [link.media for link in post.post_media.all()] == [photo]
    photo.refresh_from_db()
    assert photo.alt_text == "Une lectrice dans un fauteuil rouge"
    variants = {v.network: v for v in post.variants.all()}
    assert set(variants) == {"x", "instagram"}  # mastodon's tab was empty: no variant
    assert variants["x"].text == "Samedi, on lit ! #NuitDeLaLecture"
    assert variants["instagram"].image_fit == "crop"
    html = client.get(reverse("posts:edit", args=[post.pk])).content.decode()
    assert "Samedi, on lit ! #NuitDeLaLecture" in html
    assert "Une lectrice dans un fauteuil rouge" in html
    assert 'value="crop" selected' in html


def test_live_check_counts_each_network_and_turns_red_past_the_limit(client, network, agent):
    client.force_login(agent)

    response = client.post(
        reverse("posts:composer_check"),
        _post_data(body="é" * 290, targets=["network:x", "network:mastodon"]),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-network="x"' in html and "counter-over" in html
    assert "290 / 280" in html and "10 caractères de trop" in html
    assert "290 / 500" in html and "reste 210 caractères" in html
    assert "X : le texte dépasse 280 caractères (290)." in html


def test_live_check_uses_each_networks_own_counting(client, network, agent, settings):
    # Links as typed (with click tracking on they are counted as the short links they
    # become: tests/metrics/test_body_links.py).
    settings.METRICS_CLICK_TRACKING = False
    client.force_login(agent)
    url = "https://mediatheque.example.org/agenda/nuit-de-la-lecture-2026-programme-complet"

    html = client.post(
        reverse("posts:composer_check"),
        _post_data(body=f"Programme : {url}", targets=["network:x", "network:bluesky"]),
    ).content.decode()

    assert "35 / 280" in html  # X: "Programme : " (12) + a URL counting 23
    assert f"{12 + len(url)} / 300" in html  # Bluesky counts the URL in full


def test_warnings_name_the_network_and_the_rule(client, network, agent, settings):
    settings.METRICS_CLICK_TRACKING = False  # links sent as typed: UTM parameters matter
    CharterVersionFactory(
        library=network.head,
        house_hashtags="#MédiathèqueDémo",
        signature="— L'équipe",
        signature_networks=["mastodon"],
    )
    photo = MediaFactory(library=network.a, alt_text="")
    client.force_login(agent)

    html = client.post(
        reverse("posts:composer_check"),
        _post_data(
            body="Ce soir #nuitdelalecture https://mediatheque.example.org/nuit",
            targets=["network:mastodon"],
            media=[photo.pk],
        ),
    ).content.decode()

    assert "Mastodon : l&#x27;image 1 n&#x27;a pas de texte alternatif." in html
    assert "À corriger" in html  # alt text is required by default: an error
    assert "#nuitdelalecture" in html and "CommeCeci" in html
    assert "n&#x27;a pas de paramètres UTM" in html
    assert "Ajouter les UTM pour Mastodon" in html
    assert "hashtag maison #MédiathèqueDémo" in html
    assert "la signature « — L&#x27;équipe » manque" in html


def test_no_utm_warning_for_links_sent_through_the_tracked_short_link(
    client, network, agent, settings
):
    # given click tracking: every web link goes out as /l/<code>, whose redirect adds
    # the UTM parameters (metrics.links)
    settings.METRICS_CLICK_TRACKING = True
    client.force_login(agent)

    # when
    html = client.post(
        reverse("posts:composer_check"),
        _post_data(
            body="Ce soir https://mediatheque.example.org/nuit et mediatheque.example.org/agenda",
            targets=["network:mastodon", "network:bluesky"],
        ),
    ).content.decode()

    # then the typed link is not warned about; a link without a scheme (not rewritten,
    # sent as typed) still is
    assert "https://mediatheque.example.org/nuit n&#x27;a pas de paramètres UTM" not in html
    assert "mediatheque.example.org/agenda n&#x27;a pas de paramètres UTM" in html


def test_alt_text_is_a_warning_when_the_library_does_not_require_it(client, network, agent):
    network.a.alt_text_required = False
    network.a.save()
    photo = MediaFactory(library=network.a, alt_text="")
    client.force_login(agent)

    html = client.post(
        reverse("posts:composer_check"),
        _post_data(targets=["network:mastodon"], media=[photo.pk]),
    ).content.decode()

    assert "n&#x27;a pas de texte alternatif" in html
    assert "À corriger" not in html


def test_typed_alt_text_counts_before_saving(client, network, agent):
    photo = MediaFactory(library=network.a, alt_text="")
    client.force_login(agent)

    html = client.post(
        reverse("posts:composer_check"),
        _post_data(
            targets=["network:mastodon"],
            media=[photo.pk],
            **{f"alt_text-{photo.pk}": "Des enfants écoutent une histoire"},
        ),
    ).content.decode()

    assert "texte alternatif" not in html.split('id="media-problems"')[1].split("</div>")[0]


def test_add_utm_puts_the_parameters_in_that_networks_link_only(client, network, agent):
    client.force_login(agent)
    line = network.head.editorial_lines.create(name="Coups de cœur", colour="#aa0000")

    response = client.post(
        reverse("posts:composer_utm"),
        _post_data(
            link="https://mediatheque.example.org/nuit",
            editorial_line=line.pk,
            targets=["network:mastodon", "network:bluesky"],
            utm_network="bluesky",
            utm_url="https://mediatheque.example.org/nuit",
            **{"variant-bluesky-present": "1", "variant-mastodon-present": "1"},
        ),
    )

    html = response.content.decode()
    assert response["HX-Trigger"] == "composer-changed"
    assert 'id="panel-bluesky"' in html
    assert (
        "https://mediatheque.example.org/nuit?utm_source=bluesky&amp;utm_medium=social"
        "&amp;utm_campaign=coups-de-coeur"
    ) in html


def test_add_utm_to_a_link_in_the_text_adapts_that_networks_text(client, network, agent):
    client.force_login(agent)

    html = client.post(
        reverse("posts:composer_utm"),
        _post_data(
            body="Tout le programme : https://mediatheque.example.org/nuit !",
            targets=["network:mastodon"],
            utm_network="mastodon",
            utm_url="https://mediatheque.example.org/nuit",
        ),
    ).content.decode()

    assert (
        "Tout le programme : https://mediatheque.example.org/nuit?utm_source=mastodon"
        "&amp;utm_medium=social&amp;utm_campaign=annexe !"
    ) in html


def test_upload_in_the_composer_and_a_bad_file_keeps_the_form(client, network, agent):
    client.force_login(agent)
    good = SimpleUploadedFile("lecture.jpg", make_image(800, 600), content_type="image/jpeg")
    bad = SimpleUploadedFile("pas-une-photo.jpg", b"bonjour", content_type="image/jpeg")

    response = client.post(
        reverse("posts:new"), _post_data(body="Mon texte à garder", upload=[good, bad])
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "pas-une-photo.jpg" in html and "pas une image reconnue" in html
    assert "Mon texte à garder" in html
    kept = network.a.media.get()  # the good photo is stored and stays in the form
    assert f'name="media" value="{kept.pk}"' in html
    assert not Post.objects.exists()


def test_changing_alt_text_in_the_composer_tells_other_posts(client, network, agent):
    photo = MediaFactory(library=network.a, alt_text="Ancien texte")
    other = PostFactory(library=network.a, author=agent)
    other.post_media.create(media=photo, position=0)
    mine = PostFactory(library=network.a, author=agent)
    mine.post_media.create(media=photo, position=0)
    changed = []

    def receiver(sender, post, **kwargs):
        changed.append(post.pk)

    post_content_changed.connect(receiver)
    client.force_login(agent)
    try:
        client.post(
            reverse("posts:edit", args=[mine.pk]),
            _post_data(media=[photo.pk], **{f"alt_text-{photo.pk}": "Nouveau texte"}),
        )
    finally:
        post_content_changed.disconnect(receiver)

    assert sorted(changed) == sorted([mine.pk, other.pk])


def test_variant_keeps_its_own_photos_in_its_own_order(client, network, agent):
    first, second = MediaFactory(library=network.a), MediaFactory(library=network.a)
    client.force_login(agent)

    client.post(
        reverse("posts:new"),
        _post_data(
            targets=["network:bluesky"],
            media=[first.pk, second.pk],
            **{
                "variant-bluesky-present": "1",
                "variant-bluesky-own_media": "1",
                "variant-bluesky-media": [first.pk, second.pk],
                f"variant-bluesky-order-{first.pk}": "2",
                f"variant-bluesky-order-{second.pk}": "1",
            },
        ),
    )

    variant = PostVariant.objects.get(network="bluesky")
    assert variant.own_media
    assert [link.media for link in variant.variant_media.all()] == [second, first]


def test_photos_of_another_branch_are_ignored(client, network, agent):
    theirs = MediaFactory(library=network.b)
    client.force_login(agent)

    client.post(reverse("posts:new"), _post_data(media=[theirs.pk]))

    assert not Post.objects.get().post_media.exists()


def test_live_check_without_session_says_how_to_log_in_again(client, network):
    response = client.post(reverse("posts:composer_check"), _post_data(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Votre session a expiré" in response.content.decode()


def test_previews_look_like_each_network(client, network, agent):
    photo = MediaFactory(library=network.a, width=3000, height=1000)
    client.force_login(agent)
    long_text = "Une phrase qui dure. " * 10 + "#LireEnsemble https://mediatheque.example.org"

    html = client.post(
        reverse("posts:composer_check"),
        _post_data(
            body=long_text, targets=["network:instagram", "network:mastodon"], media=[photo.pk]
        ),
    ).content.decode()

    instagram = html.split('id="preview-instagram"')[1].split('id="preview-')[0]
    assert "pv-fold" in instagram  # Instagram folds a long caption
    assert "--pv-ratio: 1.91" in instagram  # a 3:1 photo is brought to 1.91:1
    assert 'class="pv-link"' not in instagram  # links are not clickable there
    mastodon = html.split('id="preview-mastodon"')[1].split('id="preview-')[0]
    assert 'class="pv-hashtag">#LireEnsemble' in mastodon
    assert "pv-fold" not in mastodon


@pytest.fixture
def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()
