"""Relays: created once when a publication goes out, visible, cancellable; the email."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from libraries.models import Role
from publishing.models import Publication, PublicationKind, PublicationState, RelayRule
from publishing.relays import relay_email_message
from publishing.signals import publication_state_changed
from tests.factories import LibraryFactory, PostFactory, SocialAccountFactory, member
from tests.publishing.published import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    library = LibraryFactory(name="Médiathèque Jules-Verne")
    admin = member(library, Role.ADMINISTRATOR)
    client.force_login(admin)
    branch = SocialAccountFactory(library=library, network="mastodon", display_name="Branche")
    main = SocialAccountFactory(library=library, network="mastodon", display_name="Réseau")
    client.post(
        reverse("publishing:relays"),
        {"add_partner": "1", "name": "Service communication", "email": "com@ville.example"},
    )
    partner = library.relay_partners.get()
    client.post(
        reverse("publishing:relays"),
        {
            "add_rule": "1",
            "source_account": branch.pk,
            "action": "repost",
            "repost_account": main.pk,
            "delay_minutes": 30,
        },
    )
    client.post(
        reverse("publishing:relays"),
        {
            "add_rule": "1",
            "source_account": branch.pk,
            "action": "email",
            "partners": [partner.pk],
            "delay_minutes": 0,
        },
    )
    assert RelayRule.objects.count() == 2
    return library, admin, branch, main


def _out(publication):
    publication_state_changed.send(
        sender=Publication,
        publication=publication,
        from_state=PublicationState.PUBLISHING,
        to_state=PublicationState.PUBLISHED,
    )


def test_relays_are_created_once_even_if_the_signal_fires_twice(setup):
    library, _admin, branch, main = setup
    when = timezone.now()
    source = published(PostFactory(library=library, body="Heure du conte !"), branch, when=when)

    _out(source)
    _out(source)

    repost = Publication.objects.get(kind=PublicationKind.REPOST)
    email = Publication.objects.get(kind=PublicationKind.EMAIL)
    assert repost.source == source and repost.account == main
    assert repost.state == PublicationState.SCHEDULED
    assert repost.scheduled_at == when + dt.timedelta(minutes=30)
    assert email.account is None and email.scheduled_at == when
    assert Publication.objects.filter(source=source).count() == 2


def test_a_relay_is_not_relayed_and_other_accounts_are_not(setup):
    library, _admin, _branch, main = setup
    other = published(PostFactory(library=library), main)

    _out(other)

    assert not Publication.objects.filter(source__isnull=False).exists()


def test_a_cancelled_relay_stays_cancelled(client, setup):
    library, _admin, branch, _main = setup
    source = published(PostFactory(library=library), branch)
    _out(source)
    repost = Publication.objects.get(kind=PublicationKind.REPOST)

    response = client.post(reverse("publishing:relay_cancel", kwargs={"pk": repost.pk}))
    _out(source)

    assert response.url == reverse("posts:detail", kwargs={"pk": source.post_id})
    repost.refresh_from_db()
    assert repost.state == PublicationState.CANCELLED
    assert Publication.objects.filter(kind=PublicationKind.REPOST).count() == 1


def test_relays_are_listed_on_the_post_page(client, setup):
    library, _admin, branch, _main = setup
    source = published(PostFactory(library=library), branch)
    _out(source)

    page = client.get(reverse("posts:detail", kwargs={"pk": source.post_id})).content.decode()

    assert "Annuler ce relais" in page


def test_the_email_is_ready_to_share(setup):
    library, _admin, branch, _main = setup
    source = published(
        PostFactory(library=library, body="Heure du conte mercredi", link="https://m.example/c"),
        branch,
        remote_url="https://mastodon.example/@branche/1",
    )
    _out(source)
    email = Publication.objects.get(kind=PublicationKind.EMAIL)

    message = relay_email_message(email)
    message.send()

    (sent,) = mail.outbox
    assert sent.to == ["com@ville.example"]
    assert "Médiathèque Jules-Verne" in sent.subject
    assert "Heure du conte mercredi" in sent.body
    assert "https://m.example/c" in sent.body
    assert "https://mastodon.example/@branche/1" in sent.body


def test_a_repost_rule_needs_the_same_network(client, setup):
    library, _admin, branch, _main = setup
    bluesky = SocialAccountFactory(library=library, network="bluesky")

    response = client.post(
        reverse("publishing:relays"),
        {
            "add_rule": "1",
            "source_account": branch.pk,
            "action": "repost",
            "repost_account": bluesky.pk,
            "delay_minutes": 5,
        },
    )

    assert response.status_code == 200
    assert RelayRule.objects.count() == 2


def test_only_administrators_set_relays(client):
    library = LibraryFactory()
    client.force_login(member(library, Role.VALIDATOR))

    assert client.get(reverse("publishing:relays")).status_code == 403
