"""The only writer of Publication.state: compare-and-set on the current state.

Every change is `UPDATE … WHERE id = … AND state = <expected>`; a change that
finds another state does nothing and says so (False/None), so a task delivered
twice, two workers or a double click change nothing the second time.
`publication_state_changed` is sent on commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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


def _announce(
    publication_ids: list[int],
    from_states: dict[int, str],
    loaded: Publication | None = None,
) -> None:
    """Send publication_state_changed on commit, with each publication as it is
    then (`loaded`: one already up to date in memory, which saves reading it again)."""

    def send() -> None:
        publications = (
            [loaded] if loaded is not None else Publication.objects.filter(pk__in=publication_ids)
        )
        for publication in publications:
            publication_state_changed.send(
                sender=Publication,
                publication=publication,
                from_state=from_states[publication.pk],
                to_state=publication.state,
            )

    transaction.on_commit(send)


def _is_plain(value: object) -> bool:
    return not hasattr(value, "resolve_expression")


def publication_move(
    *,
    publication_id: int,
    from_states: Iterable[str],
    to_state: str,
    instance: Publication | None = None,
    **fields,
) -> bool:
    """Move one publication from any of `from_states` to `to_state`, writing `fields`
    with it. False (and nothing written) when it is in another state. `instance`
    (the caller's copy of that publication) is brought up to date in memory when the
    fields are plain values, and announced as it is."""
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
        now = timezone.now()
        changed = Publication.objects.filter(pk=publication_id, state=current).update(
            state=to_state, updated_at=now, **fields
        )
        loaded = None
        if changed and instance is not None and all(map(_is_plain, fields.values())):
            for name, value in {**fields, "state": to_state, "updated_at": now}.items():
                setattr(instance, name, value)
            loaded = instance
        if changed and current != to_state:
            _announce([publication_id], {publication_id: current}, loaded)
    return bool(changed)


def publication_claim(
    *,
    publication_id: int,
    from_state: str,
    to_state: str,
    related: tuple[str, ...] = (),
    fields: Callable[[Publication], dict[str, Any]],
) -> Publication | None:
    """Lock one publication in `from_state`, move it to `to_state` with the values
    `fields(publication)` computes from the locked row, and return it up to date in
    memory (with `related` loaded): one read instead of a compare-and-set followed by
    a reload. None when it is in another state (a duplicate delivery)."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related(*related)
            .filter(pk=publication_id, state=from_state)
            .first()
        )
        if publication is None:
            return None
        values = {**fields(publication), "state": to_state, "updated_at": timezone.now()}
        Publication.objects.filter(pk=publication_id, state=from_state).update(**values)
        for name, value in values.items():
            setattr(publication, name, value)
        if from_state != to_state:
            _announce([publication_id], {publication_id: from_state}, publication)
    return publication


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
