import pytest
from django.urls import reverse

from libraries.models import Membership, Role
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_administrator_updates_settings_and_working_hours(client, network):
    admin = member(network.a, Role.ADMINISTRATOR)
    client.force_login(admin)
    data = {
        "name": "Branche A rénovée",
        "timezone": "Indian/Reunion",
        "validation_deadline_hours": 48,
        "alt_text_required": "on",
        **{f"hours_{d}": "" for d in range(7)},
        "hours_2": "9h-12h, 14:00-17:30",
    }

    response = client.post(reverse("libraries:library_settings"), data)

    assert response.status_code == 302
    network.a.refresh_from_db()
    assert network.a.name == "Branche A rénovée"
    assert network.a.timezone == "Indian/Reunion"
    assert network.a.working_hours["2"] == [["09:00", "12:00"], ["14:00", "17:30"]]
    assert network.a.working_hours["1"] == []


def test_bad_working_hours_keep_what_was_typed(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))
    data = {
        "name": "Nouveau nom",
        "timezone": "Europe/Paris",
        "validation_deadline_hours": 24,
        **{f"hours_{d}": "" for d in range(7)},
        "hours_1": "18:00-09:00",
    }

    response = client.post(reverse("libraries:library_settings"), data)

    assert response.status_code == 200
    assert "finit avant de commencer" in response.content.decode()
    assert response.context["form"]["name"].value() == "Nouveau nom"
    network.a.refresh_from_db()
    assert network.a.name == "Branche A"


def test_contributor_sees_settings_but_cannot_change_them(client, network):
    client.force_login(member(network.a))

    response = client.post(reverse("libraries:library_settings"), {"name": "Piraté"})

    assert response.status_code == 200
    network.a.refresh_from_db()
    assert network.a.name == "Branche A"


def test_members_page_is_for_administrators(client, network):
    client.force_login(member(network.a, Role.VALIDATOR))
    assert client.get(reverse("libraries:members")).status_code == 403


def test_inviting_an_unknown_person_creates_an_account_without_password(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    response = client.post(
        reverse("libraries:members"),
        {
            "add-email": "Nouvelle@Example.org",
            "add-role": Role.VALIDATOR,
            "add-validation_level": "Direction",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@example.org")
    assert (membership.library, membership.role, membership.validation_level) == (
        network.a,
        "validator",
        "Direction",
    )
    assert not membership.user.has_usable_password()


def test_adding_someone_twice_is_explained(client, network):
    admin = member(network.a, Role.ADMINISTRATOR)
    existing = member(network.a, username="dupont")
    client.force_login(admin)

    response = client.post(
        reverse("libraries:members"), {"add-email": existing.email, "add-role": Role.CONTRIBUTOR}
    )

    assert response.status_code == 200
    assert "déjà membre" in response.content.decode()


def test_change_role_and_level(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))
    agent = member(network.a, username="agent")
    membership = agent.memberships.get()

    client.post(
        reverse("libraries:member_change", args=[membership.pk]),
        {
            f"m{membership.pk}-role": Role.VALIDATOR,
            f"m{membership.pk}-validation_level": "Responsable de secteur",
            "action": "change",
        },
    )

    membership.refresh_from_db()
    assert (membership.role, membership.validation_level) == (
        Role.VALIDATOR,
        "Responsable de secteur",
    )


def test_the_last_administrator_of_a_network_cannot_leave(client, network):
    admin = member(network.head, Role.ADMINISTRATOR)
    client.force_login(admin)
    membership = admin.memberships.get()

    response = client.post(
        reverse("libraries:member_change", args=[membership.pk]), {"action": "remove"}, follow=True
    )

    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "au moins un·e administrateur·rice" in response.content.decode()


def test_members_page_is_paginated(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))
    for index in range(55):
        member(network.a, username=f"collegue{index:02d}")

    first = client.get(reverse("libraries:members"))
    second = client.get(reverse("libraries:members"), {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 6
    assert "Page 2 sur 2" in second.content.decode()
