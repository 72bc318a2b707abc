"""The review pages: decisions, stale pages, forged requests, the queue, the panel."""

import pytest
from django.urls import reverse

from posts.models import Post
from posts.models import PostState as S
from posts.services import post_update
from validation import services
from validation.models import Action, ReviewEvent
from validation.pages import review_context

pytestmark = pytest.mark.django_db


def _form(user, post):
    post.refresh_from_db()
    context = review_context(user=user, post=post)
    return {"state": post.state, "step": context["step"], "fingerprint": context["fingerprint"]}


@pytest.fixture
def pending(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    return post


def test_the_validator_approves_from_the_review_page(client, cast, pending):
    client.force_login(cast.responsable)
    page = client.get(reverse("validation:review", args=[pending.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Votre décision" in html and "Étape 1 sur 3 : Responsable de secteur" in html
    assert "Samedi soir, contes pour petits et grands" in html  # the preview

    response = client.post(
        reverse("validation:decide", args=[pending.pk]),
        {**_form(cast.responsable, pending), "decision": "approve"},
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.review.current_level.name == "Direction"


def test_request_changes_needs_a_comment(client, cast, pending):
    client.force_login(cast.responsable)
    response = client.post(
        reverse("validation:decide", args=[pending.pk]),
        {**_form(cast.responsable, pending), "decision": "request_changes", "comment": " "},
    )
    assert response.status_code == 400
    assert "Dites à l" in response.content.decode()
    assert Post.objects.get(pk=pending.pk).state == S.PENDING


def test_a_stale_page_gets_a_message_and_the_current_state(client, cast, pending):
    # given the responsable's page, then the direction... no: another responsable approves first
    from tests.factories import member

    other = member(cast.net.a, "validator", "Responsable de secteur")
    loaded = _form(cast.responsable, pending)
    services.post_approve(post=pending, by=other)

    client.force_login(cast.responsable)
    response = client.post(
        reverse("validation:decide", args=[pending.pk]), {**loaded, "decision": "approve"}
    )

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "a avancé depuis que vous avez ouvert la page" in page
    assert ReviewEvent.objects.filter(post=pending, action=Action.APPROVE).count() == 1


def test_an_edit_since_loading_is_detected(client, cast, pending):
    loaded = _form(cast.responsable, pending)
    post_update(post=pending, by=cast.agent, body="Texte modifié")
    client.force_login(cast.responsable)

    response = client.post(
        reverse("validation:decide", args=[pending.pk]), {**loaded, "decision": "approve"}
    )

    page = client.get(response.url).content.decode()
    assert "a été modifié depuis que vous avez ouvert la page" in page
    assert not ReviewEvent.objects.filter(post=pending, action=Action.APPROVE).exists()


@pytest.mark.parametrize("who", ["direction", "agent", "admin", "colleague"])
def test_a_forged_decision_without_the_level_is_refused_with_403(client, cast, pending, who):
    user = getattr(cast, who)
    client.force_login(user)
    for decision in ("approve", "request_changes", "reject"):
        response = client.post(
            reverse("validation:decide", args=[pending.pk]),
            {**_form(user, pending), "decision": decision, "comment": "forgé"},
        )
        assert response.status_code == 403
    assert ReviewEvent.objects.filter(post=pending).count() == 1
    assert Post.objects.get(pk=pending.pk).state == S.PENDING


def test_another_librarys_post_does_not_exist(client, cast, pending):
    client.force_login(cast.outsider)
    assert client.get(reverse("validation:review", args=[pending.pk])).status_code == 404
    response = client.post(
        reverse("validation:decide", args=[pending.pk]),
        {"state": "pending", "decision": "approve"},
    )
    assert response.status_code == 404


def test_the_author_submits_from_the_post_page(client, cast, make_post):
    post = make_post()
    client.force_login(cast.agent)
    page = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "Soumettre à validation" in page
    assert "Responsable de secteur, puis Direction, puis Service communication" in page

    client.post(reverse("validation:submit", args=[post.pk]), _form(cast.agent, post))

    post.refresh_from_db()
    assert post.state == S.PENDING
    page = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "Étape 1 sur 3 : Responsable de secteur" in page
    assert "Peut valider : Responsable" in page


def test_force_needs_a_reason_and_is_shown(client, cast, pending):
    client.force_login(cast.admin)
    url = reverse("validation:force", args=[pending.pk])
    refused = client.post(url, {**_form(cast.admin, pending), "decision": "approve", "reason": ""})
    assert refused.status_code == 400

    client.post(url, {**_form(cast.admin, pending), "decision": "approve", "reason": "Urgence"})

    assert Post.objects.get(pk=pending.pk).state == S.APPROVED
    page = client.get(reverse("validation:review", args=[pending.pk])).content.decode()
    assert "Validation forcée" in page and "Urgence" in page


def test_comments_form_a_thread(client, cast, pending):
    client.force_login(cast.responsable)
    client.post(reverse("validation:comment", args=[pending.pk]), {"body": "Quelle heure ?"})
    client.force_login(cast.agent)
    page = client.get(reverse("validation:review", args=[pending.pk])).content.decode()
    assert "Quelle heure ?" in page


def test_the_queue_lists_what_i_can_act_on(client, cast, make_post):
    first, second = make_post(title="Première"), make_post(title="Seconde")
    for post in (first, second):
        services.post_submit(post=post, by=cast.agent)
    services.post_approve(post=second, by=cast.responsable)

    client.force_login(cast.responsable)
    html = client.get(reverse("validation:queue")).content.decode()
    assert "Première" in html and "Seconde" not in html

    client.force_login(cast.direction)
    html = client.get(reverse("validation:queue")).content.decode()
    assert "Seconde" in html and "Première" not in html

    client.force_login(cast.agent)
    assert "Rien à valider" in client.get(reverse("validation:queue")).content.decode()


def test_bulk_approve_reports_each_post(client, cast, make_post):
    mine = make_post(author=cast.responsable, title="La mienne")
    fresh, stale = make_post(title="Fraîche"), make_post(title="Périmée")
    for post in (mine, fresh, stale):
        services.post_submit(post=post, by=post.author)
    forms = {post.pk: _form(cast.responsable, post) for post in (mine, fresh, stale)}
    post_update(post=stale, by=cast.agent, body="Changée entre-temps")
    data = {"post": [str(pk) for pk in forms]}
    for pk, form in forms.items():
        data |= {f"state-{pk}": form["state"], f"step-{pk}": form["step"]}
        data[f"fingerprint-{pk}"] = form["fingerprint"]

    client.force_login(cast.responsable)
    response = client.post(reverse("validation:bulk_approve"), data)

    outcomes = {r.title: r.outcome for r in response.context["results"]}
    assert outcomes == {"La mienne": "refused", "Fraîche": "next_level", "Périmée": "stale"}
    assert ReviewEvent.objects.filter(action=Action.APPROVE).count() == 1


def test_an_all_of_these_people_level_leaves_my_queue_once_i_approved(cast, make_post):
    from tests.factories import chain_of
    from validation.selectors import queue_for

    chain_of(
        cast.net.a,
        {"name": "Élus", "people": [cast.direction, cast.communication], "require_all": True},
    )
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    assert list(queue_for(cast.direction)) == [post] == list(queue_for(cast.communication))

    services.post_approve(post=post, by=cast.direction)

    assert list(queue_for(cast.direction)) == []
    assert list(queue_for(cast.communication)) == [post]
    services.post_approve(post=post, by=cast.communication)
    assert Post.objects.get(pk=post.pk).state == S.APPROVED


def test_after_deciding_the_page_offers_the_next_post_waiting(client, cast, make_post):
    first, second = make_post(title="Première"), make_post(title="Seconde")
    for post in (first, second):
        services.post_submit(post=post, by=cast.agent)
    client.force_login(cast.responsable)

    response = client.post(
        reverse("validation:decide", args=[first.pk]),
        {**_form(cast.responsable, first), "decision": "approve"},
        follow=True,
    )

    assert response.context["next_in_queue"] == second
    assert "Suivante à valider : Seconde" in response.content.decode()
    # while there is still something to decide here, no distraction
    page = client.get(reverse("validation:review", args=[second.pk]))
    assert "next_in_queue" not in page.context
