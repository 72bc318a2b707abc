"""Changing the content resets approvals; changing only the date keeps them."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Notification
from posts.models import PostState as S
from posts.services import Target, post_update
from validation import services
from validation.models import Action, ReviewEvent
from validation.pages import review_context

pytestmark = pytest.mark.django_db


def _approve(post, *validators):
    for validator in validators:
        services.post_approve(post=post, by=validator)


def test_editing_the_text_of_an_approved_post_sends_it_back_to_level_one(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    _approve(post, cast.responsable, cast.direction, cast.communication)
    post.refresh_from_db()
    assert post.state == S.APPROVED

    post_update(post=post, by=cast.agent, body="Samedi soir, contes et tisanes.")

    post.refresh_from_db()
    assert post.state == S.PENDING
    assert post.review.current_level.position == 0
    assert post.review.round == 2
    reset = ReviewEvent.objects.get(post=post, action=Action.RESET)
    assert (reset.from_state, reset.to_state, reset.actor) == (S.APPROVED, S.PENDING, cast.agent)
    # the level-1 validator is asked again; the others hear their approval was reset
    told = set(
        Notification.objects.filter(kind__startswith="validation.").values_list(
            "recipient__username", "kind"
        )
    )
    assert ("responsable", "validation.waiting") in told
    assert ("direction", "validation.changed") in told
    assert ("communication", "validation.changed") in told


def test_approvers_see_what_changed_since_they_approved(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    _approve(post, cast.responsable)

    post_update(
        post=post,
        by=cast.agent,
        body="Samedi soir, contes et tisanes pour petits et grands.",
        targets=[Target(network="mastodon"), Target(network="bluesky")],
    )
    post.refresh_from_db()

    context = review_context(user=cast.responsable, post=post)
    labels = [change.label for change in context["changes"]]
    assert labels == ["Texte", "Destination ajoutée"]
    text = context["changes"][0].segments
    assert any(s.op == "delete" and "à la médiathèque" in s.text for s in text)
    assert any(s.op == "insert" and "et tisanes" in s.text for s in text)
    assert context["changes"][1].after == "Bluesky"
    assert context["changes_since"].actor == cast.responsable


def test_changing_only_the_date_keeps_approvals(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    _approve(post, cast.responsable, cast.direction)

    post_update(
        post=post,
        by=cast.agent,
        scheduled_at=timezone.now() + dt.timedelta(days=5),
        title="Nuit du conte (nouvelle date)",
        notes="Décalée d'une semaine",
    )

    post.refresh_from_db()
    assert post.review.current_level.name == "Service communication"
    assert not ReviewEvent.objects.filter(post=post, action=Action.RESET).exists()
    services.post_approve(post=post, by=cast.communication)
    post.refresh_from_db()
    assert post.state == S.APPROVED


def test_a_variant_text_belongs_to_the_approved_content(cast, make_post):
    from django.db import transaction

    from posts.content import post_snapshot
    from posts.models import PostVariant
    from posts.services import notify_content_change

    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    _approve(post, cast.responsable, cast.direction, cast.communication)

    with transaction.atomic():
        before = post_snapshot(post)
        PostVariant.objects.create(post=post, network="mastodon", text="Version Mastodon #conte")
        notify_content_change(post=post, by=cast.agent, previous_snapshot=before)

    post.refresh_from_db()
    assert post.state == S.PENDING


def test_a_pending_post_without_approvals_stays_where_it_is(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)

    post_update(post=post, by=cast.agent, body="Autre texte")

    post.refresh_from_db()
    assert post.state == S.PENDING
    assert post.review.round == 1
    assert not ReviewEvent.objects.filter(post=post, action=Action.RESET).exists()


def test_a_stale_page_cannot_approve_the_new_version(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    post.refresh_from_db()
    context = review_context(user=cast.responsable, post=post)

    post_update(post=post, by=cast.agent, body="Autre texte")

    with pytest.raises(services.StaleAction, match="modifié"):
        services.post_approve(
            post=post,
            by=cast.responsable,
            expected_state=context["post"].state,
            expected_step=context["step"],
            expected_fingerprint=context["fingerprint"],
        )
    assert not ReviewEvent.objects.filter(post=post, action=Action.APPROVE).exists()


def test_no_validation_chain_approves_on_submit(cast, make_post):
    from tests.factories import EditorialLineFactory, chain_of

    line = EditorialLineFactory(library=cast.net.head, name="Coups de cœur")
    chain_of(cast.net.head, editorial_line=line)
    post = make_post(editorial_line=line)

    services.post_submit(post=post, by=cast.agent)

    post.refresh_from_db()
    assert post.state == S.APPROVED
    event = ReviewEvent.objects.get(post=post)
    assert (event.action, event.from_state, event.to_state) == (Action.SUBMIT, S.DRAFT, S.APPROVED)
    # and its content may be published as approved
    assert services.post_mark_publishing(post=post) is True


def test_editing_a_pending_post_with_an_approval_sends_it_back_to_level_one(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    _approve(post, cast.responsable)  # now at Direction

    post_update(post=post, by=cast.agent, targets=[Target("mastodon"), Target("bluesky")])

    post.refresh_from_db()
    assert post.state == S.PENDING
    assert (post.review.round, post.review.current_level.position) == (2, 0)
    # the director may no longer approve the new version at level 2
    with pytest.raises(services.NotAllowed):
        services.post_approve(post=post, by=cast.direction)
    # the responsable approves again: level 1 counts again from zero
    services.post_approve(post=post, by=cast.responsable)
    post.review.refresh_from_db()
    assert post.review.current_level.position == 1
