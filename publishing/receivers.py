"""Listen to validation and the calendar; the logic is in publishing.services."""

from django.db import transaction
from django.dispatch import receiver

from editorial_calendar.signals import post_rescheduled
from posts.signals import post_content_changed
from publishing.signals import publication_state_changed
from validation.signals import post_state_changed


@receiver(post_state_changed, dispatch_uid="publishing-follow-post-state")
def _follow_post_state(sender, *, post, from_state, to_state, **kwargs):
    from publishing.services import publications_sync
    from publishing.services.lifecycle import POST_STATES_PUBLICATIONS_FOLLOW

    # publishing, published, failed: moves the engine itself made; nothing to follow.
    if to_state in POST_STATES_PUBLICATIONS_FOLLOW:
        publications_sync(post=post)


@receiver(post_rescheduled, dispatch_uid="publishing-follow-post-date")
def _follow_post_date(sender, *, post, scheduled_at, **kwargs):
    from publishing.services import publications_reschedule

    publications_reschedule(post=post, scheduled_at=scheduled_at)


@receiver(post_content_changed, dispatch_uid="publishing-follow-post-content")
def _follow_post_content(sender, *, post, **kwargs):
    # Targets may have changed on a post that stays approved (a chain without
    # validation); after commit, once validation has decided the post's state.
    from publishing.services import publications_sync

    transaction.on_commit(lambda: publications_sync(post=post))


@receiver(publication_state_changed, dispatch_uid="publishing-relays")
def _relay_published(sender, *, publication, to_state, **kwargs):
    from publishing.relays import relays_for_published

    if to_state == "published":
        relays_for_published(publication=publication)
