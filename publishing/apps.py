from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publication sur les réseaux")

    def ready(self) -> None:
        from django.conf import settings

        from networks import http

        http.configure(
            user_agent=settings.NETWORKS_USER_AGENT,
            connect_timeout=settings.NETWORKS_CONNECT_TIMEOUT,
            read_timeout=settings.NETWORKS_READ_TIMEOUT,
            allow_loopback=settings.NETWORKS_ALLOW_LOOPBACK,
            link_previews=settings.NETWORKS_LINK_PREVIEWS,
        )

        from publishing import receivers  # noqa: F401  (follows validation and the calendar)
        from publishing.hooks import register_email_relay_builder
        from publishing.relays import relay_email_message

        register_email_relay_builder(relay_email_message)
        from publishing.panel import register

        register()
