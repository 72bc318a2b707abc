"""Every path that could publish or schedule a post refuses an unapproved post and
an author's approval of their own post: the composer, a calendar move, "publish
now", bulk approval and the Django admin. One test per path and case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from posts.models import Post
from posts.models import PostState as S
from tests.factories import member
from validation import services
from validation.models import Action, Review, ReviewEvent
from validation.pages import review_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(cast):
    """A responsable who writes too: holds level 1, yet never approves their own post."""
    return member(cast.net.a, Role.VALIDATOR, "Responsable de secteur", username="boss")


def _approvals(post) -> int:
    return ReviewEvent.objects.filter(
        post=post, action__in=[Action.APPROVE, Action.FORCE_APPROVE]
    ).count()


def _form(user, post) -> dict:
    post.refresh_from_db()
    context = review_context(user=user, post=post)
    return {"state": post.state, "step": context["step"], "fingerprint": context["fingerprint"]}


# --- the composer ----------------------------------------------------------------


def _compose(client, post, **fields):
    data = {
        "title": post.title,
        "body": post.body,
        "scheduled_at": timezone.localtime(post.scheduled_at, post.library.tzinfo).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "targets": ["network:mastodon"],
        "action": "save",
    }
    return client.post(reverse("posts:edit", args=[post.pk]), data | fields)


def test_composer_saving_a_pending_post_does_not_approve_it(client, cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    client.force_login(cast.agent)

    # a forged "state" or "decision" field is not part of the composer's input
    response = _compose(client, post, state=S.APPROVED, decision="approve")

    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).state == S.PENDING
    assert _approvals(post) == 0
    with pytest.raises(services.IllegalTransition):
        services.post_check_publishable(post=post)


def test_composer_editing_an_approved_post_sends_it_back_to_level_one(client, cast, reach):
    post = reach(S.APPROVED)
    client.force_login(cast.agent)

    _compose(client, post, body="Un autre texte, jamais validé.")

    post.refresh_from_db()
    assert post.state == S.PENDING
    assert post.review.current_level.position == 0
    with pytest.raises(services.IllegalTransition):
        services.post_mark_publishing(post=post)


def test_composer_author_holding_the_level_cannot_approve_their_own_post(client, cast, boss):
    client.force_login(boss)
    client.post(
        reverse("posts:new"),
        {
            "title": "Mon annonce",
            "body": "Atelier d'écriture samedi.",
            "scheduled_at": (timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "targets": ["network:mastodon"],
        },
    )
    post = Post.objects.get(title="Mon annonce")
    client.post(reverse("validation:submit", args=[post.pk]), _form(boss, post))
    assert Post.objects.get(pk=post.pk).state == S.PENDING

    response = client.post(
        reverse("validation:decide", args=[post.pk]), {**_form(boss, post), "decision": "approve"}
    )

    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).state == S.PENDING and _approvals(post) == 0


# --- a calendar move -------------------------------------------------------------


def _move(client, post, days=5):
    when = timezone.localtime(post.scheduled_at, post.library.tzinfo) + dt.timedelta(days=days)
    return client.post(
        reverse("editorial_calendar:post_move", kwargs={"pk": post.pk}),
        {"scheduled_at": when.strftime("%Y-%m-%dT%H:%M"), "timezone": "Europe/Paris"},
        HTTP_ACCEPT="application/json",
    )


def test_calendar_moving_a_pending_post_does_not_approve_it(client, cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    client.force_login(cast.direction)  # validators may move any post

    assert _move(client, post).status_code == 200

    assert Post.objects.get(pk=post.pk).state == S.PENDING and _approvals(post) == 0
    with pytest.raises(services.IllegalTransition):
        services.post_mark_publishing(post=post)


def test_calendar_move_by_the_author_holding_the_level_approves_nothing(client, cast, boss):
    post = Post.objects.get(pk=services.post_submit(post=_boss_post(cast, boss), by=boss).pk)
    client.force_login(boss)

    assert _move(client, post).status_code == 200

    assert Post.objects.get(pk=post.pk).state == S.PENDING and _approvals(post) == 0
    assert Review.objects.get(post=post).current_level.position == 0


def _boss_post(cast, boss):
    from posts.services import Target, post_create

    return post_create(
        library=cast.net.a,
        author=boss,
        title="Annonce de la responsable",
        body="Fermeture exceptionnelle lundi.",
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        targets=[Target(network="mastodon")],
    )


# --- publish now -----------------------------------------------------------------


@pytest.mark.parametrize("state", [S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.REJECTED, S.MISSED])
def test_publish_now_refuses_an_unapproved_post(cast, reach, state):
    post = reach(state)

    with pytest.raises(services.IllegalTransition):
        services.post_check_publishable(post=post)
    with pytest.raises(services.IllegalTransition):
        services.post_mark_publishing(post=post, by=cast.admin)
    assert Post.objects.get(pk=post.pk).state == state


def test_publish_now_refuses_the_authors_own_unapproved_post(cast, boss):
    post = _boss_post(cast, boss)
    services.post_submit(post=post, by=boss)
    with pytest.raises(services.NotAllowed):
        services.post_approve(post=post, by=boss)

    with pytest.raises(services.IllegalTransition):
        services.post_check_publishable(post=post)
    with pytest.raises(services.IllegalTransition):
        services.post_mark_publishing(post=post, by=boss)


def test_publish_now_refuses_content_changed_after_approval(cast, reach):
    post = reach(S.APPROVED)
    # behind the services' back: the approved fingerprint no longer matches
    Post.objects.filter(pk=post.pk).update(body="Texte glissé après la validation")

    with pytest.raises(services.ContentNotApproved):
        services.post_check_publishable(post=post)
    with pytest.raises(services.ContentNotApproved):
        services.post_mark_publishing(post=post)


def test_publish_now_accepts_the_approved_content(cast, reach):
    post = reach(S.APPROVED)
    services.post_check_publishable(post=post)
    assert services.post_mark_publishing(post=post) is True


# --- bulk approval -----------------------------------------------------------------


def _bulk(client, user, posts):
    data = {"post": [str(p.pk) for p in posts]}
    for post in posts:
        form = _form(user, post)
        data |= {f"state-{post.pk}": form["state"], f"step-{post.pk}": form["step"]}
        data[f"fingerprint-{post.pk}"] = form["fingerprint"]
    client.force_login(user)
    return client.post(reverse("validation:bulk_approve"), data)


def test_bulk_approval_moves_one_level_only_never_to_approved(client, cast, make_post):
    posts = [make_post(title=f"Annonce {i}") for i in range(3)]
    for post in posts:
        services.post_submit(post=post, by=cast.agent)

    response = _bulk(client, cast.responsable, posts)

    assert {r.outcome for r in response.context["results"]} == {"next_level"}
    assert set(Post.objects.values_list("state", flat=True)) == {S.PENDING}
    # the same form posted again (a double click) decides nothing more
    response = _bulk(client, cast.responsable, posts)
    assert _approvals(posts[0]) == 1


def test_bulk_approval_refuses_the_authors_own_post(client, cast, boss):
    post = _boss_post(cast, boss)
    services.post_submit(post=post, by=boss)

    response = _bulk(client, boss, [post])

    assert [r.outcome for r in response.context["results"]] == ["refused"]
    assert Post.objects.get(pk=post.pk).state == S.PENDING and _approvals(post) == 0


def test_bulk_approval_ignores_other_libraries_posts(client, cast, make_post):
    theirs = make_post(library=cast.net.b, author=member(cast.net.b), title="Chez B")
    services.post_submit(post=theirs, by=theirs.author)

    response = _bulk(client, cast.responsable, [theirs])

    assert [r.outcome for r in response.context["results"]] == ["not_found"]
    assert _approvals(theirs) == 0


# --- the Django admin --------------------------------------------------------------


@pytest.fixture
def superuser(cast):
    from accounts.models import User

    return User.objects.create_superuser("root", "root@example.org", "x")


def test_admin_cannot_change_a_posts_state(client, cast, make_post, superuser):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    client.force_login(superuser)
    url = reverse("admin:posts_post_change", args=[post.pk])

    response = client.post(url, {"state": S.APPROVED, "title": post.title})

    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).state == S.PENDING


@pytest.mark.parametrize("model", ["review", "reviewevent", "chain", "absence"])
def test_admin_cannot_add_or_change_validation_records(client, cast, reach, superuser, model):
    post = reach(S.PENDING)
    client.force_login(superuser)
    assert client.get(reverse(f"admin:validation_{model}_changelist")).status_code == 200
    assert client.post(reverse(f"admin:validation_{model}_add"), {}).status_code == 403
    if model == "review":
        url = reverse("admin:validation_review_change", args=[post.review.pk])
        response = client.post(url, {"current_level": "", "approved_fingerprint": "x"})
        assert response.status_code == 403
        assert Review.objects.get(pk=post.review.pk).approved_fingerprint == ""


def test_admin_cannot_delete_a_post_with_a_trail(client, cast, reach, superuser):
    post = reach(S.PENDING)
    client.force_login(superuser)
    url = reverse("admin:posts_post_delete", args=[post.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code in (200, 403)  # the confirmation page lists what it may not delete
    assert Post.objects.filter(pk=post.pk).exists()
