"""The only writer of Publication.state: compare-and-set on the current state.

Every change is `UPDATE … WHERE id = … AND state = <expected>`; a change that
finds another state does nothing and says so (False/None), so a task delivered
twice, two workers or a double click change nothing the second time.
`publication_state_changed` is sent on commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from publishing.models import Publication, PublicationState
from publishing.signals import publication_state_changed

S = PublicationState

# Not sent yet and not being sent: may be cancelled, rescheduled, marked missed.
NOT_SENT = frozenset({S.SCHEDULED, S.QUEUED, S.NEEDS_RECONNECT, S.FAILED})
# Somewhere between the dispatcher and the network.
IN_PROGRESS = frozenset({S.SCHEDULED, S.QUEUED, S.PUBLISHING, S.UNKNOWN})
TERMINAL = frozenset({S.PUBLISHED, S.FAILED, S.CANCELLED, S.MISSED})


def _announce(publication_ids: list[int], from_states: dict[int, str]) -> None:
    def send() -> None:
        for publication in Publication.objects.filter(pk__in=publication_ids):
            publication_state_changed.send(
                sender=Publication,
                publication=publication,
                from_state=from_states[publication.pk],
                to_state=publication.state,
            )

    transaction.on_commit(send)


def publication_move(
    *, publication_id: int, from_states: Iterable[str], to_state: str, **fields
) -> bool:
    """Move one publication from any of `from_states` to `to_state`, writing `fields`
    with it. False (and nothing written) when it is in another state."""
    from_states = set(from_states)
    with transaction.atomic():
        current = (
            Publication.objects.select_for_update()
            .filter(pk=publication_id, state__in=from_states)
            .values_list("state", flat=True)
            .first()
        )
        if current is None:
            return False
        changed = Publication.objects.filter(pk=publication_id, state=current).update(
            state=to_state, updated_at=timezone.now(), **fields
        )
        if changed and current != to_state:
            _announce([publication_id], {publication_id: current})
    return bool(changed)


def publications_move(*, ids: list[int], from_state: str, to_state: str, **fields) -> list[int]:
    """Move many publications from `from_state` (the dispatcher's claim, a cancel):
    returns the ids that moved (the caller holds their row locks, or accepts that
    some moved meanwhile)."""
    if not ids:
        return []
    with transaction.atomic():
        moving = list(
            Publication.objects.select_for_update()
            .filter(pk__in=ids, state=from_state)
            .values_list("pk", flat=True)
        )
        if moving:
            Publication.objects.filter(pk__in=moving, state=from_state).update(
                state=to_state, updated_at=timezone.now(), **fields
            )
            if from_state != to_state:
                _announce(moving, dict.fromkeys(moving, from_state))
    return moving
