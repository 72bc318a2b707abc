"""Meta: Facebook Pages and Instagram professional accounts through Facebook Login for
Business, Threads through its own OAuth (README "Meta").

Facebook and Instagram share one flow: the person logs in to Facebook, picks in Meta's
dialog the Pages and the Instagram accounts linked to them that Annexe may use, then
picks again in Annexe which of those this library connects; each becomes a
SocialAccount (network "facebook" or "instagram") holding the Page token, which comes
from a long-lived user token and has no expiry date (when Meta gives one, it is
tracked and administrators are reminded: Meta offers no refresh without the person).
Reconnecting an account goes through the same dialog and keeps the same row.

Threads: code → short-lived token → long-lived token (60 days), refreshed ahead of
expiry by `refresh_threads_token` (registered with publishing.expiry).

Disconnecting: Meta revokes a whole login, not one Page (`DELETE /{user-id}/permissions`
de-authorizes the app for the person, and every Page token obtained through their login
dies). So the login is given back only when no other connected Facebook or Instagram
account of the installation (any library) came through the same person; otherwise the
administrator is told it stays. The person is known by `meta_user_id`, recorded on
connect (`/debug_token`'s `user_id`), or asked of `/debug_token` for accounts connected
before. Threads documents no revoke endpoint (only a "Deauthorize callback URL" in the
app's settings): the person removes Annexe in Threads, and the message says where.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import graph, meta_login, oauth
from networks.client import Account, NetworkError
from networks.threads import SCOPES as THREADS_SCOPES
from networks.threads import ThreadsClient
from publishing.connect import (
    AccountDetails,
    Authorize,
    ConnectContext,
    Connected,
    ConnectFlow,
    ConnectRefused,
    details_from_info,
)
from publishing.expiry import expires_at_from_token
from publishing.models import AccountStatus, SocialAccount

logger = logging.getLogger(__name__)

# Refresh Threads tokens this long before they expire (they last 60 days and can be
# refreshed once at least a day old).
THREADS_REFRESH_AHEAD = timedelta(days=10)


def _server(url: str, default: str) -> str:
    """The account's server_url: empty for Meta's own hosts (the clients' default)."""
    url = (url or "").rstrip("/")
    return "" if url == default.rstrip("/") else url


def _iso(when: datetime | None) -> str:
    return when.isoformat() if when else ""


def _refused(params) -> ConnectRefused:
    return ConnectRefused(
        _("Meta n'a pas donné l'accès : %(error)s")
        % {"error": params.get("error_description") or params.get("error_reason") or "?"}
    )


def _not_configured(name: str) -> ConnectRefused:
    return ConnectRefused(
        _(
            "L'application %(name)s d'Annexe n'est pas configurée sur ce serveur : "
            "l'administrateur technique doit renseigner ses identifiants (voir le README)."
        )
        % {"name": name}
    )


class FacebookFlow(ConnectFlow):
    """Facebook Login for Business: Pages and their Instagram accounts."""

    network = "facebook"
    help_text = gettext_lazy(
        "Vous allez vous connecter à Facebook et choisir les Pages et les comptes Instagram"
        " professionnels liés à ces Pages qu'Annexe pourra utiliser : publier, lire les"
        " réactions et les statistiques. Il faut être administrateur de ces Pages."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Authorize:
        if not (settings.META_APP_ID and settings.META_APP_SECRET):
            raise _not_configured("Meta")
        state = oauth.new_state()
        url = meta_login.authorization_url(
            dialog_url=settings.META_DIALOG_URL,
            client_id=settings.META_APP_ID,
            redirect_uri=context.callback_url,
            state=state,
            config_id=settings.META_LOGIN_CONFIG_ID,
        )
        return Authorize(
            url=url,
            pending={"state": state},
            host=urlsplit(url).netloc,
            scopes=tuple(meta_login.SCOPES),
        )

    def callback(self, context: ConnectContext, params, pending: dict[str, Any]) -> Connected:
        if params.get("error"):
            raise _refused(params)
        graph_url = settings.META_GRAPH_URL
        user = meta_login.exchange_code(
            graph_url=graph_url,
            client_id=settings.META_APP_ID,
            client_secret=settings.META_APP_SECRET,
            redirect_uri=context.callback_url,
            code=params.get("code", ""),
        )
        choices = self._choices(graph_url, user)
        if not choices:
            raise ConnectRefused(
                _(
                    "Aucune Page ni aucun compte Instagram n'a été autorisé. Recommencez en"
                    " cochant, dans la fenêtre de Facebook, les Pages de la bibliothèque."
                )
            )
        if context.account is not None:
            # Reconnecting one account: only that one, same row.
            same = [
                c
                for c in choices
                if c.remote_id == context.account.remote_id
                and (c.network or self.network) == context.account.network
            ]
            if not same:
                raise ConnectRefused(
                    _(
                        "Le compte « %(name)s » n'a pas été autorisé dans la fenêtre de"
                        " Facebook : recommencez en le cochant."
                    )
                    % {"name": context.account.display_name}
                )
            return Connected(same[0])
        return Connected(choices[0], choices=tuple(choices))

    def _choices(self, graph_url: str, user: dict) -> list[AccountDetails]:
        user_token = user["access_token"]
        app = {"app_id": settings.META_APP_ID, "app_secret": settings.META_APP_SECRET}
        try:
            granted = meta_login.token_details(graph_url=graph_url, token=user_token, **app)
        except NetworkError as exc:
            logger.warning("Facebook: /debug_token refused (%s); no Instagram filtering", exc)
            granted = {}
        instagram_ids = meta_login.granted_targets(granted, "instagram_content_publish")
        person = {"meta_user_id": str(granted["user_id"])} if granted.get("user_id") else {}
        user_expiry = expires_at_from_token(user)
        server_url = _server(graph_url, graph.GRAPH_URL)
        choices: list[AccountDetails] = []
        for page in meta_login.pages(graph_url=graph_url, user_token=user_token):
            expiry = self._page_expiry(graph_url, page.access_token, app, fallback=user_expiry)
            credentials = {"access_token": page.access_token}
            choices.append(
                AccountDetails(
                    remote_id=page.remote_id,
                    display_name=page.name,
                    handle=page.name,
                    server_url=server_url,
                    credentials=credentials,
                    settings={**person, **({"page_url": page.link} if page.link else {})},
                    expires_at=_iso(expiry),
                    network="facebook",
                )
            )
            ig = page.instagram
            if ig is None or (instagram_ids is not None and ig.remote_id not in instagram_ids):
                continue
            choices.append(
                AccountDetails(
                    remote_id=ig.remote_id,
                    display_name=ig.name or f"@{ig.username}",
                    handle=f"@{ig.username}",
                    server_url=server_url,
                    avatar_url=ig.avatar_url,
                    # Instagram API with Facebook Login: the Page's token publishes.
                    credentials=credentials,
                    settings={**person, "page_id": page.remote_id, "page_name": page.name},
                    expires_at=_iso(expiry),
                    network="instagram",
                )
            )
        return choices

    @staticmethod
    def _page_expiry(
        graph_url: str, token: str, app: dict, *, fallback: datetime | None
    ) -> datetime | None:
        """A Page token's expiry as /debug_token tells (usually none); when it cannot be
        asked, the user token's (the cautious guess: a reminder at worst)."""
        try:
            details = meta_login.token_details(graph_url=graph_url, token=token, **app)
        except NetworkError:
            return fallback
        return meta_login.expiry_of(details)

    def revoke(self, account: SocialAccount, client_account: Account) -> str | None:
        """Give the person's Facebook login back unless another connected account uses
        it (module docstring). Raises NetworkError when Meta could not be told."""
        app = {"app_id": settings.META_APP_ID, "app_secret": settings.META_APP_SECRET}
        if not (app["app_id"] and app["app_secret"]):
            return None
        graph_url = settings.META_GRAPH_URL
        person = _meta_user(account, graph_url, app)
        if not person:
            raise NetworkError(
                _("Meta n'a pas dit quelle personne a donné cet accès ; il n'a pas été retiré.")
            )
        others = SocialAccount.objects.filter(
            network__in=("facebook", "instagram"),
            status__in=(AccountStatus.CONNECTED, AccountStatus.NEEDS_RECONNECT),
        ).exclude(pk=account.pk)
        sharing = [other for other in others if _meta_user(other, graph_url, app) == person]
        if sharing:
            return _(
                "L'accès donné à Annexe sur Facebook reste actif : d'autres comptes connectés "
                "par la même personne l'utilisent (%(accounts)s). Il sera retiré avec le "
                "dernier d'entre eux."
            ) % {"accounts": ", ".join(sorted({str(other) for other in sharing}))}
        meta_login.revoke_login(graph_url=graph_url, user_id=person, **app)
        return _(
            "L'accès donné à Annexe sur Facebook a été retiré : plus aucun compte connecté "
            "ne l'utilisait."
        )


def _meta_user(account: SocialAccount, graph_url: str, app: dict) -> str:
    """The Facebook user whose login gave the account its token: recorded on connect, or
    asked of /debug_token (accounts connected before it was recorded); "" if unknown."""
    known = (account.settings or {}).get("meta_user_id")
    token = (account.credentials or {}).get("access_token")
    if known or not token:
        return str(known or "")
    try:
        details = meta_login.token_details(graph_url=graph_url, token=token, **app)
    except NetworkError as exc:
        logger.info("Facebook: /debug_token of account %s refused (%s)", account.pk, exc)
        return ""
    return str(details.get("user_id") or "")


class InstagramFlow(FacebookFlow):
    """Instagram professional accounts connect through their Page's Facebook Login."""

    network = "instagram"
    help_text = gettext_lazy(
        "Un compte Instagram professionnel se connecte par la Page Facebook à laquelle il"
        " est lié : vous allez vous connecter à Facebook et cocher la Page et son compte"
        " Instagram. Il faut être administrateur de la Page."
    )


class ThreadsFlow(ConnectFlow):
    network = "threads"
    # Threads documents no endpoint to give a token back (threads/get-started: only a
    # "Deauthorize callback URL" the app receives): the person removes Annexe there.
    # The menu's wording is unconfirmed.
    disconnect_hint = gettext_lazy(
        "Threads ne permet pas à Annexe de rendre son accès : il expire de lui-même sous "
        "60 jours. Pour le retirer dès maintenant, ouvrez Threads, Paramètres → Compte → "
        "Autorisations des sites web, et retirez Annexe."
    )
    help_text = gettext_lazy(
        "Vous allez vous connecter à Threads et autoriser Annexe à publier, lire les"
        " statistiques et supprimer les publications du compte. L'autorisation dure 60"
        " jours ; Annexe la renouvelle d'elle-même avant son expiration."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Authorize:
        if not (settings.THREADS_APP_ID and settings.THREADS_APP_SECRET):
            raise _not_configured("Threads")
        state = oauth.new_state()
        url = ThreadsClient().authorization_url(
            authorize_url=f"{settings.THREADS_AUTHORIZE_URL.rstrip('/')}/oauth/authorize",
            client_id=settings.THREADS_APP_ID,
            redirect_uri=context.callback_url,
            state=state,
        )
        return Authorize(
            url=url,
            pending={"state": state},
            host=urlsplit(url).netloc,
            scopes=tuple(THREADS_SCOPES),
        )

    def callback(self, context: ConnectContext, params, pending: dict[str, Any]) -> Connected:
        if params.get("error"):
            raise _refused(params)
        server_url = _server(settings.THREADS_API_URL, graph.THREADS_URL)
        client = ThreadsClient()
        token = client.exchange_code(
            server_url=server_url,
            client_id=settings.THREADS_APP_ID,
            client_secret=settings.THREADS_APP_SECRET,
            redirect_uri=context.callback_url,
            code=params.get("code", ""),
        )
        credentials = {"access_token": token["access_token"]}
        info = client.verify(
            Account("threads", server_url=server_url, credentials=dict(credentials))
        )
        details = details_from_info(info, credentials=credentials)
        return Connected(
            dataclasses.replace(
                details, server_url=server_url, expires_at=_iso(expires_at_from_token(token))
            )
        )


def refresh_threads_token(account: SocialAccount) -> datetime | None:
    """The refresher of Threads accounts (publishing.expiry): `th_refresh_token` gives
    60 more days; the client saves the new token encrypted."""
    from publishing.services.render import client_account

    answer = ThreadsClient().refresh_token(client_account(account))
    return expires_at_from_token(answer, now=timezone.now()) or (
        timezone.now() + timedelta(days=60)
    )
