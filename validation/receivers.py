"""Listen to the posts app: content changes reset approvals (the logic is in services)."""

from django.dispatch import receiver

from posts.signals import post_content_changed


@receiver(post_content_changed, dispatch_uid="validation-reset-on-content-change")
def _reset_on_content_change(sender, *, post, by, previous_snapshot, snapshot, **kwargs):
    from validation.services import review_reset_for_content_change

    review_reset_for_content_change(
        post=post, by=by, previous_snapshot=previous_snapshot, snapshot=snapshot
    )
