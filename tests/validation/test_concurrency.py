"""Two validators approving the same level at the same moment produce one transition.

Runs on PostgreSQL (CI=true uses it; nothing may skip there): the post's row
lock and the compare-and-set on the state and the review's step decide who
wins; the other gets a clear "moved on" (or "not your level") and nothing is
recorded twice. On SQLite it skips outside CI.
"""

import threading
import time

import pytest
from django.db import connection, connections

from libraries.models import Role
from posts.models import PostState as S
from tests.conftest import require_service
from tests.factories import member
from validation import selectors, services
from validation.models import Action, ReviewEvent
from validation.services.review import step_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/annexe_<name> (CI=true does)",
    )


def _race(calls, *, hold_lock_for: float = 0.3):
    """Run `calls` in threads released together. While one holds the post's lock,
    it lingers (approvals_at is slowed), so the others really wait on it."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    real = selectors.approvals_at

    def slow_approvals_at(**kwargs):
        time.sleep(hold_lock_for)
        return real(**kwargs)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as exc:
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    selectors.approvals_at = slow_approvals_at
    try:
        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        selectors.approvals_at = real
    return results


def test_two_validators_approving_the_same_level_at_once_make_one_transition(cast, make_post):
    second = member(cast.net.a, Role.VALIDATOR, "Responsable de secteur", username="second")
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    step = step_of(post.review)  # both pages were loaded at level 1
    fingerprint = post.review.fingerprint

    def approve(user):
        return lambda: services.post_approve(
            post=post,
            by=user,
            expected_state=S.PENDING,
            expected_step=step,
            expected_fingerprint=fingerprint,
        )

    results = _race([approve(cast.responsable), approve(second)])

    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.StaleAction), error
    assert "avancé" in error.message  # "moved on since you opened the page"
    approvals = ReviewEvent.objects.filter(post=post, action=Action.APPROVE)
    assert approvals.count() == 1
    post.review.refresh_from_db()
    assert post.review.current_level.position == 1  # one step forward, not two


def test_two_last_level_approvals_at_once_approve_the_post_once(cast, make_post):
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    services.post_approve(post=post, by=cast.responsable)
    services.post_approve(post=post, by=cast.direction)
    other = member(cast.net.head, Role.VALIDATOR, "Service communication", username="comm2")

    # no page freshness given (an API call): the lock and the rules alone decide
    results = _race(
        [
            lambda: services.post_approve(post=post, by=cast.communication),
            lambda: services.post_approve(post=post, by=other),
        ]
    )

    assert sorted(kind for kind, _value in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.IllegalTransition | services.StaleAction), error
    post.refresh_from_db()
    assert post.state == S.APPROVED
    assert ReviewEvent.objects.filter(post=post, to_state=S.APPROVED).count() == 1


def test_an_approval_racing_a_request_for_changes_leaves_one_decision(cast, make_post):
    second = member(cast.net.a, Role.VALIDATOR, "Responsable de secteur", username="second")
    post = make_post()
    services.post_submit(post=post, by=cast.agent)
    step = step_of(post.review)

    results = _race(
        [
            lambda: services.post_approve(post=post, by=cast.responsable, expected_step=step),
            lambda: services.post_request_changes(
                post=post, by=second, comment="L'heure ?", expected_step=step
            ),
        ]
    )

    assert sorted(kind for kind, _value in results) == ["error", "ok"], results
    decisions = ReviewEvent.objects.filter(
        post=post, action__in=[Action.APPROVE, Action.REQUEST_CHANGES]
    )
    assert decisions.count() == 1
