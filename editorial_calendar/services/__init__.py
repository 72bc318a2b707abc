"""Every write of the calendar. Views call these; see STYLE.md."""

from editorial_calendar.services.schedule import (
    MoveRefused,
    post_add_to_queue,
    post_reschedule,
    queue_slot_for,
)
from editorial_calendar.services.settings import (
    feed_create,
    feed_revoke,
    mix_targets_set,
    notable_date_create,
    notable_date_delete,
    notable_date_update,
    notable_dates_import,
)
from editorial_calendar.services.slots import cap_set, slot_create, slot_delete

__all__ = [
    "MoveRefused",
    "cap_set",
    "feed_create",
    "feed_revoke",
    "mix_targets_set",
    "notable_date_create",
    "notable_date_delete",
    "notable_date_update",
    "notable_dates_import",
    "post_add_to_queue",
    "post_reschedule",
    "queue_slot_for",
    "slot_create",
    "slot_delete",
]
