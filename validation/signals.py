from django.dispatch import Signal

# Sent on commit after every change of Post.state made by validation.services,
# with keyword arguments: post, from_state, to_state, by (a User, or None when
# Annexe itself acted: deadlines, the publishing engine), comment, and action
# (a validation.models.Action value, e.g. "approve", "reset", "force_approve").
# Receivers must accept **kwargs. The publishing engine listens: approved →
# create Publications; withdrawn, or approved → pending (reset) → cancel them.
post_state_changed = Signal()
