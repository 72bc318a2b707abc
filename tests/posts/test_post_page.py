"""The post page and its panel registry; the posts list."""

import copy
from pathlib import Path

import pytest
from django.urls import reverse

from libraries.models import Role
from posts.models import PostState
from posts.panels import register_panel, registered_panels, unregister_panel
from tests.factories import (
    EditorialLineFactory,
    MediaFactory,
    PostFactory,
    PostTargetFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panels(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates  # reassigned, so Django reloads its template engines
    seen = []

    def second(request, post):
        seen.append((request.user, post))
        return {"greeting": "deuxième"}

    register_panel(key="t-second", template="panel_test.html", context=second, order=90)
    register_panel(
        key="t-first",
        template="panel_test.html",
        context=lambda r, p: {"greeting": "premier"},
        order=80,
    )
    register_panel(key="t-hidden", template="panel_test.html", context=lambda r, p: None, order=85)
    yield seen
    for key in ("t-first", "t-second", "t-hidden"):
        unregister_panel(key)


def test_post_page_renders_registered_panels_in_order(client, network, panels):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, title="Nuit de la lecture")
    client.force_login(agent)

    response = client.get(reverse("posts:detail", args=[post.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nuit de la lecture" in html
    assert html.index("panel premier") < html.index("panel deuxième")
    assert "t-hidden" not in html
    assert panels == [(agent, post)]


def test_registering_a_key_again_replaces_the_panel():
    register_panel(key="t-dup", template="a.html", context=lambda r, p: {}, order=5)
    register_panel(key="t-dup", template="b.html", context=lambda r, p: {}, order=5)
    try:
        assert [p.template for p in registered_panels() if p.key == "t-dup"] == ["b.html"]
    finally:
        unregister_panel("t-dup")


def test_post_page_of_another_branch_is_not_found(client, network):
    post = PostFactory(library=network.b)
    client.force_login(member(network.a))

    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 404


def test_list_filters_by_state_line_network_author_text_and_date(client, network):
    agent = member(network.a, username="camille")
    other = member(network.a, username="dominique")
    line = EditorialLineFactory(library=network.head, name="Coups de cœur")
    import datetime as dt

    from django.utils import timezone

    when = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0), network.a.tzinfo)
    wanted = PostFactory(
        library=network.a,
        author=agent,
        title="Roman de la semaine",
        body="Un polar breton",
        editorial_line=line,
        scheduled_at=when,
    )
    PostTargetFactory(post=wanted, network="bluesky")
    PostFactory(library=network.a, author=other, title="Autre", state=PostState.APPROVED)
    PostFactory(library=network.b, author=other, title="Invisible")
    client.force_login(agent)
    url = reverse("posts:list")

    def titles(**params):
        response = client.get(url, params)
        return [post.title for post in response.context["page"]]

    assert set(titles()) == {"Roman de la semaine", "Autre"}
    assert titles(q="polar") == ["Roman de la semaine"]
    assert titles(state="approved") == ["Autre"]
    assert titles(editorial_line=line.pk) == ["Roman de la semaine"]
    assert titles(author=other.pk) == ["Autre"]
    assert titles(date_from="2026-03-10", date_to="2026-03-10") == ["Roman de la semaine"]
    assert titles(date_from="2026-03-11") == []


def test_network_head_member_sees_branch_posts(client, network):
    PostFactory(library=network.a, title="De A")
    PostFactory(library=network.b, title="De B")
    client.force_login(member(network.head, Role.VALIDATOR))

    response = client.get(reverse("posts:list"))

    assert {p.title for p in response.context["page"]} == {"De A", "De B"}


def _make_posts(library, author, count):
    line = EditorialLineFactory(library=library)
    for index in range(count):
        post = PostFactory(library=library, author=author, editorial_line=line)
        PostTargetFactory(post=post, network="mastodon")
        PostTargetFactory(post=post, network="bluesky")
        if index % 2:
            post.post_media.create(media=MediaFactory(library=library), position=0)


def test_list_query_count_does_not_grow_with_posts(client, network, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent = member(network.a)
    client.force_login(agent)
    url = reverse("posts:list")
    _make_posts(network.a, agent, 3)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url).context["page"]) == 3

    _make_posts(network.a, agent, 22)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 25
    # 14 for the page, +3 for the shell: the notification bell (unread count) and the
    # "À valider" badge (the user's current substitutions, then the count).
    assert len(small.captured_queries) <= 17, [q["sql"] for q in small.captured_queries]


def test_post_page_says_what_each_network_thinks(client, network):
    agent = member(network.a)
    post = PostFactory(library=network.a, author=agent, body="Lecture " * 40)
    PostTargetFactory(post=post, network="x")
    PostTargetFactory(post=post, network="mastodon")
    client.force_login(agent)

    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()

    assert "Prête pour chaque réseau ?" in html
    assert "X : le texte dépasse 280 caractères (320)." in html
    assert "1 problème à corriger avant la publication." in html
