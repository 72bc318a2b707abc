from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Mesure d'audience")

    def ready(self) -> None:
        from metrics.links import tracked_url
        from publishing.hooks import register_link_rewriter

        # Links in posts go out through /l/<code> (counted, UTM added).
        register_link_rewriter(tracked_url)
