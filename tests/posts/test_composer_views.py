"""The composer's pages: create, edit, permissions, and nothing lost on an expired session."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from libraries.models import Role
from posts.models import Post, PostState
from tests.factories import EditorialLineFactory, PostFactory, member

pytestmark = pytest.mark.django_db


def test_contributor_creates_a_draft_in_the_library_time_zone(client, network):
    network.a.timezone = "Indian/Reunion"
    network.a.save()
    agent = member(network.a)
    line = EditorialLineFactory(library=network.head)
    client.force_login(agent)

    response = client.post(
        reverse("posts:new"),
        {
            "title": "Heure du conte",
            "body": "Mercredi, contes pour les petits.",
            "link": "mediatheque.example.org/contes",
            "editorial_line": line.pk,
            "scheduled_at": "2026-03-04T09:30",
            "notes": "Penser aux photos",
        },
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("posts:edit", args=[post.pk]) + "?created=1"
    assert (post.library, post.author, post.state) == (network.a, agent, PostState.DRAFT)
    assert post.link == "https://mediatheque.example.org/contes"
    assert post.scheduled_at == dt.datetime(2026, 3, 4, 5, 30, tzinfo=dt.UTC)
    assert post.editorial_line == line


def test_bad_input_keeps_everything_typed(client, network):
    client.force_login(member(network.a))

    response = client.post(
        reverse("posts:new"),
        {"title": "", "body": "Un texte précieux", "link": "pas une adresse"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Un texte précieux" in html
    assert "pas une adresse" in html
    assert not Post.objects.exists()


def test_author_edits_and_the_form_shows_local_time(client, network):
    agent = member(network.a)
    post = PostFactory(
        library=network.a,
        author=agent,
        scheduled_at=dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC),
    )
    client.force_login(agent)
    url = reverse("posts:edit", args=[post.pk])

    assert 'value="2026-07-01T09:00"' in client.get(url).content.decode()
    response = client.post(url, {"title": "Nouveau titre", "body": "Nouveau texte"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert (post.title, post.body, post.scheduled_at) == ("Nouveau titre", "Nouveau texte", None)


def test_another_contributor_cannot_edit(client, network):
    post = PostFactory(library=network.a, author=member(network.a))
    client.force_login(member(network.a))

    assert client.get(reverse("posts:edit", args=[post.pk])).status_code == 403


def test_validator_can_edit_and_published_post_cannot_be_edited(client, network):
    post = PostFactory(library=network.a, author=member(network.a))
    client.force_login(member(network.a, Role.VALIDATOR))
    url = reverse("posts:edit", args=[post.pk])

    assert client.get(url).status_code == 200
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED)
    assert client.get(url).status_code == 403


def test_save_without_session_shows_the_text_and_how_to_log_in(client, network):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent)
    url = reverse("posts:edit", args=[post.pk])
    data = {
        "title": "Titre",
        "body": "Tout ce que j'ai tapé pendant une heure",
        "variant-bluesky-text": "Version courte",
        "targets": ["network:bluesky", "network:mastodon"],
    }

    response = client.post(url, data)  # no session

    html = response.content.decode()
    assert response.status_code == 401
    assert "Tout ce que j&#x27;ai tapé pendant une heure" in html
    assert "Version courte" in html
    assert 'name="targets" value="network:mastodon"' in html
    assert f'action="{url}"' in html
    assert "nouvel onglet" in html
    assert reverse("login") in html
    # Logged in again (in another tab), the same form saves.
    client.force_login(agent)
    assert client.post(url, data).status_code == 302
    post.refresh_from_db()
    assert post.body == "Tout ce que j'ai tapé pendant une heure"


def test_stale_csrf_token_keeps_the_text_and_gives_a_fresh_token(network):
    agent = member(network.a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    client.get(reverse("posts:new"))  # sets the CSRF cookie

    response = client.post(
        reverse("posts:new"),
        {"title": "Titre", "body": "Texte à garder", "csrfmiddlewaretoken": "stale" * 8},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "Texte à garder" in html
    token = response.context["csrf_token"]
    assert f'value="{token}"' in html
    resubmit = {"title": "Titre", "body": "Texte à garder", "csrfmiddlewaretoken": str(token)}
    assert client.post(reverse("posts:new"), resubmit).status_code == 302
    assert Post.objects.get().body == "Texte à garder"


def test_get_without_session_goes_to_login(client):
    response = client.get(reverse("posts:new"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_calendar_starts_a_new_post_at_a_chosen_time(client, network):
    client.force_login(member(network.a))

    page = client.get(reverse("posts:new"), {"scheduled_at": "2026-03-29T09:00"}).content.decode()
    junk = client.get(reverse("posts:new"), {"scheduled_at": "<script>"})

    assert 'value="2026-03-29T09:00"' in page
    assert junk.status_code == 200 and "&lt;script&gt;" not in junk.content.decode()
