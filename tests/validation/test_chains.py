"""Chains: inheritance, the settings page and its plain-language summary, the journal."""

import pytest
from django.urls import reverse

from libraries.models import Role
from posts.models import PostState as S
from tests.factories import EditorialLineFactory, chain_of, member
from validation import services
from validation.models import Chain
from validation.rules import LevelSpec
from validation.selectors import chain_for
from validation.summary import describe_chain

pytestmark = pytest.mark.django_db


def _names(effective) -> list[str]:
    return [level.name for level in effective.levels]


def test_branches_inherit_the_parents_chain_unless_they_define_their_own(cast):
    events = EditorialLineFactory(library=cast.net.head, name="Événements")
    favourites = EditorialLineFactory(library=cast.net.head, name="Coups de cœur")
    chain_of(cast.net.head, editorial_line=favourites)  # "no validation"
    chain_of(cast.net.b, "Direction")

    a_default = chain_for(library=cast.net.a, editorial_line=None)
    assert _names(a_default) == ["Responsable de secteur", "Direction", "Service communication"]
    assert chain_for(library=cast.net.a, editorial_line=events).levels == a_default.levels
    assert chain_for(library=cast.net.a, editorial_line=favourites).levels == []
    assert _names(chain_for(library=cast.net.b, editorial_line=events)) == ["Direction"]
    # a line's chain defined higher up wins over a branch's own default
    assert chain_for(library=cast.net.b, editorial_line=favourites).levels == []


def test_a_no_validation_line_is_approved_on_submit(cast, make_post):
    favourites = EditorialLineFactory(library=cast.net.head, name="Coups de cœur")
    chain_of(cast.net.head, editorial_line=favourites)
    post = make_post(editorial_line=favourites)

    services.post_submit(post=post, by=cast.agent)

    assert post.state == S.APPROVED


def test_the_summary_reads_as_plain_language(cast):
    alice = member(cast.net.head, Role.VALIDATOR, display_name="Alice")
    bob = member(cast.net.head, Role.VALIDATOR, display_name="Bob")
    levels = [
        LevelSpec(0, "Responsable de secteur", "Responsable de secteur"),
        LevelSpec(1, "Élus", people=frozenset({alice.pk, bob.pk}), require_all=True),
        LevelSpec(2, "Relecture", "Direction", people=frozenset({alice.pk})),
    ]
    text = describe_chain(levels, {alice.pk: alice, bob.pk: bob}, line="Événements")
    assert text == (
        "Les publications de « Événements » doivent être validées par : Responsable de "
        "secteur, puis Élus (toutes ces personnes : Alice et Bob), puis Relecture "
        "(niveau « Direction », ou Alice)."
    )
    assert describe_chain([], {}) == "Par défaut, les publications partent sans validation."


def _chain_form(mode: str, levels: list[dict]) -> dict:
    data = {
        "mode": mode,
        "form-TOTAL_FORMS": str(len(levels)),
        "form-INITIAL_FORMS": str(len(levels)),  # as the page renders it
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, level in enumerate(levels):
        for key, value in level.items():
            data[f"form-{index}-{key}"] = value
        data[f"form-{index}-ORDER"] = str(index + 1)
    return data


def test_an_administrator_defines_a_lines_chain_and_reads_its_summary(client, cast):
    events = EditorialLineFactory(library=cast.net.head, name="Événements")
    client.force_login(cast.admin)
    url = reverse("validation:chain_edit_line", args=[cast.net.head.slug, events.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        _chain_form(
            "levels",
            [
                {"name": "Responsable de secteur", "validation_level": "Responsable de secteur"},
                {"name": "Direction", "validation_level": "Direction"},
            ],
        ),
    )

    assert response.status_code == 302
    chain = Chain.objects.get(editorial_line=events)
    assert list(chain.levels.values_list("name", flat=True)) == [
        "Responsable de secteur",
        "Direction",
    ]
    page = client.get(reverse("validation:chains")).content.decode()
    assert (
        "Les publications de « Événements » doivent être validées par : "
        "Responsable de secteur, puis Direction." in page
    )


def test_a_chain_with_a_level_naming_nobody_is_refused(client, cast):
    client.force_login(cast.admin)
    url = reverse("validation:chain_edit_default", args=[cast.net.head.slug])

    response = client.post(url, _chain_form("levels", [{"name": "Relecture"}]))

    assert response.status_code == 200
    assert "choisissez un niveau de validation ou des personnes" in response.content.decode()


def test_no_validation_then_inherit_again(client, cast):
    client.force_login(cast.admin)
    url = reverse("validation:chain_edit_default", args=[cast.net.a.slug])
    client.post(url, _chain_form("none", []))
    assert chain_for(library=cast.net.a, editorial_line=None).levels == []

    client.post(url, _chain_form("inherit", []))

    assert len(chain_for(library=cast.net.a, editorial_line=None).levels) == 3


@pytest.mark.parametrize("who", ["agent", "responsable"])
def test_only_administrators_edit_chains(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse("validation:chain_edit_default", args=[cast.net.a.slug])
    response = client.post(url, _chain_form("none", []))
    assert response.status_code in (403, 404)
    assert len(chain_for(library=cast.net.a, editorial_line=None).levels) == 3


def test_the_journal_filters_and_exports_csv(client, cast, make_post):
    first, second = make_post(title="Première"), make_post(title="Seconde")
    for post in (first, second):
        services.post_submit(post=post, by=cast.agent)
    services.post_approve(post=first, by=cast.responsable, comment="Parfait")
    client.force_login(cast.admin)
    client.post(reverse("libraries:switch"), {"library": cast.net.head.pk})

    page = client.get(reverse("validation:journal"), {"action": "approve"}).content.decode()
    assert "Première" in page and "Seconde" not in page

    response = client.get(reverse("validation:journal_csv"), {"action": "approve"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Date,Bibliothèque,Publication")
    assert len(lines) == 2 and "Première" in lines[1] and "Parfait" in lines[1]


def test_contributors_do_not_read_the_journal(client, cast):
    client.force_login(cast.agent)
    assert client.get(reverse("validation:journal")).status_code == 403
    assert client.get(reverse("validation:journal_csv")).status_code == 403
