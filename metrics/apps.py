from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Mesure d'audience")

    def ready(self) -> None:
        from metrics import panel, receivers  # noqa: F401 - connects the receivers
        from metrics.links import clicks_for_publications, short_link_shape, tracked_url
        from metrics.refresh import register_click_counter
        from posts.published_links import register_link_shape
        from publishing.hooks import register_link_rewriter

        # Links in posts go out through /l/<code> (counted, UTM added), and the composer
        # counts them as such; each snapshot copies the clicks counted so far.
        register_link_rewriter(tracked_url)
        register_link_shape(short_link_shape)
        register_click_counter(clicks_for_publications)
        panel.register()
