from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValidationConfig(AppConfig):
    name = "validation"
    verbose_name = _("Validation")

    def ready(self) -> None:
        from validation import receivers  # noqa: F401  (listens to posts.signals)
        from validation.panel import register

        register()
