from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from core import views as core_views
from metrics.links import CODE_PATTERN
from metrics.views.links import short_link_redirect

admin.site.site_header = "Annexe"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Short links of published posts (metrics.links): public, counted, UTM added.
    re_path(rf"^l/(?P<code>{CODE_PATTERN})$", short_link_redirect, name="short_link"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("settings/", include("libraries.urls")),
    path("posts/", include("posts.urls")),
    path("notifications/", include("notifications.urls")),
    path("validation/", include("validation.urls")),
    path("calendar/", include("editorial_calendar.urls")),
    path("publishing/", include("publishing.urls")),
    path("metrics/", include("metrics.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
