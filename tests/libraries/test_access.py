"""The permission layer: who sees which library, with which role."""

import pytest

from libraries.models import Membership, Role
from libraries.selectors import access_for, libraries_visible_to, scope
from tests.factories import LibraryFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_branch_member_sees_only_their_branch(network):
    agent = member(network.a)

    assert set(libraries_visible_to(agent)) == {network.a}
    assert access_for(agent).role(network.b.id) is None
    assert access_for(agent).role(network.head.id) is None


def test_network_member_sees_every_branch_with_the_same_role(network):
    director = member(network.head, Role.VALIDATOR, "Direction")

    assert set(libraries_visible_to(director)) == {network.head, network.a, network.b}
    assert access_for(director).role(network.b.id) == Role.VALIDATOR
    assert access_for(director).validation_levels(network.a.id) == {"Direction"}


def test_highest_role_wins_between_network_and_branch(network):
    user = member(network.head, Role.CONTRIBUTOR)
    Membership.objects.create(user=user, library=network.a, role=Role.ADMINISTRATOR)

    access = access_for(user)
    assert access.role(network.a.id) == Role.ADMINISTRATOR
    assert access.role(network.b.id) == Role.CONTRIBUTOR
    assert access.library_ids(Role.ADMINISTRATOR) == {network.a.id}


def test_scope_filters_any_queryset_by_library(network):
    agent = member(network.a)
    member(network.b, username="other")

    visible = scope(Membership.objects.all(), agent)

    assert {m.library for m in visible} == {network.a}


def test_inactive_and_anonymous_users_see_nothing(network):
    user = member(network.a)
    user.is_active = False
    user.save()

    assert not access_for(user).library_ids()


def test_unrelated_library_is_invisible_even_to_network_admins(network):
    elsewhere = LibraryFactory(name="Ailleurs")
    admin = member(network.head, Role.ADMINISTRATOR)

    assert elsewhere not in libraries_visible_to(admin)


def test_superuser_administers_everything(network):
    operator = UserFactory(is_superuser=True)

    assert access_for(operator).role(network.b.id) == Role.ADMINISTRATOR
