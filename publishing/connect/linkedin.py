"""LinkedIn Pages: OAuth 2.0 authorization code with Annexe's app (LINKEDIN_CLIENT_ID,
LINKEDIN_CLIENT_SECRET), scopes `networks.linkedin.SCOPES`; then the pages the member
administers (ADMINISTRATOR or CONTENT_ADMINISTRATOR, `organizationAcls`), of which
the administrator picks those to connect: each page is one account sharing the
member's token. Tokens last 60 days; approved partners also get a refresh token
(365 days), used ahead of expiry by the refresher below; without one, administrators
are reminded to reconnect (publishing.expiry)."""

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
from networks.linkedin import OAUTH_URL, SCOPES, LinkedInClient
from publishing.connect import (
    AccountDetails,
    Authorize,
    ConnectContext,
    Connected,
    ConnectFlow,
    ConnectRefused,
    details_from_info,
)
from publishing.connect.refresh import expires_at_iso, locked_refresher
from publishing.models import AccountStatus, SocialAccount

# Refresh 15 days ahead: before the first reminder (14 days), so a page whose token
# renews itself never bothers anyone.
REFRESH_AHEAD = timedelta(days=15)


class LinkedInFlow(ConnectFlow):
    network = "linkedin"
    help_text = gettext_lazy(
        "LinkedIn vous demande d'autoriser Annexe à publier au nom de vos pages et à lire"
        " leurs statistiques ; vous choisissez ensuite les pages à connecter parmi celles"
        " que vous administrez."
    )

    def start(self, context: ConnectContext, data: dict[str, Any]) -> Authorize:
        state = oauth.new_state()
        url = LinkedInClient().authorization_url(redirect_uri=context.callback_url, state=state)
        return Authorize(
            url=url,
            pending={"state": state},
            host=urlsplit(oauth.app("linkedin").auth_url or OAUTH_URL).netloc,
            scopes=tuple(SCOPES),
        )

    def callback(self, context: ConnectContext, params, pending: dict[str, Any]) -> Connected:
        if params.get("error"):
            raise ConnectRefused(
                _("LinkedIn n'a pas donné l'accès : %(error)s")
                % {"error": params.get("error_description") or params["error"]}
            )
        client = LinkedInClient()
        credentials = client.exchange_code(
            redirect_uri=context.callback_url, code=params.get("code", "")
        )
        api_url = settings.LINKEDIN_API_URL.rstrip("/")
        member_account = Account("linkedin", server_url=api_url, credentials=credentials)
        member = client.member(member_account)
        credentials["member_id"] = str(member.get("sub") or "")
        pages = []
        for page in client.organizations(member_account):
            page_account = replace(member_account, remote_id=page.remote_id)
            info = client.verify(page_account)
            details = details_from_info(
                info,
                credentials=credentials,
                settings={"connected_member": member.get("name") or ""},
            )
            pages.append(replace(details, expires_at=expires_at_iso(credentials)))
        return _pick(context, pages)

    def revoke(self, account: SocialAccount, client_account: Account) -> str:
        """The member's token serves every page connected with it: revoked only with
        the last of them (LinkedIn has no per-page grant to give back)."""
        token = client_account.credentials.get("access_token")
        sharing = [
            other.display_name
            for other in SocialAccount.objects.filter(
                network=self.network,
                status__in=[AccountStatus.CONNECTED, AccountStatus.NEEDS_RECONNECT],
            ).exclude(pk=account.pk)
            if token and (other.credentials or {}).get("access_token") == token
        ]
        if sharing:
            return _(
                "L'autorisation LinkedIn reste active : les pages %(pages)s, connectées avec"
                " le même compte LinkedIn, l'utilisent encore. Elle sera retirée quand la"
                " dernière sera déconnectée."
            ) % {"pages": ", ".join(sorted(sharing))}
        LinkedInClient().revoke(client_account)
        return _("LinkedIn a retiré l'accès d'Annexe.")


def _pick(context: ConnectContext, pages: list[AccountDetails]) -> Connected:
    if context.account is not None:
        same = [p for p in pages if p.remote_id == context.account.remote_id]
        if not same:
            raise ConnectRefused(
                _(
                    "Ce compte LinkedIn n'administre plus la page %(page)s : reconnectez-la"
                    " avec un compte administrateur de la page."
                )
                % {"page": context.account.display_name}
            )
        return Connected(same[0])
    if not pages:
        raise ConnectRefused(
            _(
                "Ce compte LinkedIn n'administre aucune page : il faut être administrateur"
                " (ou administrateur de contenu) de la page de la bibliothèque."
            )
        )
    if len(pages) == 1:
        return Connected(pages[0])
    return Connected(pages[0], choices=tuple(pages))


def _refresh(account: Account):
    # Only approved partners get refresh tokens; without one, the expiry check
    # reminds the administrators to reconnect (not "needs reconnect" 15 days early).
    if not account.credentials.get("refresh_token"):
        from publishing.expiry import CannotRefresh

        raise CannotRefresh
    return LinkedInClient().refresh(account)


refresh_linkedin = locked_refresher(_refresh)
