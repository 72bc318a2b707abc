"""The chain editor edits every level in one save: add, remove, reorder; each problem
is shown next to its level and everything typed comes back; posts already in review
keep the levels they were submitted with (validation.services.chains)."""

import pytest
from django.urls import reverse

from posts.models import PostState as S
from tests.factories import EditorialLineFactory
from validation import services
from validation.models import Chain, ReviewLevel
from validation.selectors import chain_for

pytestmark = pytest.mark.django_db


def _form(mode: str, levels: list[dict], *, initial: int = 0) -> dict:
    """The editor's POST: `levels` in the order of their rows (each may set ORDER/DELETE)."""
    data = {
        "mode": mode,
        "form-TOTAL_FORMS": str(len(levels)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, level in enumerate(levels):
        level = {"ORDER": str(index + 1), **level}
        for key, value in level.items():
            data[f"form-{index}-{key}"] = value
    return data


@pytest.fixture
def editor(client, cast):
    client.force_login(cast.admin)
    line = EditorialLineFactory(library=cast.net.head, name="Événements")
    return reverse("validation:chain_edit_line", args=[cast.net.head.slug, line.pk]), line


def _names(chain: Chain) -> list[str]:
    return list(chain.levels.order_by("position").values_list("name", flat=True))


def test_three_levels_with_named_people_in_one_save(client, cast, editor):
    url, line = editor

    response = client.post(
        url,
        _form(
            "levels",
            [
                {"name": "Responsable", "validation_level": "Responsable de secteur"},
                {"name": "Direction", "validation_level": "Direction"},
                {
                    "name": "Élus",
                    "people": [str(cast.direction.pk), str(cast.communication.pk)],
                    "require_all": "on",
                },
            ],
        ),
    )

    assert response.status_code == 302
    chain = Chain.objects.get(editorial_line=line)
    assert _names(chain) == ["Responsable", "Direction", "Élus"]
    elus = chain.levels.get(name="Élus")
    assert set(elus.people.all()) == {cast.direction, cast.communication} and elus.require_all
    page = client.get(url).content.decode()
    for name in ("Responsable", "Direction", "Élus"):
        assert f'value="{name}"' in page


def test_reorder_and_remove_in_the_same_save(client, cast, editor):
    url, line = editor
    client.post(
        url,
        _form(
            "levels",
            [
                {"name": "A", "validation_level": "Direction"},
                {"name": "B", "validation_level": "Direction"},
                {"name": "C", "validation_level": "Direction"},
            ],
        ),
    )

    client.post(
        url,
        _form(
            "levels",
            [
                {"name": "A", "validation_level": "Direction", "ORDER": "3"},
                {"name": "B", "validation_level": "Direction", "DELETE": "on"},
                {"name": "C", "validation_level": "Direction", "ORDER": "1"},
                {"name": "D", "validation_level": "Direction", "ORDER": "2"},
            ],
            initial=3,
        ),
    )

    assert _names(Chain.objects.get(editorial_line=line)) == ["C", "D", "A"]


def test_every_problem_is_shown_at_its_level_and_nothing_typed_is_lost(client, cast, editor):
    url, line = editor

    response = client.post(
        url,
        _form(
            "levels",
            [
                {"name": "Relecture", "validation_level": "Direction", "ORDER": "2"},
                {"name": "Élus", "require_all": "on", "ORDER": "3"},
                {"name": "Premier regard", "ORDER": "1"},
            ],
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not Chain.objects.filter(editorial_line=line).exists()
    assert "est encore enregistré :" in html
    assert "« Élus » : nommez les personnes qui doivent toutes valider." in html
    assert "« Premier regard » : choisissez un niveau de validation ou des personnes." in html
    # each message is linked to its level, numbered as the person ordered them
    assert '<a href="#level-form-2">Étape 1</a> : « Premier regard »' in html
    assert '<a href="#level-form-1">Étape 3</a> : « Élus »' in html
    # the levels come back in the order typed, with what was typed
    assert html.index('value="Premier regard"') < html.index('value="Relecture"')
    assert html.index('value="Relecture"') < html.index('value="Élus"')


def test_errors_are_translated(client, cast, editor):
    url, _line = editor
    client.cookies["django_language"] = "en"

    html = client.post(url, _form("levels", [{"name": "Élus", "require_all": "on"}])).content
    html = html.decode()

    assert "Nothing is saved yet" in html
    assert "“Élus”: name the people who must all approve." in html


def test_add_a_level_without_javascript_keeps_what_was_typed(client, cast, editor):
    url, line = editor
    data = _form("levels", [{"name": "Direction", "validation_level": "Direction"}])
    data["add_level"] = "1"

    html = client.post(url, data).content.decode()

    assert not Chain.objects.filter(editorial_line=line).exists()
    assert 'name="form-TOTAL_FORMS" value="2"' in html
    assert 'value="Direction"' in html and 'name="form-1-name"' in html


def test_no_level_at_all_is_refused_with_a_general_message(client, cast, editor):
    url, _line = editor
    html = client.post(url, _form("levels", [{"name": ""}])).content.decode()
    assert "Ajoutez au moins une étape, ou choisissez « sans validation »." in html


def test_a_post_in_review_keeps_the_levels_it_was_submitted_with(client, cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    client.force_login(cast.admin)
    url = reverse("validation:chain_edit_default", args=[cast.net.head.slug])

    client.post(
        url,
        _form("levels", [{"name": "Seule étape", "validation_level": "Direction"}], initial=3),
    )

    assert [lv.name for lv in chain_for(library=cast.net.a, editorial_line=None).levels] == [
        "Seule étape"
    ]
    post.refresh_from_db()
    assert post.state == S.PENDING
    assert list(
        ReviewLevel.objects.filter(review__post=post)
        .order_by("position")
        .values_list("validation_level", flat=True)
    ) == ["Responsable de secteur", "Direction", "Service communication"]


def test_the_service_reports_every_level_at_once_and_saves_nothing(cast):
    from validation.errors import ChainInvalid
    from validation.services.chains import LevelInput

    with pytest.raises(ChainInvalid) as caught:
        services.chain_save(
            library=cast.net.a,
            by=cast.admin,
            levels=[
                LevelInput("Direction", "Direction"),
                LevelInput("", "Direction"),
                LevelInput("Élus", require_all=True),
                LevelInput("Voisins", people=[cast.outsider]),
            ],
        )

    assert caught.value.general == []
    assert caught.value.levels == {
        1: ["Chaque étape a besoin d'un nom."],
        2: ["« Élus » : nommez les personnes qui doivent toutes valider."],
        3: [f"{cast.outsider} n'est pas membre de Branche A."],
    }
    assert not Chain.objects.filter(library=cast.net.a).exists()
