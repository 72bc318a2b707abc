"""What the validation services raise. Views turn them into messages (or 403)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from posts.models import PostState


def _label(state: str) -> str:
    try:
        return str(PostState(state).label)
    except ValueError:
        return state


class ValidationFlowError(Exception):
    """Base class: `message` is for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(ValidationFlowError):
    """A change the state machine does not allow (e.g. published → pending)."""

    def __init__(self, from_state: str, to_state: str, action: str = ""):
        self.from_state, self.to_state, self.action = from_state, to_state, action
        super().__init__(
            _("Impossible : une publication « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": _label(from_state), "to": _label(to_state)}
        )


class StaleAction(ValidationFlowError):
    """The post moved on since the page was loaded (someone else decided, the
    author edited): nothing was done. `state` is the post's current state."""

    def __init__(self, message: str, *, state: str):
        self.state = state
        super().__init__(message)


class ContentNotApproved(ValidationFlowError):
    """The content differs from the approved fingerprint: it may not be published."""


class ChainInvalid(ValidationError):
    """Everything wrong with a chain at once: `general` messages, and `levels`
    {position of the level in the list given: its messages}, so that a form can show
    each next to its level."""

    def __init__(self, *, general: list[str], levels: dict[int, list[str]]):
        self.general, self.levels = general, levels
        super().__init__([*general, *(m for messages in levels.values() for m in messages)])


class NotAllowed(PermissionDenied):
    """The rules refuse this person this action (views answer 403)."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message
