from django.dispatch import Signal

# Sent on commit after every change of Publication.state made by publishing.services,
# with keyword arguments publication (a Publication as it was after the change),
# from_state and to_state. Receivers must accept **kwargs. The relay rules listen
# for to_state == "published" to create their repost and email publications.
publication_state_changed = Signal()

# Sent on commit by publishing.account_services.account_connect when it created an
# account or changed who an account is (its handle or remote id), with keyword
# arguments account and created. A library's own accounts are colleagues of its posts
# (metrics.audience): metrics listens and classifies past engagement again.
account_identity_changed = Signal()
