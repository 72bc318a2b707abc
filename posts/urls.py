from django.urls import path

from posts.views import composer, posts, recovery

app_name = "posts"
urlpatterns = [
    path("", posts.post_list, name="list"),
    path("new/", composer.post_new, name="new"),
    path("<int:pk>/", posts.post_detail, name="detail"),
    path("<int:pk>/edit/", composer.post_edit, name="edit"),
    path("reconnected/", recovery.reconnected, name="reconnected"),
]
