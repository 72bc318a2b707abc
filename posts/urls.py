from django.urls import path

from posts.views import composer, media, posts, recovery, settings

app_name = "posts"
urlpatterns = [
    path("", posts.post_list, name="list"),
    path("new/", composer.post_new, name="new"),
    path("<int:pk>/", posts.post_detail, name="detail"),
    path("<int:pk>/edit/", composer.post_edit, name="edit"),
    path("composer/check/", composer.composer_check, name="composer_check"),
    path("composer/utm/", composer.composer_utm, name="composer_utm"),
    path("reconnected/", recovery.reconnected, name="reconnected"),
    path("media/", media.media_library, name="media_library"),
    path("media/upload/", media.media_upload, name="media_upload"),
    path("media/picker/", media.media_picker, name="media_picker"),
    path("media/<int:pk>/", media.media_edit, name="media_edit"),
    path("media/<int:pk>/alt/", media.media_alt, name="media_alt"),
    path("media/<int:pk>/delete/", media.media_delete, name="media_delete"),
]

urlpatterns += [
    path("settings/editorial-lines/", settings.editorial_lines, name="editorial_lines"),
    path(
        "settings/editorial-lines/<int:pk>/",
        settings.editorial_line_edit,
        name="editorial_line_edit",
    ),
    path("settings/charter/", settings.charter, name="charter"),
    path("settings/charter/versions/<int:pk>/", settings.charter_version, name="charter_version"),
]
