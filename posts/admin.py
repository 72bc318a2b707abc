from django.contrib import admin

from posts.models import (
    EditorialLine,
    Media,
    Post,
    PostMedia,
    PostTarget,
    PostVariant,
    VariantMedia,
)


@admin.register(EditorialLine)
class EditorialLineAdmin(admin.ModelAdmin):
    list_display = ("name", "library", "colour", "position", "is_active")
    list_filter = ("library", "is_active")
    search_fields = ("name",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TargetInline(ReadOnlyInline):
    model = PostTarget


class VariantInline(ReadOnlyInline):
    model = PostVariant


class PostMediaInline(ReadOnlyInline):
    model = PostMedia


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read-only: a post's content and state change only through the services
    (the composer, the validation chain, the publishing engine), so the admin
    cannot be a way around the validation chain."""

    list_display = ("title", "library", "author", "state", "scheduled_at")
    list_filter = ("state", "library")
    search_fields = ("title", "body")
    inlines = [TargetInline, VariantInline, PostMediaInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "library", "width", "height", "bytes", "uploaded_by", "created_at")
    list_filter = ("library",)
    search_fields = ("original_name", "alt_text", "credit")
    readonly_fields = ("file", "mime_type", "width", "height", "bytes", "animated")


@admin.register(VariantMedia)
class VariantMediaAdmin(admin.ModelAdmin):
    list_display = ("variant", "media", "position")

    def has_change_permission(self, request, obj=None):
        return False
