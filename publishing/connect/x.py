"""X: OAuth 2.0 authorization code with PKCE (S256) and Annexe's client
(X_CLIENT_ID, X_CLIENT_SECRET: a confidential client authenticates with HTTP Basic),
scopes `networks.x.SCOPES` with `offline.access` for a refresh token. Access tokens
last two hours and each refresh token works once (rotation): the client refreshes on
demand and saves the new pair at once, and the refresher below keeps idle accounts
fresh every hour.

Why OAuth 2.0 and not OAuth 1.0a: the administrator grants only the scopes Annexe
needs (1.0a grants the app's whole permission level), PKCE protects the code, and a
stolen access token dies within two hours; 1.0a tokens live until revoked and every
request must be signed with the app's consumer secret."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import oauth
from networks.client import Account
from networks.x import OAUTH_URL, SCOPES, XClient
from publishing.connect import (
    Authorize,
    ConnectContext,
    Connected,
    ConnectFlow,
    ConnectRefused,
    details_from_info,
)
from publishing.connect.refresh import expires_at_iso, locked_refresher
from publishing.models import SocialAccount

# The hourly expiry check refreshes tokens that expire within this: every two-hour
# token is renewed before it dies, even when the account publishes nothing.
REFRESH_AHEAD = timedelta(minutes=90)


class XFlow(ConnectFlow):
    network = "x"
    help_text = gettext_lazy(
        "X vous demande d'autoriser Annexe à publier (textes et images) et à lire les"
        " statistiques de vos publications. L'accès à l'API X est payant."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Authorize:
        state, verifier = oauth.new_state(), oauth.new_code_verifier()
        url = XClient().authorization_url(
            redirect_uri=context.callback_url, state=state, code_verifier=verifier
        )
        return Authorize(
            url=url,
            pending={"state": state, "code_verifier": verifier},
            host=urlsplit(oauth.app("x").auth_url or OAUTH_URL).netloc,
            scopes=tuple(SCOPES),
        )

    def callback(self, context: ConnectContext, params, pending: dict[str, Any]) -> Connected:
        if params.get("error"):
            raise ConnectRefused(
                _("X n'a pas donné l'accès : %(error)s")
                % {"error": params.get("error_description") or params["error"]}
            )
        client = XClient()
        api_url = settings.X_API_URL.rstrip("/")
        credentials = client.exchange_code(
            server_url=api_url,
            redirect_uri=context.callback_url,
            code=params.get("code", ""),
            code_verifier=pending["code_verifier"],
        )
        info = client.verify(Account("x", server_url=api_url, credentials=credentials))
        details = details_from_info(info, credentials=credentials)
        return Connected(replace(details, expires_at=expires_at_iso(credentials)))

    def revoke(self, account: SocialAccount, client_account: Account) -> str:
        XClient().revoke(client_account)
        return _("X a retiré l'accès d'Annexe à ce compte.")


refresh_x = locked_refresher(XClient().refresh)
