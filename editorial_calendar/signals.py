from django.dispatch import Signal

# Sent by editorial_calendar.services inside the transaction that changed a post's
# date (drag and drop, "Move to…", "Add to queue", re-slotting after a slot was
# removed), with keyword arguments post, by (a user, or None for the system),
# previous (the old scheduled_at, may be None) and scheduled_at (aware UTC).
# The content did not change, so approvals stand; listeners that keep their own
# copy of the date (scheduled publications) follow it.
post_rescheduled = Signal()
