from django.contrib import admin

from publishing.models import RegisteredApp, SocialAccount


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ("display_name", "network", "handle", "library", "status")
    list_filter = ("network", "status", "library")
    search_fields = ("display_name", "handle")
    # Credentials never appear, not even to superusers.
    exclude = ("credentials",)
    readonly_fields = ("remote_id",)


@admin.register(RegisteredApp)
class RegisteredAppAdmin(admin.ModelAdmin):
    list_display = ("network", "server_url", "redirect_uri", "created_at")
    exclude = ("credentials",)
