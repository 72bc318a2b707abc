"""Mastodon: the administrator types their instance; Annexe registers its app there
once (per instance and redirect URI, `POST /api/v1/apps`), then OAuth 2.0
authorization code with PKCE (Mastodon 4.3+; older servers ignore it), scopes
`networks.mastodon.SCOPES`, then `verify_credentials`. The instance's limits
(`GET /api/v2/instance`) are stored in the account's settings for the composer's rules.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import oauth
from networks.client import Account, AuthError, NetworkError
from networks.http import check_public_url, normalise_server_url
from networks.mastodon import SCOPES, MastodonClient
from networks.messages import translated
from publishing.connect import (
    AccountDetails,
    Authorize,
    ConnectContext,
    Connected,
    ConnectFlow,
    ConnectRefused,
    details_from_info,
)
from publishing.models import RegisteredApp, SocialAccount


class MastodonForm(forms.Form):
    server = forms.CharField(
        label=gettext_lazy("Instance Mastodon"),
        max_length=300,
        help_text=gettext_lazy("Par exemple : mastodon.social, piaille.fr ou @compte@instance."),
    )

    def clean_server(self) -> str:
        try:
            server_url = normalise_server_url(self.cleaned_data["server"])
            check_public_url(server_url)
        except NetworkError as exc:
            raise forms.ValidationError(translated(exc.message)) from exc
        return server_url


def _app(context: ConnectContext, server_url: str) -> RegisteredApp:
    from publishing.account_services import registered_app_get_or_create

    client = MastodonClient()
    return registered_app_get_or_create(
        network="mastodon",
        server_url=server_url,
        redirect_uri=context.callback_url,
        scopes=" ".join(SCOPES),
        register=lambda: client.register_app(
            server_url, redirect_uri=context.callback_url, website=context.site_url
        ),
    )


class MastodonFlow(ConnectFlow):
    network = "mastodon"
    form_class = MastodonForm
    help_text = gettext_lazy(
        "Annexe s'enregistre sur votre instance puis vous demande d'y autoriser l'accès :"
        " publier (statuts et images) et lire les statistiques du compte."
    )

    def initial(self, account: SocialAccount | None) -> dict[str, Any]:
        return {"server": account.server_url} if account else {}

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Authorize:
        server_url = data["server"]
        app = _app(context, server_url)
        state, verifier = oauth.new_state(), oauth.new_code_verifier()
        url = MastodonClient().authorization_url(
            server_url,
            client_id=app.credentials["client_id"],
            redirect_uri=context.callback_url,
            state=state,
            code_verifier=verifier,
        )
        return Authorize(
            url=url,
            pending={"state": state, "code_verifier": verifier, "server_url": server_url},
            host=urlsplit(server_url).netloc,
            scopes=tuple(SCOPES),
        )

    def callback(self, context: ConnectContext, params, pending: dict[str, Any]) -> Connected:
        if params.get("error"):
            raise ConnectRefused(
                _("L'instance n'a pas donné l'accès : %(error)s")
                % {"error": params.get("error_description") or params["error"]}
            )
        server_url = pending["server_url"]
        app = _app(context, server_url)
        client = MastodonClient()
        try:
            token = client.exchange_code(
                server_url,
                client_id=app.credentials["client_id"],
                client_secret=app.credentials["client_secret"],
                redirect_uri=context.callback_url,
                code=params.get("code", ""),
                code_verifier=pending["code_verifier"],
            )
        except AuthError:
            # The instance forgot our app (invalid_client): register again next time.
            from publishing.account_services import registered_app_forget

            registered_app_forget(app)
            raise
        account = Account(network="mastodon", server_url=server_url, credentials=token)
        info = client.verify(account)
        return Connected(
            details_from_info(
                info,
                credentials=token,
                settings={
                    "instance_configuration": _configuration(client, server_url),
                    "registered_app": app.pk,
                },
            )
        )

    def verify(self, account: SocialAccount, client_account: Account) -> AccountDetails:
        client = MastodonClient()
        info = client.verify(client_account)
        return details_from_info(
            info,
            settings={"instance_configuration": _configuration(client, account.server_url)},
        )

    def revoke(self, account: SocialAccount, client_account: Account) -> None:
        # The token must be revoked by the app it was issued to.
        app = RegisteredApp.objects.filter(
            pk=account.settings.get("registered_app"), server_url=account.server_url
        ).first()
        if app is not None:
            MastodonClient().revoke(
                client_account,
                client_id=app.credentials["client_id"],
                client_secret=app.credentials["client_secret"],
            )


def _configuration(client: MastodonClient, server_url: str) -> dict:
    """The instance's limits (max characters…), kept for the composer; a server that
    does not say keeps Mastodon's defaults."""
    try:
        return {"configuration": client.instance_configuration(server_url)}
    except NetworkError:
        return {}
