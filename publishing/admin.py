from django.contrib import admin

from publishing.models import SocialAccount


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ("display_name", "network", "handle", "library", "status")
    list_filter = ("network", "status", "library")
    search_fields = ("display_name", "handle")
    # Credentials never appear, not even to superusers.
    exclude = ("credentials",)
    readonly_fields = ("remote_id",)
