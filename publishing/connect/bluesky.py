"""Bluesky: handle + app password (never the account's main password). The server
(PDS) defaults to the one the handle resolves to and can be typed for a self-hosted
PDS. The session (access and refresh tokens) is stored encrypted with the app
password, so that `networks.bluesky` can refresh it, and log in again when the
refresh token has expired, without asking anyone.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from networks.bluesky import BlueskyClient
from networks.client import Account, NetworkError
from networks.http import check_public_url, normalise_server_url
from networks.messages import translated
from publishing.connect import ConnectContext, Connected, ConnectFlow, details_from_info
from publishing.models import SocialAccount

# Bluesky app passwords look like "abcd-efgh-ijkl-mnop".
APP_PASSWORD = re.compile(r"^[a-z0-9]{4}(-[a-z0-9]{4}){3}$")


class BlueskyForm(forms.Form):
    handle = forms.CharField(
        label=gettext_lazy("Identifiant Bluesky"),
        max_length=253,
        help_text=gettext_lazy("Par exemple : mediatheque.bsky.social"),
    )
    app_password = forms.CharField(
        label=gettext_lazy("Mot de passe d'application"),
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "À créer dans Bluesky : Paramètres → Confidentialité et sécurité → Mots de passe"
            " d'application. Jamais le mot de passe principal du compte."
        ),
    )
    server = forms.CharField(
        label=gettext_lazy("Serveur (PDS)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Laissez vide : Annexe trouve le serveur du compte. À remplir pour un serveur"
            " auto-hébergé."
        ),
    )

    def clean_handle(self) -> str:
        return self.cleaned_data["handle"].strip().lstrip("@").lower()

    def clean_app_password(self) -> str:
        value = self.cleaned_data["app_password"].strip()
        if not APP_PASSWORD.match(value):
            raise forms.ValidationError(
                gettext_lazy(
                    "Un mot de passe d'application a la forme xxxx-xxxx-xxxx-xxxx :"
                    " créez-en un dans les paramètres de Bluesky."
                )
            )
        return value

    def clean_server(self) -> str:
        if not self.cleaned_data.get("server"):
            return ""
        try:
            server_url = normalise_server_url(self.cleaned_data["server"])
            check_public_url(server_url)
        except NetworkError as exc:
            raise forms.ValidationError(translated(exc.message)) from exc
        return server_url


class BlueskyFlow(ConnectFlow):
    network = "bluesky"
    form_class = BlueskyForm
    help_text = gettext_lazy(
        "Un mot de passe d'application suffit ; il peut être révoqué à tout moment dans"
        " Bluesky sans toucher au mot de passe du compte."
    )

    # Shown after a disconnect: deleteSession ends Annexe's session, not the password.
    disconnect_hint = gettext_lazy(
        "Pour retirer tout accès à Annexe, supprimez aussi son mot de passe d'application"
        " dans Bluesky : Paramètres → Confidentialité et sécurité → Mots de passe"
        " d'application."
    )

    def initial(self, account: SocialAccount | None) -> dict[str, Any]:
        if account is None:
            return {}
        return {"handle": account.handle.lstrip("@"), "server": account.server_url}

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Connected:
        client = BlueskyClient()
        server_url = data.get("server") or client.resolve_pds(
            data["handle"],
            resolver_url=settings.BLUESKY_RESOLVER_URL,
            plc_url=settings.BLUESKY_PLC_URL,
        )
        check_public_url(server_url)
        credentials = client.login(
            server_url, identifier=data["handle"], app_password=data["app_password"]
        )
        account = Account(
            network="bluesky",
            server_url=server_url,
            handle=f"@{credentials['handle']}",
            remote_id=credentials["did"],
            credentials=credentials,
        )
        info = client.verify(account)
        return Connected(
            details_from_info(
                info,
                credentials=account.credentials,
                settings={"app_url": settings.BLUESKY_APP_URL},
            )
        )

    def revoke(self, account: SocialAccount, client_account: Account) -> None:
        # Ends the stored session; the app password stays valid until its owner
        # deletes it in Bluesky (the disconnect message says so).
        BlueskyClient().logout(client_account)
