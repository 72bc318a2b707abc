"""The publishing engine's transitions: idempotent, and only for approved content."""

import pytest
from django.db import transaction

from posts.models import Post
from posts.models import PostState as S
from validation import services
from validation.signals import post_state_changed

pytestmark = pytest.mark.django_db


def test_marking_twice_does_nothing_the_second_time(cast, reach):
    post = reach(S.APPROVED)
    assert services.post_mark_publishing(post=post) is True
    assert services.post_mark_publishing(post=post) is False
    assert services.post_mark_published(post=post) is True
    assert services.post_mark_published(post=post) is False
    assert Post.objects.get(pk=post.pk).state == S.PUBLISHED


@pytest.mark.parametrize("state", [S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.REJECTED, S.MISSED])
def test_an_unapproved_post_is_never_marked_publishing(cast, reach, state):
    post = reach(state)
    with pytest.raises(services.IllegalTransition):
        services.post_mark_publishing(post=post)
    with pytest.raises(services.IllegalTransition):
        services.post_mark_published(post=post)
    assert Post.objects.get(pk=post.pk).state == state


def test_content_changed_behind_the_validation_apps_back_is_not_published(cast, reach):
    # given an approved post whose text is changed without going through posts.services
    post = reach(S.APPROVED)
    Post.objects.filter(pk=post.pk).update(body="Texte jamais validé")
    post.refresh_from_db()

    with pytest.raises(services.ContentNotApproved):
        services.post_mark_publishing(post=post)
    assert Post.objects.get(pk=post.pk).state == S.APPROVED


@pytest.mark.django_db(transaction=True)
def test_post_state_changed_is_sent_on_commit(cast, make_post):
    received = []

    def listener(sender, **kwargs):
        received.append((kwargs["from_state"], kwargs["to_state"], kwargs["by"], kwargs["action"]))

    post_state_changed.connect(listener)
    try:
        post = make_post()
        with transaction.atomic():
            services.post_submit(post=post, by=cast.agent)
            assert received == []  # not before the commit
        assert received == [(S.DRAFT, S.PENDING, cast.agent, "submit")]

        # a rolled-back transition sends nothing
        try:
            with transaction.atomic():
                services.post_withdraw(post=post, by=cast.agent)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert len(received) == 1
        assert Post.objects.get(pk=post.pk).state == S.PENDING
    finally:
        post_state_changed.disconnect(listener)


def test_cancel_needs_the_author_or_an_administrator(cast, reach):
    post = reach(S.APPROVED)
    with pytest.raises(services.NotAllowed):
        services.post_cancel(post=post, by=cast.responsable)
    assert services.post_cancel(post=post, by=cast.admin) is True
