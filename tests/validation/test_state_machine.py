"""Table tests of the review state machine: every (state, action, actor).

The expectations are written out here, independently of validation.states and
validation.rules: a wrong state gives IllegalTransition, a right state with the
wrong person gives NotAllowed, and in both cases nothing changes.
"""

import pytest
from django.db import transaction

from posts.models import Post
from posts.models import PostState as S
from validation import services
from validation.errors import IllegalTransition, NotAllowed
from validation.models import ReviewEvent
from validation.states import ALLOWED_TRANSITIONS

pytestmark = pytest.mark.django_db

ACTORS = ("agent", "responsable", "direction", "admin", "outsider")

# action -> (states it starts from, who may do it, resulting state)
EXPECTED = {
    "submit": (
        {S.DRAFT, S.CHANGES_REQUESTED, S.WITHDRAWN},
        {"agent", "responsable", "direction", "admin"},
        S.PENDING,
    ),
    # The post waits at level 1 (Responsable de secteur): direction (level 2) may not act
    # there, the author never, an administrator only by forcing.
    "approve": ({S.PENDING}, {"responsable"}, S.PENDING),
    "request_changes": ({S.PENDING}, {"responsable"}, S.CHANGES_REQUESTED),
    "reject": ({S.PENDING}, {"responsable"}, S.REJECTED),
    "withdraw": ({S.PENDING, S.CHANGES_REQUESTED, S.APPROVED}, {"agent", "admin"}, S.WITHDRAWN),
    "reopen": (
        {S.CHANGES_REQUESTED, S.WITHDRAWN, S.MISSED},
        {"agent", "responsable", "direction", "admin"},
        S.DRAFT,
    ),
    "force_approve": ({S.PENDING, S.CHANGES_REQUESTED}, {"admin"}, S.APPROVED),
    "force_reject": ({S.PENDING, S.CHANGES_REQUESTED}, {"admin"}, S.REJECTED),
}


def _do(action: str, post: Post, user):
    if action == "submit":
        return services.post_submit(post=post, by=user)
    if action == "approve":
        return services.post_approve(post=post, by=user)
    if action == "request_changes":
        return services.post_request_changes(post=post, by=user, comment="À revoir")
    if action == "reject":
        return services.post_reject(post=post, by=user, comment="Non")
    if action == "withdraw":
        return services.post_withdraw(post=post, by=user)
    if action == "reopen":
        return services.post_reopen(post=post, by=user)
    decision = action.removeprefix("force_")
    return services.post_force_decision(post=post, by=user, decision=decision, reason="Urgence")


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("state", [s.value for s in S])
def test_every_state_action_and_actor(cast, reach, state, action):
    post = reach(state)
    assert Post.objects.get(pk=post.pk).state == state
    from_states, allowed_actors, result = EXPECTED[action]
    for name in ACTORS:
        user = getattr(cast, name)
        events_before = ReviewEvent.objects.filter(post=post).count()
        savepoint = transaction.savepoint()
        try:
            if state not in from_states:
                with pytest.raises(IllegalTransition):
                    _do(action, post, user)
            elif name not in allowed_actors:
                with pytest.raises(NotAllowed):
                    _do(action, post, user)
            else:
                _do(action, post, user)
                assert Post.objects.get(pk=post.pk).state == result, (name, action)
                assert ReviewEvent.objects.filter(post=post).count() == events_before + 1
                continue
            # refused: nothing changed
            assert Post.objects.get(pk=post.pk).state == state, (name, action)
            assert ReviewEvent.objects.filter(post=post).count() == events_before
        finally:
            transaction.savepoint_rollback(savepoint)


def test_the_author_never_approves_their_own_post_even_holding_the_level(cast, make_post):
    # given a post written by the responsable, who holds level 1
    post = make_post(author=cast.responsable)
    services.post_submit(post=post, by=cast.responsable)

    with pytest.raises(NotAllowed, match="propre publication"):
        services.post_approve(post=post, by=cast.responsable)

    # another holder of the level may
    other = __import__("tests.factories", fromlist=["member"]).member(
        cast.net.a, "validator", "Responsable de secteur"
    )
    services.post_approve(post=post, by=other)
    assert post.review.current_level.name == "Direction"
    # and the author may not approve at a later level either, even as an administrator
    with pytest.raises(NotAllowed):
        services.post_force_decision(post=post, by=cast.responsable, decision="approve", reason="x")


def test_a_level_two_validator_cannot_act_at_level_one(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)

    for decide in (services.post_approve, services.post_request_changes, services.post_reject):
        with pytest.raises(NotAllowed, match="Responsable de secteur"):
            decide(post=post, by=cast.direction, comment="x")
    assert ReviewEvent.objects.filter(post=post).count() == 1  # the submission only


@pytest.mark.parametrize("from_state", [s.value for s in S])
@pytest.mark.parametrize("to_state", [s.value for s in S])
def test_post_transition_allows_exactly_the_table(cast, make_post, from_state, to_state):
    post = make_post()
    Post.objects.filter(pk=post.pk).update(state=from_state)
    post.refresh_from_db()

    with transaction.atomic():
        if to_state in ALLOWED_TRANSITIONS[from_state]:
            services.post_transition(post=post, to_state=to_state, action="test", by=None)
            assert Post.objects.get(pk=post.pk).state == to_state
        else:
            with pytest.raises(IllegalTransition):
                services.post_transition(post=post, to_state=to_state, action="test", by=None)
            assert Post.objects.get(pk=post.pk).state == from_state


def test_post_transition_is_a_compare_and_set(cast, make_post):
    post = make_post()
    stale = Post.objects.get(pk=post.pk)
    with transaction.atomic():
        services.post_transition(post=post, to_state=S.PENDING, action="test", by=None)
    with transaction.atomic(), pytest.raises(services.StaleAction):
        services.post_transition(post=stale, to_state=S.PENDING, action="test", by=None)
    assert ReviewEvent.objects.filter(post=post).count() == 1


@pytest.mark.django_db(transaction=True)
def test_post_transition_refuses_to_run_outside_a_transaction(cast, make_post):
    with pytest.raises(RuntimeError):
        services.post_transition(post=make_post(), to_state=S.PENDING, action="t", by=None)


def test_the_illegal_transition_message_is_clear(cast, reach):
    post = reach(S.PUBLISHED)
    with pytest.raises(IllegalTransition) as caught:
        services.post_submit(post=post, by=cast.agent)
    assert caught.value.message == (
        "Impossible : une publication « Publiée » ne peut pas passer à « En validation »."
    )
