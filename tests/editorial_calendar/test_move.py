"""Rescheduling: who may move what, never into the past, never a published post;
approvals are kept; bad input is a 400."""

import datetime as dt

import pytest
from django.urls import reverse

from editorial_calendar.services import MoveRefused, post_reschedule
from editorial_calendar.signals import post_rescheduled
from libraries.models import Role
from posts.signals import post_content_changed
from tests.editorial_calendar.conftest import paris
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)


LATER = paris(2026, 3, 20, 10)


def test_a_contributor_moves_their_own_draft(network):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 9))

    post_reschedule(post=post, by=agent, scheduled_at=LATER)

    post.refresh_from_db()
    assert post.scheduled_at == LATER


@pytest.mark.parametrize(
    ("author_is_me", "state", "reason"),
    [
        (False, "draft", "vos propres brouillons"),
        (True, "pending", "soumise à validation"),
        (True, "approved", "soumise à validation"),
    ],
)
def test_a_contributor_moves_nothing_else(network, author_is_me, state, reason):
    agent = member(network.a)
    author = agent if author_is_me else member(network.a)
    post = PostFactory(
        library=network.a, author=author, state=state, scheduled_at=paris(2026, 3, 10, 9)
    )

    with pytest.raises(MoveRefused, match=reason):
        post_reschedule(post=post, by=agent, scheduled_at=LATER)

    post.refresh_from_db()
    assert post.scheduled_at == paris(2026, 3, 10, 9)


@pytest.mark.parametrize(
    "state", ["draft", "pending", "approved", "changes_requested", "failed", "missed"]
)
def test_validators_and_administrators_move_any_post_they_see(network, state):
    validator = member(network.a, Role.VALIDATOR)
    admin = member(network.head, Role.ADMINISTRATOR)
    post = PostFactory(library=network.a, state=state, scheduled_at=paris(2026, 3, 10, 9))

    post_reschedule(post=post, by=validator, scheduled_at=LATER)
    post_reschedule(post=post, by=admin, scheduled_at=LATER + dt.timedelta(days=1))

    post.refresh_from_db()
    assert post.scheduled_at == LATER + dt.timedelta(days=1)
    assert post.state == state  # the state is not this service's business


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("published", "déjà publiée"),
        ("publishing", "en cours de publication"),
        ("cancelled", "close"),
    ],
)
def test_nobody_moves_a_published_or_closed_post(network, state, reason):
    admin = member(network.head, Role.ADMINISTRATOR)
    post = PostFactory(library=network.a, state=state, scheduled_at=paris(2026, 3, 1, 9))

    with pytest.raises(MoveRefused, match=reason):
        post_reschedule(post=post, by=admin, scheduled_at=LATER)


def test_nobody_moves_a_post_into_the_past(network):
    admin = member(network.head, Role.ADMINISTRATOR)
    post = PostFactory(library=network.a, scheduled_at=paris(2026, 3, 10, 9))

    with pytest.raises(MoveRefused, match="dans le passé"):
        post_reschedule(post=post, by=admin, scheduled_at=paris(2026, 3, 2, 8, 59))


def test_a_move_keeps_approvals_and_tells_listeners(network):
    validator = member(network.a, Role.VALIDATOR)
    post = PostFactory(library=network.a, state="approved", scheduled_at=paris(2026, 3, 10, 9))
    content_changes, moves = [], []

    def on_content(**kwargs):
        content_changes.append(kwargs)

    def on_move(**kwargs):
        moves.append(kwargs)

    post_content_changed.connect(on_content)
    post_rescheduled.connect(on_move)
    try:
        post_reschedule(post=post, by=validator, scheduled_at=LATER)
    finally:
        post_content_changed.disconnect(on_content)
        post_rescheduled.disconnect(on_move)

    post.refresh_from_db()
    assert post.state == "approved"
    assert content_changes == []  # the date is not approved content: approvals stand
    assert [(m["previous"], m["scheduled_at"], m["by"]) for m in moves] == [
        (paris(2026, 3, 10, 9), LATER, validator)
    ]


def test_a_post_to_publish_when_approved_gets_a_date(network):
    validator = member(network.a, Role.VALIDATOR)
    post = PostFactory(library=network.a, scheduled_at=None, publish_when_approved=True)

    post_reschedule(post=post, by=validator, scheduled_at=LATER)

    post.refresh_from_db()
    assert (post.scheduled_at, post.publish_when_approved) == (LATER, False)


# --- the HTTP endpoint -----------------------------------------------------------


def move(client, post, when, **extra):
    return client.post(
        reverse("editorial_calendar:post_move", kwargs={"pk": post.pk}),
        {"scheduled_at": when, "timezone": "Europe/Paris", **extra},
        HTTP_ACCEPT="application/json",
    )


def test_the_endpoint_reads_wall_clock_time_in_the_given_timezone(client, network):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(agent)

    # Moving across the DST change: 09:00 stays 09:00 local (07:00 UTC after the change).
    response = move(client, post, "2026-03-30T09:00")

    assert response.status_code == 200
    assert response.json()["start"] == "2026-03-30T09:00:00"
    post.refresh_from_db()
    assert post.scheduled_at == dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)


def test_a_refused_move_answers_409_with_the_reason(client, network):
    agent = member(network.a)
    post = PostFactory(library=network.a, state="published", scheduled_at=paris(2026, 3, 1, 9))
    client.force_login(agent)

    response = move(client, post, "2026-03-30T09:00")

    assert response.status_code == 409
    assert "déjà publiée" in response.json()["error"]


@pytest.mark.parametrize(
    "when",
    [
        "",
        "tomorrow",
        "2026-02-30T09:00",
        "2026-03-30T25:00",
        "0001-01-01T09:00",
        "99999-01-01T09:00",
        "x" * 500,
    ],
)
def test_bad_dates_answer_400(client, network, when):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(agent)

    response = move(client, post, when)

    assert response.status_code == 400
    assert response.json()["error"]


def test_an_unknown_timezone_answers_400(client, network):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(agent)

    response = move(client, post, "2026-03-30T09:00", timezone="Nowhere/Atlantis")

    assert response.status_code == 400


def test_another_branchs_post_does_not_exist(client, network):
    post = PostFactory(library=network.b, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    assert move(client, post, "2026-03-30T09:00").status_code == 404


def test_the_form_version_goes_back_with_a_message(client, network):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, scheduled_at=paris(2026, 3, 10, 9))
    client.force_login(agent)

    response = client.post(
        reverse("editorial_calendar:post_move", kwargs={"pk": post.pk}),
        {"scheduled_at": "2026-03-30T09:00", "next": "/calendar/?view=list"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/calendar/?view=list"
    assert "est prévue le" in response.content.decode()
