from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibrariesConfig(AppConfig):
    name = "libraries"
    verbose_name = _("Bibliothèques")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from libraries.public_holidays import check_region

        try:
            check_region(settings.PUBLIC_HOLIDAYS)
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
