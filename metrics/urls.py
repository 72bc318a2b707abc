from django.urls import path

from metrics import colleague_views
from metrics.views import dashboard, events

app_name = "metrics"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export.csv", dashboard.dashboard_export, name="dashboard_export"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_edit, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/survey/", events.event_survey_toggle, name="event_survey_toggle"),
    path("events/<int:pk>/qr.svg", events.event_qr, name="event_qr"),
    path("events/<int:pk>/poster/", events.event_poster, name="event_poster"),
    # Public (no login): the anonymous survey reached by the printed QR code.
    path("s/<str:token>/", events.survey, name="survey"),
    # Public vs colleagues: the colleague list (administrators).
    path("colleagues/", colleague_views.colleagues, name="colleagues"),
    path("colleagues/<int:pk>/delete/", colleague_views.colleague_delete, name="colleague_delete"),
]
