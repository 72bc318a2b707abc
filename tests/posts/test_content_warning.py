"""A content warning on the Mastodon variant of a post: typed in the Mastodon tab,
counted with the text the way Mastodon counts, shown in the preview, on the post page and
to the validators, and part of the approved content."""

import pytest
from django.urls import reverse

from posts.content import post_fingerprint, post_snapshot
from posts.models import Post, PostVariant
from tests.factories import PostFactory, SocialAccountFactory, member

pytestmark = pytest.mark.django_db

WARNING = "Spoiler : la fin du roman"


@pytest.fixture
def agent(network, client):
    agent = member(network.a)
    client.force_login(agent)
    return agent


def _data(**extra):
    data = {
        "title": "Club de lecture",
        "body": "Ce mois-ci, nous avons lu « Le Horla ». Nos avis :",
        "targets": ["network:mastodon", "network:bluesky"],
        "variant-mastodon-present": "1",
        "variant-bluesky-present": "1",
    }
    data.update(extra)
    return data


def test_the_warning_is_saved_on_the_mastodon_variant_and_shown_again(client, agent):
    response = client.post(
        reverse("posts:new"), _data(**{"variant-mastodon-content_warning": f"  {WARNING} "})
    )

    post = Post.objects.get()
    assert response.status_code == 302
    variant = PostVariant.objects.get(post=post)
    assert (variant.network, variant.text, variant.content_warning) == ("mastodon", "", WARNING)
    html = client.get(reverse("posts:edit", args=[post.pk])).content.decode()
    assert 'name="variant-mastodon-content_warning" value="Spoiler : la fin du roman"' in html


def test_only_mastodon_has_the_field(client, agent):
    html = client.get(reverse("posts:new")).content.decode()

    assert 'name="variant-mastodon-content_warning"' in html
    assert "content_warning" not in html.replace("variant-mastodon-content_warning", "")
    # Typed for another network anyway (a forged form): ignored.
    client.post(reverse("posts:new"), _data(**{"variant-bluesky-content_warning": "Non"}))
    assert not PostVariant.objects.exists()


def test_the_live_counter_adds_the_warning_and_the_preview_hides_the_text(client, agent):
    body = "a" * 480
    html = client.post(
        reverse("posts:composer_check"),
        _data(body=body, **{"variant-mastodon-content_warning": WARNING}),
    ).content.decode()

    assert f"{480 + len(WARNING)} / 500" in html  # 505: five too many on Mastodon
    assert "5 caractères de trop" in html
    assert "Mastodon : l&#x27;avertissement de contenu et le texte dépassent ensemble" in html
    assert "480 / 300" in html  # Bluesky counts the text alone
    assert '<details class="pv-cw">' in html and WARNING in html


def test_the_post_page_and_the_review_page_show_the_warning(client, network, agent):
    account = SocialAccountFactory(library=network.a, network="mastodon")
    client.post(
        reverse("posts:new"),
        _data(
            targets=[f"account:{account.pk}"],
            **{"variant-mastodon-content_warning": WARNING},
        ),
    )
    post = Post.objects.get()

    page = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "Avertissement de contenu pour Mastodon :" in page and WARNING in page
    review = client.get(reverse("validation:review", args=[post.pk])).content.decode()
    assert "Avertissement de contenu :" in review and WARNING in review


def test_the_warning_belongs_to_the_approved_content_without_changing_old_fingerprints(network):
    post = PostFactory(library=network.a)
    variant = PostVariant.objects.create(post=post, network="mastodon", text="Adapté")
    before = post_fingerprint(post)
    assert "content_warning" not in post_snapshot(post)["variants"][0]

    variant.content_warning = WARNING
    variant.save()

    assert post_snapshot(post)["variants"][0]["content_warning"] == WARNING
    assert post_fingerprint(post) != before


def test_approvers_see_a_changed_warning_in_the_diff():
    from validation.diff import snapshot_diff

    old = {"body": "x", "variants": [{"network": "mastodon", "account": None, "text": ""}]}
    new = {
        "body": "x",
        "variants": [
            {"network": "mastodon", "account": None, "text": "", "content_warning": WARNING}
        ],
    }

    (change,) = snapshot_diff(old, new, network_names={"mastodon": "Mastodon"})

    assert change.label == "Avertissement de contenu pour Mastodon"
    assert (change.before, change.after) == ("—", WARNING)
