"""Reads of a person's notifications: only ever their own."""

from django.db.models import QuerySet
from django.http import Http404

from notifications.models import Notification


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(recipient=user).select_related("library")
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(*, user, pk: int) -> Notification:
    """The user's own notification; anyone else's does not exist for them (404)."""
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification
