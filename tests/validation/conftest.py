"""The cast of the validation tests: the demo's chain on a small network.

Branch A's agent writes; A's responsable (level 1), the network's direction
(level 2) and communication (level 3) approve; the network's administrator may
force; branch B's people see nothing of A.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from libraries.models import Role
from posts.services import Target, post_create
from tests.factories import chain_of, member

LEVELS = ("Responsable de secteur", "Direction", "Service communication")


@pytest.fixture
def cast(network):
    people = SimpleNamespace(
        net=network,
        agent=member(network.a, Role.CONTRIBUTOR, username="agent"),
        colleague=member(network.a, Role.CONTRIBUTOR, username="colleague"),
        responsable=member(network.a, Role.VALIDATOR, LEVELS[0], username="responsable"),
        direction=member(network.head, Role.VALIDATOR, LEVELS[1], username="direction"),
        communication=member(network.head, Role.VALIDATOR, LEVELS[2], username="communication"),
        admin=member(network.head, Role.ADMINISTRATOR, username="admin"),
        outsider=member(network.b, Role.VALIDATOR, LEVELS[0], username="outsider"),
    )
    people.chain = chain_of(network.head, *LEVELS)
    return people


@pytest.fixture
def make_post(cast):
    def _make(author=None, library=None, when=dt.timedelta(days=3), **fields):
        fields.setdefault("title", "Nuit du conte")
        fields.setdefault("body", "Samedi soir, contes pour petits et grands à la médiathèque.")
        return post_create(
            library=library or cast.net.a,
            author=author or cast.agent,
            scheduled_at=timezone.now() + when if when is not None else None,
            targets=[Target(network="mastodon")],
            **fields,
        )

    return _make


@pytest.fixture
def reach(cast, make_post):
    """A post of the agent brought to `state` through the services only."""
    from posts.models import PostState as S
    from validation import services

    def _reach(state):
        post = make_post()
        if state == S.DRAFT:
            return post
        services.post_submit(post=post, by=cast.agent)
        if state == S.PENDING:
            return post
        if state == S.CHANGES_REQUESTED:
            return services.post_request_changes(
                post=post, by=cast.responsable, comment="Ajoutez l'heure."
            )
        if state == S.REJECTED:
            return services.post_reject(post=post, by=cast.responsable, comment="Hors sujet.")
        if state == S.WITHDRAWN:
            return services.post_withdraw(post=post, by=cast.agent)
        if state == S.MISSED:
            services.post_mark_missed(post=post, now=post.scheduled_at)
            post.refresh_from_db()
            return post
        for validator in (cast.responsable, cast.direction, cast.communication):
            services.post_approve(post=post, by=validator)
        if state == S.APPROVED:
            return post
        if state == S.CANCELLED:
            services.post_cancel(post=post, by=cast.agent)
            return post
        if state == S.FAILED:
            services.post_mark_failed(post=post, comment="Erreur 500")
            return post
        services.post_mark_publishing(post=post)
        if state == S.PUBLISHING:
            return post
        services.post_mark_published(post=post)
        assert state == S.PUBLISHED
        return post

    return _reach
