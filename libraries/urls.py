from django.urls import path

from libraries import views

app_name = "libraries"
urlpatterns = [
    path("", views.settings_index, name="settings"),
    path("library/", views.library_settings, name="library_settings"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member_change, name="member_change"),
    path("switch/", views.switch, name="switch"),
]
