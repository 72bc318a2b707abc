from django.urls import path

from editorial_calendar.views import calendar, exports, moves, settings

app_name = "editorial_calendar"
urlpatterns = [
    path("", calendar.month, name="month"),
    path("events/", calendar.events, name="events"),
    path("summary/", calendar.summary, name="summary"),
    path("posts/<int:pk>/move/", moves.post_move, name="post_move"),
    path("posts/<int:pk>/queue/", moves.post_queue, name="post_queue"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("print/", exports.print_month, name="print"),
    path("subscribe/", exports.feed_create, name="feed_create"),
    path("subscribe/revoke/", exports.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", exports.feed, name="feed"),
    path("settings/", settings.slots, name="settings"),
    path("settings/slots/<int:pk>/delete/", settings.slot_delete, name="slot_delete"),
    path("settings/dates/", settings.notable_dates, name="notable_dates"),
    path("settings/dates/import/", settings.notable_dates_import, name="notable_dates_import"),
    path("settings/dates/export.ics", settings.notable_dates_export, name="notable_dates_export"),
    path("settings/dates/<int:pk>/", settings.notable_date_edit, name="notable_date_edit"),
    path(
        "settings/dates/<int:pk>/delete/", settings.notable_date_delete, name="notable_date_delete"
    ),
    path("settings/mix/", settings.mix, name="mix"),
]
