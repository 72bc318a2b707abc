"""In-app notifications, also sent by email (at once, or held for working hours)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from libraries.models import Library


class Notification(models.Model):
    """One message to one person. `email_due_at` is when its email may go out:
    at once when urgent or when the person chose "immediate", otherwise at the
    start of the next working period of their library (None: no email, e.g. no
    address). `emailed_at` is set when an email (alone or in a digest) claims it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("type"), max_length=64)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    urgent = models.BooleanField(_("urgente"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_due_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email_due_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
