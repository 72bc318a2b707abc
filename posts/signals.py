from django.dispatch import Signal

# Sent by posts.services inside the transaction that changed a post's content
# (text, link, targets, media, alt text, variants), with keyword arguments
# post, by (the user), previous_snapshot and snapshot. The validation app
# listens: a post with approvals goes back to the first level of its chain.
post_content_changed = Signal()
