"""The Django admin shows validation data read-only: chains are edited on their
settings page (validation.services.chains checks them), decisions are taken on
the review page (validation.services), and the trail is append-only. The admin
is no way around the chain."""

from django.contrib import admin

from validation.models import Absence, Chain, Review, ReviewEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Chain)
class ChainAdmin(ReadOnlyAdmin):
    list_display = ("library", "editorial_line", "requires_validation", "updated_at")
    list_filter = ("library", "requires_validation")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("post", "round", "current_level", "submitted_at")
    list_select_related = ("post", "current_level")


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "post", "action", "actor", "from_state", "to_state", "forced")
    list_filter = ("action", "forced", "library")
    list_select_related = ("post", "actor")
    search_fields = ("post__title", "comment")


@admin.register(Absence)
class AbsenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "substitute", "library", "starts_at", "ends_at")
