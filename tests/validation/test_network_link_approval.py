"""A network's own link and its photo fit belong to the approved content, like the
event, the offer and the button: changing them after an approval sends the post back
to validation, and the validators see what changed."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from posts.content import post_fingerprint
from posts.models import PostState as S
from posts.models import PostVariant
from posts.services import post_update
from validation import services
from validation.errors import ContentNotApproved
from validation.models import Review

pytestmark = pytest.mark.django_db

LINK = "https://bm.example.fr/contes?utm_source=mastodon"
OTHER = "https://arnaque.example.com/contes"


def _approved(cast, make_post, **fields):
    post = make_post(link="https://bm.example.fr/contes", **fields)
    PostVariant.objects.create(post=post, network="mastodon", link=LINK)
    services.post_submit(post=post, by=cast.agent)
    for validator in (cast.responsable, cast.direction, cast.communication):
        services.post_approve(post=post, by=validator)
    post.refresh_from_db()
    assert post.state == S.APPROVED
    return post


def _edit(client, post, **variant):
    """The agent saves the post in the composer, changing only the Mastodon tab."""
    local = timezone.localtime(post.scheduled_at, post.library.tzinfo)
    data = {
        "title": post.title,
        "body": post.body,
        "link": post.link,
        "scheduled_at": local.strftime("%Y-%m-%dT%H:%M"),
        "targets": ["network:mastodon"],
        "variant-mastodon-present": "1",
        "variant-mastodon-link": LINK,
    }
    data.update({f"variant-mastodon-{name}": value for name, value in variant.items()})
    response = client.post(reverse("posts:edit", args=[post.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    return post


def _review_page(client, user, post) -> str:
    client.force_login(user)
    return client.get(reverse("validation:review", args=[post.pk])).content.decode()


def test_changing_the_networks_link_after_approval_needs_a_new_approval(client, cast, make_post):
    post = _approved(cast, make_post)
    client.force_login(cast.agent)

    post = _edit(client, post, link=OTHER)

    assert post.state == S.PENDING
    assert post.review.current_level.position == 0
    page = _review_page(client, cast.responsable, post)
    assert "Ce qui a changé depuis votre validation" in page
    assert "Lien pour Mastodon" in page
    assert f"<del>{LINK}</del> → <ins>{OTHER}</ins>" in page
    # and the preview shows the link Mastodon will get, not the post's
    preview = page.split('id="preview-title"')[1]
    assert OTHER in preview and "https://bm.example.fr/contes<" not in preview


def test_saving_the_same_link_again_keeps_the_approval(client, cast, make_post):
    post = _approved(cast, make_post)
    client.force_login(cast.agent)

    post = _edit(client, post)

    assert post.state == S.APPROVED


def test_a_link_changed_behind_the_composers_back_is_not_published(cast, make_post):
    post = _approved(cast, make_post)

    PostVariant.objects.filter(post=post).update(link=OTHER)

    with pytest.raises(ContentNotApproved):
        services.post_check_publishable(post=post)
    with pytest.raises(ContentNotApproved):
        services.post_mark_publishing(post=post)


def test_changing_the_photo_fit_after_approval_needs_a_new_approval(client, cast, make_post):
    post = _approved(cast, make_post)
    client.force_login(cast.agent)

    post = _edit(client, post, fit="crop")

    assert post.state == S.PENDING
    page = _review_page(client, cast.direction, post)
    assert "Ajustement des photos pour Mastodon" in page
    assert "Ajouter des marges (toute la photo reste visible)" in page
    assert "Recadrer au centre" in page


def test_the_event_the_offer_and_the_button_show_in_the_diff(client, cast, make_post):
    post = _approved(cast, make_post)
    start = dt.datetime(2026, 12, 19, 17, 0, tzinfo=dt.UTC)  # 18:00 in Paris

    post_update(
        post=post,
        by=cast.agent,
        event_title="Nuit du conte",
        event_starts_at=start,
        event_ends_at=start + dt.timedelta(hours=3),
        is_offer=True,
        offer_coupon_code="CONTE26",
        call_to_action="BOOK",
    )

    post.refresh_from_db()
    assert post.state == S.PENDING
    page = _review_page(client, cast.responsable, post)
    assert "Événement" in page
    assert "Nuit du conte (19/12/2026 18:00 → 19/12/2026 21:00)" in page
    assert "Code promo" in page and "<ins>CONTE26</ins>" in page
    assert "Bouton" in page and "<ins>Réserver</ins>" in page


def test_fingerprints_of_posts_without_a_network_link_or_fit_do_not_change(cast, make_post):
    post = make_post()
    variant = PostVariant.objects.create(post=post, network="mastodon", text="Adapté")
    before = post_fingerprint(post)

    variant.image_fit = "pad"
    variant.save()
    assert post_fingerprint(post) == before

    variant.link = LINK
    variant.save()
    assert post_fingerprint(post) != before


def test_after_the_migration_an_old_approval_shows_no_change_and_still_counts(
    client, cast, make_post
):
    from tests.publishing.test_fingerprint_migration import MIGRATION, as_stored_before

    post = _approved(cast, make_post)
    as_stored_before(post)  # approved before the network's link counted

    MIGRATION.recompute_fingerprints(apps, None)

    assert Review.objects.get(post=post).approved_fingerprint == post_fingerprint(post)
    services.post_check_publishable(post=post)
    page = _review_page(client, cast.responsable, post)
    assert "Telle qu'elle sera publiée" in page
    assert "Ce qui a changé" not in page


def test_an_english_speaking_validator_reads_the_diff_in_english(client, cast, make_post):
    post = _approved(cast, make_post)
    client.force_login(cast.agent)
    post = _edit(client, post, link=OTHER, fit="crop")
    cast.responsable.language = "en"
    cast.responsable.save(update_fields=["language"])
    client.cookies["django_language"] = "en"

    page = _review_page(client, cast.responsable, post)

    assert "Link for Mastodon" in page and "Photo fit for Mastodon" in page
    assert "Lien pour Mastodon" not in page
