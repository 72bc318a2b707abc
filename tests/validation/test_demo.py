"""The validation demo: the story's chains and a post at each place a validator meets."""

import pytest

from libraries import demo as libraries_demo
from posts.models import EditorialLine, Post
from posts.models import PostState as S
from validation import demo
from validation.pages import chain_rows
from validation.selectors import queue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    ctx = libraries_demo.seed()
    for position, name in enumerate(("Coups de cœur", "Vie de la bibliothèque", "Événements")):
        EditorialLine.objects.create(library=ctx.network, name=name, position=position)
    return ctx


def test_seed_is_idempotent_and_covers_every_place_in_the_chain(ctx):
    demo.seed(ctx)
    demo.seed(ctx)

    states = {post.title: post.state for post in Post.objects.all()}
    assert len(states) == len(demo.POSTS)
    assert sorted(states.values()) == sorted(
        [S.PENDING, S.PENDING, S.PENDING, S.CHANGES_REQUESTED, S.REJECTED, S.MISSED]
    )
    waiting_at = {
        post.review.current_level.name
        for post in Post.objects.filter(state=S.PENDING).select_related("review__current_level")
    }
    assert waiting_at == {"Responsable de secteur", "Direction", "Service communication"}
    # each demo validator finds one post in their queue
    for username in ("responsable", "direction", "communication"):
        assert queue_for(ctx.users[username]).count() == 1
    assert queue_for(ctx.users["agent"]).count() == 0


def test_the_demo_chains_read_as_the_story(ctx):
    demo.seed(ctx)

    rows = chain_rows(ctx.network)
    summaries = {row.line.name if row.line else None: row.summary for row in rows}
    assert summaries["Événements"] == (
        "Les publications de « Événements » doivent être validées par : "
        "Responsable de secteur, puis Direction, puis Service communication."
    )
    assert summaries["Coups de cœur"] == (
        "Les publications de « Coups de cœur » partent sans validation."
    )
    assert "Responsable de secteur, puis Direction." in summaries[None]
