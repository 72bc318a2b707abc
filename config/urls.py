from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from core import views as core_views

admin.site.site_header = "Annexe"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
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
