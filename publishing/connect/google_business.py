"""Google Business Profile: OAuth 2.0 authorization code with PKCE and offline access
(`access_type=offline`, `prompt=consent`, so Google gives a refresh token each time),
scope `business.manage`; then the administrator picks which of the locations they
manage to connect, each becoming its own account (they share the Google access).

Annexe's OAuth client comes from the settings `GOOGLE_BUSINESS_CLIENT_ID` and
`GOOGLE_BUSINESS_CLIENT_SECRET` (`networks.oauth.app`; README, "Google Business
Profile"). Access tokens last an hour:
the client renews them on demand, and the refresher registered here renews them from
the hourly expiry check, so that a removed access (`invalid_grant`) marks the accounts
to reconnect before a post is due.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import oauth
from networks.client import Account, AuthError
from networks.google_business_client import SCOPES, GoogleBusinessClient, Location
from publishing import expiry
from publishing.connect import (
    AccountDetails,
    Authorize,
    ConnectContext,
    Connected,
    ConnectFlow,
    ConnectRefused,
)
from publishing.models import AccountStatus, SocialAccount

# Renew an access token this long before it expires (the expiry check runs hourly).
REFRESH_AHEAD = timedelta(minutes=15)


def server_url() -> str:
    """Empty: Google's own hosts; otherwise one server standing for all of them."""
    return settings.GOOGLE_BUSINESS_SERVER_URL.rstrip("/")


def setup() -> None:
    """At start-up: the refresher of access tokens."""
    expiry.register_refresher(
        "google_business", refresh_account, ahead=REFRESH_AHEAD, short_lived=True
    )


def refresh_account(account: SocialAccount) -> datetime | None:
    """The refresher: a new access token unless the current one (maybe renewed by a
    publication meanwhile) still has a while to live. Returns its expiry."""
    from publishing.account_services import client_account

    credentials = account.credentials or {}
    expires_at = float(credentials.get("expires_at") or 0)
    if expires_at - REFRESH_AHEAD.total_seconds() <= timezone.now().timestamp():
        credentials = GoogleBusinessClient().refresh(client_account(account))
        expires_at = float(credentials["expires_at"])
    return datetime.fromtimestamp(expires_at, UTC)


def _details(location: Location, credentials: dict[str, Any], server: str) -> AccountDetails:
    expires_at = credentials.get("expires_at")
    when = datetime.fromtimestamp(float(expires_at), UTC).isoformat() if expires_at else ""
    return AccountDetails(
        remote_id=location.name,
        display_name=location.title,
        handle=location.address,
        server_url=server,
        credentials=credentials,
        settings={"location_group": location.account_name},
        expires_at=when,
    )


def _reconnect_siblings(context: ConnectContext, choices: tuple[AccountDetails, ...]) -> None:
    """The library's other locations waiting to be reconnected that this Google access
    also manages get it too: one consent brings them all back (they lost the access
    together, when it was removed in the Google account)."""
    from publishing.account_services import account_connect

    offered = {choice.remote_id: choice for choice in choices}
    waiting = SocialAccount.objects.filter(
        library=context.library,
        network="google_business",
        status=AccountStatus.NEEDS_RECONNECT,
        remote_id__in=list(offered),
    ).exclude(pk=context.account.pk)
    for sibling in waiting:
        account_connect(
            library=context.library,
            flow=GoogleBusinessFlow(),
            details=offered[sibling.remote_id],
            by=context.user,
            account=sibling,
        )


class GoogleBusinessFlow(ConnectFlow):
    network = "google_business"
    help_text = gettext_lazy(
        "Connectez-vous avec le compte Google qui gère la fiche de la bibliothèque, puis "
        "choisissez les établissements à connecter. Annexe demande l'accès « Gérer vos "
        "fiches d'établissement » pour publier des posts (actualités et événements) et "
        "lire leurs statistiques."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Authorize:
        try:
            app = oauth.app(self.network)
        except AuthError:
            app = None
        if app is None or not app.client_secret:
            raise ConnectRefused(
                _(
                    "Annexe n'a pas encore d'application Google : l'administrateur du serveur "
                    "doit renseigner GOOGLE_BUSINESS_CLIENT_ID et GOOGLE_BUSINESS_CLIENT_SECRET"
                    " (voir le README)."
                )
            )
        state, verifier = oauth.new_state(), oauth.new_code_verifier()
        server = server_url()
        url = GoogleBusinessClient().authorization_url(
            server_url=server,
            client_id=app.client_id,
            redirect_uri=context.callback_url,
            state=state,
            code_verifier=verifier,
        )
        return Authorize(
            url=url,
            pending={"state": state, "code_verifier": verifier, "server_url": server},
            host=urlsplit(url).netloc,
            scopes=tuple(SCOPES),
        )

    def callback(self, context: ConnectContext, params, pending: dict[str, Any]) -> Connected:
        if params.get("error"):
            raise ConnectRefused(
                _("Google n'a pas donné l'accès : %(error)s")
                % {"error": params.get("error_description") or params["error"]}
            )
        app, server = oauth.app(self.network), pending["server_url"]
        client = GoogleBusinessClient()
        credentials = client.exchange_code(
            server_url=server,
            client_id=app.client_id,
            client_secret=app.client_secret,
            redirect_uri=context.callback_url,
            code=params.get("code", ""),
            code_verifier=pending["code_verifier"],
        )
        if not credentials.get("refresh_token"):
            raise ConnectRefused(
                _(
                    "Google n'a pas donné d'accès durable (pas de jeton de renouvellement) : "
                    "retirez l'accès d'Annexe dans votre compte Google, puis recommencez."
                )
            )
        locations = client.locations(
            Account("google_business", server_url=server, credentials=credentials)
        )
        choices = tuple(_details(loc, credentials, server) for loc in locations if loc.can_post)
        if not choices:
            raise ConnectRefused(
                _(
                    "Ce compte Google ne gère aucun établissement validé : seules les fiches "
                    "validées par Google peuvent publier des posts."
                )
                if locations
                else _("Ce compte Google ne gère aucune fiche d'établissement.")
            )
        if context.account is not None:
            # Reconnecting: the same location, with the new access (history kept).
            same = [c for c in choices if c.remote_id == context.account.remote_id]
            if not same:
                raise ConnectRefused(
                    _(
                        "Ce compte Google ne gère pas (ou plus) l'établissement « %(name)s » : "
                        "reconnectez-vous avec le compte Google qui le gère."
                    )
                    % {"name": context.account.display_name}
                )
            _reconnect_siblings(context, choices)
            return Connected(same[0])
        return Connected(choices[0], choices=choices)

    def revoke(self, account: SocialAccount, client_account: Account) -> None:
        """Revoking gives back the whole Google access, which the other locations
        connected with it still use: only the last one revokes it."""
        refresh_token = client_account.credentials.get("refresh_token")
        siblings = SocialAccount.objects.filter(
            network=self.network,
            status__in=[AccountStatus.CONNECTED, AccountStatus.NEEDS_RECONNECT],
        ).exclude(pk=account.pk)
        if any((s.credentials or {}).get("refresh_token") == refresh_token for s in siblings):
            return
        GoogleBusinessClient().revoke(client_account)
