"""The calendar shows the states the validation chain and the publishing engine give a
post (draft, pending, approved, published, failed, missed), on real accounts: each post
below gets its state through the services, the fake Mastodon and the sweeps, never by
writing the field."""

import datetime as dt

import pytest
from django.utils import timezone

from libraries.models import Role
from posts.services import Target, post_create
from publishing.services import dispatch_due, publication_publish
from tests.editorial_calendar.conftest import calendar_events, events
from tests.factories import chain_of, member
from tests.publishing.conftest import mastodon_account_on
from validation import services as validation

pytestmark = pytest.mark.django_db


def _publish_due(now: dt.datetime) -> None:
    """One dispatcher sweep at `now`, and each claimed publication tried once."""
    for publication_id, _eta in dispatch_due(now=now).sent:
        publication_publish(publication_id=publication_id, now=now)


def test_the_calendar_follows_validation_and_publishing_on_a_real_account(
    client, network, fake_mastodon, django_capture_on_commit_callbacks
):
    agent = member(network.a, username="agent")
    director = member(network.a, Role.VALIDATOR, username="director")
    chain_of(network.a, {"name": "Direction", "people": [director]})
    account = mastodon_account_on(fake_mastodon, network.a)
    soon = timezone.now() + dt.timedelta(hours=1)

    def write(title: str, later: dt.timedelta):
        return post_create(
            library=network.a,
            author=agent,
            title=title,
            body=f"{title} : rendez-vous à la médiathèque.",
            scheduled_at=soon + later,
            targets=[Target(network="mastodon", account_id=account.pk)],
        )

    def approve(post) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            validation.post_submit(post=post, by=agent)
            validation.post_approve(post=post, by=director)

    published = write("Parue", dt.timedelta(0))
    failed = write("Refusée par le réseau", dt.timedelta(minutes=10))
    missed = write("Validée trop tard", dt.timedelta(minutes=20))
    approved = write("Validée", dt.timedelta(days=2))
    pending = write("En validation", dt.timedelta(days=3))
    write("Brouillon", dt.timedelta(days=3, hours=1))
    for post in (published, failed, approved):
        approve(post)
    for post in (missed, pending):
        validation.post_submit(post=post, by=agent)

    _publish_due(published.scheduled_at)
    fake_mastodon.inject(
        "/api/v1/statuses",
        method="POST",
        status=422,
        body={"error": "Validation failed: Text character limit of 500 exceeded"},
    )
    _publish_due(failed.scheduled_at)
    validation.deadlines_check(now=missed.scheduled_at + dt.timedelta(minutes=1))

    client.force_login(director)
    today = timezone.localdate(soon, network.a.tzinfo)
    shown = {
        event["title"]: event
        for event in calendar_events(
            events(client, today.isoformat(), (today + dt.timedelta(days=7)).isoformat())
        )
        if event["extendedProps"]["kind"] == "post"
    }

    assert {title: e["extendedProps"]["state"] for title, e in shown.items()} == {
        "Parue": "published",
        "Refusée par le réseau": "failed",
        "Validée trop tard": "missed",
        "Validée": "approved",
        "En validation": "pending",
        "Brouillon": "draft",
    }
    assert len(fake_mastodon.posts()) == 1  # only "Parue" went out
    assert shown["Parue"]["classNames"] == ["state-published"]
    # The target is the account, named as the library named it.
    assert shown["Validée"]["extendedProps"]["networks"] == [
        {"badge": "Ma", "name": account.display_name, "state": "scheduled"}
    ]
    # Each badge tells how the post went on its account.
    assert [n["state"] for n in shown["Parue"]["extendedProps"]["networks"]] == ["published"]
    assert [n["state"] for n in shown["Refusée par le réseau"]["extendedProps"]["networks"]] == [
        "failed"
    ]
    assert [n["state"] for n in shown["Brouillon"]["extendedProps"]["networks"]] == [""]
    # Published: its date is history; approved: the director may still move it.
    assert "déjà publiée" in shown["Parue"]["extendedProps"]["refusal"]
    assert shown["Validée"]["extendedProps"]["refusal"] == ""
