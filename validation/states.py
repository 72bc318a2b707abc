"""The table of allowed Post.state transitions: pure data, no ORM.

validation.services.transitions.post_transition refuses anything not listed
here with IllegalTransition. Review states are driven by the validation chain,
publishing states by the publishing engine (through the post_mark_* services).
"""

from posts.models import PostState as S

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    # submit (chain or "no validation"), a draft whose date passed
    S.DRAFT: frozenset({S.PENDING, S.APPROVED, S.MISSED}),
    S.PENDING: frozenset(
        {
            S.APPROVED,  # last level approved, or an administrator forced it
            S.CHANGES_REQUESTED,
            S.REJECTED,
            S.WITHDRAWN,
            S.MISSED,  # publication time came before the last approval
        }
    ),
    S.CHANGES_REQUESTED: frozenset(
        {S.PENDING, S.APPROVED, S.DRAFT, S.WITHDRAWN, S.REJECTED, S.MISSED}
    ),
    S.APPROVED: frozenset(
        {
            S.PENDING,  # content changed after approval: back to level 1
            S.PUBLISHING,
            S.PUBLISHED,
            S.FAILED,
            S.WITHDRAWN,
            S.CANCELLED,
        }
    ),
    S.PUBLISHING: frozenset({S.PUBLISHED, S.FAILED, S.APPROVED}),
    S.FAILED: frozenset({S.PUBLISHING, S.PUBLISHED, S.APPROVED, S.CANCELLED}),
    S.PUBLISHED: frozenset({S.CANCELLED}),  # deleted from the networks
    S.WITHDRAWN: frozenset({S.DRAFT, S.PENDING, S.APPROVED}),
    S.MISSED: frozenset({S.DRAFT}),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Where each state may go by the review actions (the services check these first,
# for a clearer message than the bare table).
SUBMITTABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.WITHDRAWN})
WITHDRAWABLE = frozenset({S.PENDING, S.CHANGES_REQUESTED, S.APPROVED})
REOPENABLE = frozenset({S.CHANGES_REQUESTED, S.WITHDRAWN, S.MISSED})
FORCEABLE = frozenset({S.PENDING, S.CHANGES_REQUESTED})
MISSABLE = frozenset({S.DRAFT, S.PENDING, S.CHANGES_REQUESTED})
# An approved post whose content may be published (the approved fingerprint is checked).
PUBLISHABLE = frozenset({S.APPROVED, S.FAILED, S.PUBLISHING})


def is_allowed(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED_TRANSITIONS.get(from_state, frozenset())
