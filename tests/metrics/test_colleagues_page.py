"""The colleague list page: administrators only; entries normalised; used at once."""

import pytest
from django.urls import reverse

from libraries.models import Role
from metrics.models import Colleague
from tests.factories import LibraryFactory, member

pytestmark = pytest.mark.django_db


def test_an_administrator_lists_accounts_and_domains(client):
    library = LibraryFactory(name="Médiathèque Jules-Verne")
    client.force_login(member(library, Role.ADMINISTRATOR))
    url = reverse("metrics:colleagues")

    client.post(
        url, {"identifier": "@Alice@Bibliotheques.Social", "match": "account", "kind": "library"}
    )
    client.post(url, {"identifier": "bibliotheques.fr", "match": "domain", "kind": "professional"})
    again = client.post(
        url, {"identifier": "alice@bibliotheques.social", "match": "account", "kind": "staff"}
    )

    assert sorted(Colleague.objects.values_list("match", "identifier")) == [
        ("account", "alice@bibliotheques.social"),
        ("domain", "bibliotheques.fr"),
    ]
    assert again.status_code == 200 and "déjà dans la liste" in again.content.decode()
    page = client.get(url).content.decode()
    assert "alice@bibliotheques.social" in page and "Tout le domaine bibliotheques.fr" in page

    colleague = Colleague.objects.get(match="domain")
    client.post(reverse("metrics:colleague_delete", args=[colleague.pk]))
    assert Colleague.objects.count() == 1


def test_only_administrators_see_the_colleague_list(client):
    library = LibraryFactory()
    client.force_login(member(library, Role.VALIDATOR))

    assert client.get(reverse("metrics:colleagues")).status_code == 403


def test_a_branch_sees_the_list_inherited_from_the_network(client):
    head = LibraryFactory(name="Réseau")
    branch = LibraryFactory(name="Annexe Nord", parent=head)
    Colleague.objects.create(library=head, identifier="bibliotheques.social", match="domain")
    client.force_login(member(branch, Role.ADMINISTRATOR))

    page = client.get(reverse("metrics:colleagues")).content.decode()

    assert "bibliotheques.social" in page and "Réseau" in page
