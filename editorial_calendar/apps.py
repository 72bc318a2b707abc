from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialCalendarConfig(AppConfig):
    # Not "calendar": a top-level package of that name shadows Python's standard
    # calendar module (http.cookiejar and email.utils import it). See README.md.
    name = "editorial_calendar"
    verbose_name = _("Calendrier éditorial")

    def ready(self) -> None:
        from editorial_calendar import panels

        panels.register()
