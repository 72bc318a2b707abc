from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def oauth_app(network: str):
    """Annexe's app on `network` from the settings `<NETWORK>_CLIENT_ID`,
    `_CLIENT_SECRET` and `_OAUTH_URL`, read at call time (tests override them)."""
    from django.conf import settings

    from networks.oauth import OAuthApp

    prefix = network.upper()
    client_id = getattr(settings, f"{prefix}_CLIENT_ID", "")
    if not client_id:
        return None
    return OAuthApp(
        client_id=client_id,
        client_secret=getattr(settings, f"{prefix}_CLIENT_SECRET", ""),
        auth_url=getattr(settings, f"{prefix}_OAUTH_URL", ""),
    )


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
        from networks import oauth

        oauth.set_app_resolver(oauth_app)

        from publishing import expiry
        from publishing.connect import linkedin, meta, x

        expiry.register_refresher(
            "linkedin", linkedin.refresh_linkedin, ahead=linkedin.REFRESH_AHEAD
        )
        # X: two-hour tokens, renewed even after they lapse (the refresh token still
        # works) and never worth a reminder; a refused refresh marks it to reconnect.
        expiry.register_refresher("x", x.refresh_x, ahead=x.REFRESH_AHEAD, short_lived=True)
        expiry.register_refresher(
            "threads", meta.refresh_threads_token, ahead=meta.THREADS_REFRESH_AHEAD
        )

        from publishing import receivers  # noqa: F401  (follows validation and the calendar)
        from publishing.hooks import register_email_relay_builder
        from publishing.relays import relay_email_message

        register_email_relay_builder(relay_email_message)
        from publishing.connect import google_business

        google_business.setup()  # Google's OAuth app and its token refresher
        from publishing.panel import register

        register()
        from posts.hooks import register_target_accounts
        from publishing.account_selectors import target_accounts_for

        register_target_accounts(target_accounts_for)
