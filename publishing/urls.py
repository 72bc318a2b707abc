from django.urls import path

from publishing.views import actions, pause

app_name = "publishing"
urlpatterns = [
    path("posts/<int:pk>/publish-now/", actions.publish_now, name="publish_now"),
    path("posts/<int:pk>/delete/", actions.delete_from_networks, name="delete"),
    path("publications/<int:pk>/retry/", actions.retry, name="retry"),
    path("pause/<slug:slug>/", pause.pause_page, name="pause"),
    path("pause/<slug:slug>/resume/", pause.resume_page, name="resume"),
]
