from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by notifications.services.notify()."""

    list_display = ("title", "recipient", "library", "kind", "urgent", "created_at", "read_at")
    list_filter = ("kind", "urgent", "library")
    search_fields = ("title", "recipient__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
