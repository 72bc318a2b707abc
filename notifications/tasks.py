from celery import shared_task

from accounts.models import User
from notifications.services import notification_emails_send, notification_emails_send_due


@shared_task
def send_notification_emails(*, recipient_ids: list[int]) -> None:
    """Send what is due now for these people (urgent or "immediate" notifications)."""
    for user in User.objects.filter(pk__in=recipient_ids):
        notification_emails_send(recipient=user)


@shared_task
def send_due_notification_emails() -> None:
    """Beat: held notifications whose working period has started go out as digests."""
    notification_emails_send_due()
