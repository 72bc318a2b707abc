from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from posts.panels import register_panel
        from posts.views.panels import checks_panel

        register_panel(
            key="posts-checks", template="posts/panels/checks.html", context=checks_panel, order=10
        )
