from django.contrib import admin

from libraries.models import Library, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "timezone")
    list_filter = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "library", "role", "validation_level")
    list_filter = ("role", "library")
    search_fields = ("user__username", "user__email", "library__name")
    autocomplete_fields = ["user", "library"]
