"""Delegation: a validator away names a colleague who acts at their level meanwhile
and gets their notifications; the page to declare and cancel absences."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from libraries.models import Role
from notifications.models import Notification
from posts.models import PostState as S
from tests.factories import member
from validation import services
from validation.models import Absence, Action, ReviewEvent
from validation.selectors import queue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(cast):
    """A validator of the network without the Direction level."""
    return member(cast.net.head, Role.VALIDATOR, username="deputy", display_name="Adjointe")


@pytest.fixture
def at_direction(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    services.post_approve(post=post, by=cast.responsable)
    return post


def _away(cast, deputy, *, starts=-1, ends=48):
    now = timezone.now()
    return services.absence_create(
        library=cast.net.head,
        by=cast.direction,
        user=cast.direction,
        substitute=deputy,
        starts_at=now + dt.timedelta(hours=starts),
        ends_at=now + dt.timedelta(hours=ends),
    )


def test_a_validator_declares_an_absence_from_the_page(client, cast, deputy):
    client.force_login(cast.direction)
    client.post(reverse("libraries:switch"), {"library": cast.net.head.pk})
    page = client.get(reverse("validation:absences"))
    assert page.status_code == 200 and "Déclarer une absence" in page.content.decode()

    response = client.post(
        reverse("validation:absences"),
        {
            "user": cast.direction.pk,
            "substitute": deputy.pk,
            "starts_at": "2030-07-01T08:00",
            "ends_at": "2030-07-15T18:00",
            "note": "Congés d'été",
        },
    )

    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.user, absence.substitute, absence.library) == (
        cast.direction,
        deputy,
        cast.net.head,
    )
    # typed in the library's time zone (Paris, summer: UTC+2)
    assert absence.starts_at == dt.datetime(2030, 7, 1, 6, 0, tzinfo=dt.UTC)
    assert "Adjointe" in client.get(reverse("validation:absences")).content.decode()


def test_the_end_must_come_after_the_start(client, cast, deputy):
    client.force_login(cast.direction)
    client.post(reverse("libraries:switch"), {"library": cast.net.head.pk})
    response = client.post(
        reverse("validation:absences"),
        {
            "user": cast.direction.pk,
            "substitute": deputy.pk,
            "starts_at": "2030-07-15T08:00",
            "ends_at": "2030-07-01T18:00",
        },
    )
    assert response.status_code == 200
    assert "La fin doit venir après le début." in response.content.decode()
    assert not Absence.objects.exists()


def test_during_the_absence_the_substitute_acts_for_the_absent_validator(
    cast, deputy, at_direction
):
    assert queue_for(deputy).count() == 0
    _away(cast, deputy)

    assert list(queue_for(deputy)) == [at_direction]
    services.post_approve(post=at_direction, by=deputy)

    event = ReviewEvent.objects.filter(post=at_direction, action=Action.APPROVE).last()
    assert (event.actor, event.on_behalf_of, event.level_name) == (
        deputy,
        cast.direction,
        "Direction",
    )
    at_direction.review.refresh_from_db()
    assert at_direction.review.current_level.name == "Service communication"


def test_the_review_page_says_on_whose_behalf(client, cast, deputy, at_direction):
    _away(cast, deputy)
    client.force_login(deputy)
    html = client.get(reverse("validation:review", args=[at_direction.pk])).content.decode()
    assert f"Vous décidez en remplacement de {escape(cast.direction)}, absent·e." in html


def test_the_substitute_gets_the_absent_validators_notifications(cast, deputy, make_post):
    _away(cast, deputy)
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    Notification.objects.all().delete()

    services.post_approve(post=post, by=cast.responsable)  # now waits at Direction

    told = set(
        Notification.objects.filter(kind="validation.waiting").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"deputy"}


def test_before_and_after_the_absence_the_substitute_can_do_nothing(cast, deputy, at_direction):
    _away(cast, deputy, starts=24, ends=48)  # not started yet
    assert queue_for(deputy).count() == 0
    with pytest.raises(services.NotAllowed):
        services.post_approve(post=at_direction, by=deputy)


def test_a_substitute_never_approves_their_own_post(cast, make_post):
    # the agent stands in for the responsable, and wrote the post
    services.absence_create(
        library=cast.net.a,
        by=cast.responsable,
        user=cast.responsable,
        substitute=cast.agent,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(days=2),
    )
    post = make_post()
    services.post_submit(post=post, by=cast.agent)

    assert queue_for(cast.agent).count() == 0
    with pytest.raises(services.NotAllowed):
        services.post_approve(post=post, by=cast.agent)
    assert post.state == S.PENDING


def test_only_administrators_declare_someone_elses_absence(cast, deputy):
    with pytest.raises(services.NotAllowed):
        services.absence_create(
            library=cast.net.head,
            by=deputy,
            user=cast.direction,
            substitute=deputy,
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(days=1),
        )
    absence = services.absence_create(
        library=cast.net.head,
        by=cast.admin,
        user=cast.direction,
        substitute=deputy,
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=1),
    )
    assert absence.created_by == cast.admin


def test_the_absent_person_cancels_and_others_cannot(client, cast, deputy):
    absence = _away(cast, deputy)
    url = reverse("validation:absence_cancel", args=[absence.pk])

    client.force_login(deputy)  # the substitute is not the absent person
    assert client.post(url).status_code == 404
    client.force_login(cast.direction)
    assert client.post(url).status_code == 302
    assert not Absence.objects.exists()
